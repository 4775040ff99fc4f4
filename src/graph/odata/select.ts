import { badRequest, unknownSelectProperty } from '../errors.js';

/** `$select=*`: every structural property. It stays `*` in the context URL (`users(*)/$entity`). */
export const SELECT_ALL = '*';

/**
 * Reads `$select` (or `select`: the `$` is optional on beta and on many v1.0 APIs) from a
 * query string. Returns undefined when absent; the properties in the order requested otherwise
 * (`*` among them when asked:
 * every property, see `applySelect`).
 */
export function parseSelect(query: Record<string, unknown>, allowed: readonly string[], typeName: string): string[] | undefined {
  const dollar = query['$select'];
  const plain = query['select'];
  if (dollar !== undefined && plain !== undefined) {
    throw badRequest("Query option 'select' was specified more than once; use either $select or select.");
  }
  const raw = dollar ?? plain;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw badRequest("Query option '$select' was specified more than once.");
  if (raw.trim() === '') throw badRequest("The query parameter '$select' has an empty value.");
  const properties: string[] = [];
  for (const [i, item] of raw.split(',').entries()) {
    if (item === '' || item !== item.trim()) {
      throw badRequest(`Syntax error: character ',' is not valid at position ${raw.split(',').slice(0, i).join(',').length} in '${raw}'.`);
    }
    if (item === SELECT_ALL) {
      if (!properties.includes(SELECT_ALL)) properties.push(SELECT_ALL);
      continue;
    }
    // Graph's directory and LRO back ends match property names case-insensitively.
    const match = allowed.find((p) => p.toLowerCase() === item.toLowerCase());
    if (!match) throw unknownSelectProperty(item, typeName);
    if (!properties.includes(match)) properties.push(match);
  }
  return properties;
}

/** Keeps only the selected properties (and any `@odata.*` annotations). */
export function applySelect<T extends Record<string, unknown>>(entity: T, select: string[] | undefined): Record<string, unknown> {
  if (!select || select.includes(SELECT_ALL)) return entity;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entity)) if (k.startsWith('@odata.')) out[k] = v;
  for (const p of select) if (p in entity) out[p] = entity[p];
  return out;
}
