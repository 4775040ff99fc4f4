/**
 * The console's Controls view, server side (docs/console.md): thin functions over
 * `store.controlRules`, with the names, signatures and answers of the control API's use cases
 * in src/control/ (addRule, listRules, removeRule, clearRules, releaseOperation,
 * failOperation). They will delegate to those use cases after the merge; until then rules are
 * validated here with the same parsers (RULE_PARSERS) and the common fields `type` and `times`.
 */
import { randomUUID } from 'node:crypto';
import { invalidateRequestRules } from '../control/faults/request-rules-cache.js';
import { RuleValidationError } from '../control/rules/rule-error.js';
import { RULE_PARSERS } from '../control/rules/rule-parsers.js';
import { notImplemented } from '../graph/errors.js';
import type { ControlRuleType, StoredControlRule } from '../storage/control-rules-repository.js';
import type { Store } from '../storage/store.js';

/** A rule as the control API shows it: `id`, the body as stored (with `type`, `times`), and `hits`. */
export type WireRule = Record<string, unknown> & { id: string; type: string; hits: number };

const MAX_TIMES = 1_000_000;

const toWireRule = (r: StoredControlRule): WireRule => ({ id: r.id, ...r.body, type: r.type, hits: r.hits });

/** The tenant's rules in the order they are matched (oldest first), with their hits. */
export async function listRules(store: Store, tenantId: string): Promise<WireRule[]> {
  return (await store.controlRules.list(tenantId)).map(toWireRule);
}

/** Validates and stores a rule; throws RuleValidationError naming the bad field. */
export async function addRule(store: Store, tenantId: string, input: unknown, now: number): Promise<WireRule> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RuleValidationError('(body)', 'must be a JSON object describing a rule');
  const rule = input as Record<string, unknown>;
  const types = Object.keys(RULE_PARSERS);
  if (!types.includes(rule.type as string)) throw new RuleValidationError('type', `must be one of ${types.join(', ')}`);
  if (rule.times !== undefined && (typeof rule.times !== 'number' || !Number.isInteger(rule.times) || rule.times < 1 || rule.times > MAX_TIMES)) {
    throw new RuleValidationError('times', `must be an integer from 1 to ${MAX_TIMES}`);
  }
  const type = rule.type as ControlRuleType;
  const body = RULE_PARSERS[type](rule);
  const timesLeft = (rule.times as number | undefined) ?? null;
  const stored = await store.controlRules.insert({ tenantId, id: randomUUID(), type, body, timesLeft, createdAt: now });
  invalidateRequestRules(tenantId);
  return toWireRule(stored);
}

/** Deletes one rule; false when the tenant has no rule with that id. */
export async function removeRule(store: Store, tenantId: string, id: string): Promise<boolean> {
  const removed = await store.controlRules.delete(tenantId, id);
  invalidateRequestRules(tenantId);
  return removed;
}

/** Deletes every rule of the tenant; returns how many. */
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
