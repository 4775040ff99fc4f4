/**
 * Ending sign-in sessions: Graph's revokeSignInSessions (permission and roles as documented),
 * and a password reset, both refuse the user's refresh tokens afterwards (AADSTS50173). Reset
 * rules: a target merely *eligible* for Global Administrator, or holding a role scoped to an
 * administrative unit, is protected as if it held the role; a reset response carrying the new
 * password is `no-store`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { aadsts, obtainCode, pkce, tokenRequest } from './support/http-flows.js';
import { eventually, startSignInServer, TENANT_ID, USERS, WEB_APP, type SignInServer } from './support/sign-in-harness.js';

const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

describe('session revocation and reset rules', { timeout: 60_000 }, () => {
  let server: SignInServer;
  before(async () => {
    server = await startSignInServer();
  });
  after(() => server.close());

  const signIn = async (user: { upn: string; password: string }, scope = 'openid offline_access User.Read') => {
    const { verifier, challenge } = pkce();
    const code = await obtainCode(server, {
      clientId: WEB_APP.id,
      redirectUri: WEB_APP.redirectUri,
      username: user.upn,
      password: user.password,
      challenge,
      scope,
    });
    const res = await tokenRequest(server, {
      grant_type: 'authorization_code',
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      code,
      code_verifier: verifier,
      redirect_uri: WEB_APP.redirectUri,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { accessToken: res.body.access_token as string, refreshToken: res.body.refresh_token as string };
  };
  const refresh = (refreshToken: string) =>
    tokenRequest(server, {
      grant_type: 'refresh_token',
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      refresh_token: refreshToken,
    });
  const post = (path: string, token: string, body: unknown = undefined) =>
    server.fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('POST /me/revokeSignInSessions answers {"value": true}; the refresh token is refused afterwards', async () => {
    const { accessToken, refreshToken } = await signIn(USERS.ned!, 'openid offline_access User.RevokeSessions.All');
    const res = await post('/v1.0/me/revokeSignInSessions', accessToken);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(body, { '@odata.context': `${server.url}/v1.0/$metadata#Edm.Boolean`, value: true });
    assert.equal(aadsts((await refresh(refreshToken)).body), 50173);
    // A new sign-in works again.
    const again = await signIn(USERS.ned!);
    assert.equal((await refresh(again.refreshToken)).status, 200);
  });

  it('revoking another user needs a user-management role: User Administrator yes, Authentication Administrator no', async () => {
    const target = await signIn(USERS.ben!);
    const lu = await signIn(USERS.lu!, 'User.RevokeSessions.All');
    const refused = await post(`/v1.0/users/${USERS.ben!.id}/revokeSignInSessions`, lu.accessToken);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'Authorization_RequestDenied');
    assert.equal((await refresh(target.refreshToken)).status, 200, 'nothing was revoked');

    const max = await signIn(USERS.max!, 'User.RevokeSessions.All');
    const target2 = await signIn(USERS.ben!);
    const ok = await post(`/beta/users/${USERS.ben!.upn}/revokeSignInSessions`, max.accessToken);
    assert.equal(ok.status, 200);
    assert.equal(aadsts((await refresh(target2.refreshToken)).body), 50173);
  });

  it('a password reset revokes the refresh tokens; its response carrying the password is no-store', async () => {
    const target = await signIn(USERS.cy!);
    const lu = await signIn(USERS.lu!, 'UserAuthenticationMethod.ReadWrite.All');
    const res = await post(`/v1.0/users/${USERS.cy!.id}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, lu.accessToken, {});
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(typeof ((await res.json()) as { newPassword?: string }).newPassword, 'string');
    // The reset is an operation: once it ran, the old refresh token is dead.
    await eventually(async () => ((await server.store.signInSecurity.generation(TENANT_ID, USERS.cy!.id)) > 0 ? true : undefined));
    assert.equal(aadsts((await refresh(target.refreshToken)).body), 50173);
  });

  it('a user eligible for Global Administrator is protected as if active: an Authentication Administrator cannot reset them', async () => {
    const lu = await signIn(USERS.lu!, 'UserAuthenticationMethod.ReadWrite.All');
    const res = await post(`/v1.0/users/${USERS.ivy!.id}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, lu.accessToken, {});
    assert.equal(res.status, 403);
    const body = (await res.json()) as { error: { message: string } };
    assert.match(body.error.message, /Global Administrator/);
  });

  it('a role scoped to an administrative unit protects as if tenant-wide', async () => {
    const lu = await signIn(USERS.lu!, 'UserAuthenticationMethod.ReadWrite.All');
    const res = await post(`/v1.0/users/${USERS.ola!.id}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, lu.accessToken, {});
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /User Administrator/);
  });
});
