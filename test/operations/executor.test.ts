import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry, PermanentOperationError, type OperationHandler } from '../../src/operations/handler.js';
import { ManualClock, systemClock, type Clock } from '../../src/shared/clock.js';
import { TerminalNotifier } from '../../src/operations/terminal-notifier.js';
import { OperationTimelinesRepository } from '../../src/storage/operation-timelines-repository.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/storage/store.js';
import { WORK_CHANNEL } from '../../src/storage/postgres/work-listener.js';
import { TEST_BACKEND, tempStore, testStore } from '../support/store.js';
import { waitFor } from '../support/wait-for.js';

const TENANT = '11111111-1111-1111-1111-111111111111';

/** A handler whose effect is an audit row, so tests can count effects. */
function countingHandler(
  opts: { gate?: Promise<void>; fail?: 'permanent' | 'transient'; kind?: string } = {},
): OperationHandler & { runs: number } {
  const h = {
    kind: opts.kind ?? 'test.count',
    maxAttempts: 3,
    runs: 0,
    async run(ctx: Parameters<OperationHandler['run']>[0]) {
      h.runs++;
      await opts.gate;
      if (opts.fail === 'permanent') throw new PermanentOperationError('badInput', 'the input can never work');
      if (opts.fail === 'transient') throw new Error('database blinked');
      return {
        status: 'succeeded' as const,
        resourceLocation: `https://example.test/${ctx.operation.targetId}`,
        apply: async (tx: Parameters<NonNullable<Awaited<ReturnType<OperationHandler['run']>>['apply']>>[0]) => {
          await tx.audit.record(TENANT, {
            at: ctx.clock.now(),
            activity: 'test effect',
            targetId: ctx.operation.targetId,
            operationId: ctx.operation.id,
            initiatedBy: '',
          });
        },
      };
    },
  };
  return h;
}

function executor(
  store: Store,
  clock: Clock,
  handler: OperationHandler,
  extra: Partial<ConstructorParameters<typeof Executor>[0]> = {},
): Executor {
  return new Executor({
    store,
    clock,
    logger: silentLogger(),
    handlers: new HandlerRegistry([handler]),
    concurrency: 4,
    leaseMs: 10_000,
    random: () => 0.5,
    ...extra,
  });
}

async function queue(store: Store, clock: Clock, id: string, kind = 'test.count'): Promise<void> {
  await store.operations.insert({ id, tenantId: TENANT, kind, targetId: `target-${id}`, input: {}, maxAttempts: 3 }, clock.now());
}

