/**
 * One operation through the control API (docs/controls.md): its full record, release, fail.
 * Only the caller's tenant's operations exist here.
 */
import type { TerminalHook } from '../operations/handler.js';
import { isTerminal, type OperationRecord } from '../operations/model.js';
import type { TerminalNotifier } from '../operations/terminal-notifier.js';
import { NEVER } from '../operations/operation-plan.js';
import type { Clock } from '../shared/clock.js';
import { toGraphTimestamp } from '../shared/timestamps.js';
import type { Store } from '../storage/store.js';
import { bodyObject, onlyFields } from './control-input.js';
import { RuleValidationError } from './rules/rule-error.js';

/** Why a release or fail did nothing: the id is unknown here, or the run is past what was asked. */
export type ControlRefusal = 'notFound' | 'notWaiting' | 'terminal';

const iso = (ms: number | null) => (ms === null ? null : toGraphTimestamp(ms));

/** The full record: Graph's view plus how it is run (attempts, lease, plan, timeline events). */
export async function describeOperation(store: Store, tenantId: string, id: string): Promise<Record<string, unknown> | undefined> {
  const op = await store.operations.get(id);
  if (!op || op.tenantId !== tenantId) return undefined;
  const plan = op.control?.plan;
  const waiting = op.leaseToken === null && !isTerminal(op.status);
  const effectDueAt = await store.timelines.effectDueAt(op.id);
  return {
    id: op.id,
    kind: op.kind,
    targetId: op.targetId,
    run: op.run,
    status: op.status,
    statusDetail: op.statusDetail,
    errorCode: op.errorCode,
    resourceLocation: op.resourceLocation,
    createdDateTime: iso(op.createdAt),
    lastActionDateTime: iso(op.lastActionAt),
    finishedDateTime: iso(op.finishedAt),
    attempts: op.attempts,
    maxAttempts: op.maxAttempts,
    // Real (wall-clock) times: when this node's executors will next look at it, and who holds it.
    nextStepAt: waiting ? (op.availableAt >= NEVER ? null : new Date(op.availableAt).toISOString()) : null,
    stuck: waiting && op.availableAt >= NEVER,
    lease: op.leaseToken === null ? null : { owner: op.leaseOwner, expiresAt: new Date(op.leaseExpiresAt!).toISOString() },
    effectPendingUntil: effectDueAt === undefined ? null : new Date(effectDueAt).toISOString(),
    rule: plan
      ? {
          id: op.control!.ruleId,
          timeline: { notStartedSeconds: plan.notStartedMs / 1000, runningSeconds: plan.runningMs / 1000 },
          outcome: plan.outcome,
          effectLagSeconds: plan.effectLagMs / 1000,
        }
      : null,
    events: (await store.operations.events(op.id, op.run)).map((e) => ({
      seq: e.seq,
      at: iso(e.at),
      type: e.type,
      attempt: e.attempt,
      detail: e.detail,
    })),
  };
}

async function ownOperation(store: Store, tenantId: string, id: string): Promise<OperationRecord | undefined> {
  const op = await store.operations.get(id);
  return op && op.tenantId === tenantId ? op : undefined;
}

/** A waiting planned run goes on now (or a deferred effect applies now). */
export async function releaseOperation(store: Store, clock: Clock, tenantId: string, id: string): Promise<ControlRefusal | undefined> {
  if (!(await ownOperation(store, tenantId, id))) return 'notFound';
  const result = await store.timelines.release(tenantId, id, clock.now());
  return result === 'notWaiting' ? 'notWaiting' : undefined;
}

/** Reads `{"code","detail"}` for a fail; throws RuleValidationError naming the field. */
export function readFailure(body: unknown): { code: string; detail: string } {
  const o = bodyObject(body);
  onlyFields(o, ['code', 'detail']);
  for (const field of ['code', 'detail'] as const) {
    const v = o[field];
    if (typeof v !== 'string' || v.trim() === '' || v.length > 1000) {
      throw new RuleValidationError(field, `must be a non-empty string (at most 1000 characters), got ${JSON.stringify(v)}`);
    }
  }
  return { code: o.code as string, detail: o.detail as string };
}

/** What every terminal write owes the rest of the service: its hooks in the transaction, then the notifier. */
export interface TerminalDuties {
  hooks: readonly TerminalHook[];
  notifier?: TerminalNotifier | undefined;
}

/**
 * A non-terminal run fails now with this code and statusDetail; no effect applies. Like the
 * executor's own terminal writes, the terminal hooks (subscription deliveries) commit with the
 * status, and waiting requests (`Prefer: wait`) hear of it after the commit.
 */
export async function failOperation(
  store: Store,
  clock: Clock,
  tenantId: string,
  id: string,
  failure: { code: string; detail: string },
  duties: TerminalDuties = { hooks: [] },
): Promise<ControlRefusal | undefined> {
  if (!(await ownOperation(store, tenantId, id))) return 'notFound';
  const failed = await store.transaction(async (tx) => {
    if (!(await tx.timelines.failNow(tenantId, id, failure.code, failure.detail, clock.now()))) return false;
    const ended = await tx.operations.get(id);
    if (ended) for (const hook of duties.hooks) await hook(tx, ended);
    return true;
  });
  if (failed) duties.notifier?.notifyTerminal(id);
  return failed ? undefined : 'terminal';
}
