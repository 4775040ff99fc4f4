import { RuleValidationError } from './rule-error.js';

/** A `http` rule as stored (docs/controls.md). Placeholder until the rule type is built. */
export type HttpRule = Record<string, unknown>;

/** Validates a `http` rule body; throws RuleValidationError naming the bad field. */
export function parseHttpRule(body: Record<string, unknown>): HttpRule {
  void body;
  throw new RuleValidationError('type', "rules of type 'http' are not supported yet");
}
