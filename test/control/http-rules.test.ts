import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  appToken,
  APPS,
  buildHarness,
  DOMAIN_A,
  get,
  guid,
  insertPasswordReset,
  TENANT_A,
  TENANT_B,
  tenantBUserToken,
  userA,
  userToken,
  type Harness,
} from '../support/graph.js';
import { addRule, clearRules, hitsOf } from './support/rules.js';

const AUTH_SCOPE = ['UserAuthenticationMethod.Read.All'];
const OP_RULE_PATH = '/v1.0/users/*/authentication/operations/*';

describe('http rules shape Graph and token requests', () => {
  let h: Harness;
  let opUrl: string;
  let authAdmin: string;

  before(async () => {
    h = await buildHarness();
    const id = guid(1);
    await insertPasswordReset(h, id, userA('target').id);
    opUrl = `/v1.0/users/${userA('target').id}/authentication/operations/${id}`;
    authAdmin = await userToken(h, 'authAdmin', AUTH_SCOPE);
  });
  afterEach(async () => {
    await clearRules(h.store, TENANT_A);
    await clearRules(h.store, TENANT_B);
  });
  after(() => h.close());

  it('without rules the operation reads normally', async () => {
    const res = await get(h, opUrl, authAdmin);
    assert.equal(res.status, 200, res.raw);
  });

  it("times: 3 → exactly three 429s in Graph's envelope with Retry-After, then the real answer; hits = 3", async () => {
    const rule = await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH },
      times: 3,
      respond: { status: 429, retryAfterSeconds: 2 },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await get(h, `${opUrl}?$select=id,status`, authAdmin, { 'client-request-id': `c-${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.headers['retry-after'], '2');
        assert.match(String(res.headers['content-type']), /^application\/json/);
        assert.equal(res.body.error.code, 'TooManyRequests');
        assert.equal(res.body.error.message, 'Please retry again later.');
        const inner = res.body.error.innerError;
        assert.equal(inner.code, '429');
        assert.equal(inner.status, '429');
        assert.equal(inner['client-request-id'], `c-${i}`);
        assert.equal(inner['request-id'], res.headers['request-id']);
        assert.match(inner.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      }
    }
    assert.deepEqual(statuses, [429, 429, 429, 200, 200, 200]);
    assert.equal(await hitsOf(h.store, TENANT_A, rule.id), 3);
  });

  it("each 5xx status answers with Graph's code; no retryAfterSeconds → no Retry-After header", async () => {
    const expected: Record<number, { code: string; message: string }> = {
      500: { code: 'generalException', message: 'An unspecified error has occurred.' },
      502: { code: 'UnknownError', message: '' },
      503: { code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.' },
      504: { code: 'UnknownError', message: '' },
      429: { code: 'TooManyRequests', message: 'Please retry again later.' },
    };
    for (const [status, { code, message }] of Object.entries(expected)) {
      await addRule(h.store, TENANT_A, {
        type: 'http',
        match: { method: 'GET', path: OP_RULE_PATH },
        times: 1,
        respond: { status: Number(status) },
      });
      const res = await get(h, opUrl, authAdmin);
      assert.equal(res.status, Number(status));
      assert.equal(res.headers['retry-after'], undefined, `${status} without retryAfterSeconds has no Retry-After`);
      assert.equal(res.body.error.code, code);
      assert.equal(res.body.error.message, message);
      assert.equal(res.body.error.innerError['request-id'], res.headers['request-id']);
    }
    assert.equal((await get(h, opUrl, authAdmin)).status, 200, 'all used up');
  });

  it('probability 0 never fires and never counts; probability 1 always does', async () => {
    const never = await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH },
      probability: 0,
      respond: { status: 500 },
    });
    for (let i = 0; i < 20; i++) assert.equal((await get(h, opUrl, authAdmin)).status, 200);
    assert.equal(await hitsOf(h.store, TENANT_A, never.id), 0);
    const always = await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH },
      probability: 1,
      respond: { status: 503 },
    });
    for (let i = 0; i < 5; i++) assert.equal((await get(h, opUrl, authAdmin)).status, 503);
    assert.equal(await hitsOf(h.store, TENANT_A, always.id), 5);
  });

  it('latency alone delays the real answer; latency with respond delays the fault', async () => {
    const slow = await addRule(h.store, TENANT_A, { type: 'http', match: { method: 'GET', path: OP_RULE_PATH }, times: 1, latencyMs: 300 });
    let t0 = performance.now();
    const passed = await get(h, opUrl, authAdmin);
    assert.equal(passed.status, 200);
    assert.equal(passed.body.id, guid(1));
    assert.ok(performance.now() - t0 >= 295, 'the answer came after the latency');
    assert.equal(await hitsOf(h.store, TENANT_A, slow.id), 1);

    await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH },
      times: 1,
      latencyMs: 200,
      respond: { status: 504 },
    });
    t0 = performance.now();
    assert.equal((await get(h, opUrl, authAdmin)).status, 504);
    assert.ok(performance.now() - t0 >= 195, 'the fault came after the latency');
  });

  it('matches the method and the path glob only', async () => {
    await addRule(h.store, TENANT_A, { type: 'http', match: { method: 'POST', path: OP_RULE_PATH }, respond: { status: 500 } });
    await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: '/beta/users/*/authentication/operations/*' },
      respond: { status: 500 },
    });
    assert.equal((await get(h, opUrl, authAdmin)).status, 200);
    await addRule(h.store, TENANT_A, { type: 'http', match: { method: 'GET', path: '/v1.0/**' }, respond: { status: 502 } });
    assert.equal((await get(h, opUrl, authAdmin)).status, 502);
    assert.equal((await get(h, '/v1.0/users/nobody@x', authAdmin)).status, 502, '** covers any path under /v1.0');
  });

  it('matches by appId: another application is not affected', async () => {
    const rule = await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH, appId: APPS.higher.id },
      respond: { status: 503, retryAfterSeconds: 1 },
    });
    assert.equal((await get(h, opUrl, await appToken(h, 'least'))).status, 200);
    const res = await get(h, opUrl, await appToken(h, 'higher'));
    assert.equal(res.status, 503);
    assert.equal(res.headers['retry-after'], '1');
    assert.equal(await hitsOf(h.store, TENANT_A, rule.id), 1);
  });

  it('matches by user (UPN, case-insensitive): another user of the same app is not affected', async () => {
    await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH, user: userA('privAuthAdmin').userPrincipalName.toUpperCase() },
      respond: { status: 500 },
    });
    assert.equal((await get(h, opUrl, authAdmin)).status, 200);
    assert.equal((await get(h, opUrl, await userToken(h, 'privAuthAdmin', AUTH_SCOPE))).status, 500);
    assert.equal((await get(h, opUrl, await appToken(h, 'least'))).status, 200, 'an app token has no user');
  });

  it('a rule of tenant A never affects tenant B', async () => {
    const rule = await addRule(h.store, TENANT_A, { type: 'http', match: { method: 'GET', path: '/v1.0/**' }, respond: { status: 500 } });
    const tokenB = await tenantBUserToken(h, AUTH_SCOPE);
    const res = await get(h, `/v1.0/users/${userA('target').id}/authentication/operations/${guid(1)}`, tokenB);
    assert.notEqual(res.status, 500);
    assert.equal(await hitsOf(h.store, TENANT_A, rule.id), 0);
    assert.equal((await get(h, opUrl, authAdmin)).status, 500, 'tenant A is affected');
  });

  it('never shapes /healthz, /readyz, /metrics, /console or /_longrun/', async () => {
    for (const method of ['GET', 'POST'] as const) {
      await addRule(h.store, TENANT_A, { type: 'http', match: { method, path: '/**' }, respond: { status: 500 } });
    }
    for (const url of ['/healthz', '/readyz', '/metrics', '/console', '/_longrun/v1/rules']) {
      const res = await h.inject({ method: 'GET', url, headers: { authorization: `Bearer ${authAdmin}` } });
      assert.notEqual(res.statusCode, 500, url);
    }
    assert.equal((await get(h, opUrl, authAdmin)).status, 500, 'while Graph is shaped');
  });

  it("faults the token endpoint in Entra's error shape, matched by client_id; then tokens are issued again", async () => {
    const rule = await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'POST', path: '/*/oauth2/v2.0/token', appId: APPS.higher.id },
      times: 2,
      respond: { status: 503, retryAfterSeconds: 4 },
    });
    const tokenRequest = (app: keyof typeof APPS) =>
      h.inject({
        method: 'POST',
        url: `/${DOMAIN_A}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'client-request-id': 'tok-1' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: APPS[app].id,
          client_secret: APPS[app].secret,
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      });
    assert.equal((await tokenRequest('least')).statusCode, 200, 'another client is not affected');
    for (let i = 0; i < 2; i++) {
      const res = await tokenRequest('higher');
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['retry-after'], '4');
      const body = res.json<Record<string, unknown>>();
      assert.equal(body.error, 'temporarily_unavailable');
      assert.deepEqual(body.error_codes, [90033]);
      assert.match(String(body.error_description), /^AADSTS90033: /);
      assert.equal(body.correlation_id, 'tok-1');
    }
    assert.equal((await tokenRequest('higher')).statusCode, 200);
    assert.equal(await hitsOf(h.store, TENANT_A, rule.id), 2);
  });

  it('the token endpoint of a tenant by its id, and a password grant matched by user', async () => {
    const target = userA('authAdmin');
    await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'POST', path: `/${TENANT_A}/oauth2/v2.0/token`, user: target.userPrincipalName },
      times: 1,
      respond: { status: 500 },
    });
    const grant = (tenant: string) =>
      h.inject({
        method: 'POST',
        url: `/${tenant}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'password',
          client_id: APPS.least.id,
          client_secret: APPS.least.secret,
          username: target.userPrincipalName,
          password: target.password,
          scope: AUTH_SCOPE.join(' '),
        }).toString(),
      });
    assert.equal((await grant(DOMAIN_A)).statusCode, 200, 'the path differs');
    const res = await grant(TENANT_A);
    assert.equal(res.statusCode, 500);
    assert.equal(res.json<Record<string, unknown>>().error, 'server_error');
    assert.equal((await grant(TENANT_A)).statusCode, 200);
  });

  it('a fault comes before the route validates the request', async () => {
    await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'POST', path: '/v1.0/users/*/authentication/methods/*/resetPassword' },
      times: 1,
      respond: { status: 503, retryAfterSeconds: 3 },
    });
    const writer = await userToken(h, 'authAdmin', ['UserAuthenticationMethod.ReadWrite.All']);
    const reset = () =>
      h.inject({
        method: 'POST',
        url: `/v1.0/users/${userA('target').id}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`,
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ newPassword: 5 }),
      });
    const faulted = await reset();
    assert.equal(faulted.statusCode, 503);
    assert.equal(faulted.headers['retry-after'], '3');
    const refused = await reset();
    assert.equal(refused.statusCode, 400, refused.body);
  });

  it('rules are tried oldest first: the first that fires decides', async () => {
    const first = await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH },
      times: 1,
      respond: { status: 502 },
    });
    const second = await addRule(h.store, TENANT_A, {
      type: 'http',
      match: { method: 'GET', path: OP_RULE_PATH },
      times: 1,
      respond: { status: 504 },
    });
    assert.equal((await get(h, opUrl, authAdmin)).status, 502);
    assert.equal((await get(h, opUrl, authAdmin)).status, 504);
    assert.equal((await get(h, opUrl, authAdmin)).status, 200);
    assert.equal(await hitsOf(h.store, TENANT_A, first.id), 1);
    assert.equal(await hitsOf(h.store, TENANT_A, second.id), 1);
  });
});
