/**
 * Retention (docs/retention.md): ended operations older than the retention in tenant time are
 * removed with their events and leave GET and lists; other tenants keep theirs; expired
 * idempotency keys go too; removal goes in bounded batches, and two nodes sweeping together
 * remove each row once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RetentionSweeper } from '../../src/operations/retention-sweeper.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/storage/store.js';
import {
  appToken,
  buildHarness,
  claimAll,
  get,
  guid,
  insertPasswordReset,
  TENANT_A,
  TENANT_B,
  userA,
  userB,
  type Harness,
} from '../support/graph.js';
import { manualExecutor, runQueued } from '../support/harness.js';
import { TEST_BACKEND, tempStore } from '../support/store.js';
import { addStoredRule, queuePlannedResets } from '../control/support/planned-resets.js';

const RETENTION_MS = 90_000;

const sweeper = (store: Store, clock: { now(): number }, extra: Partial<ConstructorParameters<typeof RetentionSweeper>[0]> = {}) =>
  new RetentionSweeper({ store, clock, logger: silentLogger(), retentionMs: RETENTION_MS, random: () => 0.5, ...extra });

/** Claims what is claimable and ends each of `ends` with its status. */
async function finish(h: Harness, ends: Record<string, 'succeeded' | 'failed'>): Promise<void> {
  const leases = await claimAll(h);
  for (const [id, status] of Object.entries(ends)) {
    const outcome = status === 'succeeded' ? { status, statusDetail: '' } : { status, statusDetail: 'no', errorCode: 'x' };
    assert.ok(await h.store.operations.finish(id, leases.get(id)!, outcome, h.clock.now()));
  }
}

describe('retention: --retention 90s', () => {
  let h: Harness;
  let token: string;
  const target = userA('target').id;
  const opUrl = (id: string) => `/v1.0/users/${target}/authentication/operations/${id}`;
  const listIds = async () =>
    ((await get(h, `/v1.0/users/${target}/authentication/operations`, token)).body.value as Array<{ id: string }>).map((o) => o.id).sort();
  const [old, recent, running, otherTenant] = [guid(501), guid(502), guid(503), guid(504)];

  before(async () => {
    h = await buildHarness();
    token = await appToken(h, 'least');
    await insertPasswordReset(h, old, target);
    await insertPasswordReset(h, otherTenant, userB().id, TENANT_B);
    await finish(h, { [old]: 'succeeded', [otherTenant]: 'failed' });
    h.clock.advance(2000);
    await insertPasswordReset(h, recent, target);
    await insertPasswordReset(h, running, target);
    await finish(h, { [recent]: 'failed' }); // `running` stays claimed
  });
  after(() => h.close());

  it('keeps everything younger than the retention', async () => {
    h.clock.advance(RETENTION_MS - 2000); // `old` ended exactly 90 s ago: not older than the retention
    assert.deepEqual(await sweeper(h.store, h.clock).sweepOnce(), { operations: 0, idempotencyKeys: 0 });
    assert.deepEqual(await listIds(), [old, recent, running].sort());
  });

  it("an operation ended 91 s ago in its tenant's time answers 404 and leaves the list; another tenant's is untouched", async () => {
    assert.ok((await h.store.operations.events(old, 1)).length > 0);
    await h.store.tenantClocks.advance(TENANT_A, 1000, h.clock.now()); // tenant A: 91 s since `old` ended; tenant B: 90 s
    assert.deepEqual(await sweeper(h.store, h.clock).sweepOnce(), { operations: 1, idempotencyKeys: 0 });

    const gone = await get(h, opUrl(old), token);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'itemNotFound');
    assert.deepEqual(await listIds(), [recent, running].sort());
    assert.deepEqual(await h.store.operations.events(old, 1), [], 'its events went with it');
    assert.ok((await h.store.operations.events(recent, 1)).length > 0, 'the others keep theirs');
    assert.equal((await h.store.operations.get(otherTenant))?.status, 'failed', "tenant B's operation of the same age in real time stays");
  });

  it('real time moving on removes the rest that ended, never a running one; expired idempotency keys go too', async () => {
    const key = (k: string, expiresAt: number) => ({
      tenantId: TENANT_B,
      scope: 's',
      key: k,
      fingerprint: 'f',
      secretDigest: null,
      operationId: otherTenant,
      response: {},
      createdAt: h.clock.now(),
      expiresAt,
    });
    await h.store.idempotency.claim(key('short', h.clock.now() + 10_000), h.clock.now());
    await h.store.idempotency.claim(key('long', h.clock.now() + 600_000), h.clock.now());
    h.clock.advance(91_000);
    assert.deepEqual(await sweeper(h.store, h.clock).sweepOnce(), { operations: 2, idempotencyKeys: 1 });
    assert.equal(await h.store.operations.get(otherTenant), undefined);
    assert.deepEqual(await listIds(), [running]);
    assert.equal(await h.store.idempotency.find(key('short', 0), h.clock.now() - 100_000), undefined);
    assert.ok(await h.store.idempotency.find(key('long', 0), h.clock.now()));
  });
});

