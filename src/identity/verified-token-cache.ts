import type { JWTPayload } from 'jose';

/**
 * Tokens whose signature and fixed claims (issuer, audience, algorithm) were already verified,
 * keyed by the exact token text: a signature over the same bytes verifies the same way every
 * time, so clients polling with one token pay for the RSA check once. Lifetime claims still
 * change with the clock and are re-checked on every use (`checkLifetime`). Bounded; the oldest
 * entry goes first.
 */
export class VerifiedTokenCache {
  readonly #entries = new Map<string, JWTPayload>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string): JWTPayload | undefined {
    return this.#entries.get(token);
  }

  set(token: string, payload: JWTPayload): void {
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(token, payload);
  }
}

/** jose's lifetime rules, for a cached payload: 'expired', 'notYetValid' or undefined when valid now. */
export function checkLifetime(payload: JWTPayload, nowMs: number, toleranceSeconds: number): 'expired' | 'notYetValid' | undefined {
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.exp === 'number' && payload.exp <= now - toleranceSeconds) return 'expired';
  if (typeof payload.nbf === 'number' && payload.nbf > now + toleranceSeconds) return 'notYetValid';
  return undefined;
}
