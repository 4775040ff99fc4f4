import { authenticateClient } from '../client-authentication.js';
import { entraErrors } from '../entra-errors.js';
import { entraTimestamp, secretHash } from '../opaque-secrets.js';
import { redeemRefreshToken } from '../refresh-tokens.js';
import type { SignInContext } from '../sign-in-context.js';
import type { GrantRequest } from '../token-endpoint.js';
import { grantDelegated, parseDelegatedScope } from '../token-scopes.js';
import { issueUserTokens, type TokenResponseBody } from '../user-tokens.js';

/**
 * `grant_type=refresh_token`: the token is checked and rotated (src/identity/refresh-tokens.ts),
 * the client must be the one it was issued to, and the user must still exist and be enabled.
 * A narrower `scope` may be asked for; never more than the sign-in granted.
 */
export async function redeemRefreshTokenGrant(ctx: SignInContext, grant: GrantRequest): Promise<TokenResponseBody> {
  const token = grant.params.refresh_token;
  if (!token) throw entraErrors.missingParameter('refresh_token');
  const stored = await ctx.store.signInGrants.findRefreshToken(secretHash(token));
  if (!stored) throw entraErrors.malformedGrant();
  if (grant.tenant && grant.tenant.id !== stored.tenantId) throw entraErrors.malformedGrant();
  const tenant = grant.tenant ?? (await ctx.store.directory.findTenant(stored.tenantId));
  if (!tenant) throw entraErrors.malformedGrant();
  const app = await ctx.store.directory.findApplication(tenant.id, grant.clientId);
  if (!app) throw entraErrors.unknownClient(grant.clientId, tenant.displayName);
  const clientAuthenticated = await authenticateClient(ctx, app, grant.credentials, false);

  const redeemed = await redeemRefreshToken(ctx.store, token, grant.clientId, (tenantId) => ctx.tenantTime.now(tenantId));
  const user = await ctx.store.directory.findUser(tenant.id, redeemed.userId);
  if (!user) throw entraErrors.grantRevoked(entraTimestamp(redeemed.createdAt));
  if (!user.accountEnabled) throw entraErrors.accountDisabled();

  const original = parseDelegatedScope(redeemed.scope, ctx.graphRoot);
  const originallyGranted = grantDelegated(original, app.delegatedPermissions);
  const asked = grant.params.scope ? parseDelegatedScope(grant.params.scope, ctx.graphRoot) : original;
  const requested = {
    everything: false,
    names: asked.everything ? originallyGranted : grantDelegated(asked, originallyGranted),
    // A refresh token keeps renewing itself: offline_access stays.
    oidc: [...new Set([...asked.oidc, 'offline_access'])],
  };
  return issueUserTokens(ctx, {
    tenant,
    user,
    app,
    requested,
    scope: redeemed.scope,
    clientAuthenticated,
    wantClientInfo: grant.params.client_info === '1',
    refreshFamilyId: redeemed.familyId,
  });
}
