/**
 * Background scans on several nodes sharing one database: every node checks for due scans, yet
 * each due tenant is scanned once per interval, not once per node (docs/alerts.md,
 * "Background scans"). Runs on both backends; on PostgreSQL the nodes are separate connection
 * pools racing for the same rows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundScans } from '../../src/alerts/scan/background-scans.js';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry, type OperationHandler } from '../../src/operations/handler.js';
import { INTERNAL_OPERATION_KINDS } from '../../src/operations/kinds.js';
import { operationHandlers } from '../../src/service.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/storage/store.js';
import { runQueued } from '../support/harness.js';
import { tempStore, TEST_BACKEND } from '../support/store.js';
import { importGeneratedTenant } from '../support/tenant.js';

const HOUR = 3_600_000;
const TENANTS = 6;
const NODES = 2;
/** Checks each node makes at once per round (a check timer firing while another is running). */
const CHECKS_PER_NODE = 3;
const ROUNDS = 3;

/**
 * PostgreSQL: the nodes race in parallel. SQLite: one after the other, because two connections
 * in one process cannot wait for each other (the driver's busy wait blocks the thread that would
 * end the other's transaction); SQLite serialises writers anyway, across processes too.
 */
async function all<T>(work: Array<() => Promise<T>>): Promise<T[]> {
  if (TEST_BACKEND === 'postgres') return Promise.all(work.map((w) => w()));
  const out: T[] = [];
  for (const w of work) out.push(await w());
  return out;
}

describe('background scans on two nodes', () => {
  it('every node checks, each due tenant is scanned exactly once per interval', async () => {
    const db = await tempStore();
    try {
      const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
      const tenantIds: string[] = [];
      for (let i = 0; i < TENANTS; i++) tenantIds.push((await importGeneratedTenant(db.store, 5, `scan-${i}`, clock.now())).tenant.id);

      const runs = new Map<string, number>();
      const counting = (handlers: OperationHandler[]): OperationHandler[] =>
        handlers.map((h) => ({
          ...h,
          run: (ctx) => {
            if (h.kind === INTERNAL_OPERATION_KINDS.alertScan) {
              const tenantId = (ctx.operation.input as { tenantId: string }).tenantId;
              runs.set(tenantId, (runs.get(tenantId) ?? 0) + 1);
            }
            return h.run(ctx);
          },
        }));
      const stores: Store[] = [db.store, ...(await Promise.all(Array.from({ length: NODES - 1 }, () => db.open())))];
      const nodes = stores.map((store) => ({
        scans: new BackgroundScans({ store, clock, logger: silentLogger(), intervalMs: HOUR }),
        executor: new Executor({
          store,
          clock,
          logger: silentLogger(),
          handlers: new HandlerRegistry(counting(operationHandlers())),
          concurrency: 4,
        }),
      }));

      for (let round = 1; round <= ROUNDS; round++) {
        const queued = await all(nodes.flatMap((n) => Array.from({ length: CHECKS_PER_NODE }, () => () => n.scans.queueDueOnce())));
        assert.equal(
          queued.reduce((a, b) => a + b, 0),
          TENANTS,
          `round ${round}: one scan per tenant, whichever node queued it`,
        );
        await all(nodes.map((n) => () => runQueued(n.executor)));
        for (const tenantId of tenantIds) {
          assert.equal(runs.get(tenantId), round, `round ${round}: tenant ${tenantId} scanned once per round`);
          const state = await db.store.alerts.state(tenantId, 'StaleSignInAlert');
          assert.equal(state?.lastScannedAt, clock.now(), 'the scan wrote the alert at its time');
        }
        // Nothing is due until an interval later.
        assert.deepEqual(await all(nodes.map((n) => () => n.scans.queueDueOnce())), [0, 0]);
        clock.advance(HOUR);
      }
      for (const tenantId of tenantIds) {
        const ops = await db.store.operations.list({
          tenantId,
          kind: INTERNAL_OPERATION_KINDS.alertScan,
          targetId: tenantId,
          top: 100,
          skip: 0,
        });
        assert.equal(ops.length, ROUNDS);
        assert.ok(
          ops.every((op) => op.status === 'succeeded' && op.attempts === 1),
          'each scan ran once',
        );
      }
    } finally {
      await db.cleanup();
    }
  });

  it('taking due scans: concurrent callers on several connections each get disjoint tenants, together all of them', async () => {
    const db = await tempStore();
    try {
      const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
      for (let i = 0; i < TENANTS; i++) await importGeneratedTenant(db.store, 2, `take-${i}`, clock.now());
      const stores: Store[] = [db.store, await db.open(), await db.open()];
      // Small batches so callers interleave: each takes up to 2 tenants per statement.
      const take = (store: Store) => () => store.transaction((tx) => tx.alerts.takeDueScans(clock.now(), HOUR, 2));
      for (let round = 1; round <= ROUNDS; round++) {
        const taken: string[] = [];
        for (let pass = 0; pass < TENANTS; pass++) {
          const results = await all(stores.flatMap((s) => [take(s), take(s), take(s)]));
          taken.push(...results.flat().map((r) => r.tenantId));
        }
        assert.equal(new Set(taken).size, TENANTS, `round ${round}: every due tenant was taken`);
        assert.equal(taken.length, TENANTS, `round ${round}: and each by one caller only`);
        clock.advance(HOUR);
      }
    } finally {
      await db.cleanup();
    }
  });
});
