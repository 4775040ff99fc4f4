import { randomUUID } from 'node:crypto';
import type { Store } from '../storage/store.js';
import type { StoredRefreshToken } from '../storage/sign-in-grants-repository.js';
import { entraErrors } from './entra-errors.js';
import { entraTimestamp, newOpaqueSecret, secretHash } from './opaque-secrets.js';

/** Entra's refresh tokens expire after 90 days without use (a rotated one starts again). */
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3600_000;

export interface NewRefreshToken {
  tenantId: string;
  userId: string;
  clientId: string;
  /** The scope request it may renew, as sent at sign-in. */
  scope: string;
  /** The family of the token it replaces; a new sign-in starts a new family. */
  familyId?: string;
  /** Tenant time, epoch ms. */
  now: number;
}

/**
 * Opaque refresh tokens (docs/authentication.md, "Refresh tokens"): 256 random bits, stored only
 * as a SHA-256 hash, bound to client and user, rotated on every use. The token carries the user's
 * sign-in generation: revokeSignInSessions, a password reset and disabling the account move it on.
 */
export async function issueRefreshToken(store: Store, input: NewRefreshToken): Promise<string> {
  const token = newOpaqueSecret();
  await store.signInGrants.insertRefreshToken({
    tokenHash: secretHash(token),
    familyId: input.familyId ?? randomUUID(),
    tenantId: input.tenantId,
    userId: input.userId,
    clientId: input.clientId.toLowerCase(),
    scope: input.scope,
    sessionGeneration: await store.signInSecurity.generation(input.tenantId, input.userId),
    createdAt: input.now,
    expiresAt: input.now + REFRESH_TOKEN_LIFETIME_MS,
  });
  return token;
}

/**
 * Checks a presented refresh token and marks it used (one guarded UPDATE: of two nodes
 * redeeming it at once, one wins). A rotated token presented again revokes its whole family
 * (it may have been stolen; OAuth 2.0 Security BCP, refresh token rotation).
 */
export async function redeemRefreshToken(
  store: Store,
  token: string,
  clientId: string,
  nowOf: (tenantId: string) => Promise<number>,
): Promise<StoredRefreshToken> {
  const stored = await store.signInGrants.findRefreshToken(secretHash(token));
  if (!stored) throw entraErrors.malformedGrant();
  const now = await nowOf(stored.tenantId);
  if (stored.clientId !== clientId.toLowerCase()) throw entraErrors.invalidGrant('The refresh token was issued to a different client.');
  if (stored.revokedAt !== null) throw entraErrors.grantRevoked(entraTimestamp(stored.createdAt));
  if (stored.rotatedAt !== null) {
    await store.signInGrants.revokeFamily(stored.familyId, now);
    throw entraErrors.invalidGrant(
      'The refresh token was already used: refresh tokens are single use. Every token of this sign-in is revoked; sign in again.',
    );
  }
  if (stored.expiresAt <= now) throw entraErrors.refreshTokenExpired(entraTimestamp(stored.createdAt));
  if (stored.sessionGeneration < (await store.signInSecurity.generation(stored.tenantId, stored.userId))) {
    throw entraErrors.grantRevoked(entraTimestamp(stored.createdAt));
  }
  if (!(await store.signInGrants.rotateRefreshToken(stored.tokenHash, now))) {
    // Another request rotated it between the read and the update: a reuse.
    await store.signInGrants.revokeFamily(stored.familyId, now);
    throw entraErrors.invalidGrant(
      'The refresh token was already used: refresh tokens are single use. Every token of this sign-in is revoked; sign in again.',
    );
  }
  return stored;
}
