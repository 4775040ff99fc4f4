/** The identity module's password sign-in, as the console uses it: no HTTP, same rules as the token endpoint. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testConfig } from '../../src/config/config.js';
import { DEMO_SIGN_IN } from '../../src/directory/demo-tenant.js';
import { EntraError } from '../../src/identity/entra-errors.js';
import { createSignIn, type SignIn } from '../../src/identity/sign-in.js';
import { SigningKeys } from '../../src/identity/signing-keys.js';
import { createAuthenticator } from '../../src/identity/token-verifier.js';
import { verifyPassword } from '../../src/passwords/hashing.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { Store } from '../../src/storage/store.js';
import { DEMO, DEMO_TENANT, demoStore, NOW, ROLES } from './demo-store.js';

describe('signIn', () => {
  let store: Store;
  let signIn: SignIn;

  before(async () => {
    store = await demoStore();
    const clock = new ManualClock(NOW);
    const config = testConfig();
    const keys = new SigningKeys(store, clock);
    const deps = { store, clock, config, publicUrl: 'http://test' };
    signIn = createSignIn({ ...deps, keys, verifySecret: verifyPassword, authenticator: createAuthenticator({ ...deps, keys }) });
  });
  after(async () => {
    await store.close();
  });

  const request = (username: string, password: string, tenant = DEMO_SIGN_IN.domain) => ({
    tenant,
    username,
    password,
    clientId: DEMO_SIGN_IN.clientId,
    clientSecret: DEMO_SIGN_IN.clientSecret,
  });

  it('returns a delegated token and the principal every Graph route will see', async () => {
    const signedIn = await signIn(request(DEMO.privAuthAdmin.upn, DEMO.privAuthAdmin.password));
    assert.match(signedIn.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(signedIn.expiresIn > 0);
    assert.equal(signedIn.principal.kind, 'user');
    assert.equal(signedIn.principal.tenantId, DEMO_TENANT);
    assert.equal(signedIn.principal.objectId, DEMO.privAuthAdmin.id);
    assert.ok(signedIn.principal.roleTemplateIds.has(ROLES.privilegedAuthenticationAdministrator));
  });

  it("refuses a wrong password and an unknown tenant with the token endpoint's AADSTS codes", async () => {
    const refused = async (r: ReturnType<typeof request>, code: number) =>
      assert.rejects(signIn(r), (e: unknown) => e instanceof EntraError && e.aadsts === code);
    await refused(request(DEMO.megan.upn, 'not-her-password'), 50126);
    await refused(request(DEMO.megan.upn, DEMO.megan.password, 'nowhere.example'), 90002);
  });
});

describe('signIn after the tenant clock moved', () => {
  it('issues a token on tenant time, so the verifier accepts it after a 2-hour advance', async () => {
    const store = await demoStore();
    try {
      const clock = new ManualClock(NOW);
      const deps = { store, clock, config: testConfig(), publicUrl: 'http://test' };
      const keys = new SigningKeys(store, clock);
      const signIn = createSignIn({ ...deps, keys, verifySecret: verifyPassword, authenticator: createAuthenticator({ ...deps, keys }) });
      await store.tenantClocks.advance(DEMO_TENANT, 7_200_000, clock.now());
      const signedIn = await signIn({
        tenant: DEMO_SIGN_IN.domain,
        username: DEMO.privAuthAdmin.upn,
        password: DEMO.privAuthAdmin.password,
        clientId: DEMO_SIGN_IN.clientId,
        clientSecret: DEMO_SIGN_IN.clientSecret,
      });
      assert.equal(signedIn.principal.tenantId, DEMO_TENANT);
      const iat = (JSON.parse(Buffer.from(signedIn.accessToken.split('.')[1]!, 'base64url').toString()) as { iat: number }).iat;
      assert.equal(iat, Math.floor((NOW + 7_200_000) / 1000));
    } finally {
      await store.close();
    }
  });
});
