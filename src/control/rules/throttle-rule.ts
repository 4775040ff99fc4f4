import { RuleValidationError } from './rule-error.js';

/** A `throttle` rule as stored (docs/controls.md). Placeholder until the rule type is built. */
export type ThrottleRule = Record<string, unknown>;

/** Validates a `throttle` rule body; throws RuleValidationError naming the bad field. */
export function parseThrottleRule(body: Record<string, unknown>): ThrottleRule {
  void body;
  throw new RuleValidationError('type', "rules of type 'throttle' are not supported yet");
}
