import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry, type HandlerOutcome, type OperationHandler } from '../../src/operations/handler.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { OperationsRepository } from '../../src/storage/operations-repository.js';
import type { Store } from '../../src/storage/store.js';
import { TEST_BACKEND, tempStore, testStore } from '../support/store.js';

// Group commit (src/operations/group-commit.ts) and the one-statement claim/finish: batches must
// keep every guarantee a lone operation had.

const TENANT = '22222222-2222-2222-2222-222222222222';
const LEASE_MS = 10_000;

/**
 * A handler whose effect is an audit row. `gate` holds every run until released; `failApply`
 * says how many times an operation's effect throws before it applies.
 */
function auditingHandler(opts: { gate?: Promise<void>; failApply?: Map<string, number>; noEffect?: boolean } = {}) {
  const handler: OperationHandler & { runs: string[] } = {
    kind: 'test.batch',
    maxAttempts: 3,
    runs: [],
    async run(ctx): Promise<HandlerOutcome> {
      handler.runs.push(ctx.operation.id);
      await opts.gate;
      if (opts.noEffect) return { status: 'succeeded' };
      const id = ctx.operation.id;
      return {
        status: 'succeeded',
        apply: async (tx) => {
          await tx.audit.record(TENANT, { at: ctx.clock.now(), activity: 'batch effect', targetId: id, operationId: id, initiatedBy: '' });
          const failures = opts.failApply?.get(id) ?? 0;
          if (failures > 0) {
            opts.failApply!.set(id, failures - 1);
            throw new Error(`the effect of ${id} failed`);
          }
        },
      };
    },
  };
  return handler;
}

function executor(store: Store, clock: ManualClock, handler: OperationHandler, workerId: string): Executor {
  return new Executor({
    store,
    clock,
    logger: silentLogger(),
    handlers: new HandlerRegistry([handler]),
    concurrency: 8,
    leaseMs: LEASE_MS,
    random: () => 0.5,
    workerId,
  });
}

async function queue(store: Store, clock: ManualClock, ids: string[]): Promise<void> {
  for (const id of ids) {
    await store.operations.insert(
      { id, tenantId: TENANT, kind: 'test.batch', targetId: `t-${id}`, input: {}, maxAttempts: 3 },
      clock.now(),
    );
  }
}

const types = async (store: Store, id: string) => (await store.operations.events(id, 1)).map((e) => `${e.type}:${e.attempt}`);

