/**
 * The rules use cases (docs/controls.md): add, list, read, remove, clear, for one tenant. Free
 * of HTTP so the control routes, the console and `startLongrun()` share them.
 */
import { newGuid } from '../../shared/ids.js';
import type { StoredControlRule } from '../../storage/control-rules-repository.js';
import type { Repositories } from '../../storage/store.js';
import { invalidateRequestRules } from '../faults/request-rules-cache.js';
import { validateRule } from './rule-common.js';

/** A rule as the control API shows it: `id`, the body as sent, and `hits`. */
export type WireRule = Record<string, unknown> & { id: string; type: string; hits: number };

export function toWireRule(rule: StoredControlRule): WireRule {
  return { id: rule.id, ...rule.body, type: rule.type, hits: rule.hits };
}

/** Validates and stores a rule; throws RuleValidationError naming the bad field. */
export async function addRule(store: Repositories, tenantId: string, input: unknown, now: number): Promise<WireRule> {
  const rule = validateRule(input);
  const stored = await store.controlRules.insert({
    tenantId,
    id: newGuid(),
    type: rule.type,
    body: rule.body,
    timesLeft: rule.timesLeft,
    createdAt: now,
  });
  // This node's request hook sees the change at once; other nodes within their cache period (~1 s).
  invalidateRequestRules(tenantId);
  return toWireRule(stored);
}

/** The tenant's rules in the order they are matched (oldest first), with their hits. */
export async function listRules(store: Repositories, tenantId: string): Promise<WireRule[]> {
  return (await store.controlRules.list(tenantId)).map(toWireRule);
}

export async function getRule(store: Repositories, tenantId: string, id: string): Promise<WireRule | undefined> {
  const rule = await store.controlRules.get(tenantId, id);
  return rule && toWireRule(rule);
}

/** Deletes one rule; false when the tenant has no rule with that id. */
export async function removeRule(store: Repositories, tenantId: string, id: string): Promise<boolean> {
  const removed = await store.controlRules.delete(tenantId, id);
  invalidateRequestRules(tenantId);
  return removed;
}

/** Deletes every rule of the tenant; returns how many. */
export async function clearRules(store: Repositories, tenantId: string): Promise<number> {
  const n = await store.controlRules.clear(tenantId);
  invalidateRequestRules(tenantId);
  return n;
}
