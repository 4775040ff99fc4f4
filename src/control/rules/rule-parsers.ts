import type { ControlRuleType } from '../../storage/control-rules-repository.js';
import { parseHttpRule } from './http-rule.js';
import { parseOperationRule } from './operation-rule.js';
import { parseThrottleRule } from './throttle-rule.js';

/** One validator per rule type; each throws RuleValidationError naming the bad field. */
export const RULE_PARSERS: Record<ControlRuleType, (body: Record<string, unknown>) => Record<string, unknown>> = {
  operation: parseOperationRule,
  http: parseHttpRule,
  throttle: parseThrottleRule,
};
