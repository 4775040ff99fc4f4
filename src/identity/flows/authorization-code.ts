import { createHash } from 'node:crypto';
import type { DirectoryUser, Tenant } from '../../directory/model.js';
import { authenticateClient } from '../client-authentication.js';
import { entraErrors } from '../entra-errors.js';
import { newOpaqueSecret, secretHash } from '../opaque-secrets.js';
import type { SignInContext } from '../sign-in-context.js';
import type { GrantRequest } from '../token-endpoint.js';
import { parseDelegatedScope } from '../token-scopes.js';
import { issueUserTokens, type TokenResponseBody } from '../user-tokens.js';
import type { AuthorizeRequest } from './authorize-request.js';

/** Authorization codes live 10 minutes (tenant time), as Entra's do. */
export const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60_000;

/** Where the browser goes after a successful sign-in: the redirect URI and its parameters. */
export interface AuthorizeResponse {
  redirectUri: string;
  mode: AuthorizeRequest['responseMode'];
  params: Record<string, string>;
}

/** Creates the code for a signed-in user (stored only as its hash) and the response carrying it. */
export async function issueAuthorizationCode(
  ctx: SignInContext,
  request: AuthorizeRequest,
  tenant: Tenant,
  user: DirectoryUser,
): Promise<AuthorizeResponse> {
  const code = newOpaqueSecret();
  const now = await ctx.tenantTime.now(tenant.id);
  await ctx.store.signInGrants.insertCode({
    codeHash: secretHash(code),
    tenantId: tenant.id,
    clientId: request.clientId,
    userId: user.id,
    redirectUri: request.redirectUri,
    scope: request.scope,
    nonce: request.nonce ?? null,
    codeChallenge: request.codeChallenge ?? null,
    codeChallengeMethod: request.codeChallengeMethod ?? null,
    createdAt: now,
    expiresAt: now + AUTHORIZATION_CODE_LIFETIME_MS,
  });
  const params: Record<string, string> = { code };
  if (request.state !== undefined) params.state = request.state;
  params.session_state = secretHash(`${tenant.id}:${user.id}`).slice(0, 36);
  return { redirectUri: request.redirectUri, mode: request.responseMode, params };
}

/**
 * `grant_type=authorization_code`: the code must be known, unexpired, issued to this client for
 * this redirect URI, and match the PKCE challenge; then it is redeemed by one guarded UPDATE, so
 * a replayed code (on any node) gets AADSTS54005.
 */
export async function redeemAuthorizationCode(ctx: SignInContext, grant: GrantRequest): Promise<TokenResponseBody> {
  const p = grant.params;
  const code = p.code;
  if (!code) throw entraErrors.missingParameter('code');
  const stored = await ctx.store.signInGrants.findCode(secretHash(code));
  if (!stored) throw entraErrors.malformedGrant();
  if (grant.tenant && grant.tenant.id !== stored.tenantId) throw entraErrors.wrongTenantCode();
  const tenant = grant.tenant ?? (await ctx.store.directory.findTenant(stored.tenantId));
  if (!tenant) throw entraErrors.malformedGrant();
  const app = await ctx.store.directory.findApplication(tenant.id, grant.clientId);
  if (!app) throw entraErrors.unknownClient(grant.clientId, tenant.displayName);
  const clientAuthenticated = await authenticateClient(ctx, app, grant.credentials, false);

  if (stored.redeemedAt !== null) throw entraErrors.codeRedeemed();
  const now = await ctx.tenantTime.now(tenant.id);
  if (stored.expiresAt <= now) throw entraErrors.codeExpired();
  if (stored.clientId !== app.appId) throw entraErrors.invalidGrant('The authorization code was issued to a different client.');
  const redirectUri = p.redirect_uri;
  if (!redirectUri) throw entraErrors.missingParameter('redirect_uri');
  if (redirectUri !== stored.redirectUri) throw entraErrors.replyAddressMismatch(redirectUri, stored.redirectUri);
  if (stored.codeChallenge !== null) {
    const verifier = p.code_verifier ?? '';
    const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
    if (computed !== stored.codeChallenge) throw entraErrors.codeVerifierMismatch();
  }
  if (!(await ctx.store.signInGrants.redeemCode(stored.codeHash, now))) throw entraErrors.codeRedeemed();

  const user = await ctx.store.directory.findUser(tenant.id, stored.userId);
  if (!user) throw entraErrors.malformedGrant();
  if (!user.accountEnabled) throw entraErrors.accountDisabled();
  return issueUserTokens(ctx, {
    tenant,
    user,
    app,
    requested: parseDelegatedScope(stored.scope, ctx.graphRoot),
    scope: stored.scope,
    clientAuthenticated,
    nonce: stored.nonce,
    wantClientInfo: p.client_info === '1',
  });
}
