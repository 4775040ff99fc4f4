/**
 * When a resetPassword request is a retry of an earlier one (docs/passwords.md, "Retries and
 * idempotency"): the window, the scope a client key lives in, and the comparison of a retry with
 * the first request. Pure domain code: the HTTP headers and the SQL live elsewhere.
 */
import { createHash } from 'node:crypto';
import { verifyPassword } from './hashing.js';

/**
 * How long a retry key is remembered after the first request: 10 minutes. Azure's guidelines ask
 * for at least 5 (https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#repeatability-of-requests); 10 covers an SDK's full retry schedule with room to spare,
 * while a client that reuses a fixed `client-request-id` is only locked out of changing its mind
 * for a short time.
 */
export const RESET_IDEMPOTENCY_WINDOW_MS = 10 * 60_000;

/** What identifies a reset request apart from the password itself. */
export interface ResetRequestShape {
  targetUserId: string;
  methodId: string;
  /** `newPassword` was sent (false: the system generates one). */
  passwordGiven: boolean;
}

/** A key is private to one caller acting on one user: nobody else's retry can collide with it. */
export function resetIdempotencyScope(callerObjectId: string, targetUserId: string): string {
  return `resetPassword/${callerObjectId.toLowerCase()}/${targetUserId.toLowerCase()}`;
}

/**
 * SHA-256 of the request's non-secret parts. The password is deliberately not in it: a fast hash
 * of a password is a cheap target for guessing, so the password is compared through a slow salted
 * argon2id digest instead (`secretDigest`).
 */
export function resetFingerprint(shape: ResetRequestShape): string {
  const canonical = JSON.stringify([
    'resetPassword/v1',
    shape.targetUserId.toLowerCase(),
    shape.methodId.toLowerCase(),
    shape.passwordGiven,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * True when a retry asks for exactly what the first request asked for: same fingerprint and, if
 * a password was given, the same password (checked against the first request's argon2id digest).
 * Two requests without `newPassword` match: the retry wants "a generated password", which the
 * first request already produced.
 */
export async function isSameReset(
  first: { fingerprint: string; secretDigest: string | null },
  shape: ResetRequestShape,
  givenPassword: string | undefined,
): Promise<boolean> {
  if (first.fingerprint !== resetFingerprint(shape)) return false;
  if (givenPassword === undefined) return first.secretDigest === null;
  return first.secretDigest !== null && (await verifyPassword(first.secretDigest, givenPassword));
}
