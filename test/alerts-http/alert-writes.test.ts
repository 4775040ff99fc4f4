/** Updating alerts and configurations, remediating incidents, and who may do what. */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  alertIdOf,
  buildHarness,
  READ,
  ROOT,
  STALE_OUTSIDE_PIM,
  TENANT,
  USERS,
  userToken,
  WRITE,
  type Harness,
} from '../support/alerts.js';

const STALE = alertIdOf('StaleSignInAlert');
const OUTSIDE_PIM = alertIdOf('RolesAssignedOutsidePimAlert');
const TOO_MANY = alertIdOf('TooManyGlobalAdminsAssignedToTenantAlert');

describe('alert writes', () => {
  let h: Harness;
  let writer: string;
  beforeEach(async () => {
    h = await buildHarness();
    writer = await userToken(h, 'pra', [WRITE]);
  });
  afterEach(() => h.close());

  const refreshAll = async () => {
    const res = await h.request('POST', `${ROOT}/alerts/refresh`, writer, { scopeId: '/', scopeType: 'DirectoryRole' });
    assert.equal(res.status, 202);
    await h.runQueued();
  };

  it('PATCH alert: false dismisses, true re-enables, anything else is 400', async () => {
    assert.equal((await h.request('PATCH', `${ROOT}/alerts/${STALE}`, writer, { isActive: true })).status, 204);
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, writer)).body.isActive, true);
    assert.equal((await h.request('PATCH', `${ROOT}/alerts/${STALE}`, writer, { isActive: false })).status, 204);
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, writer)).body.isActive, false);
    for (const body of [{ isActive: 'false' }, { incidentCount: 3 }, {}, [true]]) {
      const res = await h.request('PATCH', `${ROOT}/alerts/${STALE}`, writer, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error.message, /isActive/);
    }
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, writer)).body.isActive, false);
  });

  it('PATCH configuration: 204 and the new values are served', async () => {
    const res = await h.request('PATCH', `${ROOT}/alertConfigurations/${TOO_MANY}`, writer, {
      '@odata.type': '#microsoft.graph.tooManyGlobalAdminsAssignedToTenantAlertConfiguration',
      globalAdminCountThreshold: 7,
      percentageOfGlobalAdminsOutOfRolesThreshold: 70,
    });
    assert.equal(res.status, 204);
    const after = await h.request('GET', `${ROOT}/alertConfigurations/${TOO_MANY}`, writer);
    assert.equal(after.body.globalAdminCountThreshold, 7);
    assert.equal(after.body.percentageOfGlobalAdminsOutOfRolesThreshold, 70);
    // "Set when the configuration is updated": the alert's lastModified leaves the zero date.
    assert.equal((await h.request('GET', `${ROOT}/alerts/${TOO_MANY}`, writer)).body.lastModifiedDateTime, '2026-06-01T12:00:00.0000000Z');
  });

  it('PATCH configuration with a wrong @odata.type or a wrongly typed value: 400, nothing changed', async () => {
    const before = await h.request('GET', `${ROOT}/alertConfigurations/${STALE}`, writer);
    const bodies = [
      { '@odata.type': '#microsoft.graph.redundantAssignmentAlertConfiguration', isEnabled: false },
      { isEnabled: false, duration: 'P10D' },
      { '@odata.type': '#microsoft.graph.staleSignInAlertConfiguration', isEnabled: false, duration: 10 },
      { '@odata.type': '#microsoft.graph.staleSignInAlertConfiguration', isEnabled: 5 },
    ];
    for (const body of bodies) {
      const res = await h.request('PATCH', `${ROOT}/alertConfigurations/${STALE}`, writer, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'BadRequest');
    }
    const after = await h.request('GET', `${ROOT}/alertConfigurations/${STALE}`, writer);
    assert.deepEqual(after.body, before.body);
    assert.equal(after.body.isEnabled, true);
  });

  it('remediate removes the assignment; the next refresh has fewer incidents', async () => {
    await refreshAll();
    assert.equal((await h.request('GET', `${ROOT}/alerts/${OUTSIDE_PIM}`, writer)).body.incidentCount, 1);
    const res = await h.request('POST', `${ROOT}/alerts/${OUTSIDE_PIM}/alertIncidents/${STALE_OUTSIDE_PIM}/remediate`, writer);
    assert.equal(res.status, 200);
    assert.equal(
      (await h.store.directory.roleAssignmentsOf(TENANT, USERS.stale.id)).some((a) => a.id === STALE_OUTSIDE_PIM),
      false,
    );
    h.clock.advance(1000);
    await refreshAll();
    assert.equal((await h.request('GET', `${ROOT}/alerts/${OUTSIDE_PIM}`, writer)).body.incidentCount, 0);
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, writer)).body.incidentCount, 1);
    const audit = await h.store.sql.query<{ activity: string; initiated_by: string }>(
      `SELECT activity, initiated_by FROM audit_events WHERE tenant_id = ? AND operation_id IS NULL`,
      [TENANT],
    );
    assert.equal(audit.length, 1);
    assert.match(audit[0]!.activity, new RegExp(STALE_OUTSIDE_PIM));
    assert.equal(audit[0]!.initiated_by, USERS.pra.id);
  });

  it('remediating a non-remediable alert is 400 and changes nothing', async () => {
    await refreshAll();
    const invalidLicense = alertIdOf('InvalidLicenseAlert');
    const incidents = await h.request('GET', `${ROOT}/alerts/${invalidLicense}/alertIncidents`, writer);
    assert.equal(incidents.body.value.length, 1);
    const res = await h.request('POST', `${ROOT}/alerts/${invalidLicense}/alertIncidents/${incidents.body.value[0].id}/remediate`, writer);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /not remediable/);
    const audit = await h.store.sql.query(`SELECT 1 FROM audit_events WHERE tenant_id = ? AND operation_id IS NULL`, [TENANT]);
    assert.equal(audit.length, 0);
  });
});

