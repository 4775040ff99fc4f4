/** Seconds a refused stream is told to wait (`Retry-After`). */
export const EVENT_STREAM_RETRY_AFTER_SECONDS = 30;

/**
 * Counts the open event streams of each caller, so one token cannot hold an unbounded number
 * of connections and store polls (each stream polls twice a second). A caller at its share is
 * refused until one of its streams closes.
 */
export class EventStreamShares {
  readonly #open = new Map<string, number>();

  constructor(readonly perCaller: number) {}

  /** Takes one place for `caller`; false when the caller already has its share. */
  take(caller: string): boolean {
    const held = this.#open.get(caller) ?? 0;
    if (held >= this.perCaller) return false;
    this.#open.set(caller, held + 1);
    return true;
  }

  release(caller: string): void {
    const left = (this.#open.get(caller) ?? 1) - 1;
    if (left > 0) this.#open.set(caller, left);
    else this.#open.delete(caller);
  }
}
