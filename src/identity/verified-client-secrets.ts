import { createHash } from 'node:crypto';

/** How long a verified client secret is taken on trust without another argon2id run. */
const TRUST_MS = 5 * 60_000;
/** Entries kept; the oldest go first. */
const MAX_ENTRIES = 1_000;

/**
 * Client secrets already verified against a stored hash: a busy application's token requests
 * then skip argon2id, so they neither spend the CPU nor queue behind a flood of wrong passwords
 * in the VerificationGate. Only successes are kept, keyed by SHA-256 of the stored hash and the
 * secret (client secrets are long random strings, so the digest gives nothing away; user
 * passwords are never kept here). A new secret has a new hash, so rotation needs no flush.
 */
export class VerifiedClientSecrets {
  readonly #until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  has(hash: string, secret: string): boolean {
    const key = digest(hash, secret);
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.#until.delete(key);
    return false;
  }

  remember(hash: string, secret: string): void {
    const key = digest(hash, secret);
    this.#until.delete(key);
    this.#until.set(key, this.now() + TRUST_MS);
    if (this.#until.size > MAX_ENTRIES) this.#until.delete(this.#until.keys().next().value!);
  }
}

const digest = (hash: string, secret: string): string => createHash('sha256').update(hash).update('\0').update(secret).digest('base64url');
