/**
 * Adds control rules for tests. Until the control API's rule endpoints (POST /_longrun/v1/rules)
 * are on this branch, a rule is validated with the same parser and inserted through
 * `store.controlRules.insert`; this node's request hooks are told at once. After the merge this
 * is the one place to switch to the HTTP API.
 */
import { randomUUID } from 'node:crypto';
import { invalidateRequestRules } from '../../../src/control/faults/request-rules-cache.js';
import { RULE_PARSERS } from '../../../src/control/rules/rule-parsers.js';
import type { ControlRuleType, StoredControlRule } from '../../../src/storage/control-rules-repository.js';
import type { Store } from '../../../src/storage/store.js';

let sequence = 0;

export async function addRule(store: Store, tenantId: string, body: Record<string, unknown>): Promise<StoredControlRule> {
  const type = body.type as ControlRuleType;
  const parse = RULE_PARSERS[type];
  if (!parse) throw new Error(`unknown rule type ${String(body.type)}`);
  parse(body);
  const times = body.times === undefined ? null : Number(body.times);
  // Strictly increasing creation times keep the matching order the order of the test's calls.
  const createdAt = Date.now() + sequence++;
  const rule = await store.controlRules.insert({ tenantId, id: randomUUID(), type, body, timesLeft: times, createdAt });
  invalidateRequestRules(tenantId);
  return rule;
}

export async function hitsOf(store: Store, tenantId: string, ruleId: string): Promise<number> {
  const rule = await store.controlRules.get(tenantId, ruleId);
  if (!rule) throw new Error(`rule ${ruleId} is gone`);
  return rule.hits;
}

export async function clearRules(store: Store, tenantId: string): Promise<void> {
  await store.controlRules.clear(tenantId);
  invalidateRequestRules(tenantId);
}
