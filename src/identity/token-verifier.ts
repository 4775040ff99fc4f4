import type { FastifyRequest } from 'fastify';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { checkLifetime, VerifiedTokenCache } from './verified-token-cache.js';
import type { Config } from '../config/config.js';
import { TokenRejectedError } from './identity-errors.js';
import type { Clock } from '../shared/clock.js';
import { TenantTime } from '../shared/tenant-time.js';
import { isGuid } from '../shared/ids.js';
import type { Store } from '../storage/store.js';
import { CONSUMER_TENANT_ID, GRAPH_APP_ID, type Principal } from './principal.js';
import type { SigningKeys } from './signing-keys.js';
import { issuerFor } from './token-issuer.js';

/**
 * Clock skew tolerated on `exp` and `nbf`, in seconds. Entra-protected APIs (Microsoft.IdentityModel)
 * default to 5 minutes; Longrun takes the same so behaviour near expiry matches Graph's.
 */
export const CLOCK_TOLERANCE_SECONDS = 300;

/** Graph's 401 messages (https://learn.microsoft.com/graph/errors; docs/authentication.md). */
export const TOKEN_MESSAGES = {
  empty: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  expired: 'Lifetime validation failed, the token is expired.',
  notYetValid: 'Lifetime validation failed, the token is not yet valid.',
  invalidAudience: 'Access token validation failure. Invalid audience.',
  invalid: 'Access token validation failure.',
} as const;

export interface AuthenticatorDeps {
  store: Store;
  clock: Clock;
  config: Config;
  publicUrl: string;
  keys: SigningKeys;
  /** Lifetimes are checked against the token's tenant's clock (docs/controls.md). */
  tenantTime?: TenantTime;
}

/** Turns a bearer token into a Principal, or throws `TokenRejectedError` (Graph's 401). */
export interface Authenticator {
  /** The request's `Authorization: Bearer …` token. */
  authenticate(request: FastifyRequest): Promise<Principal>;
  /** A token held otherwise (the console's sign-in has just been issued one). */
  verify(token: string | undefined): Promise<Principal>;
}

/** Tenant ids remembered as existing; past this the memory starts again (a bound, not a tuning). */
const MAX_REMEMBERED_TENANTS = 10_000;

/** Raised inside the key resolver when no stored key has the token's kid. */
class UnknownKeyError extends Error {}

/**
 * Verifies Longrun-issued access tokens: RS256 only (pinned; `none` and HMAC are refused),
 * signature by a stored key found by `kid`, `iss` = `{publicUrl}/{tid}/` for the token's own
 * tenant, `aud` = the cloud's Graph root or Graph's app id, lifetime against the injected clock
 * with `CLOCK_TOLERANCE_SECONDS`, and a tenant that exists. Every failure is a 401
 * `InvalidAuthenticationToken` with `WWW-Authenticate` (mapped from `TokenRejectedError`).
 */
export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const authorizationUri = `${deps.publicUrl}/common/oauth2/authorize`;
  const fail = (message: string) => new TokenRejectedError(message, authorizationUri);
  const audiences = [deps.config.cloud.graphRoot, GRAPH_APP_ID];

  const resolveKey = async (header: { kid?: string | undefined }): Promise<CryptoKey> => {
    const key = header.kid ? await deps.keys.publicKey(header.kid) : undefined;
    if (!key) throw new UnknownKeyError();
    return key;
  };

  const verified = new VerifiedTokenCache();
  // A verified payload's principal, made once (frozen, its sets read-only): polling reuses it.
  const principals = new WeakMap<JWTPayload, Principal>();
  const tenantTime = deps.tenantTime ?? new TenantTime(deps.clock, deps.store.tenantClocks);
  // Tenants are never removed (a re-import replaces a tenant's contents under its id), so one
  // found once exists for the life of the process: later requests skip the read, which on
  // PostgreSQL was one of a poll's three round trips. A tenant not found is read again each time.
  const existingTenants = new Set<string>();

  const verify = async (token: string | undefined): Promise<Principal> => {
    if (!token) throw fail(TOKEN_MESSAGES.empty);

    // A token seen before passed every check below but its lifetime: skip decoding it again.
    let payload = verified.get(token);
    let tid: string;
    if (payload) {
      tid = (payload.tid as string).toLowerCase();
      // Lifetimes follow the token's tenant's clock (docs/controls.md, "The tenant's clock").
      const lifetime = checkLifetime(payload, await tenantTime.now(tid), CLOCK_TOLERANCE_SECONDS);
      if (lifetime) throw fail(lifetime === 'expired' ? TOKEN_MESSAGES.expired : TOKEN_MESSAGES.notYetValid);
    } else {
      let unverified: JWTPayload;
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
        unverified = decodeJwt(token);
      } catch {
        throw fail(TOKEN_MESSAGES.malformed);
      }
      if (token.split('.').length !== 3) throw fail(TOKEN_MESSAGES.malformed);
      if (alg !== 'RS256') throw fail(TOKEN_MESSAGES.invalid);
      tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
      if (!isGuid(tid)) throw fail(TOKEN_MESSAGES.invalid);
      const now = await tenantTime.now(tid);
      try {
        ({ payload } = await jwtVerify(token, resolveKey, {
          algorithms: ['RS256'],
          issuer: issuerFor(deps.publicUrl, tid),
          audience: audiences,
          currentDate: new Date(now),
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', 'nbf', 'iat', 'tid', 'oid', 'appid', 'idtyp'],
        }));
      } catch (e) {
        throw fail(messageFor(e));
      }
      verified.set(token, payload);
    }

    const personal = tid === CONSUMER_TENANT_ID;
    if (!personal && !existingTenants.has(tid)) {
      const tenant = await deps.store.directoryReads.findTenant(tid);
      if (!tenant || tenant.id !== tid) throw fail(TOKEN_MESSAGES.invalid);
      if (existingTenants.size >= MAX_REMEMBERED_TENANTS) existingTenants.clear();
      existingTenants.add(tid);
    }
    let principal = principals.get(payload);
    if (!principal) {
      principal = toPrincipal(payload, tid, personal);
      principals.set(payload, principal);
    }
    return principal;
  };

  return {
    authenticate: (request) => verify(bearerToken(request.headers.authorization)),
    verify,
  };
}

function toPrincipal(payload: JWTPayload, tid: string, personal: boolean): Principal {
  const kind = payload.idtyp === 'app' ? 'app' : 'user';
  return Object.freeze({
    kind,
    tenantId: tid,
    objectId: String(payload.oid).toLowerCase(),
    appId: String(payload.appid).toLowerCase(),
    scopes: new Set(kind === 'user' && typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : []),
    appPermissions: new Set(kind === 'app' ? stringArray(payload.roles) : []),
    roleTemplateIds: new Set(kind === 'user' && !personal ? stringArray(payload.wids).map((w) => w.toLowerCase()) : []),
    personal,
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
  });
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S*)\s*$/i.exec(header ?? '');
  return match?.[1] || undefined;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Maps a jose failure to Graph's wording. */
function messageFor(e: unknown): string {
  if (e instanceof errors.JWTExpired) return TOKEN_MESSAGES.expired;
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf') return TOKEN_MESSAGES.notYetValid;
    if (e.claim === 'aud') return TOKEN_MESSAGES.invalidAudience;
    return TOKEN_MESSAGES.invalid;
  }
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return TOKEN_MESSAGES.malformed;
  return TOKEN_MESSAGES.invalid;
}
