import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { TenantTime } from '../shared/tenant-time.js';
import type { Repositories, Store } from '../storage/store.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { MAX_STORE_BACKOFF_MS, runAttempt, type InFlight } from './attempt.js';
import { DeferredEffects } from './deferred-effects.js';
import { GroupCommit } from './group-commit.js';
import type { HandlerRegistry, TerminalHook } from './handler.js';
import type { LeasedOperation } from './model.js';
import { LeaseReaper } from './reaper.js';
import { RetentionSweeper } from './retention-sweeper.js';
import type { TerminalNotifier } from './terminal-notifier.js';

export interface ExecutorOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  handlers: HandlerRegistry;
  /** Operations run at once by this executor. */
  concurrency: number;
  /** How long a claim holds without renewal. Renewed at half this period. */
  leaseMs?: number;
  /** Idle polling period: the safety net when no wake-up arrives (other processes' work). */
  pollIntervalMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  workerId?: string;
  /** Ended operations are removed this long after their last action (tenant time); undefined: kept forever. */
  retentionMs?: number;
  /** Told of every operation this executor (or its reaper) ended, once committed: wakes waiting requests. */
  terminalNotifier?: TerminalNotifier;
  /** Run in each terminal-status transaction, here and in the reaper (e.g. queuing notifications). */
  onTerminal?: TerminalHook[];
  /** The tenants' clocks; one per process so an advance made here is seen at once. */
  tenantTime?: TenantTime;
  /** Periodic work that queues operations for this executor (e.g. background alert scans): started and stopped with it. */
  companions?: ExecutorCompanion[];
  /** Called after each operation ends (metrics, tests). Errors are logged, never rethrown. */
  onFinished?: (op: LeasedOperation, outcome: 'succeeded' | 'failed' | 'retry' | 'leaseLost' | 'handedBack', ms: number) => void;
}

/** Background work that lives as long as an executor runs. */
export interface ExecutorCompanion {
  start(): void;
  /** Stops and waits for work in progress. */
  stop(): Promise<void>;
}

/** When the loop should look again: the next deferred effect, planned phase change and claimable operation. */
type WakeTimes = Awaited<ReturnType<Store['timelines']['wakeTimes']>>;

interface RoundResult {
  claimed: number;
  moved: number;
  drained: boolean;
  now: number;
}

/** Planned runs moved into their running phase per claim round (they take no slot). */
const PHASE_CHANGES_PER_ROUND = 1000;

/**
 * Claims operations with a lease, runs their handlers, renews leases while they run, and writes
 * each effect with its terminal status in one transaction, refusing when the lease was lost
 * (statuses that end close together share that transaction: GroupCommit).
 * Delivery is at least once; effects are exactly once because they commit with the status
 * under the lease guard.
 */
export class Executor {
  readonly workerId: string;
  readonly #o: Required<Omit<ExecutorOptions, 'onFinished' | 'retentionMs' | 'terminalNotifier'>> &
    Pick<ExecutorOptions, 'onFinished' | 'retentionMs' | 'terminalNotifier'>;
  readonly #effects: DeferredEffects;
  readonly #commits: GroupCommit;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #reaper: LeaseReaper;
  readonly #retention: RetentionSweeper | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #wakeRequested = false;
  /** PostgreSQL's FOR UPDATE SKIP LOCKED: a round that claimed less than it could may have skipped work. */
  readonly #claimsSkipLockedRows: boolean;
  /** The loop sleeps with every slot taken: an operation that ends must wake it (queued work waits for that slot). */
  #waitingForSlot = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #stopListening: (() => Promise<void>) | undefined;

