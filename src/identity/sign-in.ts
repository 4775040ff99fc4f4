/**
 * Signing a user in with their name and password (the password grant), for callers inside the
 * service such as the operator console: the same rules as the token endpoint, without going
 * through HTTP. Throws `EntraError` with the endpoint's AADSTS code when it refuses.
 */
import type { Config } from '../config/config.js';
import type { Clock } from '../shared/clock.js';
import { TenantTime } from '../shared/tenant-time.js';
import type { Store } from '../storage/store.js';
import { IdTokenIssuer } from './id-token.js';
import type { SignInContext } from './sign-in-context.js';
import type { Principal } from './principal.js';
import type { SigningKeys } from './signing-keys.js';
import { handleTokenRequest, type VerifySecret } from './token-endpoint.js';
import { TokenIssuer } from './token-issuer.js';
import type { Authenticator } from './token-verifier.js';

export interface SignInRequest {
  /** Tenant id or domain. */
  tenant: string;
  username: string;
  password: string;
  clientId: string;
  /** Only for a confidential client (the console's own demo client). */
  clientSecret?: string | undefined;
}

export interface SignedIn {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  /** The token as every Graph route will see it. */
  principal: Principal;
}

export type SignIn = (request: SignInRequest) => Promise<SignedIn>;

export interface SignInDeps {
  store: Store;
  clock: Clock;
  config: Config;
  publicUrl: string;
  keys: SigningKeys;
  verifySecret: VerifySecret;
  authenticator: Authenticator;
  /** The node's tenant clocks (shared, so an advance made here is seen at once); built from the store when absent. */
  tenantTime?: TenantTime | undefined;
}

/** A delegated Graph token (`{graphRoot}/.default`) for the user, and its verified principal. */
export function createSignIn(deps: SignInDeps): SignIn {
  const tenantTime = deps.tenantTime ?? new TenantTime(deps.clock, deps.store.tenantClocks);
  // Tokens follow the tenant's clock like the token endpoint's, or the verifier would refuse them after an advance.
  const issuer = new TokenIssuer({ keys: deps.keys, clock: deps.clock, config: deps.config, publicUrl: deps.publicUrl, tenantTime });
  const graphRoot = deps.config.cloud.graphRoot;
  const ctx: SignInContext = {
    store: deps.store,
    clock: deps.clock,
    tenantTime,
    issuer,
    idTokens: new IdTokenIssuer(deps.keys, deps.publicUrl),
    graphRoot,
    publicUrl: deps.publicUrl,
    verifySecret: deps.verifySecret,
  };
  return async (request) => {
    const params: Record<string, string> = {
      grant_type: 'password',
      client_id: request.clientId,
      username: request.username,
      password: request.password,
      scope: `${graphRoot}/.default`,
    };
    if (request.clientSecret !== undefined) params.client_secret = request.clientSecret;
    const grant = await handleTokenRequest(ctx, { tenant: request.tenant, params });
    return { accessToken: grant.access_token, expiresIn: grant.expires_in, principal: await deps.authenticator.verify(grant.access_token) };
  };
}
