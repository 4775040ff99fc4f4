/**
 * `$filter` for the alert collections. Graph requires the scope on the alert, definition and
 * configuration lists (`scopeId eq '/' and scopeType eq 'DirectoryRole'`); besides it, Longrun
 * accepts what is cheap to honour exactly: `and`-joined `eq`/`ne` comparisons of a property
 * with a string, boolean or integer literal. Everything else is a 400 saying what is expected.
 */
import { ALERT_SCOPE_ID, ALERT_SCOPE_TYPE } from '../../../alerts/alert-types.js';
import { badRequest } from '../../errors.js';
import { queryOption } from '../../odata/list-options.js';

/** Keeps an entity (in wire form) or not. */
export type EntityFilter = (entity: Record<string, unknown>) => boolean;

type Literal = string | number | boolean;

interface Comparison {
  property: string;
  operator: 'eq' | 'ne';
  value: Literal;
}

/** The filter the scoped lists need, quoted in every error about it. */
export const REQUIRED_SCOPE_FILTER = `scopeId eq '${ALERT_SCOPE_ID}' and scopeType eq '${ALERT_SCOPE_TYPE}'`;

const CLAUSE = /\s*([A-Za-z][A-Za-z0-9]*)\s+(eq|ne)\s+('(?:[^']|'')*'|true|false|-?\d+)\s*/y;
const AND = /and(?=\s)/y;

/** Parses `$filter` into comparisons; throws 400 on anything outside the supported grammar. */
function parseComparisons(filter: string, allowed: readonly string[]): Comparison[] {
  const comparisons: Comparison[] = [];
  let at = 0;
  for (;;) {
    CLAUSE.lastIndex = at;
    const m = CLAUSE.exec(filter);
    if (!m) {
      throw badRequest(
        `Invalid filter clause at position ${at} in '${filter}': only comparisons 'property eq|ne literal' joined by 'and' are supported.`,
      );
    }
    const [, property, operator, literal] = m as unknown as [string, string, 'eq' | 'ne', string];
    if (!allowed.includes(property)) {
      throw badRequest(`Invalid filter clause: '${property}' cannot be filtered on here (supported: ${allowed.join(', ')}).`);
    }
    comparisons.push({ property, operator, value: parseLiteral(literal) });
    at = CLAUSE.lastIndex;
    if (at === filter.length) return comparisons;
    AND.lastIndex = at;
    if (!AND.exec(filter)) {
      throw badRequest(`Invalid filter clause at position ${at} in '${filter}': expected 'and' between comparisons.`);
    }
    at = AND.lastIndex;
  }
}

function parseLiteral(text: string): Literal {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.startsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return Number(text);
}

const isScopeClause = (c: Comparison): boolean => c.property === 'scopeId' || c.property === 'scopeType';

/**
 * Reads `$filter` for a collection. With `requireScope`, the filter must contain exactly the
 * scope comparisons Graph requires (any order, possibly with further comparisons); the
 * returned predicate applies the remaining comparisons.
 */
export function parseAlertFilter(
  query: Record<string, unknown>,
  allowed: readonly string[],
  options: { requireScope: boolean },
): EntityFilter {
  const filter = queryOption(query, 'filter');
  const comparisons = filter === undefined ? [] : parseComparisons(filter, allowed);
  if (options.requireScope) {
    const scope = comparisons.filter(isScopeClause);
    const scopeOk =
      scope.length === 2 &&
      scope.some((c) => c.property === 'scopeId' && c.operator === 'eq' && c.value === ALERT_SCOPE_ID) &&
      scope.some((c) => c.property === 'scopeType' && c.operator === 'eq' && c.value === ALERT_SCOPE_TYPE);
    if (!scopeOk) {
      throw badRequest(
        `This collection must be filtered on its scope: $filter=${REQUIRED_SCOPE_FILTER} (the only scope supported is the tenant, '${ALERT_SCOPE_ID}', for '${ALERT_SCOPE_TYPE}').`,
      );
    }
  }
  const rest = options.requireScope ? comparisons.filter((c) => !isScopeClause(c)) : comparisons;
  return (entity) =>
    rest.every((c) => {
      const equal = entity[c.property] === c.value;
      return c.operator === 'eq' ? equal : !equal;
    });
}
