import { RuleValidationError } from './rule-error.js';

/** A `operation` rule as stored (docs/controls.md). Placeholder until the rule type is built. */
export type OperationRule = Record<string, unknown>;

/** Validates a `operation` rule body; throws RuleValidationError naming the bad field. */
export function parseOperationRule(body: Record<string, unknown>): OperationRule {
  void body;
  throw new RuleValidationError('type', "rules of type 'operation' are not supported yet");
}
