import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { DEFAULT_USER_ROLE_TEMPLATE_ID, ROLE } from '../../src/directory/roles.js';
import { CONSUMER_TENANT_ID } from '../../src/identity/principal.js';
import { servicePrincipalId } from '../../src/identity/token-issuer.js';
import {
  CONFIDENTIAL_APP,
  PUBLIC_APP,
  START,
  TENANT_ID,
  USERS,
  appTokenForm,
  buildHarness,
  getToken,
  passwordForm,
  upn,
  type Harness,
} from '../support/identity.js';
import { personalAccountToken } from '../support/personal-token.js';

/** The personal account signs in only interactively (the password grant refuses it, as Entra's does). */
const PERSONAL = { tenant: TENANT_ID, user: USERS.personal, clientId: CONFIDENTIAL_APP, scopes: ['https://graph.microsoft.com/.default'] };

describe('token claims', () => {
  let h: Harness;
  before(async () => {
    h = await buildHarness();
  });
  after(async () => {
    await h.close();
  });

  describe('app token (client_credentials)', () => {
    let claims: Record<string, unknown>;
    let token: string;
    before(async () => {
      ({ claims, token } = await getToken(h, appTokenForm()));
    });

    it('has an RS256 JWT header with the signing kid', async () => {
      const header = decodeProtectedHeader(token);
      const kid = (await h.keys.signingKey()).kid;
      // Entra's v1.0 header, in its order: x5t beside kid, the same thumbprint.
      assert.deepEqual(header, { typ: 'JWT', alg: 'RS256', x5t: kid, kid });
      assert.deepEqual(Object.keys(header), ['typ', 'alg', 'x5t', 'kid']);
    });
    it('aud is the Graph root of the cloud', () => assert.equal(claims.aud, 'https://graph.microsoft.com'));
    it('iss is {publicUrl}/{tid}/ (v1.0 style)', () => assert.equal(claims.iss, `http://longrun.test/${TENANT_ID}/`));
    it('tid is the tenant', () => assert.equal(claims.tid, TENANT_ID));
    it('idtyp is app', () => assert.equal(claims.idtyp, 'app'));
    it('roles are the granted application permissions', () =>
      assert.deepEqual(claims.roles, ['RoleManagementAlert.Read.Directory', 'UserAuthenticationMethod.Read.All']));
    it('has no scp and no wids', () => {
      assert.equal('scp' in claims, false);
      assert.equal('wids' in claims, false);
    });
    it('oid and sub are a stable service-principal id', () => {
      assert.equal(claims.oid, servicePrincipalId(TENANT_ID, CONFIDENTIAL_APP));
      assert.equal(claims.sub, claims.oid);
      assert.match(String(claims.oid), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(servicePrincipalId(TENANT_ID, PUBLIC_APP), claims.oid);
    });
    it("appid and appidacr 1 (secret), without v2.0's azp/azpacr", () => {
      assert.equal(claims.appid, CONFIDENTIAL_APP);
      assert.equal(claims.appidacr, '1');
      assert.equal('azp' in claims, false);
      assert.equal('azpacr' in claims, false);
    });
    it('ver is 1.0; iat = nbf = now; exp - iat = 3599', () => {
      assert.equal(claims.ver, '1.0');
      assert.equal(claims.iat, START / 1000);
      assert.equal(claims.nbf, START / 1000);
      assert.equal(Number(claims.exp) - Number(claims.iat), 3599);
    });
    it('uti is unique per token', async () => {
      const again = await getToken(h, appTokenForm());
      assert.equal(typeof claims.uti, 'string');
      assert.notEqual(again.claims.uti, claims.uti);
    });
  });

  describe('user token (password)', () => {
    it('scp = requested ∩ what the app may request', async () => {
      const { claims } = await getToken(
        h,
        passwordForm('bob', {
          scope: 'https://graph.microsoft.com/user.read RoleManagementAlert.Read.Directory Directory.ReadWrite.All openid',
        }),
      );
      assert.equal(claims.scp, 'RoleManagementAlert.Read.Directory User.Read');
    });

    it('scp for {graph}/.default is every delegated permission of the app', async () => {
      const { claims } = await getToken(h, passwordForm('bob'));
      assert.equal(claims.scp, 'RoleManagementAlert.Read.Directory UserAuthenticationMethod.ReadWrite.All User.Read');
    });

    it('has idtyp user, oid, names, acct 0 and no roles', async () => {
      const { claims } = await getToken(h, passwordForm('bob'));
      assert.equal(claims.idtyp, 'user');
      assert.equal(claims.oid, USERS.bob);
      assert.equal(claims.upn, upn('bob'));
      assert.equal(claims.unique_name, upn('bob'));
      assert.equal(claims.name, 'Bob');
      assert.equal(claims.acct, 0);
      assert.equal('roles' in claims, false);
      assert.equal(claims.tid, TENANT_ID);
      assert.equal(claims.iss, `http://longrun.test/${TENANT_ID}/`);
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.equal(Number(claims.exp) - Number(claims.iat), 3599);
    });

    it('sub is pairwise: differs per application', async () => {
      const a = await getToken(h, passwordForm('bob', { scope: 'User.Read' }));
      const { client_secret: _s, ...form } = passwordForm('bob', { client_id: PUBLIC_APP, scope: 'User.Read' });
      const b = await getToken(h, form);
      assert.notEqual(a.claims.sub, b.claims.sub);
      assert.notEqual(a.claims.sub, USERS.bob);
      assert.equal(b.claims.appidacr, '0');
      assert.equal(a.claims.appidacr, '1');
    });

    it('wids of a member with no role: only the default user role', async () => {
      const { claims } = await getToken(h, passwordForm('bob'));
      assert.deepEqual(claims.wids, [DEFAULT_USER_ROLE_TEMPLATE_ID]);
    });

    it('wids: active roles + default role; not eligible, expired or AU-scoped ones', async () => {
      const { claims } = await getToken(h, passwordForm('alice'));
      assert.deepEqual(
        [...(claims.wids as string[])].sort(),
        [ROLE.privilegedRoleAdministrator, ROLE.authenticationAdministrator, DEFAULT_USER_ROLE_TEMPLATE_ID].sort(),
      );
    });

    it('wids drop an assignment once its end time has passed', async () => {
      h.clock.set(START + 2 * 86_400_000);
      try {
        const { claims } = await getToken(h, passwordForm('alice'));
        assert.deepEqual([...(claims.wids as string[])].sort(), [ROLE.privilegedRoleAdministrator, DEFAULT_USER_ROLE_TEMPLATE_ID].sort());
      } finally {
        h.clock.set(START);
      }
    });

    it('guest: acct 1, roles without the member default role', async () => {
      const { claims } = await getToken(h, passwordForm('guest'));
      assert.equal(claims.acct, 1);
      assert.deepEqual(claims.wids, [ROLE.globalReader]);
    });

    it('personal account: consumer tid and issuer, no wids', async () => {
      const claims = decodeJwt(await personalAccountToken(h, PERSONAL));
      assert.equal(claims.tid, CONSUMER_TENANT_ID);
      assert.equal(claims.iss, `http://longrun.test/${CONSUMER_TENANT_ID}/`);
      assert.deepEqual(claims.wids, []);
      assert.equal(claims.oid, USERS.personal);
    });

    it('aud follows the configured cloud', async () => {
      const gov = await buildHarness({ config: { cloud: (await import('../../src/config/clouds.js')).CLOUDS.usgovl4 } });
      try {
        const { claims } = await getToken(gov, passwordForm('bob', { scope: 'https://graph.microsoft.us/User.Read' }));
        assert.equal(claims.aud, 'https://graph.microsoft.us');
        assert.equal(claims.scp, 'User.Read');
      } finally {
        await gov.close();
      }
    });
  });
});
