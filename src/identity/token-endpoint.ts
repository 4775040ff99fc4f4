import type { Application, Tenant } from '../directory/model.js';
import type { Clock } from '../shared/clock.js';
import type { Store } from '../storage/store.js';
import { entraErrors } from './entra-errors.js';
import { grantDelegated, parseAppScope, parseDelegatedScope } from './token-scopes.js';
import type { IssuedToken, TokenIssuer } from './token-issuer.js';
import { activeRoleTemplateIds } from './user-roles.js';

/** Checks a clear secret against an argon2id hash (the passwords module's `verify`). */
export type VerifySecret = (hash: string, clear: string) => Promise<boolean>;

export interface TokenEndpointDeps {
  store: Store;
  clock: Clock;
  issuer: TokenIssuer;
  graphRoot: string;
  verifySecret: VerifySecret;
}

/** A token request, already decoded from the form body and the Authorization header. */
export interface TokenRequest {
  /** The `{tenant}` path segment: tenant id or default domain. */
  tenant: string;
  /** Form parameters (first value of each). */
  params: Readonly<Record<string, string>>;
  /** Client credentials from HTTP Basic authentication, when sent. */
  basic?: { clientId: string; clientSecret: string };
}

/** The success body, as Entra sends it. */
export interface TokenResponseBody {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/**
 * Hashed at the service's default argon2id cost: verified against when the user does not
 * exist, so a wrong username costs as long as a wrong password and AADSTS50126 reveals nothing.
 */
const NO_SUCH_USER_HASH = '$argon2id$v=19$m=19456,p=1,t=2$TAfCd3Ni7BMCrXdTIT1x4Q$8ajIOGkDdFx/gZSdLe/4SrqEHnszv6es/hkRqbE5V9I';

/**
 * The token endpoint's logic: `client_credentials` and `password` grants. Throws `EntraError`;
 * the route renders it. Never logs or returns secrets.
 */
export async function handleTokenRequest(deps: TokenEndpointDeps, request: TokenRequest): Promise<TokenResponseBody> {
  const p = request.params;
  const tenant = await deps.store.directory.findTenant(request.tenant);
  if (!tenant) throw entraErrors.tenantNotFound(request.tenant);

  const grantType = p.grant_type;
  if (!grantType) throw entraErrors.missingParameter('grant_type');
  if (grantType !== 'client_credentials' && grantType !== 'password') throw entraErrors.unsupportedGrantType(grantType);

  const clientId = p.client_id || request.basic?.clientId;
  if (!clientId) throw entraErrors.missingParameter('client_id');
  const scope = p.scope;
  if (!scope) throw entraErrors.missingParameter('scope');

  if (grantType === 'client_credentials') {
    parseAppScope(scope, deps.graphRoot);
    const app = await findApp(deps, tenant, clientId);
    // A client-credentials token is only for confidential clients: no secret, no token.
    await authenticateClient(deps, app, p.client_secret ?? request.basic?.clientSecret, true);
    const token = await deps.issuer.issueAppToken({
      tenantId: tenant.id,
      appId: app.appId,
      appDisplayName: app.displayName,
      roles: app.applicationPermissions,
      clientAuthenticated: true,
    });
    return tokenBody(token, `${deps.graphRoot}/.default`);
  }

  const requested = parseDelegatedScope(scope, deps.graphRoot);
  const username = p.username;
  if (!username) throw entraErrors.missingParameter('username');
  const password = p.password;
  if (!password) throw entraErrors.missingParameter('password');
  const app = await findApp(deps, tenant, clientId);
  const clientAuthenticated = await authenticateClient(deps, app, p.client_secret ?? request.basic?.clientSecret, false);

  const credentials = await deps.store.directory.findUserCredentials(tenant.id, username);
  const passwordOk = await deps.verifySecret(credentials?.passwordHash ?? NO_SUCH_USER_HASH, password);
  if (!credentials || credentials.passwordHash === null || !passwordOk) throw entraErrors.invalidCredentials();
  const { user } = credentials;
  // Checked only after the password: "disabled" must not tell a guesser the account exists.
  if (!user.accountEnabled) throw entraErrors.accountDisabled();

  const scopes = grantDelegated(requested, app.delegatedPermissions);
  if (scopes.length === 0) {
    throw entraErrors.invalidScope(
      `The provided value for the input parameter 'scope' is not valid. None of the requested permissions are ones application '${app.appId}' may request for users.`,
    );
  }
  const now = deps.clock.now();
  const assignments = await deps.store.directory.roleAssignmentsOf(tenant.id, user.id);
  const token = await deps.issuer.issueUserToken({
    user,
    appId: app.appId,
    appDisplayName: app.displayName,
    scopes,
    roleTemplateIds: activeRoleTemplateIds(user, assignments, now),
    clientAuthenticated,
  });
  await deps.store.directory.recordSignIn(tenant.id, user.id, now);
  return tokenBody(token, [...scopes, ...requested.oidc].join(' '));
}

async function findApp(deps: TokenEndpointDeps, tenant: Tenant, clientId: string): Promise<Application & { secretHash: string | null }> {
  const app = await deps.store.directory.findApplication(tenant.id, clientId);
  if (!app) throw entraErrors.unknownClient(clientId, tenant.displayName);
  return app;
}

/**
 * An app with a secret must present it, on both grants. Returns whether the client proved
 * itself (`appidacr` 1). A public client (no secret) may use the password grant only; a secret
 * it sends anyway is ignored.
 */
async function authenticateClient(
  deps: TokenEndpointDeps,
  app: Application & { secretHash: string | null },
  secret: string | undefined,
  confidentialOnly: boolean,
): Promise<boolean> {
  if (app.secretHash === null) {
    if (confidentialOnly) throw entraErrors.missingClientSecret();
    return false;
  }
  if (!secret) throw entraErrors.missingClientSecret();
  if (!(await deps.verifySecret(app.secretHash, secret))) throw entraErrors.invalidClientSecret(app.appId);
  return true;
}

function tokenBody(token: IssuedToken, scope: string): TokenResponseBody {
  return {
    token_type: 'Bearer',
    scope,
    expires_in: token.expiresIn,
    ext_expires_in: token.expiresIn,
    access_token: token.accessToken,
  };
}
