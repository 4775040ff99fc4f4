import { RuleValidationError } from './rule-error.js';

/**
 * Small field readers shared by the `http` and `throttle` rule parsers: each throws a
 * RuleValidationError naming the JSON path of the bad value.
 */
export type Json = Record<string, unknown>;

export function objectAt(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RuleValidationError(field, 'must be an object');
  return value as Json;
}

/** Refuses properties the rule type does not define, so a misspelt field is not silently ignored. */
export function onlyKnown(object: Json, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) throw new RuleValidationError(prefix + key, `unknown property; expected one of ${known.join(', ')}`);
  }
}

export function integerAt(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RuleValidationError(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function stringAt(value: unknown, field: string, maxLength = 500): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    throw new RuleValidationError(field, `must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An application (client) id: a GUID, compared case-insensitively. */
export function appIdAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || !GUID.test(value)) throw new RuleValidationError(field, 'must be an application (client) id, a GUID');
  return value.toLowerCase();
}