  constructor(options: ExecutorOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#o = {
      leaseMs: 30_000,
      pollIntervalMs: 500,
      backoff: DEFAULT_BACKOFF,
      random: Math.random,
      onTerminal: [],
      companions: [],
      ...options,
      workerId: this.workerId,
      tenantTime: options.tenantTime ?? new TenantTime(options.clock, options.store.tenantClocks),
    };
    // A claim lock clause is what makes concurrent claimers skip each other's rows (Dialect).
    this.#claimsSkipLockedRows = options.store.db.dialect.claimLockClause !== '';
    this.#effects = new DeferredEffects(this.#o);
    this.#commits = new GroupCommit(this.#o);
    this.#reaper = new LeaseReaper({
      store: options.store,
      clock: options.clock,
      logger: options.logger,
      backoff: this.#o.backoff,
      random: this.#o.random,
      intervalMs: this.#o.leaseMs / 2,
      ...(options.terminalNotifier ? { terminalNotifier: options.terminalNotifier } : {}),
      onTerminal: this.#o.onTerminal,
    });
    // Every node that runs operations also shares out retention (docs/retention.md).
    this.#retention =
      options.retentionMs === undefined
        ? undefined
        : new RetentionSweeper({
            store: options.store,
            clock: options.clock,
            logger: options.logger,
            retentionMs: options.retentionMs,
            random: this.#o.random,
          });
  }

  get inFlightCount(): number {
    return this.#inFlight.size;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#heartbeat = setInterval(() => void this.renewLeases(), this.#o.leaseMs / 2);
    this.#heartbeat.unref();
    this.#reaper.start();
    this.#retention?.start();
    for (const companion of this.#o.companions) companion.start();
    this.#loop = this.#run();
    // Work queued by other processes wakes us at once where the store can tell (PostgreSQL).
    void this.#o.store.db
      .onWorkAvailable?.(() => this.notify())
      .then(
        (stop) => (this.#running ? (this.#stopListening = stop) : void stop()),
        (e: unknown) => this.#o.logger.warn({ err: e }, 'cannot listen for new work; polling only'),
      );
  }

  /** New work was queued in this process: claim now instead of at the next poll. */
  notify(): void {
    this.#wakeRequested = true;
    this.#wake?.();
  }

  /**
   * Stops claiming, lets running operations finish for up to `graceMs`, then hands the rest
   * back to the queue so another worker takes them at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#reaper.stop();
    await this.#retention?.stop();
    await Promise.all(this.#o.companions.map((companion) => companion.stop()));
    await this.#stopListening?.();
    // notify(), not only #wake: the loop may be between its checks and its sleep (reading its next due time).
    this.notify();
    await this.#loop;
    const all = () => Promise.all([...this.#inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    for (const f of this.#inFlight.values()) {
      f.reason = 'shutdown';
      f.controller.abort(new Error('shutting down'));
      await this.#o.store.operations
        .handBack(f.op.id, f.op.leaseToken, this.#o.clock.now())
        .catch((e) => this.#o.logger.error({ err: e, operationId: f.op.id }, 'could not hand back operation'));
    }
    await all();
    clearInterval(this.#heartbeat);
  }

  /** Claims and starts as many operations as there are free slots; returns how many. For tests and the loop. */
  async claimOnce(): Promise<number> {
    const { claimed, moved } = await this.#claimRound();
    return claimed + moved;
  }

  /**
   * One claim round. `drained`: it claimed fewer operations than it had free slots and moved no
   * planned run (a phase change moves the wake-up times the loop just read), so nothing else was
   * claimable at its `now`. `due`, the wake-up times read just before (SQLite), skips the parts
   * that have nothing to do, and the whole write transaction when neither has.
   */
  async #claimRound(due?: WakeTimes): Promise<RoundResult> {
    const free = Math.max(0, this.#o.concurrency - this.#inFlight.size);
    const now = this.#o.clock.now();
    const isDue = (t: number | undefined) => due === undefined || (t !== undefined && t <= now);
    const claimLimit = isDue(due?.availableAt) ? free : 0;
    const phaseLimit = isDue(due?.phaseChangeAt) ? PHASE_CHANGES_PER_ROUND : 0;
    if (claimLimit === 0 && phaseLimit === 0) return { claimed: 0, moved: 0, drained: free > 0, now };
    // The claim and its timeline events commit together: one statement on PostgreSQL (no
    // BEGIN/COMMIT round trips), one transaction on SQLite. Planned runs enter their running
    // phase here too, without a slot or a lease (docs/controls.md).
    const { store, leaseMs } = this.#o;
    const round = (repos: Repositories) => repos.timelines.claimRound(this.workerId, now, leaseMs, claimLimit, phaseLimit);
    const { moved, claimed } = store.db.dialect.writableCte ? await round(store) : await store.transaction(round);
    for (const op of claimed) this.#startOne(op);
    return { claimed: claimed.length, moved, drained: claimed.length < free && moved === 0, now };
  }

  /**
   * The round and the read of when to wake next. PostgreSQL: side by side (the claim is one
   * statement). SQLite: the read first, so a round with nothing due costs that read alone
   * instead of a write transaction (with work trickling in, most rounds find nothing).
   */
  async #roundAndWakeTimes(): Promise<[RoundResult, WakeTimes]> {
    const { timelines, db } = this.#o.store;
    if (db.dialect.writableCte) return Promise.all([this.#claimRound(), timelines.wakeTimes()]);
    const wake = await timelines.wakeTimes();
    return [await this.#claimRound(wake), wake];
  }

  /** Applies deferred effects that are due (planned runs with an effect lag). For tests and the loop. */
  applyDueEffects(): Promise<number> {
    return this.#o.store.timelines
      .nextEffectDueAt()
      .then((t) => (t !== undefined && t <= this.#o.clock.now() ? this.#effects.applyDue() : 0));
  }

  /** Waits until every operation this executor started has ended. For tests. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight.values()].map((f) => f.done));
  }

  /** Renews every lease held; aborts the handlers whose lease was lost. */
  async renewLeases(): Promise<void> {
    const now = this.#o.clock.now();
    for (const f of this.#inFlight.values()) {
      if (f.reason) continue;
      const kept = await this.#o.store.operations.renew(f.op.id, f.op.leaseToken, now, this.#o.leaseMs).catch((e) => {
        this.#o.logger.warn({ err: e, operationId: f.op.id }, 'lease renewal failed; will retry');
        return true; // a database hiccup is not proof of loss; the finish guard still protects the result
      });
      if (!kept) {
        f.reason = 'leaseLost';
        f.controller.abort(new Error('lease lost'));
      }
    }
  }

  reapOnce(): Promise<number> {
    return this.#reaper.reapOnce();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      this.#wakeRequested = false;
      this.#waitingForSlot = false;
      let drained = true;
      let delay = this.#o.pollIntervalMs;
      let times: WakeTimes | undefined;
      try {
        // The claim, and one read of when to wake next (a due effect is applied now).
        const [round, wake] = await this.#roundAndWakeTimes();
        drained = round.drained;
        // Read beside (or before) the claim, the next claimable time may be an operation this
        // very round took; a drained round found nothing claimable at its `now`, so only a later time counts.
        times = drained && wake.availableAt !== undefined && wake.availableAt <= round.now ? { ...wake, availableAt: undefined } : wake;
        if (times.effectDueAt !== undefined && times.effectDueAt <= this.#o.clock.now() && (await this.#effects.applyDue()) > 0)
          drained = false;
        if (failures > 0) this.#o.logger.info({ failures }, 'claiming operations works again');
        failures = 0;
      } catch (e) {
        // A store that refuses (disk full, read-only, down) is asked again with backoff, not hammered.
        failures++;
        const retryInMs = Math.min(MAX_STORE_BACKOFF_MS, this.#o.pollIntervalMs * 2 ** Math.min(failures - 1, 10));
        this.#o.logger.error({ err: e, retryInMs }, 'claiming operations failed; retrying');
        await this.#sleep(retryInMs);
        continue;
      }
      const full = this.#inFlight.size >= this.#o.concurrency;
      // Set before any await: an operation ending from here on sees it and wakes the loop.
      this.#waitingForSlot = full;
      // Round again at once only when this one may have left work behind. A round that found
      // less than it had room for drained the queue: one more would read an empty queue in a
      // write transaction (with work trickling in, e.g. password resets behind their hash, that
      // was a second, empty round per operation). New work and ended operations wake the loop.
      if (!drained && !full) continue;
      if (this.#wakeRequested && !full) continue;
      if (times) delay = this.#idleDelay(times, full);
      // A wake-up (an operation ended, work was queued) may have come while the delay was read.
      if (this.#wakeRequested) continue;
      await this.#sleep(delay);
    }
  }

  /** Sleeps `ms`, or less when notify() wakes the loop (new work, an ended operation, stop()). */
  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }

  /**
   * How long to sleep when idle: the poll interval, or less when a planned phase or a deferred
   * effect is due sooner (so timelines end on time, not up to a poll interval late).
   */
  #idleDelay(times: WakeTimes, full: boolean): number {
    const next = Math.min(times.effectDueAt ?? Infinity, (full ? times.phaseChangeAt : times.availableAt) ?? Infinity);
    return Math.max(5, Math.min(this.#o.pollIntervalMs, next - this.#o.clock.now()));
  }

  #startOne(op: LeasedOperation): void {
    const controller = new AbortController();
    const entry: InFlight = { op, controller, done: Promise.resolve() };
    this.#inFlight.set(op.id, entry);
    entry.done = runAttempt(entry, { ...this.#o, commits: this.#commits, isRunning: () => this.#running }).then(
      (settled) => this.#ended(op.id, settled),
      () => this.#ended(op.id, false),
    );
  }

  /**
   * Frees the slot. The loop is woken only when it may have something new to do: it waits for a
   * slot, or the attempt left work behind (a retry, a hand-back, a deferred effect), or terminal
   * hooks may have queued operations in the same transaction, or its last round's "drained" is
   * no proof (PostgreSQL's claim skips rows other nodes are claiming: fewer than asked for does
   * not mean an empty queue). Otherwise an operation that simply settled changes nothing a
   * drained round did not already know: waking for it was one empty round per operation.
   */
  #ended(id: string, settled: boolean): void {
    this.#inFlight.delete(id);
    if (!settled || this.#waitingForSlot || this.#o.onTerminal.length > 0 || this.#claimsSkipLockedRows) this.notify();
  }
}
