import type { DirectoryUser, Tenant } from '../directory/model.js';
import { entraErrors } from './entra-errors.js';
import { clientInfo } from './id-token.js';
import type { StoredApplication } from './client-authentication.js';
import { CONSUMER_TENANT_ID } from './principal.js';
import { issueRefreshToken } from './refresh-tokens.js';
import type { SignInContext } from './sign-in-context.js';
import { grantDelegated, type DelegatedScopeRequest } from './token-scopes.js';
import type { IssuedToken } from './token-issuer.js';
import { activeRoleTemplateIds } from './user-roles.js';

/** The success body, as Entra sends it; the optional parts only when asked for. */
export interface TokenResponseBody {
  token_type: 'Bearer';
  /** Delegated grants only: Entra's client-credentials answer has no `scope`. */
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

export interface UserTokenRequest {
  tenant: Tenant;
  user: DirectoryUser;
  app: StoredApplication;
  requested: DelegatedScopeRequest;
  /** The scope string to remember in a refresh token (what a refresh may ask for again). */
  scope: string;
  clientAuthenticated: boolean;
  nonce?: string | null;
  /** `client_info=1` was sent. */
  wantClientInfo: boolean;
  /** The refresh-token family this request continues (refresh grant). */
  refreshFamilyId?: string;
}

/**
 * Everything a delegated grant returns: the Graph access token, plus an id_token when `openid`
 * was requested, a refresh token when `offline_access` was, and `client_info` when asked.
 */
export async function issueUserTokens(ctx: SignInContext, request: UserTokenRequest): Promise<TokenResponseBody> {
  const { tenant, user, app, requested } = request;
  const scopes = grantDelegated(requested, app.delegatedPermissions);
  if (scopes.length === 0) {
    throw entraErrors.invalidScope(
      `The provided value for the input parameter 'scope' is not valid. None of the requested permissions are ones application '${app.appId}' may request for users.`,
    );
  }
  const now = await ctx.tenantTime.now(tenant.id);
  const assignments = await ctx.store.directory.roleAssignmentsOf(tenant.id, user.id);
  const token: IssuedToken = await ctx.issuer.issueUserToken({
    user,
    appId: app.appId,
    appDisplayName: app.displayName,
    scopes,
    roleTemplateIds: activeRoleTemplateIds(user, assignments, now),
    clientAuthenticated: request.clientAuthenticated,
  });
  const tokenTenant = user.accountType === 'personal' ? CONSUMER_TENANT_ID : tenant.id;
  const body: TokenResponseBody = {
    token_type: 'Bearer',
    scope: [...scopes, ...requested.oidc].join(' '),
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    access_token: token.accessToken,
  };
  if (requested.oidc.includes('offline_access')) {
    body.refresh_token = await issueRefreshToken(ctx.store, {
      tenantId: tenant.id,
      userId: user.id,
      clientId: app.appId,
      scope: request.scope,
      ...(request.refreshFamilyId ? { familyId: request.refreshFamilyId } : {}),
      now,
    });
  }
  if (requested.oidc.includes('openid')) {
    body.id_token = await ctx.idTokens.issue({ user, tenantId: tokenTenant, clientId: app.appId, nonce: request.nonce ?? null, now });
  }
  if (request.wantClientInfo) body.client_info = clientInfo(user.id, tokenTenant);
  return body;
}
