import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry, type HandlerOutcome, type OperationHandler } from '../../src/operations/handler.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { StorageUnavailableError } from '../../src/storage/sql.js';
import type { Store } from '../../src/storage/store.js';
import { testStore } from '../support/store.js';
import { waitFor } from '../support/wait-for.js';

const TENANT = '11111111-1111-1111-1111-111111111111';
const KIND = 'test.refused';

/**
 * A handler whose effect is an audit row. `refuseRuns` / `refuseApplies`: how many runs / effect
 * writes meet a store that refuses (what a full disk or a read-only database raises).
 */
function refusedHandler(opts: { refuseRuns?: number; refuseApplies?: number }): OperationHandler & { runs: number; applies: number } {
  const h = {
    kind: KIND,
    maxAttempts: 1,
    runs: 0,
    applies: 0,
    async run(ctx: Parameters<OperationHandler['run']>[0]): Promise<HandlerOutcome> {
      h.runs++;
      if (h.runs <= (opts.refuseRuns ?? 0)) throw new StorageUnavailableError('the database cannot be written: database or disk is full');
      return {
        status: 'succeeded',
        apply: async (tx) => {
          h.applies++;
          if (h.applies <= (opts.refuseApplies ?? 0))
            throw new StorageUnavailableError('the database cannot be written: database or disk is full');
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

function executor(store: Store, clock: ManualClock, handler: OperationHandler): Executor {
  return new Executor({
    store,
    clock,
    logger: silentLogger(),
    handlers: new HandlerRegistry([handler]),
    concurrency: 2,
    leaseMs: 10_000,
    pollIntervalMs: 20,
    random: () => 0.5,
  });
}

const queue = (store: Store, clock: ManualClock, id: string) =>
  store.operations.insert({ id, tenantId: TENANT, kind: KIND, targetId: `target-${id}`, input: {}, maxAttempts: 1 }, clock.now());

describe('executor while the store refuses writes', () => {
  it('a result the store refuses is written once it accepts again: succeeded, the effect once, no attempt spent', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    const handler = refusedHandler({ refuseApplies: 3 });
    const ex = executor(store, clock, handler);
    t.after(() => ex.stop(1_000));
    await queue(store, clock, 'kept');
    ex.start();
    const op = await waitFor(async () => {
      const o = await store.operations.get('kept');
      return o?.status === 'succeeded' ? o : undefined;
    });
    assert.equal(handler.runs, 1, 'the handler ran once: its result was kept, not recomputed');
    assert.equal(handler.applies, 4, 'three refused writes, then the one that committed');
    assert.equal(op.attempts, 1, 'maxAttempts is 1: a refused write does not fail the operation');
    assert.equal((await store.audit.forOperation('kept')).length, 1, 'the effect applied once');
  });

  it('an attempt the store interrupted is handed back without spending it, then succeeds', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock();
    const handler = refusedHandler({ refuseRuns: 1 });
    const ex = executor(store, clock, handler);
    await queue(store, clock, 'handed');
    assert.equal(await ex.claimOnce(), 1);
    await ex.drain();
    let op = await store.operations.get('handed');
    assert.equal(op?.status, 'running', 'not failed, although maxAttempts is 1');
    assert.equal(op?.leaseToken, null, 'handed back: claimable at once');
    assert.equal(op?.attempts, 0, 'the interrupted attempt does not count');
    assert.equal(await ex.claimOnce(), 1);
    await ex.drain();
    op = await store.operations.get('handed');
    assert.equal(op?.status, 'succeeded');
    assert.equal((await store.audit.forOperation('handed')).length, 1);
    assert.deepEqual(
      (await store.operations.events('handed', 1)).map((e) => e.type),
      ['queued', 'claimed', 'handedBack', 'claimed', 'succeeded'],
    );
  });
});
