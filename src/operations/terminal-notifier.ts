/**
 * In-process signal "this operation just became terminal" (succeeded or failed), for requests
 * waiting with `Prefer: wait` (extension `wait`, docs/extensions.md). Every terminal write calls
 * `notifyTerminal` after it committed: the executor's finish, the reaper's failExpired, the
 * control API's fail. On PostgreSQL, ends on other nodes arrive through LISTEN longrun_done and
 * are fed in here too. Notifying an id nobody waits for costs a map lookup.
 */
export class TerminalNotifier {
  readonly #listeners = new Map<string, Set<() => void>>();

  /** `operationId` became terminal (after the write committed). */
  notifyTerminal(operationId: string): void {
    const listeners = this.#listeners.get(operationId);
    if (!listeners) return;
    this.#listeners.delete(operationId);
    for (const l of listeners) l();
  }

  /** Calls `listener` once when `operationId` becomes terminal; returns a function that unsubscribes. */
  onTerminal(operationId: string, listener: () => void): () => void {
    let set = this.#listeners.get(operationId);
    if (!set) this.#listeners.set(operationId, (set = new Set()));
    set.add(listener);
    return () => {
      const current = this.#listeners.get(operationId);
      current?.delete(listener);
      if (current?.size === 0) this.#listeners.delete(operationId);
    };
  }

  /** The ids someone is waiting for. */
  watchedIds(): string[] {
    return [...this.#listeners.keys()];
  }
}
