import type { ControlRuleType } from '../../storage/control-rules-repository.js';
import { RuleValidationError } from './rule-error.js';
import { RULE_PARSERS } from './rule-parsers.js';

export const RULE_TYPES: readonly ControlRuleType[] = ['operation', 'http', 'throttle'];

/** A rule body that passed validation: what is stored (the body as sent, without id and hits). */
export interface ValidRule {
  type: ControlRuleType;
  /** `times` as sent; null: the rule applies until deleted. */
  timesLeft: number | null;
  body: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a rule as a client (or a fixture) sends it: the common fields here, the rest by the
 * type's parser. Throws RuleValidationError naming the bad field (`times`, `timeline.runningSeconds`).
 */
export function validateRule(input: unknown): ValidRule {
  if (!isObject(input)) throw new RuleValidationError('(body)', 'must be a JSON object describing a rule');
  if ('id' in input || 'hits' in input) {
    throw new RuleValidationError('id' in input ? 'id' : 'hits', 'is assigned by Longrun; leave it out');
  }
  const type = input.type;
  if (type === undefined) throw new RuleValidationError('type', `is required: one of ${RULE_TYPES.join(', ')}`);
  if (typeof type !== 'string' || !(RULE_TYPES as readonly string[]).includes(type)) {
    throw new RuleValidationError('type', `must be one of ${RULE_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  }
  const times = input.times;
  if (times !== undefined && (typeof times !== 'number' || !Number.isSafeInteger(times) || times < 1)) {
    throw new RuleValidationError('times', `must be a positive whole number (omit it for "until deleted"), got ${JSON.stringify(times)}`);
  }
  const body = RULE_PARSERS[type as ControlRuleType](input);
  return {
    type: type as ControlRuleType,
    timesLeft: times === undefined ? null : times,
    body: { ...body, type, ...(times === undefined ? {} : { times }) },
  };
}