describe('alert permissions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await buildHarness();
  });
  afterEach(() => h.close());

  it('Security Reader with Read: reads 200', async () => {
    const token = await userToken(h, 'secReader', [READ]);
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, token)).status, 200);
    assert.equal((await h.request('GET', `${ROOT}/alertDefinitions/${STALE}`, token)).status, 200);
  });

  it('Security Reader, even with ReadWrite: every write is 403 and nothing changes', async () => {
    const token = await userToken(h, 'secReader', [WRITE]);
    const writes: Array<[string, string, unknown]> = [
      ['PATCH', `${ROOT}/alerts/${STALE}`, { isActive: false }],
      [
        'PATCH',
        `${ROOT}/alertConfigurations/${STALE}`,
        { '@odata.type': '#microsoft.graph.staleSignInAlertConfiguration', isEnabled: false },
      ],
      ['POST', `${ROOT}/alerts/${STALE}/refresh`, undefined],
      ['POST', `${ROOT}/alerts/refresh`, { scopeId: '/', scopeType: 'DirectoryRole' }],
      ['POST', `${ROOT}/alerts/${OUTSIDE_PIM}/alertIncidents/${STALE_OUTSIDE_PIM}/remediate`, undefined],
    ];
    for (const [method, url, body] of writes) {
      const res = await h.request(method as 'PATCH' | 'POST', url, token, body);
      assert.equal(res.status, 403, `${method} ${url}`);
      assert.equal(res.body.error.code, 'Authorization_RequestDenied');
    }
    assert.equal((await h.store.operations.statistics(h.clock.now())).queueDepth, 0);
    assert.equal((await h.request('GET', `${ROOT}/alertConfigurations/${STALE}`, token)).body.isEnabled, true);
  });

  it('Privileged Role Administrator: Read alone cannot write; ReadWrite gets 204 and 202', async () => {
    const readOnly = await userToken(h, 'pra', [READ]);
    assert.equal((await h.request('PATCH', `${ROOT}/alerts/${STALE}`, readOnly, { isActive: false })).status, 403);
    const token = await userToken(h, 'pra', [WRITE]);
    assert.equal((await h.request('PATCH', `${ROOT}/alerts/${STALE}`, token, { isActive: false })).status, 204);
    assert.equal((await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, token)).status, 202);
  });

  it('no token: 401', async () => {
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}`, undefined)).status, 401);
  });
});
