import type { Logger } from '../shared/logger.js';
import type { Store } from '../storage/store.js';
import { isTerminal } from './model.js';
import type { TerminalNotifier } from './terminal-notifier.js';

/** Requests one caller may have waiting at once; beyond it, requests answer at once. */
export const DEFAULT_WAITS_PER_CALLER = 50;
/** Re-check period where no notification crosses processes (SQLite: another process's worker). */
export const RECHECK_WITHOUT_NOTIFY_MS = 250;
/** Re-check period on PostgreSQL: a safety net for a notification lost while reconnecting. */
export const RECHECK_WITH_NOTIFY_MS = 5_000;

export interface OperationWaiterOptions {
  store: Store;
  notifier: TerminalNotifier;
  logger: Logger;
  waitsPerCaller?: number;
  /** Overrides the backend's re-check period (tests). */
  recheckIntervalMs?: number;
}

export type WaitOutcome = 'ended' | 'timedOut' | 'refused';

/**
 * Holds requests that asked to wait for an operation's end (`Prefer: wait=N`, extension `wait`,
 * docs/extensions.md) without holding a database connection: a waiting request is a timer and
 * a listener on the TerminalNotifier. Ends reach the notifier from this process's terminal
 * writes at once, from other PostgreSQL nodes through LISTEN longrun_done, and otherwise from a
 * re-check that reads the statuses of every waited id in one query per period (SQLite has no
 * cross-process notification), holding nothing between checks.
 */
export class OperationWaiter {
  readonly #o: Required<Omit<OperationWaiterOptions, 'recheckIntervalMs'>> & { recheckIntervalMs: number };
  readonly #perCaller = new Map<string, number>();
  readonly #wakeAll = new Set<() => void>();
  #recheck: NodeJS.Timeout | undefined;
  #stopListening: (() => Promise<void>) | undefined;
  #waiting = 0;

  constructor(options: OperationWaiterOptions) {
    const crossProcess = options.store.db.dialect.crossProcessWakeUp;
    this.#o = {
      waitsPerCaller: DEFAULT_WAITS_PER_CALLER,
      ...options,
      recheckIntervalMs: options.recheckIntervalMs ?? (crossProcess ? RECHECK_WITH_NOTIFY_MS : RECHECK_WITHOUT_NOTIFY_MS),
    };
  }

  /** Requests parked now (past their first read, waiting for an end or their timeout). */
  get waiting(): number {
    return this.#waiting;
  }

  /** Listens for ends on other nodes where the backend can tell (PostgreSQL). */
  async start(): Promise<void> {
    const { store, notifier, logger } = this.#o;
    this.#stopListening = await store.db
      .onOperationEnded?.(
        (id) => notifier.notifyTerminal(id),
        () => void this.#recheckNow(),
      )
      .catch((e: unknown) => {
        logger.warn({ err: e }, 'cannot listen for ended operations; waiting requests re-check instead');
        return undefined;
      });
  }

  /** Answers every waiting request now (with the state it has) and stops listening. */
  async stop(): Promise<void> {
    for (const wake of [...this.#wakeAll]) wake();
    clearInterval(this.#recheck);
    this.#recheck = undefined;
    await this.#stopListening?.();
  }

  /**
   * Waits until `operationId` is terminal, `timeoutMs` passed, or `signal` fired (the client
   * went away). `refused` at once when `callerKey` already has its share of waiting requests.
   */
  async wait(operationId: string, callerKey: string, timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    const held = this.#perCaller.get(callerKey) ?? 0;
    if (held >= this.#o.waitsPerCaller) return 'refused';
    this.#perCaller.set(callerKey, held + 1);
    let parked = false;
    let outcome: WaitOutcome = 'timedOut';
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const unsubscribe = this.#o.notifier.onTerminal(operationId, () => {
      outcome = 'ended';
      finish();
    });
    const timer = setTimeout(finish, timeoutMs);
    signal?.addEventListener('abort', finish, { once: true });
    this.#wakeAll.add(finish);
    this.#ensureRecheck();
    try {
      // Subscribed first, then read: an end written between the caller's read and now is not missed.
      const current = await this.#o.store.operations.get(operationId);
      if (!current || isTerminal(current.status)) return 'ended';
      parked = true;
      this.#waiting++;
      await done;
      return outcome;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      this.#wakeAll.delete(finish);
      unsubscribe();
      if (parked) this.#waiting--;
      const left = (this.#perCaller.get(callerKey) ?? 1) - 1;
      if (left === 0) this.#perCaller.delete(callerKey);
      else this.#perCaller.set(callerKey, left);
    }
  }

  #ensureRecheck(): void {
    if (this.#recheck) return;
    this.#recheck = setInterval(() => void this.#recheckNow(), this.#o.recheckIntervalMs);
    this.#recheck.unref();
  }

  async #recheckNow(): Promise<void> {
    const ids = this.#o.notifier.watchedIds();
    if (ids.length === 0) {
      clearInterval(this.#recheck);
      this.#recheck = undefined;
      return;
    }
    try {
      for (const id of await this.#o.store.operations.endedAmong(ids)) this.#o.notifier.notifyTerminal(id);
    } catch (e) {
      this.#o.logger.warn({ err: e }, 're-checking waited operations failed; next period goes on');
    }
  }
}
