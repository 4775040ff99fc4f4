import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { DirectoryUser } from '../directory/model.js';
import type { SigningKeys } from './signing-keys.js';

/** id_token lifetime (Entra: one hour). */
export const ID_TOKEN_LIFETIME_SECONDS = 3600;

export interface IdTokenInput {
  user: DirectoryUser;
  /** The token's tenant (the consumer tenant for personal accounts). */
  tenantId: string;
  clientId: string;
  nonce: string | null;
  /** Tenant time, epoch ms. */
  now: number;
}

/**
 * OpenID Connect id_tokens with Entra's v2.0 claims (aud = the client, iss
 * `{publicUrl}/{tid}/v2.0`, preferred_username, oid, tid, pairwise sub, nonce), signed with the
 * authority's current key like the access tokens.
 */
export class IdTokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly publicUrl: string,
  ) {}

  async issue(input: IdTokenInput): Promise<string> {
    const key = await this.keys.signingKey();
    const iat = Math.floor(input.now / 1000);
    const claims: Record<string, unknown> = {
      aud: input.clientId,
      iss: `${this.publicUrl}/${input.tenantId}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + ID_TOKEN_LIFETIME_SECONDS,
      name: input.user.displayName,
      ...(input.nonce ? { nonce: input.nonce } : {}),
      oid: input.user.id,
      preferred_username: input.user.userPrincipalName,
      sub: idTokenSubject(input.tenantId, input.clientId, input.user.id),
      tid: input.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    };
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
  }
}

/** `client_info` (MSAL's account key): base64url of `{"uid": oid, "utid": tid}`. */
export const clientInfo = (userId: string, tenantId: string): string =>
  Buffer.from(JSON.stringify({ uid: userId, utid: tenantId })).toString('base64url');

/** Pairwise per application, like the access token's `sub`. */
function idTokenSubject(tenantId: string, clientId: string, userId: string): string {
  return createHash('sha256').update(`${tenantId}:${clientId.toLowerCase()}:${userId}`).digest('base64url').slice(0, 43);
}
