import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Store } from '../storage/store.js';

/** Prefix of a private key stored encrypted: `aes256gcm:{iv}.{tag}.{ciphertext}` (base64url). */
const PREFIX = 'aes256gcm:';

export class KeyEncryptionError extends Error {}

/** `LONGRUN_KEY_ENCRYPTION_KEY`: 32 bytes as 64 hex digits or base64 / base64url. */
export function parseKeyEncryptionKey(text: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32) {
    throw new KeyEncryptionError(
      'LONGRUN_KEY_ENCRYPTION_KEY: expected 32 bytes (64 hex digits or 44 base64 characters), e.g. `openssl rand -base64 32`',
    );
  }
  return bytes;
}

export const isEncryptedKey = (stored: string): boolean => stored.startsWith(PREFIX);

/** AES-256-GCM with a fresh 96-bit IV; the kid is authenticated data, so a ciphertext cannot be moved to another key's row. */
export function encryptPrivateKey(kek: Buffer, kid: string, privateJwk: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(privateJwk, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ciphertext.toString('base64url')}`;
}

/** The clear private JWK of a stored key (stored clear or encrypted). */
export function decryptPrivateKey(kek: Buffer | undefined, kid: string, stored: string): string {
  if (!isEncryptedKey(stored)) return stored;
  if (!kek)
    throw new KeyEncryptionError('the signing keys are encrypted: set LONGRUN_KEY_ENCRYPTION_KEY to the key they were encrypted with');
  const [iv, tag, ciphertext] = stored.slice(PREFIX.length).split('.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv ?? '', 'base64url'));
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext ?? '', 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyEncryptionError(
      `LONGRUN_KEY_ENCRYPTION_KEY does not decrypt signing key ${kid}: it is not the key the signing keys were encrypted with`,
    );
  }
}

/**
 * Start-up check (docs/authentication.md, "Key custody"): refuses a database whose keys are
 * encrypted when no key-encryption key is set, or a wrong one; with a key-encryption key,
 * encrypts any key still stored in clear.
 */
export async function prepareSigningKeyCustody(store: Store, kek: Buffer | undefined): Promise<{ encrypted: number }> {
  let encrypted = 0;
  for (const key of await store.keys.all()) {
    const clear = decryptPrivateKey(kek, key.kid, key.privateJwk);
    if (kek && !isEncryptedKey(key.privateJwk)) {
      await store.keys.replacePrivateJwk(key.kid, key.privateJwk, encryptPrivateKey(kek, key.kid, clear));
      encrypted++;
    }
  }
  return { encrypted };
}
