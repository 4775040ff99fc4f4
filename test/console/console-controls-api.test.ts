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
      [{ type: 'nope' }, /^type: must be one of operation, http, throttle\b/],
      [{ type: 'throttle', match: { path: '/v1.0/**' }, requests: 5, perSeconds: 10, times: 0 }, /^times: must be a positive whole number/],
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

  it('release and fail act through the control use cases: 404 unknown, fail ends a queued operation once, 409 after', async () => {
    const failure = { code: 'cancelledByTest', detail: 'Cancelled from the console.' };
    assert.equal((await call('POST', '/operations/no-such-id/release', admin, {})).status, 404);
    assert.equal((await call('POST', '/operations/no-such-id/fail', admin, failure)).status, 404);
    const id = 'console-fail-test';
    await h.store.operations.insert(
      { id, tenantId: DEMO.tenant.id, kind: 'passwordReset', targetId: demoUser('pra').id, input: {}, maxAttempts: 1 },
      Date.now(),
    );
    assert.equal(
      (await call('POST', `/operations/${id}/release`, admin, {})).status,
      409,
      'a plain queued operation is not waiting in a timeline',
    );
    const failed = await call('POST', `/operations/${id}/fail`, admin, { code: 'cancelledByTest', detail: 'Cancelled from the console.' });
    assert.equal(failed.status, 200);
    assert.equal(failed.body.status, 'failed');
    assert.equal((await h.store.operations.get(id))?.statusDetail, 'Cancelled from the console.');
    assert.equal((await call('POST', `/operations/${id}/fail`, admin, { code: 'again', detail: 'Again.' })).status, 409);
  });
});
