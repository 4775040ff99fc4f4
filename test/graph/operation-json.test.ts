/** The exact wire shape of GET longRunningOperation (https://learn.microsoft.com/graph/api/longrunningoperation-get). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  alertRefreshId,
  alertUrl,
  appToken,
  buildHarness,
  claimAll,
  get,
  guid,
  insertAlertRefresh,
  insertPasswordReset,
  PUBLIC_URL,
  succeed,
  TENANT_A,
  TENANT_B,
  tenantBUserToken,
  TIMESTAMP,
  userA,
  userToken,
  type Harness,
} from '../support/graph.js';

const ALERTS = '/beta/identityGovernance/roleManagementAlerts/operations';
const CONTEXT = `${PUBLIC_URL}/beta/$metadata#identityGovernance/roleManagementAlerts/operations/$entity`;
const PROPERTY_ORDER = ['@odata.context', 'id', 'createdDateTime', 'lastActionDateTime', 'resourceLocation', 'status', 'statusDetail'];

describe('GET longRunningOperation: JSON and headers', () => {
  let h: Harness;
  let appTok: string;
  const staleId = alertRefreshId(TENANT_A, 'StaleSignInAlert');
  const gaId = alertRefreshId(TENANT_A, 'TooManyGlobalAdminsAssignedToTenantAlert');
  const runningId = alertRefreshId(TENANT_A, 'RolesAssignedOutsidePrivilegedIdentityManagementAlert');
  const resetId = guid(1);
  const otherUserResetId = guid(2);
  const START_MS = Date.UTC(2026, 2, 1, 12, 0, 0);

  before(async () => {
    h = await buildHarness();
    appTok = await appToken(h, 'least');
    await insertAlertRefresh(h, TENANT_A, 'StaleSignInAlert'); // stays notStarted
    await insertAlertRefresh(h, TENANT_B, 'StaleSignInAlert'); // another tenant's
    h.clock.advance(1000);
    await insertAlertRefresh(h, TENANT_A, 'TooManyGlobalAdminsAssignedToTenantAlert');
    await insertAlertRefresh(h, TENANT_A, 'RolesAssignedOutsidePrivilegedIdentityManagementAlert');
    await insertPasswordReset(h, resetId, userA('target').id);
    await insertPasswordReset(h, otherUserResetId, userA('noRole').id);
    h.clock.advance(1500);
    // Claim everything (all become running), then finish one; notStarted is covered by a row
    // inserted later in its own test.
    const leases = await claimAll(h);
    h.clock.advance(2345);
    await succeed(h, gaId, leases.get(gaId)!, alertUrl(TENANT_A, 'TooManyGlobalAdminsAssignedToTenantAlert'));
  });
  after(async () => h.close());

  it('running operation: exact body, property order, types and headers', async () => {
    const res = await get(h, `${ALERTS}/${encodeURIComponent(runningId)}`, appTok);
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(Object.keys(res.body), PROPERTY_ORDER);
    assert.deepEqual(res.body, {
      '@odata.context': CONTEXT,
      id: runningId,
      createdDateTime: new Date(START_MS + 1000).toISOString().replace('Z', '0000Z'),
      lastActionDateTime: new Date(START_MS + 2500).toISOString().replace('Z', '0000Z'),
      resourceLocation: '',
      status: 'running',
      statusDetail: '',
    });
    assert.match(res.body.createdDateTime, TIMESTAMP);
    assert.match(res.body.lastActionDateTime, TIMESTAMP);
    assert.equal(res.headers['retry-after'], '1');
    assert.match(String(res.headers['content-type']), /^application\/json;odata\.metadata=minimal/);
    assert.equal(res.headers['odata-version'], '4.0');
    assert.match(String(res.headers['request-id']), /^[0-9a-f-]{36}$/);
  });

  it('succeeded operation: resourceLocation is the alert URL and there is no Retry-After', async () => {
    const res = await get(h, `${ALERTS}/${encodeURIComponent(gaId)}`, appTok);
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(Object.keys(res.body), PROPERTY_ORDER);
    assert.deepEqual(res.body, {
      '@odata.context': CONTEXT,
      id: gaId,
      createdDateTime: new Date(START_MS + 1000).toISOString().replace('Z', '0000Z'),
      lastActionDateTime: new Date(START_MS + 2500 + 2345).toISOString().replace('Z', '0000Z'),
      resourceLocation: `${PUBLIC_URL}/beta/identityGovernance/roleManagementAlerts/alerts/DirectoryRole_${TENANT_A}_TooManyGlobalAdminsAssignedToTenantAlert`,
      status: 'succeeded',
      statusDetail: '',
    });
    assert.equal(res.headers['retry-after'], undefined);
  });

  it('notStarted operation (fresh row): resourceLocation "" and Retry-After present', async () => {
    const id = alertRefreshId(TENANT_A, 'NoMfaOnRoleActivationAlert');
    await insertAlertRefresh(h, TENANT_A, 'NoMfaOnRoleActivationAlert');
    const res = await get(h, `${ALERTS}/${encodeURIComponent(id)}`, appTok);
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(Object.keys(res.body), PROPERTY_ORDER);
    assert.equal(res.body.status, 'notStarted');
    assert.equal(res.body.resourceLocation, '');
    assert.equal(res.body.statusDetail, '');
    assert.equal(res.body.createdDateTime, res.body.lastActionDateTime);
    assert.match(res.body.createdDateTime, TIMESTAMP);
    assert.ok(res.headers['retry-after'] !== undefined);
  });

  it('the stale-sign-in refresh claimed with the others is running', async () => {
    const res = await get(h, `${ALERTS}/${encodeURIComponent(staleId)}`, appTok);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body.status, 'running');
  });

  it('$select=status,id: only those properties and a context with (status,id)', async () => {
    const res = await get(h, `${ALERTS}/${encodeURIComponent(gaId)}?$select=status,id`, appTok);
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(res.body, {
      '@odata.context': `${PUBLIC_URL}/beta/$metadata#identityGovernance/roleManagementAlerts/operations(status,id)/$entity`,
      status: 'succeeded',
      id: gaId,
    });
  });

  it('select= without $ works the same', async () => {
    const res = await get(h, `${ALERTS}/${encodeURIComponent(gaId)}?select=status,id`, appTok);
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(Object.keys(res.body), ['@odata.context', 'status', 'id']);
    assert.match(res.body['@odata.context'], /\/operations\(status,id\)\/\$entity$/);
  });

  it('$select of an unknown property → 400 BadRequest', async () => {
    const res = await get(h, `${ALERTS}/${encodeURIComponent(gaId)}?$select=status,nope`, appTok);
    assert.equal(res.status, 400, res.raw);
    assert.equal(res.body.error.code, 'BadRequest');
    assert.match(res.body.error.message, /nope/);
  });

  it('a percent-encoded id (refresh%3A…) finds refresh:…, and so does the raw colon', async () => {
    const encoded = `${ALERTS}/refresh%3ADirectoryRole_${TENANT_A}_TooManyGlobalAdminsAssignedToTenantAlert`;
    const raw = `${ALERTS}/${gaId}`;
    for (const url of [encoded, raw]) {
      const res = await get(h, url, appTok);
      assert.equal(res.status, 200, `${url}: ${res.raw}`);
      assert.equal(res.body.id, gaId);
    }
  });

  it('client-request-id is echoed when sent, request-id always present', async () => {
    const res = await get(h, `${ALERTS}/${encodeURIComponent(gaId)}`, appTok, { 'client-request-id': 'my-client-id-123' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['client-request-id'], 'my-client-id-123');
    assert.ok(res.headers['request-id']);
    assert.notEqual(res.headers['request-id'], 'my-client-id-123');
  });

  it('error envelope carries innerError with date, request-id and client-request-id', async () => {
    const res = await get(h, `${ALERTS}/nope`, appTok, { 'client-request-id': 'err-123' });
    assert.equal(res.status, 404);
    assert.deepEqual(Object.keys(res.body.error), ['code', 'message', 'innerError']);
    assert.equal(res.body.error.innerError['client-request-id'], 'err-123');
    assert.equal(res.body.error.innerError['request-id'], res.headers['request-id']);
    assert.match(res.body.error.innerError.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it("alerts path: unknown id and another tenant's operation give the same 404", async () => {
    const unknown = await get(h, `${ALERTS}/${encodeURIComponent(alertRefreshId(TENANT_A, 'InvalidLicenseAlert'))}`, appTok);
    const foreign = await get(h, `${ALERTS}/${encodeURIComponent(alertRefreshId(TENANT_B, 'StaleSignInAlert'))}`, appTok);
    // Sanity: tenant B itself sees its operation.
    const own = await get(
      h,
      `${ALERTS}/${encodeURIComponent(alertRefreshId(TENANT_B, 'StaleSignInAlert'))}`,
      await tenantBUserToken(h, ['RoleManagementAlert.Read.Directory']),
    );
    assert.equal(own.status, 200, own.raw);
    assert.equal(unknown.status, 404);
    assert.equal(foreign.status, 404);
    assert.equal(unknown.body.error.code, foreign.body.error.code);
    // The message may name the requested id; compare with the id swapped out.
    const strip = (m: string) => m.replace(/refresh:DirectoryRole_[^']*/, '{id}');
    assert.equal(strip(unknown.body.error.message), strip(foreign.body.error.message));
    assert.deepEqual(Object.keys(unknown.body.error), Object.keys(foreign.body.error));
  });

  it('alerts path does not serve a password-reset operation (same 404)', async () => {
    const res = await get(h, `${ALERTS}/${resetId}`, appTok);
    const unknown = await get(h, `${ALERTS}/${guid(999)}`, appTok);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, unknown.body.error.code);
    assert.equal(res.body.error.message.replace(resetId, '{id}'), unknown.body.error.message.replace(guid(999), '{id}'));
  });

  describe('authentication path', () => {
    const target = () => userA('target');
    const AUTH_SCOPE = ['UserAuthenticationMethod.Read.All'];

    it("by id: context users('{id}')/authentication/operations/$entity", async () => {
      const res = await get(
        h,
        `/v1.0/users/${target().id}/authentication/operations/${resetId}`,
        await userToken(h, 'authAdmin', AUTH_SCOPE),
      );
      assert.equal(res.status, 200, res.raw);
      assert.deepEqual(Object.keys(res.body), PROPERTY_ORDER);
      assert.equal(res.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#users('${target().id}')/authentication/operations/$entity`);
      assert.equal(res.body.id, resetId);
      assert.equal(res.body.status, 'running');
      assert.equal(res.body.resourceLocation, '');
      assert.equal(res.headers['retry-after'], '1');
    });

    it('by UPN (beta): the key is echoed percent-encoded (%40)', async () => {
      const upn = target().userPrincipalName;
      const res = await get(h, `/beta/users/${upn}/authentication/operations/${resetId}`, await userToken(h, 'authAdmin', AUTH_SCOPE));
      assert.equal(res.status, 200, res.raw);
      assert.equal(
        res.body['@odata.context'],
        `${PUBLIC_URL}/beta/$metadata#users('${upn.replace('@', '%40')}')/authentication/operations/$entity`,
      );
    });

    it('by UPN sent as %40: same result', async () => {
      const upn = target().userPrincipalName;
      const res = await get(
        h,
        `/v1.0/users/${encodeURIComponent(upn)}/authentication/operations/${resetId}`,
        await userToken(h, 'authAdmin', AUTH_SCOPE),
      );
      assert.equal(res.status, 200, res.raw);
      assert.equal(
        res.body['@odata.context'],
        `${PUBLIC_URL}/v1.0/$metadata#users('${upn.replace('@', '%40')}')/authentication/operations/$entity`,
      );
    });

    it('$select on the auth path', async () => {
      const res = await get(
        h,
        `/v1.0/users/${target().id}/authentication/operations/${resetId}?$select=id,status`,
        await appToken(h, 'least'),
      );
      assert.equal(res.status, 200, res.raw);
      assert.deepEqual(res.body, {
        '@odata.context': `${PUBLIC_URL}/v1.0/$metadata#users('${target().id}')/authentication/operations(id,status)/$entity`,
        id: resetId,
        status: 'running',
      });
    });

    it("unknown id, another user's operation, another tenant's and an alert refresh: identical 404s", async () => {
      const tok = await appToken(h, 'least');
      const base = `/v1.0/users/${target().id}/authentication/operations`;
      const foreignId = guid(3);
      await insertPasswordReset(h, foreignId, target().id, TENANT_B);
      const cases = [guid(777), otherUserResetId, foreignId];
      const results = await Promise.all(cases.map((id) => get(h, `${base}/${id}`, tok)));
      for (const [i, r] of results.entries()) {
        assert.equal(r.status, 404, `${cases[i]}: ${r.raw}`);
        assert.equal(r.body.error.code, results[0]!.body.error.code);
        assert.equal(r.body.error.message.replace(cases[i]!, '{id}'), results[0]!.body.error.message.replace(cases[0]!, '{id}'));
      }
      const alert = await get(h, `${base}/${encodeURIComponent(gaId)}`, tok);
      assert.equal(alert.status, 404);
      assert.equal(alert.body.error.code, results[0]!.body.error.code);
    });
  });
});
