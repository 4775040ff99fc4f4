/**
 * The two refresh operations. Each reads the tenant's directory, configurations and previous
 * alert state in one transaction (a consistent snapshot), evaluates the alerts purely, and
 * hands the executor an `apply` that writes the new state and incidents in the same
 * transaction as the terminal status: a client that sees `succeeded` sees the new alert.
 */
import { alertConfigurations, alertState } from '../alert-records.js';
import type { ApplyEffect, HandlerContext, HandlerOutcome, OperationHandler } from '../../operations/handler.js';
import { PermanentOperationError } from '../../operations/handler.js';
import { OPERATION_KINDS } from '../../operations/kinds.js';
import type { Repositories } from '../../storage/store.js';
import { ALERT_TYPES, alertId } from '../alert-types.js';
import type { AlertType } from '../alert-types.js';
import { scanScope } from '../evaluators/directory-facts.js';
import { scanAlert } from './alert-scan.js';
import type { AlertScan } from './alert-scan.js';
import { readRefreshAllInput, readRefreshInput } from './refresh-input.js';

/** Attempts per run: scans are idempotent, so transient storage errors are simply retried. */
export const REFRESH_MAX_ATTEMPTS = 5;

export interface TypedScan {
  alertType: AlertType;
  scan: AlertScan;
}

/** Scans `types` of one tenant from one consistent read. */
export async function scanTenant(tx: Repositories, tenantId: string, types: readonly AlertType[], now: number): Promise<TypedScan[]> {
  const snapshot = await tx.directory.snapshot(tenantId, scanScope(now));
  if (!snapshot) throw new PermanentOperationError('tenantNotFound', `The tenant '${tenantId}' no longer exists.`);
  const configurations = await alertConfigurations(tx.alerts, tenantId);
  const scans: TypedScan[] = [];
  for (const alertType of types) {
    const configuration = configurations.find((c) => c.alertType === alertType);
    if (!configuration) throw new Error(`no configuration for ${alertType}`);
    const previous = {
      state: await alertState(tx.alerts, tenantId, alertType),
      incidentBodies: await tx.alerts.incidentBodies(tenantId, alertType),
    };
    scans.push({ alertType, scan: scanAlert(snapshot, configuration, previous, now) });
  }
  return scans;
}

/**
 * Writes every scanned alert (skipped ones stay exactly as they were) and one audit entry per
 * run, so each run's effect is visible, and countable, exactly once.
 */
function applyScans(tenantId: string, scans: readonly TypedScan[], ctx: HandlerContext, now: number): ApplyEffect {
  return async (tx) => {
    const scanned = scans.filter((s) => s.scan.kind !== 'skipped').map((s) => alertId(tenantId, s.alertType));
    await tx.audit.record(tenantId, {
      at: now,
      activity: 'Refresh PIM alerts',
      targetId: scanned.join(',') || tenantId,
      operationId: ctx.operation.id,
      initiatedBy: '',
    });
    await writeScans(tx, tenantId, scans);
  };
}

/** Stores what the scans found (the refresh's and the background scan's common effect). */
export async function writeScans(tx: Repositories, tenantId: string, scans: readonly TypedScan[]): Promise<void> {
  for (const { alertType, scan } of scans) {
    if (scan.kind === 'skipped') continue;
    await tx.alerts.saveState(tenantId, scan.state);
    // Always rewritten, even when unchanged: another refresh may have committed in between,
    // and the stored incidents must match the incidentCount written just above.
    await tx.alerts.replaceIncidents(tenantId, alertType, scan.incidents);
  }
}

/** Why nothing was scanned, in words a client polling the operation can act on. */
function disabledDetail(tenantId: string, types: readonly AlertType[]): string {
  const ids = types.map((t) => alertId(tenantId, t)).join(', ');
  return `Not scanned because its alertConfiguration has isEnabled false (the alert is unchanged): ${ids}.`;
}

/**
 * Scans `types` now and describes the outcome: always `succeeded` (disabled alerts are named in
 * statusDetail), with the writes deferred to `apply`.
 */
async function refresh(
  ctx: HandlerContext,
  tenantId: string,
  types: readonly AlertType[],
  resourceLocation: string,
): Promise<HandlerOutcome> {
  // Alerts are evaluated at the tenant's time, which the control API can move (docs/controls.md).
  const now = await ctx.tenantTime.now(tenantId);
  const scans = await ctx.store.transaction((tx) => scanTenant(tx, tenantId, types, now));
  const skipped = scans.filter((s) => s.scan.kind === 'skipped').map((s) => s.alertType);
  return {
    status: 'succeeded',
    resourceLocation,
    statusDetail: skipped.length > 0 ? disabledDetail(tenantId, skipped) : '',
    apply: applyScans(tenantId, scans, ctx, now),
  };
}

/**
 * `alertRefresh`: scans one alert. A disabled alert is not scanned; the operation still ends
 * `succeeded` (the request did what a disabled alert allows) with a statusDetail saying so.
 */
export const alertRefreshHandler: OperationHandler = {
  kind: OPERATION_KINDS.alertRefresh,
  maxAttempts: REFRESH_MAX_ATTEMPTS,
  run(ctx) {
    const input = readRefreshInput(ctx.operation.input);
    return refresh(ctx, input.tenantId, [input.alertType], input.resourceLocation);
  },
};

/**
 * `alertRefreshAll`: scans the seven alerts of a tenant in one operation, skipping the disabled
 * ones (named in statusDetail). Its resourceLocation is the alerts collection.
 */
export const alertRefreshAllHandler: OperationHandler = {
  kind: OPERATION_KINDS.alertRefreshAll,
  maxAttempts: REFRESH_MAX_ATTEMPTS,
  run(ctx) {
    const input = readRefreshAllInput(ctx.operation.input);
    return refresh(ctx, input.tenantId, ALERT_TYPES, input.resourceLocation);
  },
};
