import { randomInt } from 'node:crypto';
import type { StoredDeviceCode } from '../../storage/sign-in-grants-repository.js';
import { authenticateClient, type StoredApplication } from '../client-authentication.js';
import { entraErrors } from '../entra-errors.js';
import { newOpaqueSecret, secretHash } from '../opaque-secrets.js';
import { isMultiTenantAuthority, type SignInContext } from '../sign-in-context.js';
import type { GrantRequest } from '../token-endpoint.js';
import { parseDelegatedScope } from '../token-scopes.js';
import { issueUserTokens, type TokenResponseBody } from '../user-tokens.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** What MSAL sends; Entra accepts it as the same grant. */
export const DEVICE_CODE_GRANT_SHORT = 'device_code';
/** Entra's device codes: 15 minutes, polled every 5 seconds. */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;
export const DEVICE_CODE_INTERVAL_SECONDS = 5;
/** Polls this much earlier than `interval` are still tolerated (network jitter), sooner ones get slow_down. */
const POLL_SLACK_MS = 1000;
/** Letters and digits a person can read back without confusion (no 0/O, 1/I/L). */
const USER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const USER_CODE_LENGTH = 9;

export interface DeviceCodeResponse {
  user_code: string;
  device_code: string;
  verification_uri: string;
  expires_in: number;
  interval: number;
  message: string;
}

/** A user code as typed: spaces and dashes dropped, upper case. */
export const normalizeUserCode = (typed: string): string => typed.replace(/[\s-]/g, '').toUpperCase();

/** The time a device code's expiry is measured in: its tenant's, or real time on a multi-tenant authority. */
async function nowFor(ctx: SignInContext, code: Pick<StoredDeviceCode, 'authority'>): Promise<number> {
  return isMultiTenantAuthority(code.authority) ? ctx.clock.now() : ctx.tenantTime.now(code.authority);
}

