import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../storage/store.js';

/** Mean period between sweeps (jittered ±50% so nodes do not sweep in lockstep). */
export const RETENTION_SWEEP_INTERVAL_MS = 60_000;
/** Rows removed per statement (and per short transaction). */
export const RETENTION_BATCH_SIZE = 500;
/** Batches per pass and sweep, so one sweep is bounded too; the next sweep goes on. */
export const RETENTION_MAX_BATCHES = 20;

export interface RetentionSweeperOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** How long an ended operation is kept after its last action, in tenant time. */
  retentionMs: number;
  intervalMs?: number;
  batchSize?: number;
  maxBatches?: number;
  random?: () => number;
}

export interface SweepResult {
  operations: number;
  idempotencyKeys: number;
}

/**
 * Removes what retention lets go (docs/retention.md): operations ended longer than the
 * retention ago, with their events, and expired idempotency keys. "Ago" is in tenant time: real
 * time plus the tenant's clock offset. Every node running an executor sweeps; removal goes in
 * bounded batches, each its own short transaction, and nodes sweeping together take disjoint
 * rows (SKIP LOCKED), so nothing waits on a long lock and each row is removed once.
 */
export class RetentionSweeper {
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #sweeping: Promise<unknown> = Promise.resolve();
  readonly #o: Required<RetentionSweeperOptions>;

  constructor(options: RetentionSweeperOptions) {
    this.#o = {
      intervalMs: RETENTION_SWEEP_INTERVAL_MS,
      batchSize: RETENTION_BATCH_SIZE,
      maxBatches: RETENTION_MAX_BATCHES,
      random: Math.random,
      ...options,
    };
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Stops scheduling and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#sweeping;
  }

  /** One sweep over every tenant. */
  async sweepOnce(): Promise<SweepResult> {
    const { store, clock, retentionMs } = this.#o;
    const now = clock.now();
    // Tenant clocks only move forward, so what has expired in real time has expired for every
    // tenant: one pass for all at real time, then one per tenant whose clock is ahead.
    const offsets = await store.tenantClocks.allOffsets();
    const passes: Array<{ tenantId?: string; now: number }> = [
      { now },
      ...[...offsets].map(([tenantId, offset]) => ({ tenantId, now: now + offset })),
    ];
    const result: SweepResult = { operations: 0, idempotencyKeys: 0 };
    for (const pass of passes) {
      result.operations += await this.#drain((limit) =>
        store.transaction(async (tx) => (await tx.retention.removeEndedOperations(pass.now - retentionMs, limit, pass.tenantId)).length),
      );
      result.idempotencyKeys += await this.#drain((limit) => store.retention.removeExpiredKeys(pass.now, limit, pass.tenantId));
    }
    if (result.operations + result.idempotencyKeys > 0)
      this.#o.logger.info({ removed: result }, 'retention: removed ended operations and expired keys');
    return result;
  }

  /** Runs `batch` until it removes less than a full batch, at most `maxBatches` times. */
  async #drain(batch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.#o.maxBatches; i++) {
      const n = await batch(this.#o.batchSize);
      total += n;
      if (n < this.#o.batchSize) break;
      // Let requests waiting for the (SQLite) connection go first.
      await new Promise((r) => setImmediate(r));
    }
    return total;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const delay = this.#o.intervalMs * (0.5 + this.#o.random());
    this.#timer = setTimeout(() => {
      this.#sweeping = this.sweepOnce()
        .catch((e) => this.#o.logger.error({ err: e }, 'retention sweep failed; next sweep goes on'))
        .finally(() => this.#schedule());
    }, delay);
    this.#timer.unref();
  }
}
