/** Graph wire conventions on the emulated surface (https://learn.microsoft.com/graph/errors, https://learn.microsoft.com/graph/query-parameters). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  appToken,
  buildHarness,
  get,
  insertAlertRefresh,
  alertRefreshId,
  PUBLIC_URL,
  TENANT_A,
  tenantBUserToken,
  userA,
  userB,
  userToken,
  type Harness,
} from '../support/graph.js';
import { CLOUDS } from '../../src/config/clouds.js';
import { testConfig } from '../../src/config/config.js';
import { buildService } from '../../src/service.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { testStore } from '../support/store.js';

describe('wire conventions', () => {
  let h: Harness;
  let tok: string;

  before(async () => {
    h = await buildHarness();
    tok = await appToken(h, 'least'); // has User.Read.All
  });
  after(async () => h.close());

  it('unknown segment → 400 "Resource not found for the segment \'nothing\'."', async () => {
    const res = await get(h, '/v1.0/nothing', tok);
    assert.equal(res.status, 400, res.raw);
    assert.equal(res.body.error.code, 'BadRequest');
    assert.equal(res.body.error.message, "Resource not found for the segment 'nothing'.");
    assert.ok(res.headers['request-id']);
  });

  it('unknown deeper segment names the first unknown one', async () => {
    const res = await get(h, `/beta/identityGovernance/roleManagementAlerts/nothing`, tok);
    assert.equal(res.status, 400, res.raw);
    assert.equal(res.body.error.message, "Resource not found for the segment 'nothing'.");
  });

  it('wrong method → 405', async () => {
    const res = await h.service.app.fastify.inject({
      method: 'DELETE',
      url: `/beta/identityGovernance/roleManagementAlerts/operations/x`,
      headers: { authorization: `Bearer ${tok}` },
    });
    assert.equal(res.statusCode, 405, res.body);
    assert.equal(res.json().error.code, 'MethodNotAllowed');
  });

  it('GET /v1.0/users/{upn}: default properties and context', async () => {
    const u = userA('target');
    const res = await get(h, `/v1.0/users/${u.userPrincipalName}`, tok);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#users/$entity`);
    assert.equal(res.body.id, u.id);
    assert.equal(res.body.userPrincipalName, u.userPrincipalName);
    assert.equal(res.headers['odata-version'], '4.0');
  });

  it('GET /beta/users/{id}?$select=id,displayName: only those, context users(id,displayName)', async () => {
    const u = userA('target');
    const res = await get(h, `/beta/users/${u.id}?$select=id,displayName`, tok);
    assert.equal(res.status, 200, res.raw);
    assert.deepEqual(res.body, {
      '@odata.context': `${PUBLIC_URL}/beta/$metadata#users(id,displayName)/$entity`,
      id: u.id,
      displayName: 'target Person',
    });
  });

  it('unknown user → 404 Request_ResourceNotFound', async () => {
    const res = await get(h, '/v1.0/users/nobody@opstest.onmicrosoft.com', tok);
    assert.equal(res.status, 404, res.raw);
    assert.equal(res.body.error.code, 'Request_ResourceNotFound');
  });

  it('a token of tenant B asking for a user of tenant A → 404 (not found in B), same as an unknown user', async () => {
    const tokB = await tenantBUserToken(h, ['User.Read.All', 'UserAuthenticationMethod.Read.All']);
    const foreign = await get(h, `/v1.0/users/${userA('target').id}`, tokB);
    assert.equal(foreign.status, 404, foreign.raw);
    assert.equal(foreign.body.error.code, 'Request_ResourceNotFound');
    const own = await get(h, `/v1.0/users/${userB().id}`, tokB);
    assert.equal(own.status, 200, own.raw);
    const ops = await get(h, `/v1.0/users/${userA('target').id}/authentication/operations`, tokB);
    assert.equal(ops.status, 404, ops.raw);
  });

  it('/me with an application token → 400', async () => {
    const res = await get(h, '/v1.0/me/authentication/operations/x', tok);
    assert.equal(res.status, 400, res.raw);
    assert.equal(res.body.error.code, 'BadRequest');
  });

  it('/me for a delegated caller', async () => {
    const u = userA('noRole');
    const res = await get(h, '/v1.0/me', await userToken(h, 'noRole', ['User.Read']));
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body.id, u.id);
  });

  it('an unexpected error → 500 generalException without the internal text', async () => {
    // Routes cannot be added after buildService (the instance is ready), so make the store throw.
    await insertAlertRefresh(h);
    const ops = h.store.operations;
    const original = ops.getShown.bind(ops);
    ops.getShown = async () => {
      throw new Error('SECRET internal detail: sqlite exploded at /var/lib');
    };
    try {
      const res = await get(
        h,
        `/beta/identityGovernance/roleManagementAlerts/operations/${encodeURIComponent(alertRefreshId(TENANT_A))}`,
        tok,
        {
          'client-request-id': 'boom-1',
        },
      );
      assert.equal(res.status, 500, res.raw);
      assert.equal(res.body.error.code, 'generalException');
      assert.doesNotMatch(res.raw, /SECRET|sqlite|exploded/);
      assert.equal(res.body.error.innerError['client-request-id'], 'boom-1');
    } finally {
      ops.getShown = original;
    }
  });

  it('errors are plain application/json with request-id and client-request-id headers', async () => {
    const res = await get(h, '/v1.0/nothing', tok, { 'client-request-id': 'abc-1' });
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.headers['client-request-id'], 'abc-1');
    assert.equal(res.body.error.innerError['client-request-id'], 'abc-1');
  });
});

describe('national clouds (--cloud china)', () => {
  it('has no v1.0 resetPassword and no v1.0 GET operation, but keeps the beta ones', async () => {
    const store = await testStore();
    const service = await buildService({
      config: testConfig({ concurrency: 0, cloud: CLOUDS.china }),
      publicUrl: PUBLIC_URL,
      store,
      clock: new ManualClock(),
      logger: silentLogger(),
    });
    try {
      const inject = service.app.fastify.inject.bind(service.app.fastify);
      const v1Reset = await inject({
        method: 'POST',
        url: '/v1.0/users/x/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword',
        payload: {},
      });
      assert.equal(v1Reset.statusCode, 400);
      assert.equal(v1Reset.json().error.message, "Resource not found for the segment 'resetPassword'.");
      const v1Op = await inject('/v1.0/users/x/authentication/operations/y');
      assert.equal(v1Op.statusCode, 400);
      assert.equal(v1Op.json().error.message, "Resource not found for the segment 'operations'.");
      const betaOp = await inject('/beta/users/x/authentication/operations/y');
      assert.equal(betaOp.statusCode, 401, 'the beta path exists (it asks for a token)');
    } finally {
      await service.app.fastify.close();
      await store.close();
    }
  });
});
