import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, base64url, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { createHmac } from 'node:crypto';
import { CONSUMER_TENANT_ID } from '../../src/identity/principal.js';
import { ROLE, DEFAULT_USER_ROLE_TEMPLATE_ID } from '../../src/directory/roles.js';
import {
  CONFIDENTIAL_APP,
  START,
  TENANT_ID,
  USERS,
  appTokenForm,
  buildHarness,
  getToken,
  passwordForm,
  whoami,
  type Harness,
} from '../support/identity.js';
import { personalAccountToken } from '../support/personal-token.js';

const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="http://longrun.test/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

describe('token verification', () => {
  let h: Harness;
  let appToken: { token: string; claims: Record<string, unknown> };
  before(async () => {
    h = await buildHarness();
    appToken = await getToken(h, appTokenForm());
  });
  after(async () => {
    await h.close();
  });

  /** Signs arbitrary claims with the real key (or another), for misuse cases. */
  async function sign(claims: Record<string, unknown>, options: { kid?: string; key?: CryptoKey } = {}): Promise<string> {
    const real = await h.keys.signingKey();
    return new SignJWT({ ...appToken.claims, ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? real.kid })
      .sign(options.key ?? real.privateKey);
  }

  async function assertRejected(authorization: string | undefined, message: string) {
    const res = await whoami(h, authorization);
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.equal(res.headers['www-authenticate'], WWW_AUTHENTICATE);
    const error = res.body.error as Record<string, unknown>;
    assert.equal(error.code, 'InvalidAuthenticationToken');
    assert.equal(error.message, message);
  }

  describe('accepts', () => {
    it('an app token: kind app, roles, service-principal oid', async () => {
      const res = await whoami(h, `Bearer ${appToken.token}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        kind: 'app',
        tenantId: TENANT_ID,
        objectId: appToken.claims.oid,
        appId: CONFIDENTIAL_APP,
        scopes: [],
        appPermissions: ['RoleManagementAlert.Read.Directory', 'UserAuthenticationMethod.Read.All'],
        roleTemplateIds: [],
        personal: false,
        expiresAt: appToken.claims.exp,
      });
    });

    it('a user token: kind user, scopes, role template ids', async () => {
      const { token } = await getToken(h, passwordForm('alice', { scope: 'User.Read' }));
      const res = await whoami(h, `Bearer ${token}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.kind, 'user');
      assert.equal(res.body.objectId, USERS.alice);
      assert.deepEqual(res.body.scopes, ['User.Read']);
      assert.deepEqual(res.body.appPermissions, []);
      assert.deepEqual(
        res.body.roleTemplateIds,
        [ROLE.authenticationAdministrator, ROLE.privilegedRoleAdministrator, DEFAULT_USER_ROLE_TEMPLATE_ID].sort(),
      );
      assert.equal(res.body.personal, false);
    });

    it('a personal account token: personal, consumer tenant, no roles', async () => {
      // Interactive flows only: the password grant refuses personal accounts, as Entra's does.
      const token = await personalAccountToken(h, {
        tenant: TENANT_ID,
        user: USERS.personal,
        clientId: CONFIDENTIAL_APP,
        scopes: ['https://graph.microsoft.com/.default'],
      });
      const res = await whoami(h, `Bearer ${token}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.personal, true);
      assert.equal(res.body.tenantId, CONSUMER_TENANT_ID);
      assert.deepEqual(res.body.roleTemplateIds, []);
    });

    it("Graph's app id as audience", async () => {
      const res = await whoami(h, `Bearer ${await sign({ aud: '00000003-0000-0000-c000-000000000000' })}`);
      assert.equal(res.status, 200);
    });

    it('a token just past exp but within the 5-minute clock tolerance', async () => {
      h.clock.set(START + (3599 + 240) * 1000);
      try {
        assert.equal((await whoami(h, `Bearer ${appToken.token}`)).status, 200);
      } finally {
        h.clock.set(START);
      }
    });
  });

  describe('refuses with 401 InvalidAuthenticationToken and WWW-Authenticate', () => {
    it('no token', () => assertRejected(undefined, 'Access token is empty.'));
    it('an empty bearer', () => assertRejected('Bearer ', 'Access token is empty.'));
    it('another scheme', () => assertRejected(`Basic ${Buffer.from('a:b').toString('base64')}`, 'Access token is empty.'));
    it('a malformed token', () => assertRejected('Bearer not-a-jwt', 'CompactToken parsing failed with error code: 80049217'));
    it('a token with a garbage payload', () =>
      assertRejected(`Bearer ${appToken.token.split('.')[0]}.%%%.abc`, 'CompactToken parsing failed with error code: 80049217'));

    it('alg none', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const payload = base64url.encode(JSON.stringify(appToken.claims));
      await assertRejected(`Bearer ${header}.${payload}.`, 'Access token validation failure.');
    });

    it('HS256 signed with the public key as the HMAC secret', async () => {
      const kid = (await h.keys.signingKey()).kid;
      const jwks = (await h.app.fastify.inject({ method: 'GET', url: '/common/discovery/v2.0/keys' })).json();
      for (const secret of [JSON.stringify(jwks.keys[0]), jwks.keys[0].n as string]) {
        const header = base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid }));
        const payload = base64url.encode(JSON.stringify(appToken.claims));
        const mac = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
        await assertRejected(`Bearer ${header}.${payload}.${mac}`, 'Access token validation failure.');
      }
    });

    it('a foreign RSA key under the same kid', async () => {
      const foreign = await generateKeyPair('RS256');
      assert.ok((await exportSPKI(foreign.publicKey)).length > 0);
      await assertRejected(`Bearer ${await sign({}, { key: foreign.privateKey })}`, 'Access token validation failure.');
    });

    it('an unknown kid', async () => {
      await assertRejected(`Bearer ${await sign({}, { kid: 'no-such-kid' })}`, 'Access token validation failure.');
    });

    it('a tampered payload', async () => {
      const [header, , signature] = appToken.token.split('.');
      const payload = base64url.encode(JSON.stringify({ ...appToken.claims, roles: ['RoleManagementAlert.ReadWrite.Directory'] }));
      await assertRejected(`Bearer ${header}.${payload}.${signature}`, 'Access token validation failure.');
    });

    it('an expired token (clock moved past exp + tolerance)', async () => {
      h.clock.set(START + (3599 + 301) * 1000);
      try {
        await assertRejected(`Bearer ${appToken.token}`, 'Lifetime validation failed, the token is expired.');
      } finally {
        h.clock.set(START);
      }
    });

    it('a token accepted once is refused after it expires (the verified-token cache re-checks lifetime)', async () => {
      const accepted = await whoami(h, `Bearer ${appToken.token}`);
      assert.equal(accepted.status, 200);
      h.clock.set(START + (3599 + 301) * 1000);
      try {
        await assertRejected(`Bearer ${appToken.token}`, 'Lifetime validation failed, the token is expired.');
      } finally {
        h.clock.set(START);
      }
      assert.equal((await whoami(h, `Bearer ${appToken.token}`)).status, 200, 'valid again when the clock is back');
    });

    it('a token not yet valid', async () => {
      const later = START / 1000 + 3600;
      await assertRejected(
        `Bearer ${await sign({ nbf: later, iat: later, exp: later + 3599 })}`,
        'Lifetime validation failed, the token is not yet valid.',
      );
    });

    it('a wrong audience', async () => {
      await assertRejected(
        `Bearer ${await sign({ aud: 'https://management.azure.com' })}`,
        'Access token validation failure. Invalid audience.',
      );
    });

    it("another cloud's audience", async () => {
      await assertRejected(
        `Bearer ${await sign({ aud: 'https://graph.microsoft.us' })}`,
        'Access token validation failure. Invalid audience.',
      );
    });

    it('a wrong issuer', async () => {
      await assertRejected(`Bearer ${await sign({ iss: `https://sts.windows.net/${TENANT_ID}/` })}`, 'Access token validation failure.');
    });

    it("an issuer of another tenant than the token's tid", async () => {
      const other = '11111111-2222-4333-8444-555555555555';
      await assertRejected(`Bearer ${await sign({ iss: `http://longrun.test/${other}/` })}`, 'Access token validation failure.');
    });

    it('a tenant that does not exist', async () => {
      const other = '11111111-2222-4333-8444-555555555555';
      await assertRejected(
        `Bearer ${await sign({ tid: other, iss: `http://longrun.test/${other}/` })}`,
        'Access token validation failure.',
      );
    });

    it('a tenant that does not exist, every time: only a tenant found is remembered (tenants are never removed)', async () => {
      const reads: string[] = [];
      const reads0 = h.store.directoryReads.findTenant.bind(h.store.directoryReads);
      h.store.directoryReads.findTenant = (idOrDomain) => (reads.push(idOrDomain), reads0(idOrDomain));
      try {
        const other = '11111111-2222-4333-8444-555555555555';
        const foreign = `Bearer ${await sign({ tid: other, iss: `http://longrun.test/${other}/` })}`;
        await assertRejected(foreign, 'Access token validation failure.');
        await assertRejected(foreign, 'Access token validation failure.');
        // A fresh token of the real tenant (not one the verified-token cache holds), twice.
        const fresh = `Bearer ${await sign({ uti: 'tenant-memo' })}`;
        for (let i = 0; i < 2; i++) assert.equal((await whoami(h, fresh)).status, 200);
        assert.deepEqual(
          reads.filter((t) => t === other),
          [other, other],
          'a missing tenant is looked up again',
        );
        assert.ok(!reads.includes(TENANT_ID), `the tenant was found by earlier requests: not read again (${reads.join(', ')})`);
      } finally {
        h.store.directoryReads.findTenant = reads0;
      }
    });

    it('a token without exp', async () => {
      const { exp: _e, ...claims } = appToken.claims;
      const real = await h.keys.signingKey();
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: real.kid }).sign(real.privateKey);
      await assertRejected(`Bearer ${token}`, 'Access token validation failure.');
    });
  });
});

describe('verification across nodes', () => {
  it('a node with an empty cache verifies a token signed by a key another node created', async () => {
    const nodeA = await buildHarness();
    // Node B shares A's database but has its own SigningKeys cache, primed while no key existed.
    const nodeB = await buildHarness({ store: nodeA.store, clock: nodeA.clock });
    try {
      assert.equal(await nodeB.keys.publicKey('anything'), undefined);
      const { token } = await getToken(nodeA, appTokenForm());
      const res = await whoami(nodeB, `Bearer ${token}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.kind, 'app');
      // And B signs with the same key A created rather than making its own.
      assert.equal((await nodeB.keys.signingKey()).kid, (await nodeA.keys.signingKey()).kid);
      assert.equal((await nodeA.store.keys.all()).length, 1);
    } finally {
      await nodeB.close();
      await nodeA.close();
    }
  });
});
