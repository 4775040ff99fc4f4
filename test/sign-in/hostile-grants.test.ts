/**
 * Hostile use of the authorization-code and refresh-token grants: replayed codes (also two at
 * once), wrong verifier or redirect URI, unregistered redirect URIs, public clients without
 * PKCE, refresh tokens reused after rotation, revoked, or presented by another client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { aadsts, obtainCode, pkce, postSignIn, redeemCode, tokenRequest } from './support/http-flows.js';
import {
  DOMAIN,
  eventually,
  graphGet,
  PUBLIC_APP,
  startSignInServer,
  TENANT_ID,
  USERS,
  WEB_APP,
  type SignInServer,
} from './support/sign-in-harness.js';

describe('authorization code and refresh token: hostile requests', { timeout: 60_000 }, () => {
  let server: SignInServer;
  before(async () => {
    server = await startSignInServer();
  });
  after(() => server.close());

  const webCode = async (user = USERS.eve!) => {
    const { verifier, challenge } = pkce();
    const code = await obtainCode(server, {
      clientId: WEB_APP.id,
      redirectUri: WEB_APP.redirectUri,
      username: user.upn,
      password: user.password,
      challenge,
    });
    return { code, verifier };
  };
  const webRedeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    redeemCode(server, {
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      code,
      code_verifier: verifier,
      redirect_uri: WEB_APP.redirectUri,
      ...extra,
    });

  it('a code is redeemed once: tokens with id_token, refresh token and client_info; a replay gets AADSTS54005', async () => {
    const { code, verifier } = await webCode();
    const first = await webRedeem(code, verifier);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.headers.get('cache-control'), 'no-store, no-cache', "Entra's token-answer caching headers");
    const id = decodeJwt(first.body.id_token as string);
    assert.equal(id.aud, WEB_APP.id);
    assert.equal(id.iss, `${server.url}/${TENANT_ID}/v2.0`);
    assert.equal(id.nonce, 'nn');
    assert.equal(id.preferred_username, USERS.eve!.upn);
    assert.equal(id.ver, '2.0');
    assert.deepEqual(JSON.parse(Buffer.from(first.body.client_info as string, 'base64url').toString()), {
      uid: USERS.eve!.id,
      utid: TENANT_ID,
    });
    assert.equal(typeof first.body.refresh_token, 'string');
    const replay = await webRedeem(code, verifier);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(aadsts(replay.body), 54005);
  });

  it('two redemptions of one code at once: exactly one succeeds', async () => {
    const { code, verifier } = await webCode();
    const results = await Promise.all([webRedeem(code, verifier), webRedeem(code, verifier), webRedeem(code, verifier)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400]);
  });

  it('a wrong code_verifier gets AADSTS501481, a wrong redirect_uri AADSTS500112', async () => {
    const { code, verifier } = await webCode();
    const wrongVerifier = await webRedeem(code, pkce().verifier);
    assert.equal(aadsts(wrongVerifier.body), 501481);
    const wrongRedirect = await webRedeem(code, verifier, { redirect_uri: 'http://localhost/web/other' });
    assert.equal(aadsts(wrongRedirect.body), 500112);
    const noVerifier = await redeemCode(server, {
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      code,
      redirect_uri: WEB_APP.redirectUri,
    });
    assert.equal(aadsts(noVerifier.body), 501481);
  });

  it('a code issued to one client is refused to another', async () => {
    const { code, verifier } = await webCode();
    const res = await redeemCode(server, { client_id: PUBLIC_APP.id, code, code_verifier: verifier, redirect_uri: WEB_APP.redirectUri });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('an expired code (tenant time moved 11 minutes) gets AADSTS70008', async () => {
    const { code, verifier } = await webCode();
    await server.store.tenantClocks.advance(TENANT_ID, 11 * 60_000, Date.now());
    try {
      // The authority caches the tenant offset for up to a second; a wrong verifier keeps the code
      // unredeemed (AADSTS501481) until the new time is seen, then expiry comes first.
      const res = await eventually(async () => {
        const r = await webRedeem(code, pkce().verifier);
        return aadsts(r.body) === 70008 ? r : undefined;
      });
      assert.equal(res.body.error, 'invalid_grant');
      assert.equal(aadsts((await webRedeem(code, verifier)).body), 70008);
    } finally {
      await server.store.sql.execute(`UPDATE tenant_clocks SET offset_ms = 0 WHERE tenant_id = ?`, [TENANT_ID]);
    }
  });

  it('an unregistered redirect URI is refused on a page (AADSTS50011), never redirected to', async () => {
    const res = await postSignIn(server, {
      clientId: WEB_APP.id,
      redirectUri: 'https://evil.example/callback',
      username: USERS.eve!.upn,
      password: USERS.eve!.password,
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /AADSTS50011/);
    const get = await server.fetch(
      `${server.url}/${DOMAIN}/oauth2/v2.0/authorize?client_id=${WEB_APP.id}&response_type=code&redirect_uri=${encodeURIComponent('http://localhost/web/callback/')}&scope=User.Read`,
      { redirect: 'manual' },
    );
    assert.equal(get.status, 400, 'a trailing slash is not the registered URI');
  });

  it('a public client must use PKCE; with it, it redeems without a secret', async () => {
    const refused = await postSignIn(server, {
      clientId: PUBLIC_APP.id,
      redirectUri: PUBLIC_APP.redirectUri,
      username: USERS.eve!.upn,
      password: USERS.eve!.password,
    });
    assert.equal(refused.status, 302);
    const back = new URL(refused.headers.get('location')!);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description')!, /^AADSTS9002325/);
    assert.equal(back.searchParams.get('state'), 'st');

    const { verifier, challenge } = pkce();
    const code = await obtainCode(server, {
      clientId: PUBLIC_APP.id,
      redirectUri: PUBLIC_APP.redirectUri,
      username: USERS.eve!.upn,
      password: USERS.eve!.password,
      challenge,
    });
    const res = await redeemCode(server, { client_id: PUBLIC_APP.id, code, code_verifier: verifier, redirect_uri: PUBLIC_APP.redirectUri });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(decodeJwt(res.body.access_token as string).appidacr, '0');
  });

  it('a refresh token rotates; reusing the old one revokes the whole family', async () => {
    const { code, verifier } = await webCode(USERS.fay);
    const first = await webRedeem(code, verifier);
    const refresh = (token: string, extra: Record<string, string> = {}) =>
      tokenRequest(server, {
        grant_type: 'refresh_token',
        client_id: WEB_APP.id,
        client_secret: WEB_APP.secret,
        refresh_token: token,
        ...extra,
      });
    const second = await refresh(first.body.refresh_token as string);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.notEqual(second.body.refresh_token, first.body.refresh_token);
    assert.equal((await graphGet(server, '/v1.0/me', second.body.access_token as string)).status, 200);

    const reused = await refresh(first.body.refresh_token as string);
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');
    assert.equal(aadsts(reused.body), 70000);
    // The successor was revoked with its family: whoever holds it must sign in again.
    const successor = await refresh(second.body.refresh_token as string);
    assert.equal(aadsts(successor.body), 50173);
  });

  it('a refresh token is bound to its client, and refused after revocation or when the account is disabled', async () => {
    const { code, verifier } = await webCode(USERS.gus);
    const tokens = await webRedeem(code, verifier);
    const other = await tokenRequest(server, {
      grant_type: 'refresh_token',
      client_id: PUBLIC_APP.id,
      refresh_token: tokens.body.refresh_token as string,
    });
    assert.equal(other.body.error, 'invalid_grant');

    await server.store.signInSecurity.revokeSessions(TENANT_ID, USERS.gus!.id, Date.now());
    const revoked = await tokenRequest(server, {
      grant_type: 'refresh_token',
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      refresh_token: tokens.body.refresh_token as string,
    });
    assert.equal(aadsts(revoked.body), 50173);

    const again = await webRedeem(...(Object.values(await webCode(USERS.gus)) as [string, string]));
    await server.store.directory.setAccountEnabled(TENANT_ID, USERS.gus!.id, false);
    try {
      const disabled = await tokenRequest(server, {
        grant_type: 'refresh_token',
        client_id: WEB_APP.id,
        client_secret: WEB_APP.secret,
        refresh_token: again.body.refresh_token as string,
      });
      assert.equal(aadsts(disabled.body), 50057);
    } finally {
      await server.store.directory.setAccountEnabled(TENANT_ID, USERS.gus!.id, true);
    }
  });

  it('an unknown refresh token or code gets AADSTS9002313', async () => {
    const res = await tokenRequest(server, {
      grant_type: 'refresh_token',
      client_id: WEB_APP.id,
      client_secret: WEB_APP.secret,
      refresh_token: 'not-a-token',
    });
    assert.equal(aadsts(res.body), 9002313);
    const code = await webRedeem('not-a-code', 'x');
    assert.equal(aadsts(code.body), 9002313);
  });

  it('codes and refresh tokens are stored only as hashes', async () => {
    const { code, verifier } = await webCode(USERS.eve);
    const tokens = await webRedeem(code, verifier);
    const codes = await server.store.sql.query<{ code_hash: string }>(`SELECT code_hash FROM authorization_codes`);
    assert.ok(codes.length > 0 && codes.every((c) => c.code_hash !== code && /^[0-9a-f]{64}$/.test(c.code_hash)));
    const refresh = await server.store.sql.query<{ token_hash: string }>(`SELECT token_hash FROM refresh_tokens`);
    assert.ok(refresh.every((r) => r.token_hash !== tokens.body.refresh_token));
  });
});
