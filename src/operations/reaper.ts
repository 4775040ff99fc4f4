import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../storage/store.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import type { TerminalNotifier } from './terminal-notifier.js';
import type { TerminalHook } from './handler.js';
import { NO_LEASE } from './model.js';

export interface ReaperOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  backoff: BackoffPolicy;
  random: () => number;
  /** Mean period between sweeps; each sweep is jittered ±50% so many workers don't sweep in lockstep. */
  intervalMs: number;
  /** Told of each operation failed here, once committed (wakes waiting requests). */
  terminalNotifier?: TerminalNotifier;
  /** Run in the transaction that fails an operation (see TerminalHook). */
  onTerminal?: TerminalHook[];
}

/**
 * Returns operations whose lease expired (their worker died or stalled) to the queue with a
 * backoff, or fails them once their attempts are used up.
 */
export class LeaseReaper {
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(private readonly o: ReaperOptions) {}

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  /** One sweep; returns how many operations it reclaimed or failed. */
  async reapOnce(): Promise<number> {
    const now = this.o.clock.now();
    const expired = await this.o.store.operations.expiredLeases(now, 500);
    let n = 0;
    for (const op of expired) {
      if (op.attempts >= op.maxAttempts) {
        const detail = `The operation was abandoned: its worker stopped responding on each of ${op.attempts} attempt(s).`;
        const failed = await this.o.store.transaction(async (tx) => {
          if (!(await tx.operations.failExpired(op, detail, 'workerLost', now))) return false;
          const ended = { ...op, status: 'failed' as const, statusDetail: detail, errorCode: 'workerLost', finishedAt: now, ...NO_LEASE };
          for (const hook of this.o.onTerminal ?? []) await hook(tx, ended);
          return true;
        });
        if (failed) {
          this.o.terminalNotifier?.notifyTerminal(op.id);
          n++;
        }
      } else {
        const availableAt = now + retryDelay(op.attempts, this.o.backoff, this.o.random);
        if (await this.o.store.operations.requeueExpired(op, availableAt, now)) n++;
      }
    }
    if (n > 0) this.o.logger.warn({ reclaimed: n }, 'reclaimed operations with expired leases');
    return n;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const delay = this.o.intervalMs * (0.5 + this.o.random());
    this.#timer = setTimeout(() => {
      this.reapOnce()
        .catch((e) => this.o.logger.error({ err: e }, 'lease sweep failed'))
        .finally(() => this.#schedule());
    }, delay);
    this.#timer.unref();
  }
}
