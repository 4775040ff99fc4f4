import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  APP_SECRET,
  BARE_APP,
  CONFIDENTIAL_APP,
  DOMAIN,
  PUBLIC_APP,
  START,
  TENANT_ID,
  USERS,
  appTokenForm,
  buildHarness,
  passwordForm,
  tokenRequest,
  type Harness,
} from '../support/identity.js';

describe('token endpoint', () => {
  let h: Harness;
  before(async () => {
    h = await buildHarness();
  });
  after(async () => {
    await h.close();
  });

  /** Asserts Entra's error shape and returns the body. */
  function assertEntraError(res: Awaited<ReturnType<typeof tokenRequest>>, status: number, error: string, code: number) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.error, error);
    assert.deepEqual(res.body.error_codes, [code]);
    const description = String(res.body.error_description);
    assert.match(description, new RegExp(`^AADSTS${code}: `));
    assert.match(description, /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: \S+\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    assert.equal(res.body.timestamp, '2026-01-01 12:00:00Z');
    assert.equal(typeof res.body.trace_id, 'string');
    assert.equal(typeof res.body.correlation_id, 'string');
    assert.equal(res.body.error_uri, `http://longrun.test/error?code=${code}`);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    // Entra's x-ms-request-id is the error's trace id.
    assert.equal(res.headers['x-ms-request-id'], res.body.trace_id);
    assert.equal(res.headers['cache-control'], 'no-store, no-cache');
    return description;
  }

  describe('client_credentials', () => {
    it('returns an app token in Entra shape', async () => {
      const res = await tokenRequest(h, appTokenForm());
      assert.equal(res.status, 200);
      // Entra's client-credentials answer has no `scope` (recorded answers; the v2 client-credentials page).
      assert.deepEqual(Object.keys(res.body), ['token_type', 'expires_in', 'ext_expires_in', 'access_token']);
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, 3599);
      assert.equal(res.body.ext_expires_in, 3599);
      assert.match(String(res.body.access_token), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(res.headers['cache-control'], 'no-store, no-cache');
      assert.equal(res.headers.pragma, 'no-cache');
      assert.equal(res.headers.expires, '-1');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(String(res.headers['x-ms-request-id']), /^[0-9a-f-]{36}$/);
      assert.equal(res.headers['strict-transport-security'], undefined, 'plain HTTP');
    });

    it('accepts the secret through HTTP Basic authentication', async () => {
      const { client_secret: _s, client_id: _c, ...form } = appTokenForm();
      const basic = Buffer.from(`${encodeURIComponent(CONFIDENTIAL_APP)}:${encodeURIComponent(APP_SECRET)}`).toString('base64');
      const res = await tokenRequest(h, form, { headers: { authorization: `Basic ${basic}` } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('accepts the tenant by default domain, case-insensitively', async () => {
      const res = await tokenRequest(h, appTokenForm(), { tenant: DOMAIN.toUpperCase() });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it("accepts Graph's app id as the resource of .default", async () => {
      const res = await tokenRequest(h, appTokenForm({ scope: '00000003-0000-0000-c000-000000000000/.default' }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('refuses a wrong secret with 401 invalid_client AADSTS7000215', async () => {
      const res = await tokenRequest(h, appTokenForm({ client_secret: 'nope' }));
      const d = assertEntraError(res, 401, 'invalid_client', 7000215);
      assert.ok(!d.includes('nope'), 'the secret is never echoed');
    });

    it('refuses a missing secret with 401 invalid_client AADSTS7000218', async () => {
      const { client_secret: _s, ...form } = appTokenForm();
      assertEntraError(await tokenRequest(h, form), 401, 'invalid_client', 7000218);
    });

    it('refuses a public client (no secret to present) with AADSTS7000218', async () => {
      assertEntraError(await tokenRequest(h, appTokenForm({ client_id: PUBLIC_APP })), 401, 'invalid_client', 7000218);
    });

    it('refuses a scope that is not {graph}/.default with 400 invalid_scope AADSTS70011', async () => {
      for (const scope of ['https://graph.microsoft.com/User.Read.All', 'https://management.azure.com/.default', 'User.Read']) {
        assertEntraError(await tokenRequest(h, appTokenForm({ scope })), 400, 'invalid_scope', 70011);
      }
    });

    it("refuses a scope of another cloud's Graph", async () => {
      assertEntraError(await tokenRequest(h, appTokenForm({ scope: 'https://graph.microsoft.us/.default' })), 400, 'invalid_scope', 70011);
    });
  });

  describe('password', () => {
    it('returns a delegated token with the granted scopes', async () => {
      const res = await tokenRequest(
        h,
        passwordForm('bob', { scope: 'https://graph.microsoft.com/User.Read openid profile offline_access' }),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, 3599);
      assert.equal(res.body.scope, 'User.Read openid profile offline_access');
    });

    it('lets a public client sign users in without a secret', async () => {
      const { client_secret: _s, ...form } = passwordForm('bob', { client_id: PUBLIC_APP, scope: 'User.Read' });
      const res = await tokenRequest(h, form);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('requires the secret of an app that has one', async () => {
      const { client_secret: _s, ...form } = passwordForm('bob');
      assertEntraError(await tokenRequest(h, form), 401, 'invalid_client', 7000218);
      assertEntraError(await tokenRequest(h, passwordForm('bob', { client_secret: 'wrong' })), 401, 'invalid_client', 7000215);
    });

    it('records the sign-in', async () => {
      h.clock.set(START + 60_000);
      try {
        assert.equal(h.store && (await h.store.directory.findUser(TENANT_ID, USERS.alice))?.lastSignInAt, null);
        const res = await tokenRequest(h, passwordForm('alice'));
        assert.equal(res.status, 200);
        assert.equal((await h.store.directory.findUser(TENANT_ID, USERS.alice))?.lastSignInAt, START + 60_000);
      } finally {
        h.clock.set(START);
      }
    });

    it('gives the same AADSTS50126 for a wrong password and an unknown user', async () => {
      const wrong = assertEntraError(await tokenRequest(h, passwordForm('bob', { password: 'wrong' })), 400, 'invalid_grant', 50126);
      const unknown = assertEntraError(
        await tokenRequest(h, passwordForm('bob', { username: `nobody@${DOMAIN}` })),
        400,
        'invalid_grant',
        50126,
      );
      const text = (d: string) => d.split('\r\n')[0];
      assert.equal(text(wrong), text(unknown));
      assert.equal(text(wrong), 'AADSTS50126: Error validating credentials due to invalid username or password.');
    });

    it('refuses a disabled account with AADSTS50057 (only with the right password)', async () => {
      assertEntraError(await tokenRequest(h, passwordForm('disabled')), 400, 'invalid_grant', 50057);
      assertEntraError(await tokenRequest(h, passwordForm('disabled', { password: 'wrong' })), 400, 'invalid_grant', 50126);
    });

    it('refuses a personal account as Entra does (ROPC is for work accounts only): 400 invalid_grant AADSTS50126, as a wrong password', async () => {
      const res = await tokenRequest(h, passwordForm('personal'));
      assertEntraError(res, 400, 'invalid_grant', 50126);
      const wrong = await tokenRequest(h, passwordForm('personal', { password: 'wrong' }));
      assert.equal(wrong.body.error_description?.toString().split('\r\n')[0], res.body.error_description?.toString().split('\r\n')[0]);
    });

    it('refuses a scope of another resource with AADSTS70011', async () => {
      assertEntraError(
        await tokenRequest(h, passwordForm('bob', { scope: 'https://management.azure.com/user_impersonation' })),
        400,
        'invalid_scope',
        70011,
      );
      assertEntraError(await tokenRequest(h, passwordForm('bob', { scope: 'api://other/.default' })), 400, 'invalid_scope', 70011);
    });

    it('refuses a request with no grantable scope with AADSTS70011', async () => {
      assertEntraError(await tokenRequest(h, passwordForm('bob', { scope: 'openid profile' })), 400, 'invalid_scope', 70011);
      assertEntraError(await tokenRequest(h, passwordForm('bob', { scope: 'Directory.ReadWrite.All' })), 400, 'invalid_scope', 70011);
      assertEntraError(await tokenRequest(h, passwordForm('bob', { client_id: BARE_APP })), 400, 'invalid_scope', 70011);
    });

    it('refuses a missing username or password with AADSTS900144', async () => {
      const { username: _u, ...noUser } = passwordForm('bob');
      assert.match(assertEntraError(await tokenRequest(h, noUser), 400, 'invalid_request', 900144), /'username'/);
      const { password: _p, ...noPassword } = passwordForm('bob');
      assert.match(assertEntraError(await tokenRequest(h, noPassword), 400, 'invalid_request', 900144), /'password'/);
    });
  });

  describe('common errors', () => {
    it('unknown tenant: 400 invalid_request AADSTS90002', async () => {
      const d = assertEntraError(
        await tokenRequest(h, appTokenForm(), { tenant: 'fabrikam.onmicrosoft.com' }),
        400,
        'invalid_request',
        90002,
      );
      assert.match(d, /Tenant 'fabrikam.onmicrosoft.com' not found/);
    });

    it('unknown client: 400 unauthorized_client AADSTS700016', async () => {
      const other = 'bbbbbbbb-0000-4000-8000-000000000009';
      const d = assertEntraError(await tokenRequest(h, appTokenForm({ client_id: other })), 400, 'unauthorized_client', 700016);
      assert.match(d, new RegExp(`Application with identifier '${other}' was not found in the directory 'Contoso'`));
      assertEntraError(await tokenRequest(h, passwordForm('bob', { client_id: other })), 400, 'unauthorized_client', 700016);
    });

    it('unsupported grant: 400 unsupported_grant_type AADSTS70003', async () => {
      assertEntraError(
        await tokenRequest(h, appTokenForm({ grant_type: 'urn:ietf:params:oauth:grant-type:saml1_1-bearer' })),
        400,
        'unsupported_grant_type',
        70003,
      );
    });

    it('missing grant_type, client_id or scope: 400 invalid_request AADSTS900144', async () => {
      for (const name of ['grant_type', 'client_id', 'scope']) {
        const form = appTokenForm();
        delete form[name];
        const d = assertEntraError(await tokenRequest(h, form), 400, 'invalid_request', 900144);
        assert.match(d, new RegExp(`'${name}'`));
      }
    });

    it('a body that is not form-encoded reads as missing grant_type', async () => {
      const res = await h.app.fastify.inject({
        method: 'POST',
        url: `/${TENANT_ID}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(appTokenForm()),
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json().error_codes, [900144]);
      const text = await h.app.fastify.inject({
        method: 'POST',
        url: `/${TENANT_ID}/oauth2/v2.0/token`,
        headers: { 'content-type': 'text/plain' },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(text.statusCode, 400);
      assert.deepEqual(text.json().error_codes, [900144]);
    });

    it("uses the client's client-request-id as the correlation id", async () => {
      const res = await tokenRequest(h, appTokenForm({ client_secret: 'x' }), { headers: { 'client-request-id': 'abc-123' } });
      assert.equal(res.body.correlation_id, 'abc-123');
      assert.match(String(res.body.error_description), /Correlation ID: abc-123/);
    });

    it('never logs the password or the secret', async () => {
      const lines: string[] = [];
      const { default: pino } = await import('pino');
      const logger = pino({ level: 'trace' }, { write: (l: string) => void lines.push(l) });
      const { buildApp } = await import('../../src/app.js');
      const { registerAuthorityRoutes } = await import('../../src/identity/authority-routes.js');
      const argon2 = (await import('argon2')).default;
      const app = await buildApp({ ...h.app.deps, logger }, [
        (a) => registerAuthorityRoutes(a, { keys: h.keys, verifySecret: (x, y) => argon2.verify(x, y) }),
      ]);
      try {
        for (const form of [
          passwordForm('bob'),
          passwordForm('bob', { password: 'Wrong-Pass-1' }),
          appTokenForm({ client_secret: 'Wrong-Secret-1' }),
        ]) {
          const res = await app.fastify.inject({
            method: 'POST',
            url: `/${TENANT_ID}/oauth2/v2.0/token`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: new URLSearchParams(form).toString(),
          });
          if (res.statusCode === 200) lines.push(`TOKEN:${res.json().access_token}`);
        }
      } finally {
        await app.fastify.close();
      }
      const token = lines.find((l) => l.startsWith('TOKEN:'))?.slice(6);
      const logged = lines.filter((l) => !l.startsWith('TOKEN:')).join('\n');
      assert.ok(logged.length > 0, 'something was logged');
      for (const secret of [APP_SECRET, 'Correct-Horse-7', 'Wrong-Pass-1', 'Wrong-Secret-1', token ?? 'no-token']) {
        assert.ok(!logged.includes(secret), `log must not contain ${secret.slice(0, 8)}…`);
      }
      assert.ok(token, 'one request succeeded');
    });
  });
});
