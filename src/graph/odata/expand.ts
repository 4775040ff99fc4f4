/**
 * `$expand`, and the context-URL projection that goes with `$select`/`$expand`
 * (`alerts(id,alertDefinition())`). Graph parses `$select` and `$expand` together and refuses
 * with one prefix, "Parsing OData Select and Expand failed: ", the words of OData's .NET URI
 * parser after it (docs/odata.md, "Query options").
 */
import { badRequest, unknownSelectProperty } from '../errors.js';
import { queryOption } from './list-options.js';

/** What a type offers `$expand`: its navigation properties, and its structural ones (named in the refusal). */
export interface ExpandSpec<R extends string> {
  navigation: readonly R[];
  properties: readonly string[];
  type: string;
}

/** OData's refusal of `$expand` on a structural property (Microsoft.OData.Core, ExpandItemBinder). */
export const notExpandable = (property: string, type: string) =>
  badRequest(
    `Parsing OData Select and Expand failed: Property '${property}' on type '${type}' is not a navigation property or complex property. ` +
      'Only navigation properties can be expanded.',
  );

/**
 * Reads `$expand`: a comma-separated list of navigation properties (exact names), or `*` for all
 * of them in declaration order (none, on a type without any). Nested options
 * (`alertIncidents($top=1)`) are not supported and are refused rather than ignored.
 */
export function parseExpand<R extends string>(query: Record<string, unknown>, spec: ExpandSpec<R>): R[] {
  const raw = queryOption(query, 'expand');
  if (raw === undefined) return [];
  if (raw.trim() === '') throw badRequest("The query parameter '$expand' has an empty value.");
  if (raw.trim() === '*') return [...spec.navigation];
  const expanded: R[] = [];
  for (const item of raw.split(',').map((s) => s.trim())) {
    if (item.includes('(')) throw badRequest(`Nested query options in $expand are not supported ('${item}').`);
    const match = spec.navigation.find((a) => a === item);
    if (!match) {
      if (spec.properties.some((p) => p.toLowerCase() === item.toLowerCase())) throw notExpandable(item, spec.type);
      throw unknownSelectProperty(item, spec.type);
    }
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
