/**
 * Password and client-secret hashing with argon2id.
 *
 * Hashes are PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so the cost a hash was made
 * with travels with it: verifying never needs to know the current cost, and raising the cost
 * later only affects new hashes (see `needsRehash`).
 */
import { argon2id, hash as argon2Hash, needsRehash as argon2NeedsRehash, verify as argon2Verify } from 'argon2';

/** Argon2id work factors. */
export interface PasswordHashCost {
  /** Memory per hash, in KiB. */
  memoryCost: number;
  /** Number of passes over the memory. */
  timeCost: number;
  /** Lanes (threads) per hash. */
  parallelism: number;
}

/**
 * OWASP Password Storage Cheat Sheet's first argon2id profile (m=19 MiB, t=2, p=1): about the
 * same strength as its higher-memory profiles, yet a node serving many logins at once does not
 * run out of memory. Used unless a caller injects another cost.
 */
export const DEFAULT_HASH_COST: Readonly<PasswordHashCost> = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/**
 * A deliberately weak profile (1 MiB, one pass) so test suites and benchmarks that create many
 * users do not spend their time hashing. Never use it for a real deployment.
 */
export const LOW_HASH_COST_FOR_TESTS: Readonly<PasswordHashCost> = Object.freeze({
  memoryCost: 1_024,
  timeCost: 1,
  parallelism: 1,
});

/** Hashes and verifies secrets at one fixed cost. */
export interface PasswordHasher {
  /** The cost this hasher hashes with. */
  readonly cost: Readonly<PasswordHashCost>;
  /** Hashes `clear` with a fresh random salt; returns a PHC string. */
  hash(clear: string): Promise<string>;
  /** True when `clear` matches `storedHash`; false for a wrong secret or any malformed hash. */
  verify(storedHash: string, clear: string): Promise<boolean>;
  /** True when `storedHash` was made with a different cost (or is unreadable) and should be redone. */
  needsRehash(storedHash: string): boolean;
}

const ARGON2ID_PREFIX = '$argon2id$';

/** Builds a hasher with the given cost (defaults to `DEFAULT_HASH_COST`). */
export function createPasswordHasher(cost: Readonly<PasswordHashCost> = DEFAULT_HASH_COST): PasswordHasher {
  const frozenCost = Object.freeze({ ...cost });
  return {
    cost: frozenCost,
    hash: (clear) => argon2Hash(clear, { type: argon2id, ...frozenCost }),
    verify: verifyPassword,
    needsRehash(storedHash) {
      if (!storedHash.startsWith(ARGON2ID_PREFIX)) return true;
      try {
        return argon2NeedsRehash(storedHash, frozenCost);
      } catch {
        return true;
      }
    },
  };
}

const defaultHasher = createPasswordHasher();

/** Hashes `clear` with argon2id at `DEFAULT_HASH_COST`. */
export function hashPassword(clear: string): Promise<string> {
  return defaultHasher.hash(clear);
}

/**
 * True when `clear` matches `storedHash`. Never throws: a wrong secret, a non-string, a hash of
 * another algorithm (argon2i/argon2d included) or a corrupt hash all give false.
 */
export async function verifyPassword(storedHash: string, clear: string): Promise<boolean> {
  // Only argon2id is accepted so a tampered row cannot downgrade verification to a weaker variant.
  if (typeof storedHash !== 'string' || typeof clear !== 'string') return false;
  if (!storedHash.startsWith(ARGON2ID_PREFIX)) return false;
  try {
    return await argon2Verify(storedHash, clear);
  } catch {
    return false;
  }
}
