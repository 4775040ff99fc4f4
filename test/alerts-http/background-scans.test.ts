/**
 * Background scans (docs/alerts.md, "Background scans"): every tenant is scanned when it is
 * imported and then once per interval of its own time, as internal operations a client never
 * sees; only the alerts change, as Graph's own scans change them.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BackgroundScans } from '../../src/alerts/scan/background-scans.js';
import { INTERNAL_OPERATION_KINDS } from '../../src/operations/kinds.js';
import { silentLogger } from '../../src/shared/logger.js';
import { alertIdOf, buildHarness, OTHER_TENANT, ROOT, SCOPE_FILTER, TENANT, userToken, WRITE, type Harness } from '../support/alerts.js';

const HOUR = 3_600_000;
const STALE = alertIdOf('StaleSignInAlert');

describe('background alert scans', () => {
  let h: Harness;
  let scans: BackgroundScans;
  let token: string;
  beforeEach(async () => {
    h = await buildHarness();
    scans = new BackgroundScans({ store: h.store, clock: h.clock, logger: silentLogger(), intervalMs: HOUR });
    token = await userToken(h, 'pra', [WRITE]);
  });
  afterEach(() => h.close());

  const scanOperations = async (tenantId: string) =>
    h.store.operations.list({ tenantId, kind: INTERNAL_OPERATION_KINDS.alertScan, targetId: tenantId, top: 100, skip: 0 });
  const alerts = async () => (await h.request('GET', `${ROOT}/alerts?${SCOPE_FILTER}`, token)).body.value as Array<Record<string, unknown>>;

  it('imported tenants are scanned at once: lastScannedDateTime without any refresh, and no operation a client can see', async () => {
    for (const alert of await alerts()) assert.equal(alert.lastScannedDateTime, null, 'nothing scanned before the first check');

    assert.equal(await scans.queueDueOnce(), 2, 'one scan per imported tenant');
    assert.equal(await scans.queueDueOnce(), 0, 'not due again until the interval has passed');
    await h.runQueued();
    assert.equal(h.runs.get(INTERNAL_OPERATION_KINDS.alertScan), 2);

    for (const alert of await alerts()) assert.equal(alert.lastScannedDateTime, '2026-06-01T12:00:00.0000000Z', String(alert.id));
    const stale = await h.request('GET', `${ROOT}/alerts/${STALE}`, token);
    assert.equal(stale.body.incidentCount, 2);
    assert.equal(stale.body.isActive, true);

    // The scan is internal: Graph's operations do not show it, and it leaves no audit entry
    // (a refresh's "Refresh PIM alerts" is what a user asked for; a scheduled scan is not).
    const [scan] = await scanOperations(TENANT);
    assert.equal(scan?.status, 'succeeded');
    assert.equal(scan?.resourceLocation, '');
    assert.equal((await h.request('GET', `${ROOT}/operations/${scan.id}`, token)).status, 404);
    assert.deepEqual(await h.store.audit.forOperation(scan.id), []);
    assert.equal((await scanOperations(OTHER_TENANT)).length, 1);
  });

  it("due again after the interval of the tenant's time: a clock moved by the control API brings the next scan", async () => {
    await scans.queueDueOnce();
    await h.runQueued();
    h.clock.advance(HOUR - 10_000);
    assert.equal(await scans.queueDueOnce(), 0, 'an hour has not passed');

    // Only TENANT's clock moves: only TENANT is due.
    await h.store.tenantClocks.advance(TENANT, HOUR, h.clock.now());
    h.clock.advance(2_000); // past the tenant-time cache of the executor (1 s)
    assert.equal(await scans.queueDueOnce(), 1);
    assert.equal((await scanOperations(TENANT)).length, 2);
    assert.equal((await scanOperations(OTHER_TENANT)).length, 1);
    await h.runQueued();
    token = await userToken(h, 'pra', [WRITE]); // the first one expired with the tenant's hour
    const stale = await h.request('GET', `${ROOT}/alerts/${STALE}`, token);
    // Scanned at the tenant's time: real time (12:59:52) plus the tenant's hour.
    assert.equal(stale.body.lastScannedDateTime, '2026-06-01T13:59:52.0000000Z');
    // The stored incidents did not change, so lastModifiedDateTime keeps the first scan's time.
    assert.equal(stale.body.lastModifiedDateTime, '2026-06-01T12:00:00.0000000Z');
  });

  it('a scan still queued is not queued twice, however far the clock moves', async () => {
    assert.equal(await scans.queueDueOnce(), 2);
    await h.store.tenantClocks.advance(TENANT, 5 * HOUR, h.clock.now());
    assert.equal(await scans.queueDueOnce(), 0, 'the first scan has not run yet');
    await h.runQueued();
    assert.equal((await scanOperations(TENANT)).length, 1);
    assert.equal(await scans.queueDueOnce(), 0, 'the skipped check moved the next scan an interval on');
  });

  it('a re-import makes the tenant due at once again; a disabled alert is not scanned', async () => {
    const patch = await h.request('PATCH', `${ROOT}/alertConfigurations/${STALE}`, token, {
      '@odata.type': '#microsoft.graph.staleSignInAlertConfiguration',
      isEnabled: false,
    });
    assert.equal(patch.status, 204);
    await scans.queueDueOnce();
    await h.runQueued();
    const stale = await h.request('GET', `${ROOT}/alerts/${STALE}`, token);
    assert.equal(stale.body.lastScannedDateTime, null, '"isEnabled false disables PIM scanning for this alert"');
    const other = await h.request('GET', `${ROOT}/alerts/${alertIdOf('InvalidLicenseAlert')}`, token);
    assert.equal(other.body.lastScannedDateTime, '2026-06-01T12:00:00.0000000Z');

    assert.equal(await scans.queueDueOnce(), 0);
    await h.store.transaction((tx) => tx.alerts.scanSoon(TENANT));
    assert.equal(await scans.queueDueOnce(), 1);
  });
});