/** `POST /{tenant}/oauth2/v2.0/devicecode`: a device code for the client, a user code for the person. */
export async function startDeviceCode(
  ctx: SignInContext,
  authoritySegment: string,
  params: Readonly<Record<string, string>>,
): Promise<DeviceCodeResponse> {
  let authority = authoritySegment.toLowerCase();
  let apps: StoredApplication[];
  const clientId = params.client_id;
  if (!clientId) throw entraErrors.missingParameter('client_id');
  if (isMultiTenantAuthority(authority)) {
    apps = await ctx.store.directory.findApplicationInAnyTenant(clientId);
    if (apps.length === 0) throw entraErrors.unknownClient(clientId, authoritySegment);
  } else {
    const tenant = await ctx.store.directory.findTenant(authoritySegment);
    if (!tenant) throw entraErrors.tenantNotFound(authoritySegment);
    authority = tenant.id;
    const app = await ctx.store.directory.findApplication(tenant.id, clientId);
    if (!app) throw entraErrors.unknownClient(clientId, tenant.displayName);
    apps = [app];
  }
  const scope = params.scope;
  if (!scope) throw entraErrors.missingParameter('scope');
  parseDelegatedScope(scope, ctx.graphRoot);

  const deviceCode = newOpaqueSecret();
  const userCode = Array.from({ length: USER_CODE_LENGTH }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
  const now = await nowFor(ctx, { authority });
  await ctx.store.signInGrants.insertDeviceCode({
    deviceCodeHash: secretHash(deviceCode),
    userCode,
    authority,
    clientId: apps[0]!.appId,
    scope,
    intervalSeconds: DEVICE_CODE_INTERVAL_SECONDS,
    createdAt: now,
    expiresAt: now + DEVICE_CODE_LIFETIME_SECONDS * 1000,
  });
  const verificationUri = `${ctx.publicUrl}/devicelogin`;
  return {
    user_code: userCode,
    device_code: deviceCode,
    verification_uri: verificationUri,
    expires_in: DEVICE_CODE_LIFETIME_SECONDS,
    interval: DEVICE_CODE_INTERVAL_SECONDS,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
  };
}

/** The device login page's look-up: a pending, unexpired code, or the sentence to show instead. */
export async function findPendingDeviceCode(
  ctx: SignInContext,
  typed: string,
): Promise<{ code: StoredDeviceCode; appName: string } | { error: string }> {
  const code = await ctx.store.signInGrants.findDeviceCodeByUserCode(normalizeUserCode(typed));
  if (!code || code.status !== 'pending') return { error: "That code didn't work. Check the code and try again." };
  if (code.expiresAt <= (await nowFor(ctx, code))) {
    return { error: "The code you entered has expired. Get a new code from the device you're trying to sign in to and try again." };
  }
  const apps = await ctx.store.directory.findApplicationInAnyTenant(code.clientId);
  return { code, appName: apps[0]?.displayName ?? code.clientId };
}

/** The person's answer on the device login page; false when the code was no longer pending. */
export async function decideDeviceCode(
  ctx: SignInContext,
  code: StoredDeviceCode,
  decision: { status: 'approved'; tenantId: string; userId: string } | { status: 'declined' },
): Promise<boolean> {
  return ctx.store.signInGrants.decideDeviceCode(code.userCode, decision, await nowFor(ctx, code));
}

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code`: authorization_pending until the
 * person signs in, slow_down when polled faster than `interval`, expired_token after 15 minutes,
 * authorization_declined when they cancel; once approved, redeemed by one guarded UPDATE.
 */
export async function redeemDeviceCode(ctx: SignInContext, grant: GrantRequest): Promise<TokenResponseBody> {
  const presented = grant.params.device_code;
  if (!presented) throw entraErrors.missingParameter('device_code');
  const code = await ctx.store.signInGrants.pollDeviceCode(secretHash(presented), ctx.clock.now());
  if (!code) throw entraErrors.malformedGrant();
  if (code.clientId !== grant.clientId.toLowerCase()) throw entraErrors.invalidGrant('The device code was issued to a different client.');
  if (grant.tenant && !isMultiTenantAuthority(code.authority) && grant.tenant.id !== code.authority) throw entraErrors.malformedGrant();

  const tenantId = code.tenantId ?? (isMultiTenantAuthority(code.authority) ? undefined : code.authority);
  const app = tenantId
    ? await ctx.store.directory.findApplication(tenantId, code.clientId)
    : (await ctx.store.directory.findApplicationInAnyTenant(code.clientId))[0];
  if (!app) throw entraErrors.unknownClient(code.clientId, tenantId ?? code.authority);
  const clientAuthenticated = await authenticateClient(ctx, app, grant.credentials, false);

  if (code.status === 'redeemed') throw entraErrors.invalidGrant('The device code was already redeemed.');
  if (code.status === 'declined') throw entraErrors.authorizationDeclined();
  if (code.expiresAt <= (await nowFor(ctx, code))) throw entraErrors.deviceCodeExpired();
  if (code.status === 'pending') {
    const tooSoon = code.lastPolledAt !== null && ctx.clock.now() - code.lastPolledAt < code.intervalSeconds * 1000 - POLL_SLACK_MS;
    throw tooSoon ? entraErrors.slowDown() : entraErrors.authorizationPending();
  }
  if (!(await ctx.store.signInGrants.redeemDeviceCode(code.deviceCodeHash)))
    throw entraErrors.invalidGrant('The device code was already redeemed.');
  const tenant = await ctx.store.directory.findTenant(code.tenantId!);
  const user = tenant && (await ctx.store.directory.findUser(tenant.id, code.userId!));
  if (!tenant || !user) throw entraErrors.malformedGrant();
  if (!user.accountEnabled) throw entraErrors.accountDisabled();
  return issueUserTokens(ctx, {
    tenant,
    user,
    app,
    requested: parseDelegatedScope(code.scope, ctx.graphRoot),
    scope: code.scope,
    clientAuthenticated,
    wantClientInfo: grant.params.client_info === '1',
  });
}
