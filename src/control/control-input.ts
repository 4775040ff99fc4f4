import { RuleValidationError } from './rules/rule-error.js';

/** A request body of the control API as an object, or a RuleValidationError naming it. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RuleValidationError('(body)', 'must be a JSON object');
  return body as Record<string, unknown>;
}

/** Refuses fields the endpoint does not know (a likely typo), naming the first. */
export function onlyFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new RuleValidationError(key, `is not a field of this request; expected ${allowed.join(', ')}`);
  }
}
