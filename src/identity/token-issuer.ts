import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Config } from '../config/config.js';
import type { DirectoryUser } from '../directory/model.js';
import type { Clock } from '../shared/clock.js';
import type { TenantTime } from '../shared/tenant-time.js';
import { CONSUMER_TENANT_ID } from './principal.js';
import type { SigningKeys } from './signing-keys.js';

/** Lifetime of every access token, in seconds (what Entra reports as `expires_in`). */
export const TOKEN_LIFETIME_SECONDS = 3599;

/** A signed token and what the token endpoint reports about it. */
export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  claims: Record<string, unknown>;
}

export interface AppTokenInput {
  tenantId: string;
  appId: string;
  appDisplayName: string;
  /** The app's granted application permissions: the `roles` claim. */
  roles: readonly string[];
  /** Whether the client proved itself with a secret (`appidacr` 1) or is public (0). */
  clientAuthenticated: boolean;
}

export interface UserTokenInput {
  user: DirectoryUser;
  appId: string;
  appDisplayName: string;
  /** Granted delegated permissions: the `scp` claim. */
  scopes: readonly string[];
  /** Template ids of the user's active directory roles (the default user role is added for members). */
  roleTemplateIds: readonly string[];
  clientAuthenticated: boolean;
}

export interface TokenIssuerDeps {
  keys: SigningKeys;
  clock: Clock;
  config: Config;
  publicUrl: string;
  /** Access-token lifetime; TOKEN_LIFETIME_SECONDS unless a test needs tokens that expire soon. */
  lifetimeSeconds?: number | undefined;
  /** `iat`/`nbf`/`exp` follow the tenant's clock (docs/controls.md); absent: real time. */
  tenantTime?: TenantTime;
}

/** The `iss` of tokens for a tenant: v1.0 style, like Graph tokens' `https://sts.windows.net/{tid}/`. */
export const issuerFor = (publicUrl: string, tenantId: string): string => `${publicUrl}/${tenantId}/`;

/**
 * Signs Graph access tokens (RS256, v1.0 claims as Entra issues them for Graph; https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
 * `appid`/`appidacr`, never v2.0's `azp`/`azpacr`; `x5t` beside `kid` in the header (v1.0 only).
 * Callers decide what goes in (which scopes, roles); this only shapes and signs.
 */
export class TokenIssuer {
  constructor(private readonly deps: TokenIssuerDeps) {}

  /** A client-credentials token: `idtyp: app`, `roles`, no `scp`, no `wids`. */
  issueAppToken(input: AppTokenInput): Promise<IssuedToken> {
    const oid = servicePrincipalId(input.tenantId, input.appId);
    return this.#sign(input.tenantId, {
      app_displayname: input.appDisplayName,
      appid: input.appId,
      appidacr: input.clientAuthenticated ? '1' : '0',
      idp: issuerFor(this.deps.publicUrl, input.tenantId),
      idtyp: 'app',
      oid,
      // Entra omits `roles` when the app holds no application permission.
      ...(input.roles.length > 0 ? { roles: [...input.roles] } : {}),
      sub: oid,
      tid: input.tenantId,
    });
  }

  /** A delegated (password grant) token: `idtyp: user`, `scp`, `wids`, user names. */
  issueUserToken(input: UserTokenInput): Promise<IssuedToken> {
    const { user } = input;
    const personal = user.accountType === 'personal';
    const tid = personal ? CONSUMER_TENANT_ID : user.tenantId;
    const wids = [...new Set(input.roleTemplateIds)];
    return this.#sign(tid, {
      acct: user.accountType === 'guest' ? 1 : 0,
      app_displayname: input.appDisplayName,
      appid: input.appId,
      appidacr: input.clientAuthenticated ? '1' : '0',
      idtyp: 'user',
      name: user.displayName,
      oid: user.id,
      scp: input.scopes.join(' '),
      sub: pairwiseSubject(tid, input.appId, user.id),
      tid,
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      wids,
    });
  }

  async #sign(tenantId: string, claims: Record<string, unknown>): Promise<IssuedToken> {
    const key = await this.deps.keys.signingKey();
    const iat = Math.floor((this.deps.tenantTime ? await this.deps.tenantTime.now(tenantId) : this.deps.clock.now()) / 1000);
    const uti = randomBytes(16).toString('base64url');
    const lifetime = this.deps.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS;
    const all: Record<string, unknown> = {
      aud: this.deps.config.cloud.graphRoot,
      iss: issuerFor(this.deps.publicUrl, tenantId),
      iat,
      nbf: iat,
      exp: iat + lifetime,
      ...claims,
      uti,
      jti: uti,
      ver: '1.0',
    };
    // Entra's v1.0 header: typ, alg, x5t, kid, with x5t the same value as kid (the key's thumbprint).
    const header = { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid };
    const accessToken = await new SignJWT(all).setProtectedHeader(header).sign(key.privateKey);
    return { accessToken, expiresIn: lifetime, claims: all };
  }
}

/**
 * A stable object id for an application's service principal in a tenant: a name-based
 * (UUIDv5-style, SHA-1) GUID of tenant and app id, so every node and every restart agree.
 */
export function servicePrincipalId(tenantId: string, appId: string): string {
  const bytes = createHash('sha1').update(`longrun:servicePrincipal:${tenantId.toLowerCase()}:${appId.toLowerCase()}`).digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Entra's `sub` is pairwise: the same user has a different subject in every application. */
function pairwiseSubject(tenantId: string, appId: string, userId: string): string {
  return createHash('sha256').update(`${tenantId}:${appId.toLowerCase()}:${userId}`).digest('base64url').slice(0, 43);
}
