/**
 * Queues alert refreshes so that concurrent requests share one run: "insert, or join the run in
 * flight, or start a new run of an ended one", decided in one transaction.
 */
import { planOperation } from '../../control/operation-plans.js';
import { OPERATION_KINDS } from '../../operations/kinds.js';
import { isTerminal } from '../../operations/model.js';
import type { OperationRecord } from '../../operations/model.js';
import { newGuid } from '../../shared/ids.js';
import type { Store } from '../../storage/store.js';
import { isUniqueViolation } from '../../storage/unique-violation.js';
import { alertId } from '../alert-types.js';
import { REFRESH_MAX_ATTEMPTS } from './refresh-handlers.js';
import type { AlertRefreshAllInput, AlertRefreshInput } from './refresh-input.js';

/** The operation a refresh request is answered with, and whether this request queued it. */
export interface QueuedRefresh {
  operation: OperationRecord;
  /** false: the request joined a run already in flight. */
  queued: boolean;
}

/** Graph's id for the refresh of one alert: `refresh:{alertId}`. */
export function refreshOperationId(tenantId: string, input: Pick<AlertRefreshInput, 'alertType'>): string {
  return `refresh:${alertId(tenantId, input.alertType)}`;
}

/**
 * Queues a refresh of one alert, or joins the one in flight. The operation id is fixed per
 * alert, so every run of it shares one row:
 * - no row: insert a new operation;
 * - a run in flight (notStarted/running): answer with it, queue nothing;
 * - the last run ended: start a new run of the same id (`restart`).
 *
 * On SQLite transactions are serialised, so the read and the write cannot interleave. On
 * PostgreSQL two transactions may both see "no row" and both insert; the loser's insert hits
 * the primary key, its transaction rolls back, and the retry finds the winner's row and joins it.
 */
export async function queueAlertRefresh(store: Store, input: AlertRefreshInput, now: number): Promise<QueuedRefresh> {
  const id = refreshOperationId(input.tenantId, input);
  const attempt = () =>
    store.transaction(async (tx): Promise<QueuedRefresh> => {
      const existing = await tx.operations.get(id);
      if (existing && !isTerminal(existing.status)) return { operation: existing, queued: false };
      // A new run (not a join) is what a control rule shapes (docs/controls.md).
      const targetId = alertId(input.tenantId, input.alertType);
      const control = await planOperation(tx, { tenantId: input.tenantId, kind: OPERATION_KINDS.alertRefresh, targets: [targetId] });
      if (!existing) {
        const operation = await tx.operations.insert(
          { id, tenantId: input.tenantId, kind: OPERATION_KINDS.alertRefresh, targetId, input, maxAttempts: REFRESH_MAX_ATTEMPTS, control },
          now,
        );
        return { operation, queued: true };
      }
      if (!isTerminal(existing.status)) return { operation: existing, queued: false };
      const restarted = await tx.operations.restart(id, input, REFRESH_MAX_ATTEMPTS, now, control);
      if (restarted) return { operation: restarted, queued: true };
      // The ended run was removed by retention after the read (docs/retention.md): start afresh
      // (a unique violation, if another request did too, retries below and joins it).
      if (!(await tx.operations.get(id))) throw new RunRemovedMeanwhile();
      // Otherwise restart refused because a run is in flight, which the read above ruled out.
      return { operation: existing, queued: false };
    });
  try {
    return await attempt();
  } catch (e) {
    if (!isUniqueViolation(e) && !(e instanceof RunRemovedMeanwhile)) throw e;
    return attempt();
  }
}

class RunRemovedMeanwhile extends Error {}

/**
 * Queues a refresh of all alerts of a tenant under a new GUID, or joins the tenant's
 * refresh-all still in flight (so a burst of requests scans once).
 */
export async function queueAlertRefreshAll(store: Store, input: AlertRefreshAllInput, now: number): Promise<QueuedRefresh> {
  return store.transaction(async (tx): Promise<QueuedRefresh> => {
    const where = { tenantId: input.tenantId, kind: OPERATION_KINDS.alertRefreshAll, targetId: input.tenantId, top: 1, skip: 0 };
    for (const status of ['notStarted', 'running'] as const) {
      const [inFlight] = await tx.operations.list({ ...where, status });
      if (inFlight) return { operation: inFlight, queued: false };
    }
    const control = await planOperation(tx, { tenantId: input.tenantId, kind: OPERATION_KINDS.alertRefreshAll, targets: [] });
    const operation = await tx.operations.insert(
      {
        id: newGuid(),
        tenantId: input.tenantId,
        kind: OPERATION_KINDS.alertRefreshAll,
        targetId: input.tenantId,
        input,
        maxAttempts: REFRESH_MAX_ATTEMPTS,
        control,
      },
      now,
    );
    return { operation, queued: true };
  });
}
