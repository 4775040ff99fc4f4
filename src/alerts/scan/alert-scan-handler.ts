/**
 * `alertScan`: the background scan of all alerts of one tenant (docs/alerts.md, "Background
 * scans"). It is the refresh-all's scan without what makes a refresh visible: no Graph
 * operation to poll (an internal kind), no audit entry, no resourceLocation. Only the alerts
 * change, as a scan by Graph's own schedule changes them.
 */
import type { OperationHandler } from '../../operations/handler.js';
import { INTERNAL_OPERATION_KINDS } from '../../operations/kinds.js';
import { ALERT_TYPES } from '../alert-types.js';
import { readScanInput } from './alert-scan-input.js';
import { REFRESH_MAX_ATTEMPTS, scanTenant, writeScans } from '../refresh/refresh-handlers.js';

export const alertScanHandler: OperationHandler = {
  kind: INTERNAL_OPERATION_KINDS.alertScan,
  maxAttempts: REFRESH_MAX_ATTEMPTS,
  async run(ctx) {
    const { tenantId } = readScanInput(ctx.operation.input);
    // Evaluated at the tenant's time when it runs, like a refresh (docs/controls.md).
    const now = await ctx.tenantTime.now(tenantId);
    const scans = await ctx.store.transaction((tx) => scanTenant(tx, tenantId, ALERT_TYPES, now));
    return { status: 'succeeded', apply: (tx) => writeScans(tx, tenantId, scans) };
  },
};
