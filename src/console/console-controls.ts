/**
 * The console's Controls view, server side (docs/console.md): thin functions over
 * `store.controlRules`. They will delegate to the control API's use cases in src/control/
 * (addRule, listRules, removeRule, clearRules, releaseOperation, failOperation) once those are
 * merged; until then rules are validated here with the same parsers (RULE_PARSERS) and the
 * common fields `type` and `times` are checked the same way the API documents them.
 */
import { randomUUID } from 'node:crypto';
import { invalidateRequestRules } from '../control/faults/request-rules-cache.js';
import { RuleValidationError } from '../control/rules/rule-error.js';
import { RULE_PARSERS } from '../control/rules/rule-parsers.js';
import { notImplemented } from '../graph/errors.js';
import type { ControlRuleType, StoredControlRule } from '../storage/control-rules-repository.js';
import type { Store } from '../storage/store.js';

/** A rule as the console shows it: the stored body plus its id and counters. */
export interface ConsoleRule {
  id: string;
  type: ControlRuleType;
  rule: Record<string, unknown>;
  timesLeft: number | null;
  hits: number;
  createdAt: number;
}

const MAX_TIMES = 1_000_000;

const toConsoleRule = (r: StoredControlRule): ConsoleRule => ({ id: r.id, type: r.type, rule: r.body, timesLeft: r.timesLeft, hits: r.hits, createdAt: r.createdAt });

export async function listRules(store: Store, tenantId: string): Promise<ConsoleRule[]> {
  return (await store.controlRules.list(tenantId)).map(toConsoleRule);
}

/** Validates and stores a rule; throws RuleValidationError naming the bad field. */
export async function addRule(store: Store, tenantId: string, body: unknown, now: number): Promise<ConsoleRule> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RuleValidationError('rule', 'must be a JSON object');
  const rule = body as Record<string, unknown>;
  const types = Object.keys(RULE_PARSERS);
  if (!types.includes(rule.type as string)) throw new RuleValidationError('type', `must be one of ${types.join(', ')}`);
  if (rule.times !== undefined && (typeof rule.times !== 'number' || !Number.isInteger(rule.times) || rule.times < 1 || rule.times > MAX_TIMES)) {
    throw new RuleValidationError('times', `must be an integer from 1 to ${MAX_TIMES}`);
  }
  const type = rule.type as ControlRuleType;
  RULE_PARSERS[type](rule);
  const stored = await store.controlRules.insert({ tenantId, id: randomUUID(), type, body: rule, timesLeft: (rule.times as number | undefined) ?? null, createdAt: now });
  invalidateRequestRules(tenantId);
  return toConsoleRule(stored);
}

export async function removeRule(store: Store, tenantId: string, id: string): Promise<boolean> {
  const removed = await store.controlRules.delete(tenantId, id);
  invalidateRequestRules(tenantId);
  return removed;
}

export async function clearRules(store: Store, tenantId: string): Promise<number> {
  const n = await store.controlRules.clear(tenantId);
  invalidateRequestRules(tenantId);
  return n;
}

/** Release a stuck or waiting operation: the control API's use case is not on this branch yet. */
export async function releaseOperation(): Promise<never> {
  throw notImplemented('Releasing an operation needs the control API (POST /_longrun/v1/operations/{id}/release), which this build does not include yet.');
}

/** Fail a non-terminal operation: the control API's use case is not on this branch yet. */
export async function failOperation(): Promise<never> {
  throw notImplemented('Failing an operation needs the control API (POST /_longrun/v1/operations/{id}/fail), which this build does not include yet.');
}
