/**
 * `$expand` on alerts and configurations, and the context-URL projection that goes with
 * `$select`/`$expand` (`alerts(id,alertDefinition())`).
 */
import { badRequest, unknownSelectProperty } from '../../errors.js';
import { queryOption } from '../../odata/list-options.js';

/**
 * Reads `$expand`: a comma-separated list of `allowed` navigation properties (exact names), or
 * `*` for all of them in `allowed` order. Nested options (`alertIncidents($top=1)`) are not
 * supported and are refused rather than ignored.
 */
export function parseExpand<R extends string>(query: Record<string, unknown>, allowed: readonly R[], typeName: string): R[] {
  const raw = queryOption(query, 'expand');
  if (raw === undefined) return [];
  if (raw.trim() === '') throw badRequest("The query parameter '$expand' has an empty value.");
  if (raw.trim() === '*') return [...allowed];
  const expanded: R[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (item.includes('(')) throw badRequest(`Nested query options in $expand are not supported ('${item}').`);
    const match = allowed.find((a) => a === item);
    if (!match) throw unknownSelectProperty(item, typeName);
    if (!expanded.includes(match)) expanded.push(match);
  }
  return expanded;
}

/**
 * The parenthesised part of a context URL: selected properties, then each expanded
 * navigation property as `name()`; undefined when there is neither.
 */
export function projection(select: string[] | undefined, expand: readonly string[]): string[] | undefined {
  if (!select && expand.length === 0) return undefined;
  return [...(select ?? []), ...expand.map((e) => `${e}()`)];
}