describe('executor', () => {
  it('runs an operation to succeeded and writes its effect with the status', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    const handler = countingHandler();
    const ex = executor(store, clock, handler);
    await queue(store, clock, 'op-1');
    assert.equal(await ex.claimOnce(), 1);
    await ex.drain();
    const op = await store.operations.get('op-1');
    assert.equal(op?.status, 'succeeded');
    assert.equal(op?.resourceLocation, 'https://example.test/target-op-1');
    assert.equal(op?.leaseToken, null);
    assert.equal((await store.audit.forOperation('op-1')).length, 1);
    const events = (await store.operations.events('op-1', 1)).map((e) => e.type);
    assert.deepEqual(events, ['queued', 'claimed', 'succeeded']);
  });

  // PostgreSQL also wakes the loop on its own NOTIFYs (work queued, leases released), by design.
  const sqliteOnly = TEST_BACKEND === 'postgres' ? 'PostgreSQL wakes on NOTIFY too' : false;
  it(
    'work queued alone costs one claim round (its claim): none on an empty queue, none when it settles',
    { skip: sqliteOnly },
    async (t) => {
      const store = await testStore();
      t.after(() => store.close());
      // Every claim round (a write transaction on SQLite), whichever repositories object runs it,
      // and every turn of the loop (each reads its wake-up times once).
      // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as is; called with apply(this, …)
      const claimRound = OperationTimelinesRepository.prototype.claimRound;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as is; called with apply(this, …)
      const wakeTimes = OperationTimelinesRepository.prototype.wakeTimes;
      let rounds = 0;
      let turns = 0;
      OperationTimelinesRepository.prototype.claimRound = function (...args) {
        rounds++;
        return claimRound.apply(this, args);
      };
      OperationTimelinesRepository.prototype.wakeTimes = function (...args) {
        turns++;
        return wakeTimes.apply(this, args);
      };
      t.after(() => {
        OperationTimelinesRepository.prototype.claimRound = claimRound;
        OperationTimelinesRepository.prototype.wakeTimes = wakeTimes;
      });
      const clock = new ManualClock(Date.now());
      const handler = countingHandler();
      // No poll within the test: only notify() and ended operations wake the loop.
      const ex = executor(store, clock, handler, { pollIntervalMs: 3_600_000 });
      ex.start();
      t.after(() => ex.stop(100));
      await waitFor(async () => turns === 1, { message: 'the first turn' });
      assert.equal(rounds, 0, 'an empty queue costs a read, not a write transaction');
      for (const id of ['op-1', 'op-2']) {
        const roundsBefore: number = rounds;
        const turnsBefore: number = turns;
        await queue(store, clock, id);
        ex.notify();
        await waitFor(async () => (await store.operations.get(id))?.status === 'succeeded', { message: `${id} done` });
        // Time for any round still to come (a loop that reran at once would have by now).
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(rounds - roundsBefore, 1, `${id}: claim rounds`);
        assert.equal(turns - turnsBefore, 1, `${id}: turns of the loop (an operation that settles wakes nothing)`);
      }
    },
  );

  it('an operation that settles wakes a loop that waits for its slot', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock(Date.now());
    const handler = countingHandler();
    // One slot, and no poll within the test: only wake-ups move the queue.
    const ex = executor(store, clock, handler, { concurrency: 1, pollIntervalMs: 3_600_000 });
    for (const id of ['a', 'b', 'c']) await queue(store, clock, id);
    ex.start();
    t.after(() => ex.stop(100));
    for (const id of ['a', 'b', 'c']) {
      await waitFor(async () => (await store.operations.get(id))?.status === 'succeeded', { message: `${id} done` });
    }
    assert.equal(handler.runs, 3);
  });

  it(
    'PostgreSQL: a round that skipped rows another claimer held is no proof of an empty queue (an ended operation wakes the loop)',
    { skip: TEST_BACKEND === 'postgres' ? false : "SKIP LOCKED is PostgreSQL's" },
    async (t) => {
      const store = await testStore();
      t.after(() => store.close());
      const clock = new ManualClock(Date.now());
      let open!: () => void;
      const handler = countingHandler({ gate: new Promise<void>((r) => (open = r)) });
      for (const id of ['op-1', 'op-2', 'op-3']) await queue(store, clock, id);
      // Another claimer's transaction holds op-2 and op-3 while the executor's first round runs.
      let release!: () => void;
      let locked!: () => void;
      const lockTaken = new Promise<void>((r) => (locked = r));
      const lock = store.transaction(async (tx) => {
        await tx.sql.query(`SELECT id FROM operations WHERE id IN ('op-2', 'op-3') FOR UPDATE`);
        locked();
        await new Promise<void>((r) => (release = r));
      });
      await lockTaken;
      // No poll within the test; releasing a row lock sends no NOTIFY.
      const ex = executor(store, clock, handler, { pollIntervalMs: 3_600_000 });
      ex.start();
      t.after(() => ex.stop(100));
      await waitFor(async () => handler.runs === 1, { message: 'op-1 claimed alone' });
      release();
      await lock;
      open();
      for (const id of ['op-2', 'op-3']) {
        await waitFor(async () => (await store.operations.get(id))?.status === 'succeeded', { message: `${id} claimed after op-1 ended` });
      }
    },
  );

  it('a retry wakes a loop that had drained the queue, at the retry time', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const flaky = countingHandler();
    let failuresLeft = 1;
    const succeed = flaky.run.bind(flaky);
    flaky.run = (ctx) => (failuresLeft-- > 0 ? Promise.reject(new Error('blinked')) : succeed(ctx));
    // Real time (the retry must become due), a free slot left after the claim (the round
    // drained the queue) and no poll within the test: only the retry's own wake-up can run it.
    const ex = executor(store, systemClock, flaky, { concurrency: 2, pollIntervalMs: 3_600_000, backoff: { baseMs: 100, maxMs: 100 } });
    await queue(store, systemClock, 'f');
    ex.start();
    t.after(() => ex.stop(100));
    await waitFor(async () => (await store.operations.get('f'))?.status === 'succeeded', { message: 'the retry ran' });
    assert.equal(flaky.runs, 1, 'one successful run after the failed one');
    assert.equal((await store.operations.get('f'))?.attempts, 2);
  });

  it('20 executors on one database claim one operation: exactly one runs it', async () => {
    const db = await tempStore();
    try {
      const clock = new ManualClock(Date.now() - 1000);
      await queue(db.store, clock, 'contended');
      const barrier = new SharedArrayBuffer(8);
      const flag = new Int32Array(barrier);
      const workers = Array.from(
        { length: 20 },
        () => new Worker(new URL('./race-worker.js', import.meta.url), { workerData: { url: db.url, barrier, tenantId: TENANT } }),
      );
      const results = workers.map(
        (w) => new Promise<{ claimed: number; runs: number }>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))),
      );
      // A contender that failed before reaching the barrier (e.g. no connection under load) fails the test instead of hanging it.
      let failed: unknown;
      for (const r of results) r.catch((e: unknown) => (failed ??= e));
      while (Atomics.load(flag, 1) < 20) {
        if (failed) throw failed instanceof Error ? failed : new Error(JSON.stringify(failed));
        await new Promise((r) => setTimeout(r, 5));
      }
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      const all = await Promise.all(results);
      assert.equal(
        all.reduce((n, r) => n + r.claimed, 0),
        1,
        'one claim in total',
      );
      assert.equal(
        all.reduce((n, r) => n + r.runs, 0),
        1,
        'the handler ran once',
      );
      assert.equal((await db.store.audit.forOperation('contended')).length, 1);
      assert.equal((await db.store.operations.get('contended'))?.status, 'succeeded');
    } finally {
      await db.cleanup();
    }
  });

  it('a handler whose lease was taken over cannot write its result', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    let release!: () => void;
    const slow = countingHandler({ gate: new Promise<void>((r) => (release = r)) });
    const fast = countingHandler();
    const a = executor(store, clock, slow, { workerId: 'A' });
    const b = executor(store, clock, fast, { workerId: 'B' });
    await queue(store, clock, 'op-lease');
    assert.equal(await a.claimOnce(), 1);
    clock.advance(10_001); // A stalls past its lease
    assert.equal(await b.reapOnce(), 1);
    clock.advance(60_000); // past the retry backoff
    assert.equal(await b.claimOnce(), 1);
    await b.drain();
    release();
    await a.drain();
    const op = await store.operations.get('op-lease');
    assert.equal(op?.status, 'succeeded');
    assert.equal(op?.attempts, 2);
    assert.equal((await store.audit.forOperation('op-lease')).length, 1, 'only the new lease holder applied its effect');
    assert.deepEqual(
      (await store.operations.events('op-lease', 1)).map((e) => `${e.type}:${e.attempt}`),
      ['queued:0', 'claimed:1', 'leaseExpired:1', 'claimed:2', 'succeeded:2'],
    );
  });

  it('a renewal after a takeover reports the lease lost and aborts the handler', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    let aborted = false;
    const handler: OperationHandler = {
      kind: 'test.count',
      maxAttempts: 3,
      run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => ((aborted = true), reject(ctx.signal.reason)))),
    };
    const a = executor(store, clock, handler, { workerId: 'A' });
    await queue(store, clock, 'op-renew');
    await a.claimOnce();
    clock.advance(10_001);
    await a.reapOnce();
    await a.renewLeases();
    await a.drain();
    assert.equal(aborted, true);
    const op = await store.operations.get('op-renew');
    assert.equal(op?.status, 'running', 'still waiting for its retry, not terminal');
    assert.equal(op?.leaseToken, null);
  });

  it('permanent errors fail at once; transient ones retry with backoff until the limit', async (context) => {
    const store = await testStore();
    context.after(() => store.close());
    const clock = new ManualClock();
    const permanent = countingHandler({ fail: 'permanent', kind: 'test.permanent' });
    const transient = countingHandler({ fail: 'transient', kind: 'test.transient' });
    const ex = new Executor({
      store,
      clock,
      logger: silentLogger(),
      handlers: new HandlerRegistry([permanent, transient]),
      concurrency: 4,
      leaseMs: 10_000,
      random: () => 0,
    });
    await queue(store, clock, 'p', 'test.permanent');
    await queue(store, clock, 't', 'test.transient');
    await ex.claimOnce();
    await ex.drain();
    const p = await store.operations.get('p');
    assert.equal(p?.status, 'failed');
    assert.equal(p?.statusDetail, 'the input can never work');
    assert.equal(p?.errorCode, 'badInput');
    assert.equal(permanent.runs, 1);
    let t = await store.operations.get('t');
    assert.equal(t?.status, 'running');
    assert.equal(t?.availableAt, clock.now() + 500, 'first retry waits half the 1 s base with zero jitter');
    assert.equal(await ex.claimOnce(), 0, 'not claimable before its backoff');
    for (let i = 0; i < 2; i++) {
      clock.advance(120_000);
      assert.equal(await ex.claimOnce(), 1);
      await ex.drain();
    }
    t = await store.operations.get('t');
    assert.equal(t?.status, 'failed');
    assert.equal(t?.errorCode, 'retriesExhausted');
    assert.match(t?.statusDetail ?? '', /after 3 attempt\(s\): database blinked/);
    assert.equal(transient.runs, 3);
  });

  it('the reaper fails an operation whose worker died on its last attempt', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    const never = countingHandler({ gate: new Promise(() => undefined) });
    const ex = executor(store, clock, never);
    await store.operations.insert(
      { id: 'doomed', tenantId: TENANT, kind: 'test.count', targetId: 'x', input: {}, maxAttempts: 1 },
      clock.now(),
    );
    await ex.claimOnce();
    clock.advance(10_001);
    assert.equal(await ex.reapOnce(), 1);
    const op = await store.operations.get('doomed');
    assert.equal(op?.status, 'failed');
    assert.equal(op?.errorCode, 'workerLost');
    assert.match(op?.statusDetail ?? '', /stopped responding/);
  });

  it("the TerminalNotifier hears every end once committed: the executor's finish and the reaper's workerLost", async () => {
    const store = await testStore();
    const clock = new ManualClock();
    const notifier = new TerminalNotifier();
    // Each listener reads the status it was told about: it must already be committed.
    const heard: Array<Promise<string>> = [];
    const listen = (id: string) => notifier.onTerminal(id, () => heard.push(store.operations.get(id).then((op) => `${id}:${op?.status}`)));
    listen('fine');
    listen('lost');
    const ex = executor(store, clock, countingHandler(), { terminalNotifier: notifier });
    await store.operations.insert(
      { id: 'fine', tenantId: TENANT, kind: 'test.count', targetId: 'x', input: {}, maxAttempts: 1 },
      clock.now(),
    );
    await ex.claimOnce();
    await ex.drain();
    const stalled = executor(store, clock, countingHandler({ gate: new Promise(() => undefined) }), { terminalNotifier: notifier });
    await store.operations.insert(
      { id: 'lost', tenantId: TENANT, kind: 'test.count', targetId: 'x', input: {}, maxAttempts: 1 },
      clock.now(),
    );
    await stalled.claimOnce();
    clock.advance(10_001);
    assert.equal(await stalled.reapOnce(), 1);
    assert.deepEqual((await Promise.all(heard)).sort(), ['fine:succeeded', 'lost:failed'], 'each end heard once, after its commit');
    await store.close();
  });

  it('stop() hands running operations back without counting the attempt', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    const stuck = countingHandler({ gate: new Promise(() => undefined) });
    const ex = executor(store, clock, stuck);
    await queue(store, clock, 'held');
    ex.start();
    await waitFor(async () => (await store.operations.get('held'))?.leaseToken !== null, { intervalMs: 5 });
    await ex.stop(50);
    const op = await store.operations.get('held');
    assert.equal(op?.leaseToken, null, 'no lease left behind');
    assert.equal(op?.attempts, 0);
    assert.equal(op?.status, 'running');
    assert.equal(op?.availableAt, clock.now());
  });

  it('the store refuses to move a terminal operation or step back (trigger)', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    const ex = executor(store, clock, countingHandler());
    await queue(store, clock, 'final');
    await ex.claimOnce();
    await ex.drain();
    await assert.rejects(store.sql.execute(`UPDATE operations SET status = 'running' WHERE id = 'final'`), /only move forward/);
    await assert.rejects(store.sql.execute(`UPDATE operations SET status_detail = 'x' WHERE id = 'final'`), /only move forward/);
    const restarted = await store.operations.restart('final', {}, 3, clock.now());
    assert.equal(restarted?.run, 2);
    assert.equal(restarted?.status, 'notStarted');
  });

  it('wakes on work queued by another connection: LISTEN/NOTIFY on PostgreSQL, bounded polling on SQLite', async () => {
    const db = await tempStore();
    const other = await db.open();
    const clock = new ManualClock(Date.now());
    const handler = countingHandler();
    // On PostgreSQL the poll is an hour: only the notification can wake the executor in time.
    const pollIntervalMs = TEST_BACKEND === 'postgres' ? 3_600_000 : 50;
    const ex = executor(db.store, clock, handler, { pollIntervalMs });
    try {
      // On PostgreSQL, queue only once the executor's LISTEN connection is up (seen from the server).
      const listeners = () =>
        other.sql.queryOne<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = ?`,
          [`LISTEN ${WORK_CHANNEL}`],
        );
      const before = TEST_BACKEND === 'postgres' ? Number((await listeners())?.n) : 0;
      ex.start();
      if (TEST_BACKEND === 'postgres')
        await waitFor(async () => Number((await listeners())?.n) > before, { message: 'the executor listening' });
      // Idle: it has run work queued on its own connection. (On SQLite a second connection in this
      // process waits synchronously for the write lock, so it must not queue mid-claim.)
      await queue(db.store, clock, 'warm-up');
      await waitFor(async () => (await db.store.operations.get('warm-up'))?.status === 'succeeded', { message: 'the executor running' });
      await queue(other, clock, 'from-elsewhere');
      await waitFor(async () => (await other.operations.get('from-elsewhere'))?.status === 'succeeded', {
        message: 'the executor picking up work queued by another connection',
      });
      assert.equal(handler.runs, 2, 'the warm-up and the operation queued elsewhere');
    } finally {
      await ex.stop(100);
      await db.cleanup();
    }
  });
});

describe('claiming under contention', () => {
  it('concurrent claimers never get more than their limit, and no operation twice', async () => {
    const db = await tempStore();
    try {
      const clock = new ManualClock(Date.now());
      const total = 3000;
      // Ten insert lanes (parallel on PostgreSQL's pool; serialised by SQLite's mutex).
      await Promise.all(
        Array.from({ length: 10 }, async (_, lane) => {
          for (let i = lane; i < total; i += 10) await queue(db.store, clock, `c-${i}`);
        }),
      );
      const claimers: Store[] = [];
      for (let i = 0; i < 8; i++) claimers.push(await db.open()); // one at a time: each open migrates
      const seen = new Map<string, number>();
      let rounds = 0;
      while (seen.size < total) {
        assert.ok(rounds++ < 5000, 'claiming made no progress');
        const claim = (s: Store, i: number) => s.transaction((tx) => tx.operations.claim(`w${i}`, clock.now(), 60_000, 16));
        // SQLite connections in one thread cannot overlap transactions (the race across threads
        // is the 20-executor test); on PostgreSQL the claims really run at the same time.
        const batches =
          TEST_BACKEND === 'postgres'
            ? await Promise.all(claimers.map(claim))
            : await claimers.reduce<Promise<Awaited<ReturnType<typeof claim>>[]>>(
                async (acc, s, i) => [...(await acc), await claim(s, i)],
                Promise.resolve([]),
              );
        for (const batch of batches) {
          assert.ok(batch.length <= 16, `a claim returned ${batch.length} rows for a limit of 16`);
          for (const op of batch) seen.set(op.id, (seen.get(op.id) ?? 0) + 1);
        }
      }
      assert.deepEqual(
        [...seen.values()].filter((n) => n !== 1),
        [],
        'each operation claimed exactly once',
      );
    } finally {
      await db.cleanup();
    }
  });
});
