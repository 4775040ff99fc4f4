/**
 * Queues the background PIM alert scans (docs/alerts.md, "Background scans"): every tenant is
 * scanned when it is imported and then every `intervalMs` of its own time. Each node that runs
 * an executor checks for due scans every few seconds; taking a due scan moves the tenant's next
 * one forward in the same statement (`takeDueScans`), so two nodes never queue the same scan,
 * and the scan itself is an ordinary operation on the durable queue: a crashed node's scan is
 * retried after its lease expires, like any other.
 */
import { INTERNAL_OPERATION_KINDS } from '../../operations/kinds.js';
import type { Clock } from '../../shared/clock.js';
import { newGuid } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import type { Repositories, Store } from '../../storage/store.js';
import { REFRESH_MAX_ATTEMPTS } from '../refresh/refresh-handlers.js';
import type { AlertScanInput } from './alert-scan-input.js';

/** Mean period between checks for due scans, in real time (jittered ±50%). */
const SCAN_CHECK_INTERVAL_MS = 5_000;
/** Tenants taken per transaction; a check goes on until fewer are due. */
const BATCH = 100;

export interface BackgroundScansOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Time between two scans of a tenant, in the tenant's time (`--alert-scan-interval`). */
  intervalMs: number;
  checkIntervalMs?: number;
  random?: () => number;
  /** Called when scans were queued (wakes this node's executor). */
  onQueued?: () => void;
}

export class BackgroundScans {
  readonly #o: Required<BackgroundScansOptions>;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #checking: Promise<unknown> = Promise.resolve();

  constructor(options: BackgroundScansOptions) {
    this.#o = { checkIntervalMs: SCAN_CHECK_INTERVAL_MS, random: Math.random, onQueued: () => undefined, ...options };
  }

  /** Checks at once (a tenant imported before the start is scanned without delay), then periodically. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops checking and waits for a check in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#checking;
  }

  /** Queues one scan for every tenant whose scan is due now; returns how many were queued. */
  async queueDueOnce(): Promise<number> {
    const { store, clock, intervalMs } = this.#o;
    let queued = 0;
    for (;;) {
      const now = clock.now();
      const { taken, inserted } = await store.transaction(async (tx) => {
        const due = await tx.alerts.takeDueScans(now, intervalMs, BATCH);
        let n = 0;
        for (const { tenantId } of due) if (await queueScan(tx, tenantId, now)) n++;
        return { taken: due.length, inserted: n };
      });
      queued += inserted;
      if (taken < BATCH) break;
    }
    if (queued > 0) {
      this.#o.logger.debug({ queued }, 'queued background alert scans');
      this.#o.onQueued();
    }
    return queued;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#checking = this.queueDueOnce()
        .catch((e) => this.#o.logger.error({ err: e }, 'queuing background alert scans failed; the next check retries'))
        .finally(() => this.#schedule(this.#o.checkIntervalMs * (0.5 + this.#o.random())));
    }, delay);
    this.#timer.unref();
  }
}

/**
 * Queues the tenant's scan unless one is still queued or running (a scan slower than the
 * interval, or a tenant clock moved far ahead, must not pile scans up); returns whether it did.
 */
async function queueScan(tx: Repositories, tenantId: string, now: number): Promise<boolean> {
  const where = { tenantId, kind: INTERNAL_OPERATION_KINDS.alertScan, targetId: tenantId, top: 1, skip: 0 };
  for (const status of ['notStarted', 'running'] as const) {
    if ((await tx.operations.list({ ...where, status })).length > 0) return false;
  }
  const input: AlertScanInput = { tenantId };
  await tx.operations.insert(
    { id: newGuid(), tenantId, kind: INTERNAL_OPERATION_KINDS.alertScan, targetId: tenantId, input, maxAttempts: REFRESH_MAX_ATTEMPTS },
    now,
  );
  return true;
}
