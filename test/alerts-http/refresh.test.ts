/** Refreshing alerts through the executor, end to end over HTTP. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  alertIdOf,
  buildHarness,
  PUBLIC_URL,
  ROOT,
  STALE_OUTSIDE_PIM,
  STALE_VIA_PIM,
  USERS,
  userToken,
  WRITE,
  type Harness,
} from '../support/alerts.js';

const STALE = alertIdOf('StaleSignInAlert');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('alert refresh', () => {
  let h: Harness;
  let token: string;
  beforeEach(async () => {
    h = await buildHarness();
    token = await userToken(h, 'pra', [WRITE]);
  });
  afterEach(() => h.close());

  it('202 with Location (as Graph: no Operation-Location), runs, and the operation leads to the refreshed alert', async () => {
    const before = await h.request('GET', `${ROOT}/alerts/${STALE}`, token);
    assert.equal(before.body.incidentCount, 0);

    const res = await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token);
    assert.equal(res.status, 202);
    const location = `${PUBLIC_URL}${ROOT}/operations/refresh:${STALE}`;
    assert.equal(res.headers.location, location);
    assert.equal(res.headers['operation-location'], undefined, 'Graph sends no Operation-Location (extension azure-lro)');
    assert.match(String(res.headers['retry-after']), /^\d+$/);

    const pending = await h.request('GET', `${ROOT}/operations/refresh:${STALE}`, token);
    assert.equal(pending.body.status, 'notStarted');
    assert.equal(pending.body.resourceLocation, '');

    await h.runQueued();
    const op = await h.request('GET', `${ROOT}/operations/refresh:${STALE}`, token);
    assert.equal(op.body.status, 'succeeded');
    assert.equal(op.body.resourceLocation, `${PUBLIC_URL}${ROOT}/alerts/${STALE}`);

    const alert = await h.request('GET', new URL(op.body.resourceLocation).pathname + '?$expand=alertIncidents', token);
    assert.equal(alert.status, 200);
    assert.equal(alert.body.id, STALE);
    assert.equal(alert.body.isActive, true);
    assert.equal(alert.body.incidentCount, 2);
    // Both of the stale user's active privileged assignments, sorted by id.
    assert.deepEqual(
      alert.body.alertIncidents.map((i: { id: string; assigneeId: string }) => [i.id, i.assigneeId]),
      [STALE_OUTSIDE_PIM, STALE_VIA_PIM].sort().map((id) => [id, USERS.stale.id]),
    );
    assert.equal(alert.body.lastScannedDateTime, '2026-06-01T12:00:00.0000000Z');
    assert.equal(alert.body.lastModifiedDateTime, '2026-06-01T12:00:00.0000000Z');
  });

  it('20 simultaneous refreshes of one alert share one operation and one evaluation', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token)));
    assert.deepEqual(new Set(responses.map((r) => r.status)), new Set([202]));
    assert.equal(new Set(responses.map((r) => r.headers.location)).size, 1);
    await h.runQueued();
    assert.equal(h.runs.get('alertRefresh'), 1);
    const op = await h.store.operations.get(`refresh:${STALE}`);
    assert.equal(op?.run, 1);
    assert.equal(op?.status, 'succeeded');
  });

  it('a refresh after the previous one ended starts a new run of the same id', async () => {
    await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token);
    await h.runQueued();
    h.clock.advance(60_000);
    const again = await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token);
    assert.equal(again.status, 202);
    const op = await h.store.operations.get(`refresh:${STALE}`);
    assert.equal(op?.run, 2);
    assert.equal(op?.status, 'notStarted');
    await h.runQueued();
    assert.equal(h.runs.get('alertRefresh'), 2);
    const alert = await h.request('GET', `${ROOT}/alerts/${STALE}`, token);
    assert.equal(alert.body.lastScannedDateTime, '2026-06-01T12:01:00.0000000Z');
    // Same incidents as the first scan: lastModified stays at the first scan.
    assert.equal(alert.body.lastModifiedDateTime, '2026-06-01T12:00:00.0000000Z');
  });

  it('a refresh reactivates a dismissed alert that still has incidents', async () => {
    await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token);
    await h.runQueued();
    const dismissed = await h.request('PATCH', `${ROOT}/alerts/${STALE}`, token, { isActive: false });
    assert.equal(dismissed.status, 204);
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, token)).body.isActive, false);
    h.clock.advance(1000);
    await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token);
    await h.runQueued();
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, token)).body.isActive, true);
  });

  it('a disabled alert is not scanned: succeeded with a statusDetail saying so', async () => {
    const patch = await h.request('PATCH', `${ROOT}/alertConfigurations/${STALE}`, token, {
      '@odata.type': '#microsoft.graph.staleSignInAlertConfiguration',
      isEnabled: false,
    });
    assert.equal(patch.status, 204);
    await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token);
    await h.runQueued();
    const op = await h.request('GET', `${ROOT}/operations/refresh:${STALE}`, token);
    assert.equal(op.body.status, 'succeeded');
    assert.match(op.body.statusDetail, /isEnabled false/);
    assert.ok(op.body.statusDetail.includes(STALE));
    const alert = await h.request('GET', `${ROOT}/alerts/${STALE}`, token);
    assert.equal(alert.body.incidentCount, 0);
    assert.equal(alert.body.lastScannedDateTime, null);
  });

  it('refresh-all: a GUID operation that scans every enabled alert and points at the collection', async () => {
    const res = await h.request('POST', `${ROOT}/alerts/refresh`, token, { scopeId: '/', scopeType: 'DirectoryRole' });
    assert.equal(res.status, 202);
    const id = String(res.headers.location).split('/operations/')[1]!;
    assert.match(id, GUID);
    await h.runQueued();
    const op = await h.request('GET', `${ROOT}/operations/${id}`, token);
    assert.equal(op.body.status, 'succeeded');
    assert.equal(
      op.body.resourceLocation,
      `${PUBLIC_URL}${ROOT}/alerts?$filter=${encodeURIComponent("scopeId eq '/' and scopeType eq 'DirectoryRole'")}`,
    );
    const list = await h.request('GET', `${ROOT}/alerts?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'`, token);
    const counts = Object.fromEntries(list.body.value.map((a: { id: string; incidentCount: number }) => [a.id, a.incidentCount]));
    assert.equal(counts[alertIdOf('InvalidLicenseAlert')], 1);
    assert.equal(counts[alertIdOf('RolesAssignedOutsidePimAlert')], 1);
    assert.equal(counts[STALE], 2);
    assert.equal(counts[alertIdOf('TooManyGlobalAdminsAssignedToTenantAlert')], 0);
    for (const alert of list.body.value) assert.equal(alert.lastScannedDateTime, '2026-06-01T12:00:00.0000000Z');
  });

  it('refresh-all refuses any other body with a 400 that names the expected one', async () => {
    for (const body of [{ scopeId: '/', scopeType: 'AzureResource' }, { scopeId: '/x', scopeType: 'DirectoryRole' }, {}]) {
      const res = await h.request('POST', `${ROOT}/alerts/refresh`, token, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'BadRequest');
      assert.match(res.body.error.message, /\{"scopeId":"\/","scopeType":"DirectoryRole"\}/);
    }
    assert.equal((await h.store.operations.statistics(h.clock.now())).queueDepth, 0);
  });

  it('refreshing an unknown alert or one of another tenant is 404 and queues nothing', async () => {
    for (const id of [alertIdOf('NoSuchAlert'), alertIdOf('StaleSignInAlert', 'b2e7b2e7-0000-4000-8000-000000000002')]) {
      const res = await h.request('POST', `${ROOT}/alerts/${id}/refresh`, token);
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'itemNotFound');
    }
    assert.equal((await h.store.operations.statistics(h.clock.now())).queueDepth, 0);
  });
});

describe('alert refresh in the China cloud', () => {
  it('is not available: 400 for the refresh segment, nothing queued; reads still work', async () => {
    const h = await buildHarness({ cloud: 'china' });
    try {
      const token = await userToken(h, 'pra', [WRITE]);
      const one = await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token);
      assert.equal(one.status, 400);
      assert.equal(one.body.error.message, "Resource not found for the segment 'refresh'.");
      const all = await h.request('POST', `${ROOT}/alerts/refresh`, token, { scopeId: '/', scopeType: 'DirectoryRole' });
      assert.equal(all.status, 400);
      assert.equal((await h.store.operations.statistics(h.clock.now())).queueDepth, 0);
      assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, token)).status, 200);
    } finally {
      await h.close();
    }
  });
});
