import type { Tenant } from '../directory/model.js';
import { authenticateClient, findApp, type ClientCredentials } from './client-authentication.js';
import { entraErrors } from './entra-errors.js';
import { redeemAuthorizationCode } from './flows/authorization-code.js';
import { DEVICE_CODE_GRANT, DEVICE_CODE_GRANT_SHORT, redeemDeviceCode } from './flows/device-code.js';
import { redeemRefreshTokenGrant } from './flows/refresh-token.js';
import { checkPasswordSignIn } from './password-sign-in.js';
import { isMultiTenantAuthority, upnDomain, type SignInContext } from './sign-in-context.js';
import { parseAppScope, parseDelegatedScope } from './token-scopes.js';
import { issueUserTokens, type TokenResponseBody } from './user-tokens.js';

export type { VerifySecret } from './password-sign-in.js';
export type { TokenResponseBody } from './user-tokens.js';

export type TokenEndpointDeps = SignInContext;

/** A token request, already decoded from the form body and the Authorization header. */
export interface TokenRequest {
  /** The `{tenant}` path segment: tenant id, default domain, `common` or `organizations`. */
  tenant: string;
  /** Form parameters (first value of each). */
  params: Readonly<Record<string, string>>;
  /** Client credentials from HTTP Basic authentication, when sent. */
  basic?: { clientId: string; clientSecret: string };
}

/** What every grant handler receives once the common parameters are read. */
export interface GrantRequest {
  /** The tenant named by the path; undefined on `common` / `organizations`. */
  tenant: Tenant | undefined;
  clientId: string;
  credentials: ClientCredentials;
  params: Readonly<Record<string, string>>;
}

const SUPPORTED_GRANTS = new Set([
  'client_credentials',
  'password',
  'authorization_code',
  'refresh_token',
  DEVICE_CODE_GRANT,
  DEVICE_CODE_GRANT_SHORT,
]);

/**
 * The token endpoint's logic: reads what every grant shares (tenant, client id, client
 * credentials) and hands over to the grant. Throws `EntraError`; the route renders it. Never
 * logs or returns secrets.
 */
export async function handleTokenRequest(deps: TokenEndpointDeps, request: TokenRequest): Promise<TokenResponseBody> {
  const p = request.params;
  let tenant: Tenant | undefined;
  if (!isMultiTenantAuthority(request.tenant)) {
    tenant = await deps.store.directory.findTenant(request.tenant);
    if (!tenant) throw entraErrors.tenantNotFound(request.tenant);
  }
  const grantType = p.grant_type;
  if (!grantType) throw entraErrors.missingParameter('grant_type');
  if (!SUPPORTED_GRANTS.has(grantType)) throw entraErrors.unsupportedGrantType(grantType);

  const clientId = p.client_id || request.basic?.clientId;
  if (!clientId) throw entraErrors.missingParameter('client_id');
  const grant: GrantRequest = {
    tenant,
    clientId,
    credentials: {
      secret: p.client_secret ?? request.basic?.clientSecret,
      assertionType: p.client_assertion_type,
      assertion: p.client_assertion,
    },
    params: p,
  };
  switch (grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(deps, grant);
    case 'password':
      return passwordGrant(deps, grant);
    case 'authorization_code':
      return redeemAuthorizationCode(deps, grant);
    case 'refresh_token':
      return redeemRefreshTokenGrant(deps, grant);
    default:
      return redeemDeviceCode(deps, grant);
  }
}

async function clientCredentialsGrant(deps: TokenEndpointDeps, grant: GrantRequest): Promise<TokenResponseBody> {
  const scope = grant.params.scope;
  if (!scope) throw entraErrors.missingParameter('scope');
  if (!grant.tenant) throw entraErrors.multiTenantClientCredentials();
  parseAppScope(scope, deps.graphRoot);
  const app = await findApp(deps.store, grant.tenant, grant.clientId);
  // A client-credentials token is only for confidential clients: no secret, no token.
  await authenticateClient(deps, app, grant.credentials, true);
  const token = await deps.issuer.issueAppToken({
    tenantId: grant.tenant.id,
    appId: app.appId,
    appDisplayName: app.displayName,
    roles: app.applicationPermissions,
    clientAuthenticated: true,
  });
  // Entra's client-credentials answer: no `scope` (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow, recorded answers).
  return {
    token_type: 'Bearer',
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    access_token: token.accessToken,
  };
}

/**
 * Resource owner password credentials: the shared password check (lockout, password, disabled
 * account), then AADSTS50055 for a user who must change the password first (only a page can).
 */
async function passwordGrant(deps: TokenEndpointDeps, grant: GrantRequest): Promise<TokenResponseBody> {
  const p = grant.params;
  const scope = p.scope;
  if (!scope) throw entraErrors.missingParameter('scope');
  const requested = parseDelegatedScope(scope, deps.graphRoot);
  const username = p.username;
  if (!username) throw entraErrors.missingParameter('username');
  const password = p.password;
  if (!password) throw entraErrors.missingParameter('password');
  const tenant = grant.tenant ?? (await deps.store.directory.findTenant(upnDomain(username)));
  if (!tenant) throw entraErrors.invalidCredentials();
  const app = await findApp(deps.store, tenant, grant.clientId);
  const clientAuthenticated = await authenticateClient(deps, app, grant.credentials, false);

  const signIn = await checkPasswordSignIn(deps, tenant, username, password);
  // "Personal accounts that are invited to a Microsoft Entra tenant can't use the ROPC flow"
  // (https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc): Entra holds no password
  // for them, so it answers as for a wrong password (AADSTS50126), revealing nothing more.
  if (signIn.user.accountType === 'personal') throw entraErrors.invalidCredentials();
  if (signIn.mustChangePassword) throw entraErrors.passwordExpired();
  const body = await issueUserTokens(deps, {
    tenant,
    user: signIn.user,
    app,
    requested,
    scope,
    clientAuthenticated,
    wantClientInfo: p.client_info === '1',
  });
  await deps.store.directory.recordSignIn(tenant.id, signIn.user.id, await deps.tenantTime.now(tenant.id));
  return body;
}
