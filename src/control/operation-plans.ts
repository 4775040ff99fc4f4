/**
 * Which `operation` rule shapes an operation being started (docs/controls.md): the tenant's
 * rules in the order they were added, the first whose kind and target match and that still
 * applies (`times`). The hit is taken in the caller's transaction, the one that inserts the
 * operation, so a rolled-back start uses no `times`, and `times` holds across nodes.
 */
import type { OperationControl, OperationPlan } from '../operations/operation-plan.js';
import type { Repositories } from '../storage/store.js';
import { readOperationRule, type OperationRule } from './rules/operation-rule.js';

export interface OperationStart {
  tenantId: string;
  kind: string;
  /** What a rule's `match.target` may name: the user's id and UPN, or the alert id. */
  targets: readonly string[];
}

export function planOf(rule: OperationRule): OperationPlan {
  const ms = (seconds: number) => Math.round(seconds * 1000);
  return {
    notStartedMs: ms(rule.timeline.notStartedSeconds),
    runningMs: ms(rule.timeline.runningSeconds),
    outcome: rule.outcome,
    effectLagMs: ms(rule.effectLagSeconds),
  };
}

/** The plan for an operation being started in `tx`, taking the matching rule's hit; undefined: no rule applies. */
export async function planOperation(tx: Repositories, start: OperationStart): Promise<OperationControl | undefined> {
  const rules = await tx.controlRules.list(start.tenantId, 'operation');
  const targets = start.targets.map((t) => t.toLowerCase());
  for (const stored of rules) {
    if (stored.timesLeft === 0) continue;
    let rule: OperationRule;
    try {
      rule = readOperationRule(stored.body);
    } catch {
      continue; // validated when stored; a body that no longer reads never matches
    }
    if (rule.match.kind !== start.kind) continue;
    if (rule.match.target !== undefined && !targets.includes(rule.match.target.toLowerCase())) continue;
    // Another start (on any node) may have used the last `times` since the list was read.
    if (await tx.controlRules.takeHit(start.tenantId, stored.id)) return { ruleId: stored.id, plan: planOf(rule) };
  }
  return undefined;
}
