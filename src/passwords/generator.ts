/**
 * System-generated passwords, returned once by a resetPassword call that had no `newPassword`.
 */
import { randomInt } from 'node:crypto';
import { checkPasswordPolicy } from './policy.js';
import type { PasswordPolicyContext, PasswordPolicyOptions } from './policy.js';

/** Length of every generated password. */
export const GENERATED_PASSWORD_LENGTH = 16;

// Look-alikes (0/O, 1/l/I) are left out because generated passwords get read aloud and retyped.
// Symbols avoid quotes, backslash and space, which break when pasted into shells and JSON.
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#$%&*+-=?@^_';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

/**
 * Drawing from the four classes guarantees length and complexity; only the banned list and the
 * user's name can still reject a draw, which is rare, so a handful of retries always suffices.
 */
const MAX_ATTEMPTS = 100;

/** Options for `generatePassword`. */
export interface GeneratePasswordOptions extends PasswordPolicyOptions {
  /** The user the password is for; without it, name containment cannot be checked. */
  user?: PasswordPolicyContext;
}

function pick(alphabet: string): string {
  // randomInt draws uniformly (it rejects out-of-range values internally), so no modulo bias.
  return alphabet.charAt(randomInt(alphabet.length));
}

function shuffle(chars: string[]): string[] {
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars;
}

function drawCandidate(): string {
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < GENERATED_PASSWORD_LENGTH) chars.push(pick(ALL));
  return shuffle(chars).join('');
}

/**
 * A random 16-character password that satisfies `checkPasswordPolicy` for `options.user`
 * (or for an anonymous user) and the tenant's banned list.
 */
export function generatePassword(options: GeneratePasswordOptions = {}): string {
  const user = options.user ?? { userPrincipalName: '', displayName: '' };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const candidate = drawCandidate();
    if (checkPasswordPolicy(candidate, user, options).ok) return candidate;
  }
  // Reachable only with a tenant banned list so broad that almost every string matches it.
  throw new Error(`Could not generate a password that satisfies the policy in ${MAX_ATTEMPTS} attempts`);
}
