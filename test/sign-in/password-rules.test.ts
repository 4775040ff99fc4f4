/**
 * The one password check every sign-in uses: smart lockout (tenant settings, tenant time,
 * AADSTS50053 even for the right password, growing on repeat), must-change-password (AADSTS50055
 * on the password grant; the sign-in page asks for a new password under the policy), and the
 * device-code grant's polling answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import argon2 from 'argon2';
import { aadsts, obtainCode, pkce, postSignIn, tokenRequest } from './support/http-flows.js';
import {
  DOMAIN,
  eventually,
  postForm,
  PUBLIC_APP,
  startSignInServer,
  TENANT_ID,
  USERS,
  WEB_APP,
  type SignInServer,
} from './support/sign-in-harness.js';

describe('password rules and device-code polling', { timeout: 60_000 }, () => {
  let server: SignInServer;
  before(async () => {
    server = await startSignInServer();
  });
  after(() => server.close());

  const passwordGrant = (upn: string, password: string) =>
    tokenRequest(server, {
      grant_type: 'password',
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      username: upn,
      password,
      scope: 'User.Read',
    });
  const moveClock = (ms: number) => server.store.tenantClocks.advance(TENANT_ID, ms, Date.now());

  it('smart lockout: after 3 failures a Global Administrator is locked (AADSTS50053) even with the right password, until the duration passes', async () => {
    const hal = USERS.hal!;
    for (let i = 0; i < 3; i++) assert.equal(aadsts((await passwordGrant(hal.upn, `wrong-${i}`)).body), 50126);
    const locked = await passwordGrant(hal.upn, hal.password);
    assert.equal(locked.status, 400);
    assert.equal(locked.body.error, 'invalid_grant');
    assert.equal(aadsts(locked.body), 50053);
    // The sign-in page shares the check and says so in Entra's words.
    const page = await postSignIn(server, {
      clientId: WEB_APP.id,
      redirectUri: WEB_APP.redirectUri,
      username: hal.upn,
      password: hal.password,
    });
    assert.equal(page.status, 400);
    assert.match(await page.text(), /Your account is locked/);

    await moveClock(61_000);
    const unlocked = await eventually(async () => {
      const r = await passwordGrant(hal.upn, hal.password);
      return r.status === 200 ? r : undefined;
    });
    assert.equal(unlocked.status, 200);
  });

  it('a second lockout in a row lasts twice as long', async () => {
    const kim = USERS.kim!;
    const lockOnce = async () => {
      for (let i = 0; i < 3; i++) await passwordGrant(kim.upn, `wrong-${i}`);
      assert.equal(aadsts((await passwordGrant(kim.upn, kim.password)).body), 50053);
    };
    await lockOnce();
    const first = await server.store.signInSecurity.lockout(TENANT_ID, kim.id);
    await moveClock(61_000);
    // Once the first lockout is over (tenant time), three more failures lock it again; refusals
    // while still locked (AADSTS50053) do not count.
    await eventually(async () => (aadsts((await passwordGrant(kim.upn, 'wrong-again')).body) === 50126 ? true : undefined));
    await passwordGrant(kim.upn, 'wrong-x');
    await passwordGrant(kim.upn, 'wrong-y');
    const second = await server.store.signInSecurity.lockout(TENANT_ID, kim.id);
    assert.equal(first!.lockouts, 1);
    assert.equal(second!.lockouts, 2);
    assert.equal(second!.lockedUntil! - second!.windowStartedAt, 120_000);
  });

  it('must change password: the password grant answers AADSTS50055; the page asks for a new one and applies the policy', async () => {
    const jo = USERS.jo!;
    const hash = await argon2.hash(jo.password, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 });
    await server.store.directory.setPassword(TENANT_ID, jo.id, hash, true, Date.now());
    const grant = await passwordGrant(jo.upn, jo.password);
    assert.equal(aadsts(grant.body), 50055);

    const { verifier, challenge } = pkce();
    const base = { clientId: WEB_APP.id, redirectUri: WEB_APP.redirectUri, username: jo.upn, password: jo.password, challenge };
    const step = await postSignIn(server, base);
    assert.equal(step.status, 200);
    assert.match(await step.text(), /Update your password/);
    const weak = await postSignIn(server, { ...base, extra: { newPassword: 'password1', confirmPassword: 'password1' } });
    assert.match(await weak.text(), /rejected by the password policy/);
    const mismatch = await postSignIn(server, { ...base, extra: { newPassword: 'Quiet-Harbor-77!', confirmPassword: 'Quiet-Harbor-78!' } });
    assert.match(await mismatch.text(), /do not match/);
    const code = await obtainCode(server, { ...base, extra: { newPassword: 'Quiet-Harbor-77!', confirmPassword: 'Quiet-Harbor-77!' } });
    const tokens = await tokenRequest(server, {
      grant_type: 'authorization_code',
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      code,
      code_verifier: verifier,
      redirect_uri: WEB_APP.redirectUri,
    });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal((await passwordGrant(jo.upn, 'Quiet-Harbor-77!')).status, 200);
    assert.equal(aadsts((await passwordGrant(jo.upn, jo.password)).body), 50126);
  });

  it('device code: authorization_pending, slow_down when polled too fast, authorization_declined, expired_token', async () => {
    const start = async () =>
      (await postForm(server, `/${DOMAIN}/oauth2/v2.0/devicecode`, { client_id: PUBLIC_APP.id, scope: 'User.Read offline_access' })).body;
    const poll = (deviceCode: string) =>
      tokenRequest(server, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: PUBLIC_APP.id,
        device_code: deviceCode,
      });
    const flow = await start();
    assert.equal(flow.interval, 5);
    assert.equal(flow.expires_in, 900);
    const pending = await poll(flow.device_code as string);
    assert.equal(pending.body.error, 'authorization_pending');
    assert.equal(aadsts(pending.body), 70016);
    assert.equal((await poll(flow.device_code as string)).body.error, 'slow_down');

    const declined = await server.fetch(`${server.url}/devicelogin/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ otc: flow.user_code as string, action: 'cancel' }).toString(),
    });
    assert.equal(declined.status, 200);
    assert.equal((await poll(flow.device_code as string)).body.error, 'authorization_declined');

    const late = await start();
    await moveClock(16 * 60_000);
    const expired = await eventually(async () => {
      const r = await poll(late.device_code as string);
      return r.body.error === 'expired_token' ? r : undefined;
    });
    assert.equal(aadsts(expired.body), 70020);
  });
});
