/**
 * Microsoft's own libraries against the Longrun authority, the person played by Chromium:
 * MSAL Node's ConfidentialClientApplication auth-code flow with PKCE through the sign-in page,
 * then acquireTokenSilent after the access token expired (the refresh token is used and
 * rotated); PublicClientApplication.acquireTokenByDeviceCode completed on /devicelogin; and
 * @azure/identity's DeviceCodeCredential. Every token then calls a Graph route.
 */
import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { agentPolicy } from '@azure/core-rest-pipeline';
import { DeviceCodeCredential } from '@azure/identity';
import { ConfidentialClientApplication, CryptoProvider, PublicClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import type { Browser, BrowserContext } from 'playwright-core';
import { captureRedirect, launchBrowser, signInOnPage } from './support/browser.js';
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

const ACCESS_TOKEN_SECONDS = 2;

describe('MSAL and Azure Identity sign-in flows driven by Chromium (HTTPS, dev CA)', { timeout: 120_000 }, () => {
  let server: SignInServer;
  let browser: Browser;
  let context: BrowserContext;
  let host: string;

  before(async () => {
    server = await startSignInServer({ accessTokenLifetimeSeconds: ACCESS_TOKEN_SECONDS });
    host = new URL(server.url).host;
    ({ browser, context } = await launchBrowser());
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('ConfidentialClientApplication: auth code + PKCE through the sign-in page, then a silent refresh after expiry', async () => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: WEB_APP.id, clientSecret: WEB_APP.secret, authority: `${server.url}/${DOMAIN}`, knownAuthorities: [host] },
      system: { networkClient: server.msalNetwork },
    });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authUrl = await cca.getAuthCodeUrl({
      scopes: ['User.Read'],
      redirectUri: WEB_APP.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state: 'state-123',
      nonce: 'nonce-456',
    });
    assert.ok(authUrl.startsWith(`${server.url}/${DOMAIN}/oauth2/v2.0/authorize?`), authUrl);

    const page = await context.newPage();
    const arrived = captureRedirect(page, WEB_APP.redirectUri);
    await page.goto(authUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInOnPage(page, USERS.ada!.upn, USERS.ada!.password);
    const { url } = await arrived;
    await page.close();
    const back = new URL(url);
    assert.equal(back.searchParams.get('state'), 'state-123');
    const code = back.searchParams.get('code');
    assert.ok(code);

    const result = await cca.acquireTokenByCode(
      { code, scopes: ['User.Read'], redirectUri: WEB_APP.redirectUri, codeVerifier: verifier, state: 'state-123', nonce: 'nonce-456' },
      { code, state: 'state-123' },
    );
    assert.equal(result.account?.username, USERS.ada!.upn);
    assert.equal(result.account?.tenantId, TENANT_ID);
    assert.equal(result.idTokenClaims && (result.idTokenClaims as { nonce?: string }).nonce, 'nonce-456');
    assert.equal(decodeJwt(result.accessToken).scp, 'User.Read');
    assert.equal((await graphGet(server, '/v1.0/me', result.accessToken)).body.id, USERS.ada!.id);

    // Wait until the first access token really expired (MSAL compares against its own clock).
    await eventually(() => (Date.now() > result.expiresOn!.getTime() + 1000 ? true : undefined));
    const silent = await cca.acquireTokenSilent({ account: result.account, scopes: ['User.Read'] });
    assert.notEqual(silent.accessToken, result.accessToken);
    assert.ok(silent.expiresOn!.getTime() > result.expiresOn!.getTime());
    // The silent call redeemed the first refresh token: it is now rotated, and its successor is live.
    const rows = await server.store.sql.query<{ rotated_at: number | null }>(
      `SELECT rotated_at FROM refresh_tokens WHERE user_id = ? ORDER BY created_at`,
      [USERS.ada!.id],
    );
    assert.equal(rows.length, 2);
    assert.notEqual(rows[0]!.rotated_at, null);
    assert.equal(rows[1]!.rotated_at, null);
    assert.equal((await graphGet(server, '/v1.0/me', silent.accessToken)).status, 200);
  });

  it('response_mode=form_post posts code and state to the redirect URI', async () => {
    const cca = new ConfidentialClientApplication({
      auth: { clientId: WEB_APP.id, clientSecret: WEB_APP.secret, authority: `${server.url}/organizations`, knownAuthorities: [host] },
      system: { networkClient: server.msalNetwork },
    });
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const authUrl = await cca.getAuthCodeUrl({
      scopes: ['User.Read'],
      redirectUri: WEB_APP.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      responseMode: 'form_post',
      state: 'fp-state',
    });
    const page = await context.newPage();
    const arrived = captureRedirect(page, WEB_APP.redirectUri);
    await page.goto(authUrl);
    await signInOnPage(page, USERS.ben!.upn, USERS.ben!.password);
    const { form } = await arrived;
    await page.close();
    assert.equal(form?.get('state'), 'fp-state');
    const code = form.get('code')!;
    const result = await cca.acquireTokenByCode({ code, scopes: ['User.Read'], redirectUri: WEB_APP.redirectUri, codeVerifier: verifier });
    assert.equal(result.tenantId, TENANT_ID);
    assert.equal((await graphGet(server, '/v1.0/me', result.accessToken)).body.userPrincipalName, USERS.ben!.upn);
  });

  it('PublicClientApplication.acquireTokenByDeviceCode, completed by Chromium on /devicelogin', async () => {
    const pca = new PublicClientApplication({
      auth: { clientId: PUBLIC_APP.id, authority: `${server.url}/organizations`, knownAuthorities: [host] },
      system: { networkClient: server.msalNetwork },
    });
    let prompt: { userCode: string; verificationUri: string; message: string } | undefined;
    const pending = pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: (r) => (prompt = r) });
    const info = await eventually(() => prompt);
    assert.equal(info.verificationUri, `${server.url}/devicelogin`);
    assert.match(info.message, new RegExp(info.userCode));

    const page = await context.newPage();
    await page.goto(info.verificationUri);
    await page.getByLabel('Code').fill(info.userCode);
    await page.getByRole('button', { name: 'Next' }).click();
    await signInOnPage(page, USERS.cy!.upn, USERS.cy!.password);
    await page.getByText('You have signed in to the Public CLI application on your device').waitFor();
    await page.close();

    const result = await pending;
    assert.ok(result);
    assert.equal(result.account?.username, USERS.cy!.upn);
    assert.equal((await graphGet(server, '/v1.0/me', result.accessToken)).body.id, USERS.cy!.id);
  });

  it('@azure/identity DeviceCodeCredential, completed by Chromium', async () => {
    let prompt: { userCode: string; verificationUri: string } | undefined;
    const credential = new DeviceCodeCredential({
      tenantId: DOMAIN,
      clientId: PUBLIC_APP.id,
      authorityHost: server.url,
      disableInstanceDiscovery: true,
      userPromptCallback: (info) => {
        prompt = info;
      },
      additionalPolicies: [{ policy: agentPolicy(new HttpsAgent({ ca: server.ca })), position: 'perCall' }],
    });
    const pending = credential.getToken('https://graph.microsoft.com/User.Read');
    const info = await eventually(() => prompt);
    const page = await context.newPage();
    await page.goto(info.verificationUri);
    await page.getByLabel('Code').fill(info.userCode);
    await page.getByRole('button', { name: 'Next' }).click();
    await signInOnPage(page, USERS.dee!.upn, USERS.dee!.password);
    await page.getByText('You have signed in').waitFor();
    await page.close();
    const token = await pending;
    assert.equal(decodeJwt(token.token).oid, USERS.dee!.id);
    assert.equal((await graphGet(server, '/v1.0/me', token.token)).status, 200);
  });
});
