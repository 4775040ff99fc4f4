import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../shared/clock.js';
import type { StoredSigningKey } from '../storage/keys-repository.js';
import type { Store } from '../storage/store.js';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption.js';
import { UnknownKids } from './unknown-kids.js';

/** A public key as published in the JWKS. */
export interface PublicJwk {
  kty: string;
  use: 'sig';
  alg: 'RS256';
  kid: string;
  /** The same value as `kid`, as in Entra's key sets, so a validator that looks keys up by a token header's `x5t` finds it. */
  x5t: string;
  n: string;
  e: string;
}

/** The key a node signs with. */
export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

interface LoadedKey {
  kid: string;
  publicJwk: PublicJwk;
  publicKey: CryptoKey;
  /** The private JWK as stored (clear or encrypted); decrypted and imported only for the active key. */
  privateJwk: string;
}

/**
 * The login authority's RS256 keys. They live in the database so every node signs and verifies
 * with the same keys: the first node to need a key creates one (`insertIfNone` in a
 * transaction, so racing nodes end up agreeing on one), and a node that meets an unknown `kid`
 * reloads the table before giving up, because another node may have created it since. Such
 * reloads are spaced out and kids they did not find are remembered for a while (UnknownKids), so
 * a flood of junk tokens costs at most one read a second.
 */
export class SigningKeys {
  #byKid = new Map<string, LoadedKey>();
  #active: Promise<ActiveSigningKey> | undefined;
  /** When the cached signing key must be looked up again (a rotated key activates, or a periodic re-check). */
  #activeUntil = 0;
  #reloading: Promise<void> | undefined;
  #missReload: Promise<void> | undefined;
  #lastMissReload = Number.NEGATIVE_INFINITY;
  readonly #unknownKids = new UnknownKids();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** LONGRUN_KEY_ENCRYPTION_KEY: new private keys are stored AES-256-GCM encrypted (key-encryption.ts). */
    private readonly keyEncryptionKey?: Buffer,
  ) {}

  /** The key to sign with, creating and storing one when the database has none. */
  signingKey(): Promise<ActiveSigningKey> {
    const now = this.clock.now();
    if (!this.#active || now >= this.#activeUntil) {
      // Single-flight: concurrent requests share one lookup/creation.
      this.#activeUntil = Number.POSITIVE_INFINITY;
      this.#active = this.#loadOrCreateActive(now).catch((e: unknown) => {
        this.#active = undefined;
        this.#activeUntil = 0;
        throw e;
      });
    }
    return this.#active;
  }

  /**
   * The public key for a token's `kid`; reloads from the database on a miss.
   * Undefined when no node ever created that key.
   */
  async publicKey(kid: string): Promise<CryptoKey | undefined> {
    const cached = this.#byKid.get(kid);
    if (cached) return cached.publicKey;
    // Junk tokens must not cost a database read each: a kid that cannot be a thumbprint, or one
    // a recent reload did not find, is refused from memory; other misses share one reload a second.
    if (!PLAUSIBLE_KID.test(kid) || this.#unknownKids.has(kid, this.clock.now())) return undefined;
    await this.#reloadForMiss();
    const found = this.#byKid.get(kid);
    if (!found) this.#unknownKids.add(kid, this.clock.now());
    return found?.publicKey;
  }

  /** A reload for a missing kid: at most one per `MISS_RELOAD_INTERVAL_MS`; misses meanwhile wait for the next and share it. */
  #reloadForMiss(): Promise<void> {
    this.#missReload ??= (async () => {
      const wait = this.#lastMissReload + MISS_RELOAD_INTERVAL_MS - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        await this.#reload();
      } finally {
        this.#lastMissReload = performance.now();
        this.#missReload = undefined;
      }
    })();
    return this.#missReload;
  }

  /** Every stored public key, as the JWKS endpoint publishes them (creating the first key if needed). */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    await this.signingKey();
    await this.#reload();
    return { keys: [...this.#byKid.values()].map((k) => k.publicJwk) };
  }

  async #loadOrCreateActive(now: number): Promise<ActiveSigningKey> {
    let stored = await this.store.keys.active(now);
    if (!stored) {
      const candidate = await createKey(now);
      if (this.keyEncryptionKey) candidate.privateJwk = encryptPrivateKey(this.keyEncryptionKey, candidate.kid, candidate.privateJwk);
      await this.store.transaction((tx) => tx.keys.insertIfNone(candidate));
      // Re-read outside the transaction: if another node won a race we sign with its key.
      stored = (await this.store.keys.active(now)) ?? (await this.store.keys.active()) ?? candidate;
    }
    const next = await this.store.keys.nextActivation(now);
    this.#activeUntil = Math.min(next ?? Number.POSITIVE_INFINITY, now + ACTIVE_KEY_RECHECK_MS);
    const loaded = await this.#remember(stored);
    const clear = decryptPrivateKey(this.keyEncryptionKey, loaded.kid, loaded.privateJwk);
    const privateKey = (await importJWK(JSON.parse(clear) as JWK, 'RS256')) as CryptoKey;
    return { kid: loaded.kid, privateKey };
  }

  async #reload(): Promise<void> {
    this.#reloading ??= (async () => {
      try {
        for (const stored of await this.store.keys.all()) await this.#remember(stored);
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  async #remember(stored: StoredSigningKey): Promise<LoadedKey> {
    const known = this.#byKid.get(stored.kid);
    if (known) return known;
    const jwk = JSON.parse(stored.publicJwk) as JWK;
    const publicJwk: PublicJwk = { kty: 'RSA', use: 'sig', alg: 'RS256', kid: stored.kid, x5t: stored.kid, n: jwk.n ?? '', e: jwk.e ?? '' };
    const rsa: JWK = { kty: 'RSA', n: publicJwk.n, e: publicJwk.e };
    const publicKey = (await importJWK(rsa, 'RS256')) as CryptoKey;
    const loaded: LoadedKey = { kid: stored.kid, publicJwk, publicKey, privateJwk: stored.privateJwk };
    this.#byKid.set(stored.kid, loaded);
    return loaded;
  }
}

/** Kids this node creates are RFC 7638 SHA-256 thumbprints (43 base64url characters); anything unlike one is never looked up. */
const PLAUSIBLE_KID = /^[\w-]{1,128}$/;
/** Reloads for unknown kids happen at most this often (performance.now() time). */
export const MISS_RELOAD_INTERVAL_MS = 1_000;

/** How often a node re-reads which key signs, so a rotation made elsewhere is picked up. */
const ACTIVE_KEY_RECHECK_MS = 60_000;

/** A fresh RS256 (2048-bit) key pair; its kid is the RFC 7638 JWK thumbprint of the public key. */
export async function createKey(now: number): Promise<StoredSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return {
    kid,
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg: 'RS256', use: 'sig' }),
    privateJwk: JSON.stringify({ ...privateJwk, kid, alg: 'RS256' }),
    createdAt: now,
  };
}