describe('group commit and one-statement claims', () => {
  it('statuses that end together are written by one finishMany, each effect with its status', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const finishMany = t.mock.method(OperationsRepository.prototype, 'finishMany');
    const clock = new ManualClock();
    const ids = ['g-1', 'g-2', 'g-3', 'g-4'];
    await queue(store, clock, ids);
    const ex = executor(store, clock, auditingHandler(), 'A');
    assert.equal(await ex.claimOnce(), 4);
    await ex.drain();
    assert.deepEqual(
      finishMany.mock.calls.map((c) => c.arguments[0].length),
      [4],
      'one batch of four',
    );
    for (const id of ids) {
      assert.equal((await store.operations.get(id))?.status, 'succeeded');
      assert.equal((await store.audit.forOperation(id)).length, 1);
      assert.deepEqual(await types(store, id), ['queued:0', 'claimed:1', 'succeeded:1']);
    }
  });

  it('without effects or hooks (one statement on PostgreSQL) statuses and timelines are still written', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    const ids = ['n-1', 'n-2', 'n-3'];
    await queue(store, clock, ids);
    const ex = executor(store, clock, auditingHandler({ noEffect: true }), 'A');
    assert.equal(await ex.claimOnce(), 3);
    await ex.drain();
    for (const id of ids) {
      const op = await store.operations.get(id);
      assert.equal(op?.status, 'succeeded');
      assert.equal(op?.leaseToken, null);
      assert.equal(op?.finishedAt, op?.lastActionAt);
      assert.deepEqual(await types(store, id), ['queued:0', 'claimed:1', 'succeeded:1']);
    }
  });

  it("one member's effect fails: the others commit; it keeps neither status nor effect and re-runs after its lease expires", async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    await queue(store, clock, ['f-1', 'f-2', 'f-3']);
    // Twice: in the batch, then alone (a batch that fails is committed member by member).
    const handler = auditingHandler({ failApply: new Map([['f-2', 2]]) });
    const ex = executor(store, clock, handler, 'A');
    assert.equal(await ex.claimOnce(), 3);
    await ex.drain();
    for (const id of ['f-1', 'f-3']) {
      assert.equal((await store.operations.get(id))?.status, 'succeeded');
      assert.equal((await store.audit.forOperation(id)).length, 1);
    }
    const failed = await store.operations.get('f-2');
    assert.equal(failed?.status, 'running', 'its status rolled back with its effect');
    assert.notEqual(failed?.leaseToken, null, 'the lease is left to expire');
    assert.equal((await store.audit.forOperation('f-2')).length, 0, 'its effect rolled back with its status');

    clock.advance(LEASE_MS + 1);
    assert.equal(await ex.reapOnce(), 1);
    clock.advance(60_000); // past the retry backoff
    assert.equal(await ex.claimOnce(), 1);
    await ex.drain();
    const rerun = await store.operations.get('f-2');
    assert.equal(rerun?.status, 'succeeded');
    assert.equal(rerun?.attempts, 2);
    assert.equal((await store.audit.forOperation('f-2')).length, 1, 'applied exactly once');
  });

  it('a batch that fails is committed member by member: an effect that failed only in the batch still commits once', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    await queue(store, clock, ['o-1', 'o-2']);
    const ex = executor(store, clock, auditingHandler({ failApply: new Map([['o-1', 1]]) }), 'A');
    assert.equal(await ex.claimOnce(), 2);
    await ex.drain();
    for (const id of ['o-1', 'o-2']) {
      const op = await store.operations.get(id);
      assert.equal(op?.status, 'succeeded');
      assert.equal(op?.attempts, 1, 'no re-run: committed alone on the first attempt');
      assert.equal((await store.audit.forOperation(id)).length, 1, 'the rolled-back batch left no effect behind');
      assert.deepEqual(await types(store, id), ['queued:0', 'claimed:1', 'succeeded:1']);
    }
  });

  it('a member whose lease was taken over writes nothing; the rest of its batch commits', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const finishMany = t.mock.method(OperationsRepository.prototype, 'finishMany');
    const clock = new ManualClock();
    await queue(store, clock, ['l-1', 'l-2']);
    let release!: () => void;
    const handler = auditingHandler({ gate: new Promise<void>((r) => (release = r)) });
    const a = executor(store, clock, handler, 'A');
    assert.equal(await a.claimOnce(), 2);
    clock.advance(LEASE_MS + 1);
    // l-2's lease is renewed in time; l-1's is not and another node reclaims it.
    const kept = await store.operations.get('l-2');
    assert.equal(await store.operations.renew('l-2', kept!.leaseToken!, clock.now(), LEASE_MS), true);
    assert.equal(await a.reapOnce(), 1);
    release();
    await a.drain();
    assert.deepEqual(
      finishMany.mock.calls.map((c) => c.arguments[0].length),
      [2],
      'both ended in one batch',
    );
    assert.equal((await store.operations.get('l-2'))?.status, 'succeeded');
    assert.equal((await store.audit.forOperation('l-2')).length, 1);
    const lost = await store.operations.get('l-1');
    assert.equal(lost?.status, 'running', 'waiting for its retry, not terminal');
    assert.equal(lost?.leaseToken, null);
    assert.equal((await store.audit.forOperation('l-1')).length, 0, 'a lost lease applies no effect');
    assert.deepEqual(await types(store, 'l-1'), ['queued:0', 'claimed:1', 'leaseExpired:1']);
  });

  it('a worker that dies between its claim and its group commit: the lease expires and another worker runs each operation once', async (t) => {
    const db = await tempStore();
    t.after(() => db.cleanup());
    const clock = new ManualClock();
    const ids = ['d-1', 'd-2', 'd-3'];
    await queue(db.store, clock, ids);
    // A claims and its handlers never return: nothing it holds is ever committed (a kill -9 as
    // seen from the database; crash.test.ts kills a real process).
    const dead = auditingHandler({ gate: new Promise<void>(() => undefined) });
    const a = executor(await db.open(), clock, dead, 'A');
    assert.equal(await a.claimOnce(), 3);
    const live = auditingHandler();
    const b = executor(db.store, clock, live, 'B');
    assert.equal(await b.claimOnce(), 0, 'leased operations are not claimable');
    clock.advance(LEASE_MS + 1);
    assert.equal(await b.reapOnce(), 3);
    clock.advance(60_000);
    assert.equal(await b.claimOnce(), 3);
    await b.drain();
    assert.deepEqual(live.runs.sort(), ids);
    for (const id of ids) {
      const op = await db.store.operations.get(id);
      assert.equal(op?.status, 'succeeded');
      assert.equal(op?.attempts, 2);
      assert.equal((await db.store.audit.forOperation(id)).length, 1);
    }
  });

  it('two stores claiming at once, outside any transaction, get disjoint batches, each with its claimed event', async (t) => {
    const db = await tempStore();
    t.after(() => db.cleanup());
    const clock = new ManualClock(Date.now());
    const total = 400;
    await queue(
      db.store,
      clock,
      Array.from({ length: total }, (_, i) => `r-${i}`),
    );
    const other = await db.open();
    const seen = new Map<string, string>();
    for (let rounds = 0; seen.size < total; rounds++) {
      assert.ok(rounds < 100, 'claiming made no progress');
      const claim = (s: Store, owner: string) => s.operations.claim(owner, clock.now(), 60_000, 16);
      // On PostgreSQL the two statements really overlap; SQLite serialises its writers anyway.
      const batches =
        TEST_BACKEND === 'postgres'
          ? await Promise.all([claim(db.store, 'A'), claim(other, 'B')])
          : [await claim(db.store, 'A'), await claim(other, 'B')];
      for (const [i, batch] of batches.entries()) {
        assert.ok(batch.length <= 16);
        for (const op of batch) {
          assert.equal(seen.has(op.id), false, `${op.id} claimed twice`);
          seen.set(op.id, i === 0 ? 'A' : 'B');
        }
      }
    }
    for (const id of ['r-0', `r-${total / 2}`, `r-${total - 1}`]) {
      const events = await db.store.operations.events(id, 1);
      assert.deepEqual(
        events.map((e) => `${e.type}:${e.attempt}:${e.detail}`),
        ['queued:0:', `claimed:1:${seen.get(id)}`],
      );
    }
  });
});
