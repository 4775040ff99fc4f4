import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { consoleSignIn, DEMO, demoUser, startConsoleHarness, type ConsoleHarness } from '../support/console.js';

/** The console API of the Controls view, without a browser. */
describe('console controls API', () => {
  let h: ConsoleHarness;
  let admin: string;
  let pra: string;

  before(async () => {
    h = await startConsoleHarness({ concurrency: 0 });
    admin = (await consoleSignIn(h, demoUser('admin').upn, demoUser('admin').password)).body.accessToken;
    pra = (await consoleSignIn(h, demoUser('pra').upn, demoUser('pra').password)).body.accessToken;
  });
  after(() => h.close());

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${h.baseUrl}/console/api/controls${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  it('only a Global Administrator may use it; without a token it is 401', async () => {
    const refused = await call('GET', '/rules', pra);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'Authorization_RequestDenied');
    assert.match(refused.body.error.message, /Global Administrator/);
    assert.equal((await call('GET', '/rules', 'not.a.token')).status, 401);
  });

  it("adds, lists with hits, deletes and clears the tenant's rules", async () => {
    const added = await call('POST', '/rules', admin, {
      type: 'throttle',
      match: { path: '/v1.0/**' },
      requests: 5,
      perSeconds: 10,
      times: 4,
    });
    assert.equal(added.status, 201);
    assert.equal(added.body.type, 'throttle');
    assert.equal(added.body.hits, 0);
    assert.equal(added.body.times, 4);
    assert.equal(added.body.requests, 5);
    const listed = await call('GET', '/rules', admin);
    assert.deepEqual(
      listed.body.value.map((r: { id: string }) => r.id),
      [added.body.id],
    );
    assert.equal((await h.store.controlRules.get(DEMO.tenant.id, added.body.id))?.type, 'throttle', "stored in the token's tenant");
    assert.equal((await call('DELETE', `/rules/${added.body.id}`, admin)).status, 204);
    const missing = await call('DELETE', `/rules/${added.body.id}`, admin);
    assert.equal(missing.status, 404);
    await call('POST', '/rules', admin, { type: 'http', match: { method: 'GET', path: '/v1.0/**' }, respond: { status: 500 } });
    assert.equal((await call('DELETE', '/rules', admin)).status, 204);
    assert.deepEqual((await call('GET', '/rules', admin)).body.value, []);
  });

  it('refuses a bad rule with 400 naming the field, and stores nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        { type: 'http', match: { method: 'GET', path: '/v1.0/**' }, respond: { status: 404 } },
        /^respond\.status: must be one of 429, 500, 502, 503, 504$/,
      ],
      [{ type: 'nope' }, /^type: must be one of operation, http, throttle$/],
      [{ type: 'throttle', match: { path: '/v1.0/**' }, requests: 5, perSeconds: 10, times: 0 }, /^times: must be an integer/],
      [[1, 2], /must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/rules', admin, body);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'BadRequest');
      assert.match(res.body.error.message, message);
    }
    assert.deepEqual(await h.store.controlRules.list(DEMO.tenant.id), []);
  });

  it('release and fail answer 501 until the control API is part of the build', async () => {
    for (const action of ['release', 'fail']) {
      const res = await call('POST', `/operations/x/${action}`, admin, {});
      assert.equal(res.status, 501);
      assert.equal(res.body.error.code, 'NotImplemented');
      assert.match(res.body.error.message, new RegExp(`/_longrun/v1/operations/\\{id\\}/${action}`));
    }
  });
});
