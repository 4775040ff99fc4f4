import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildControlHarness, OTHER, READER_APP, USERS, type ControlHarness } from './support/control-harness.js';

const RULES = '/_longrun/v1/rules';

function assertGraphError(res: { status: number; body: any }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.innerError['request-id']);
}

describe('control API: who may use it', () => {
  let h: ControlHarness;
  before(async () => {
    h = await buildControlHarness();
  });
  after(() => h.close());

  it('no token: 401 InvalidAuthenticationToken with WWW-Authenticate', async () => {
    const res = await h.request('GET', RULES);
    assertGraphError(res, 401, 'InvalidAuthenticationToken');
    assert.match(String(res.headers['www-authenticate']), /^Bearer /);
  });

  it('an app without Longrun.Control.All: 403', async () => {
    assertGraphError(await h.request('GET', RULES, { token: await h.appToken(READER_APP) }), 403, 'Authorization_RequestDenied');
  });

  it('a delegated token with the scope but without Global Administrator: 403', async () => {
    assertGraphError(await h.request('GET', RULES, { token: await h.userToken(USERS.authAdmin) }), 403, 'Authorization_RequestDenied');
  });

  it('a Global Administrator without the scope: 403', async () => {
    assertGraphError(
      await h.request('GET', RULES, { token: await h.userToken(USERS.globalAdmin, 'User.Read') }),
      403,
      'Authorization_RequestDenied',
    );
  });

  it('a Global Administrator with the scope, and an app with the permission: 200', async () => {
    for (const token of [await h.userToken(USERS.globalAdmin), await h.appToken()]) {
      const res = await h.request('GET', RULES, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { value: [] });
    }
  });

  it('an unknown control path is a 404 in the Graph envelope', async () => {
    assertGraphError(await h.request('GET', '/_longrun/v1/nothing', { token: await h.appToken() }), 404, 'itemNotFound');
    assertGraphError(await h.request('GET', '/_longrun/v2/rules'), 404, 'itemNotFound');
  });

  it("another tenant's token sees only its own (empty) rules", async () => {
    const mine = await h.appToken();
    const created = await h.request('POST', RULES, { token: mine, body: { type: 'operation', match: { kind: 'passwordReset' } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const theirs = await h.appToken(OTHER.app, OTHER.domain);
    assert.deepEqual((await h.request('GET', RULES, { token: theirs })).body, { value: [] });
    assertGraphError(await h.request('GET', `${RULES}/${created.body.id}`, { token: theirs }), 404, 'itemNotFound');
    assertGraphError(await h.request('DELETE', `${RULES}/${created.body.id}`, { token: theirs }), 404, 'itemNotFound');
    assert.equal((await h.request('GET', `${RULES}/${created.body.id}`, { token: mine })).status, 200);
  });
});

describe('control API: --controls off', () => {
  it('every /_longrun/ path answers 404, even with a permitted token', async () => {
    const h = await buildControlHarness({ config: { controls: false } });
    try {
      const token = await h.appToken();
      for (const [method, path] of [
        ['GET', RULES],
        ['POST', RULES],
        ['GET', '/_longrun/v1/clock'],
        ['POST', '/_longrun/v1/operations/x/release'],
      ] as const) {
        assertGraphError(await h.request(method, path, { token, body: method === 'POST' ? {} : undefined }), 404, 'itemNotFound');
      }
      // Graph itself is unaffected.
      assert.notEqual((await h.request('GET', '/v1.0/users/admin@contoso.onmicrosoft.com', { token })).status, 404);
    } finally {
      await h.close();
    }
  });
});
