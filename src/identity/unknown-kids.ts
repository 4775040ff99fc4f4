/** How long a kid that a reload did not find is refused without looking again (clock time). */
export const UNKNOWN_KID_TTL_MS = 60_000;
/** Kids remembered at most; the oldest are forgotten first. */
export const MAX_UNKNOWN_KIDS = 10_000;

/**
 * The negative cache of SigningKeys: kids that no stored key had at the last reload. Bounded in
 * count (and each kid in length, by SigningKeys) and short-lived, because a key created later by
 * another node could in principle carry a kid seen before; a real kid is a thumbprint of a key
 * that did not exist yet, so in practice it is never here.
 */
export class UnknownKids {
  readonly #until = new Map<string, number>();

  has(kid: string, now: number): boolean {
    const until = this.#until.get(kid);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#until.delete(kid);
    return false;
  }

  add(kid: string, now: number): void {
    this.#until.delete(kid);
    this.#until.set(kid, now + UNKNOWN_KID_TTL_MS);
    if (this.#until.size > MAX_UNKNOWN_KIDS) this.#until.delete(this.#until.keys().next().value!);
  }

  get size(): number {
    return this.#until.size;
  }
}
