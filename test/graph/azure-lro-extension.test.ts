/**
 * Faithful by default: Graph sends no `Operation-Location` and no `error` on a failed
 * operation, so Longrun sends them only with the `azure-lro` extension (docs/extensions.md),
 * where `error` is also selectable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extensionsOf } from '../../src/extensions.js';
import { appToken, buildHarness, claimAll, get, guid, insertPasswordReset, TENANT_A, userA, type Harness } from '../support/graph.js';

const RESET_ID = guid(71);

for (const azureLro of [false, true]) {
  describe(`extension azure-lro ${azureLro ? 'on' : 'off'}`, () => {
    let h: Harness;
    let token: string;
    const target = userA('target').id;
    const opUrl = `/v1.0/users/${target}/authentication/operations/${RESET_ID}`;

    before(async () => {
      h = await buildHarness({ config: { extensions: extensionsOf(azureLro ? ['azure-lro'] : []) } });
      token = await appToken(h, 'least');
      await insertPasswordReset(h, RESET_ID, target, TENANT_A);
      const leases = await claimAll(h);
      const failed = await h.store.operations.finish(
        RESET_ID,
        leases.get(RESET_ID)!,
        { status: 'failed', statusDetail: 'The password does not meet the policy.', errorCode: 'passwordPolicyViolation' },
        h.clock.now(),
      );
      assert.ok(failed);
    });
    after(() => h.close());

    it(azureLro ? 'a failed operation carries error {code, message}' : "a failed operation carries Graph's properties only", async () => {
      const res = await get(h, opUrl, token);
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.status, 'failed');
      if (azureLro)
        assert.deepEqual(res.body.error, { code: 'passwordPolicyViolation', message: 'The password does not meet the policy.' });
      else
        assert.deepEqual(Object.keys(res.body), [
          '@odata.context',
          'id',
          'createdDateTime',
          'lastActionDateTime',
          'resourceLocation',
          'status',
          'statusDetail',
        ]);
    });

    it(
      azureLro ? '$select=error selects it, and other selections leave it out' : '$select=error is a 400 naming the property',
      async () => {
        const res = await get(h, `${opUrl}?$select=error`, token);
        if (azureLro) {
          assert.equal(res.status, 200, res.raw);
          assert.deepEqual(Object.keys(res.body), ['@odata.context', 'error']);
          assert.ok(String(res.body['@odata.context']).endsWith('/operations(error)/$entity'), res.body['@odata.context']);
          const status = await get(h, `${opUrl}?$select=status`, token);
          assert.deepEqual(Object.keys(status.body), ['@odata.context', 'status']);
        } else {
          assert.equal(res.status, 400);
          assert.equal(res.body.error.code, 'BadRequest');
          assert.match(res.body.error.message, /'error'/);
        }
      },
    );

    it(azureLro ? 'a 202 start carries Operation-Location = Location' : 'a 202 start carries Location only', async () => {
      const admin = await appToken(h, 'higher');
      const res = await h.service.app.fastify.inject({
        method: 'POST',
        url: '/beta/identityGovernance/roleManagementAlerts/alerts/refresh',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        payload: { scopeId: '/', scopeType: 'DirectoryRole' },
      });
      assert.equal(res.statusCode, 202, res.body);
      assert.ok(res.headers.location);
      assert.equal(res.headers['operation-location'], azureLro ? res.headers.location : undefined);
    });
  });
}
