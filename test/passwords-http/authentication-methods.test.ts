/**
 * GET …/authentication/methods, …/passwordMethods and …/passwordMethods/{id} (docs/passwords.md,
 * https://learn.microsoft.com/graph/api/resources/passwordauthenticationmethod): the password method's shape, context URLs, $select, and who may read whose.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CALLERS, OTHER_TENANT_USER, PEOPLE, UAM_READ, UAM_READ_ALL, UAM_READWRITE_ALL } from '../support/fixtures/reset-tenant.js';
import { appToken, buildHarness, PASSWORD_METHOD, PUBLIC_URL, request, userToken, type Harness } from '../support/passwords.js';

// As Graph's authentication-methods tutorial shows a real one: password before createdDateTime,
// which is populated (the account's creation, in seconds with Z).
const PASSWORD_METHOD_JSON = {
  '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
  id: PASSWORD_METHOD,
  password: null,
  createdDateTime: '2026-01-01T00:00:00Z',
};

describe('authentication methods', () => {
  let h: Harness;
  let reader: string;
  before(async () => {
    h = await buildHarness();
    reader = await userToken(h, CALLERS.authAdmin, [UAM_READ_ALL]);
  });
  after(() => h.close());

  const alice = PEOPLE.alice;

  it('GET …/methods: the polymorphic collection holds the password method', async () => {
    for (const version of ['v1.0', 'beta']) {
      const res = await request(h, 'GET', `/${version}/users/${alice.id}/authentication/methods`, { token: reader });
      assert.equal(res.status, 200);
      assert.equal(res.headers['odata-version'], '4.0');
      assert.deepEqual(res.body, {
        '@odata.context': `${PUBLIC_URL}/${version}/$metadata#users('${alice.id}')/authentication/methods`,
        value: [PASSWORD_METHOD_JSON],
      });
    }
  });

  it("the password method's bytes: the tutorial's key order, createdDateTime in seconds", async () => {
    const res = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/passwordMethods/${PASSWORD_METHOD}`, { token: reader });
    assert.equal(res.status, 200);
    assert.ok(
      res.raw.endsWith(
        `"@odata.type":"#microsoft.graph.passwordAuthenticationMethod","id":"${PASSWORD_METHOD}","password":null,"createdDateTime":"2026-01-01T00:00:00Z"}`,
      ),
      res.raw,
    );
  });

  it('a UPN key is echoed in the context URL with @ encoded', async () => {
    const res = await request(h, 'GET', `/v1.0/users/${alice.userPrincipalName}/authentication/passwordMethods`, { token: reader });
    assert.equal(res.status, 200);
    assert.equal(
      res.body['@odata.context'],
      `${PUBLIC_URL}/v1.0/$metadata#users('${alice.userPrincipalName.replace('@', '%40')}')/authentication/passwordMethods`,
    );
    assert.deepEqual(res.body.value, [PASSWORD_METHOD_JSON]);
  });

  it('GET …/passwordMethods/{id}: the entity; the id matches case-insensitively', async () => {
    const res = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/passwordMethods/${PASSWORD_METHOD.toUpperCase()}`, {
      token: reader,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      '@odata.context': `${PUBLIC_URL}/v1.0/$metadata#users('${alice.id}')/authentication/passwordMethods/$entity`,
      ...PASSWORD_METHOD_JSON,
    });
  });

  it('GET …/passwordMethods/{other id}: 404 itemNotFound', async () => {
    for (const id of ['3179e48a-750b-4051-897c-87b9720928f7', 'nope']) {
      const res = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/passwordMethods/${id}`, { token: reader });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'itemNotFound');
    }
  });

  it('$select on a single password method, with and without $', async () => {
    for (const option of ['$select', 'select']) {
      const res = await request(
        h,
        'GET',
        `/beta/users/${alice.id}/authentication/passwordMethods/${PASSWORD_METHOD}?${option}=password,id`,
        { token: reader },
      );
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        '@odata.context': `${PUBLIC_URL}/beta/$metadata#users('${alice.id}')/authentication/passwordMethods(password,id)/$entity`,
        '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
        password: null,
        id: PASSWORD_METHOD,
      });
    }
  });

  it("$select of an unknown property: 400; on …/methods only the base type's id and createdDateTime are selectable", async () => {
    const bad = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/passwordMethods/${PASSWORD_METHOD}?$select=secret`, {
      token: reader,
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /Could not find a property named 'secret' on type 'microsoft.graph.passwordAuthenticationMethod'/);
    const ok = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/methods?$select=id`, { token: reader });
    assert.deepEqual(ok.body.value, [{ '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: PASSWORD_METHOD }]);
    const notBase = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/methods?$select=password`, { token: reader });
    assert.equal(notBase.status, 400);
    // createdDateTime is the base type's (authenticationMethod in Graph's CSDL).
    const base = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/methods?$select=createdDateTime`, { token: reader });
    assert.deepEqual(base.body.value, [
      { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', createdDateTime: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('/me/…: a user reads their own methods with UserAuthenticationMethod.Read and no role', async () => {
    const token = await userToken(h, alice, [UAM_READ]);
    const res = await request(h, 'GET', '/v1.0/me/authentication/methods', { token });
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#me/authentication/methods`);
    const own = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/passwordMethods`, { token });
    assert.equal(own.status, 200);
  });

  const denied = [
    ['a user with no role reading someone else (Read.All)', () => userToken(h, CALLERS.noRole, [UAM_READ_ALL])],
    ['a Helpdesk Administrator (not a reader role)', () => userToken(h, CALLERS.helpdeskAdmin, [UAM_READ_ALL])],
    ['UserAuthenticationMethod.Read (self only) on someone else', () => userToken(h, CALLERS.authAdmin, [UAM_READ])],
    ['a personal account', () => userToken(h, CALLERS.personal, [UAM_READ_ALL])],
  ] as const;
  for (const [label, token] of denied) {
    it(`403 for ${label}`, async () => {
      const res = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/methods`, { token: await token() });
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'Authorization_RequestDenied');
    });
  }

  const allowed = [
    ['Global Reader', () => userToken(h, CALLERS.globalReader, [UAM_READ_ALL])],
    ['Privileged Authentication Administrator', () => userToken(h, CALLERS.privAuthAdmin, [UAM_READWRITE_ALL])],
    ['Global Administrator', () => userToken(h, CALLERS.globalAdmin, [UAM_READ_ALL])],
    ['an application with UserAuthenticationMethod.ReadWrite.All', () => appToken(h)],
  ] as const;
  for (const [label, token] of allowed) {
    it(`200 for ${label} reading someone else`, async () => {
      const res = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/passwordMethods/${PASSWORD_METHOD}`, {
        token: await token(),
      });
      assert.equal(res.status, 200, res.raw);
    });
  }

  it('a user of another tenant: 404; no token: 401', async () => {
    const res = await request(h, 'GET', `/v1.0/users/${OTHER_TENANT_USER.id}/authentication/methods`, { token: reader });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'Request_ResourceNotFound');
    const anonymous = await request(h, 'GET', `/v1.0/users/${alice.id}/authentication/methods`);
    assert.equal(anonymous.status, 401);
  });
});