/** Inserts `n` operations that ended at `at`, each with two events, in a few statements. */
async function insertEnded(store: Store, prefix: string, n: number, at: number): Promise<void> {
  for (let start = 0; start < n; start += 200) {
    const ids = Array.from({ length: Math.min(200, n - start) }, (_, i) => `${prefix}-${start + i}`);
    await store.sql.execute(
      `INSERT INTO operations (id, tenant_id, kind, target_id, status, created_at, last_action_at, max_attempts, available_at, input, finished_at)
       VALUES ${ids.map(() => `(?, 't', 'passwordReset', 'u', 'succeeded', ?, ?, 3, ?, '{}', ?)`).join(', ')}`,
      ids.flatMap((id) => [id, at, at, at, at]),
    );
    await store.sql.execute(
      `INSERT INTO operation_events (operation_id, run, seq, at, type, attempt, detail) VALUES ${ids.map(() => `(?, 1, 1, ?, 'queued', 0, ''), (?, 1, 2, ?, 'succeeded', 1, '')`).join(', ')}`,
      ids.flatMap((id) => [id, at, id, at]),
    );
  }
}

const countRows = async (store: Store) => ({
  operations: Number((await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations`))!.n),
  events: Number((await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operation_events`))!.n),
});

describe('retention: bounded batches', () => {
  it('removes at most batchSize × maxBatches rows per sweep; the next sweep goes on', async () => {
    const t = await tempStore();
    try {
      const clock = new ManualClock(10_000_000);
      await insertEnded(t.store, 'b', 700, clock.now());
      clock.advance(RETENTION_MS + 1);
      const s = sweeper(t.store, clock, { batchSize: 100, maxBatches: 4 });
      assert.equal((await s.sweepOnce()).operations, 400);
      assert.deepEqual(await countRows(t.store), { operations: 300, events: 600 });
      assert.equal((await s.sweepOnce()).operations, 300);
      assert.deepEqual(await countRows(t.store), { operations: 0, events: 0 });
    } finally {
      await t.cleanup();
    }
  });

  it(
    'two nodes sweeping together remove each row once, without errors',
    { skip: TEST_BACKEND !== 'postgres' && 'needs PostgreSQL' },
    async () => {
      const t = await tempStore();
      try {
        const clock = new ManualClock(10_000_000);
        await insertEnded(t.store, 'p', 1200, clock.now());
        clock.advance(RETENTION_MS + 1);
        const other = await t.open();
        const [a, b] = await Promise.all([
          sweeper(t.store, clock, { batchSize: 50, maxBatches: 100 }).sweepOnce(),
          sweeper(other, clock, { batchSize: 50, maxBatches: 100 }).sweepOnce(),
        ]);
        assert.equal(a.operations + b.operations, 1200, `node A removed ${a.operations}, node B ${b.operations}`);
        assert.deepEqual(await countRows(t.store), { operations: 0, events: 0 });
      } finally {
        await t.cleanup();
      }
    },
  );
});

describe('retention and a lagged success (effectLagSeconds)', () => {
  it('keeps an ended operation until its deferred effect has applied, then removes it', async () => {
    const h = await buildHarness();
    try {
      const target = userA('target').id;
      await addStoredRule(
        h.store,
        TENANT_A,
        'lag-rule',
        { match: { kind: 'passwordReset' }, times: 1, effectLagSeconds: 3600 },
        h.clock.now(),
      );
      const [id] = await queuePlannedResets(h.store, TENANT_A, [target], 1, () => h.clock.now(), 'lagged');
      const executor = manualExecutor(h);
      await runQueued(executor);
      assert.equal((await h.store.operations.get(id!))?.status, 'succeeded');
      const pendingEffects = async () =>
        Number((await h.store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM deferred_effects`))!.n);
      assert.equal(await pendingEffects(), 1);

      // Ended long before the retention, but its effect is due in an hour: it stays.
      h.clock.advance(RETENTION_MS * 10);
      assert.deepEqual(await sweeper(h.store, h.clock).sweepOnce(), { operations: 0, idempotencyKeys: 0 });
      assert.equal((await h.store.operations.get(id!))?.status, 'succeeded');

      // Once applied, it is an ordinary ended operation again.
      h.clock.advance(3600_000);
      assert.equal(await executor.applyDueEffects(), 1);
      assert.equal(await pendingEffects(), 0);
      h.clock.advance(RETENTION_MS + 1);
      assert.deepEqual(await sweeper(h.store, h.clock).sweepOnce(), { operations: 1, idempotencyKeys: 0 });
      assert.equal(await h.store.operations.get(id!), undefined);
      assert.equal(await pendingEffects(), 0, 'no deferred effect is left without its operation');
    } finally {
      await h.close();
    }
  });
});
