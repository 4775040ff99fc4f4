import type { Clock } from '../shared/clock.js';
import type { Store } from '../storage/store.js';
import { ID_TOKEN_LIFETIME_SECONDS } from './id-token.js';
import { encryptPrivateKey } from './key-encryption.js';
import { createKey } from './signing-keys.js';

/** How long a new key is published before it signs, unless told otherwise. */
export const DEFAULT_ACTIVATE_AFTER_SECONDS = 3600;

/**
 * A superseded key stays published this long after its successor started signing: longer than
 * any token it signed lives (access tokens 3599 s, id tokens 3600 s, plus 5 minutes of verifiers' skew).
 */
export const SUPERSEDED_KEY_RETENTION_MS = (ID_TOKEN_LIFETIME_SECONDS + 300) * 1000 + 3_600_000;

export interface RotationResult {
  kid: string;
  activatesAt: number;
  /** Keys removed because nothing they signed can still be valid. */
  removed: string[];
}

/**
 * `longrun keys rotate` (docs/authentication.md, "Key custody"): stores the next key, published
 * in the JWKS at once and signing from `now + activateAfterSeconds` on every node; removes keys
 * superseded long enough ago that none of their tokens lives.
 */
export async function rotateSigningKey(
  store: Store,
  clock: Clock,
  options: { activateAfterSeconds?: number; keyEncryptionKey?: Buffer | undefined } = {},
): Promise<RotationResult> {
  const now = clock.now();
  const key = await createKey(now);
  if (options.keyEncryptionKey) key.privateJwk = encryptPrivateKey(options.keyEncryptionKey, key.kid, key.privateJwk);
  const activatesAt = now + (options.activateAfterSeconds ?? DEFAULT_ACTIVATE_AFTER_SECONDS) * 1000;
  return store.transaction(async (tx) => {
    // The first key is made on first use; rotating an empty store makes it now, then the next one.
    if ((await tx.keys.all()).length === 0) {
      const first = await createKey(now);
      if (options.keyEncryptionKey) first.privateJwk = encryptPrivateKey(options.keyEncryptionKey, first.kid, first.privateJwk);
      await tx.keys.insertIfNone(first);
    }
    await tx.keys.insertNext({ ...key, activatesAt });
    const removed = await tx.keys.deleteSuperseded(now - SUPERSEDED_KEY_RETENTION_MS);
    return { kid: key.kid, activatesAt, removed };
  });
}
