import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/shared/clock.js';
import { PostgresDatabase } from '../../src/storage/postgres/postgres-database.js';
import { toPositional } from '../../src/storage/postgres/prepared-statements.js';
import type { SqlValue } from '../../src/storage/sql.js';
import { TEST_BACKEND, testStore } from '../support/store.js';

// A claim round must cost the same with 10 or 10,000 operations queued: PostgreSQL has to probe
// the primary key for the ids the round picked, not walk the backlog. On a table not analysed
// yet (a fresh node, a burst of submissions) the planner walked the whole `operations_claimable`
// index when the UPDATE restated the pick's conditions: a claim's cost grew with the backlog.

const TENANT = '33333333-3333-3333-3333-333333333333';
/** Large enough that a sequential scan is not the cheapest plan for the planner either. */
const BACKLOG = 5000;

interface PlanNode {
  'Node Type': string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Every node of an EXPLAIN (FORMAT JSON) plan tree. */
function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('claim round plan (PostgreSQL)', { skip: TEST_BACKEND !== 'postgres' && 'PostgreSQL planner behaviour' }, () => {
  it('a claim round from a large, never analysed backlog reads only the rows it claims', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const clock = new ManualClock(Date.now());
    // Queued in one statement (the operations' `queued` events do not matter here).
    await store.db.execute(
      `INSERT INTO operations (id, tenant_id, kind, target_id, status, created_at, last_action_at, max_attempts, available_at, input)
       SELECT 'p-' || i, ?, 'test.plan', 't-' || i, 'notStarted', ?, ?, 3, CAST(? AS BIGINT) + i, '{}' FROM generate_series(1, ${BACKLOG}) AS i`,
      [TENANT, clock.now(), clock.now(), clock.now() - BACKLOG],
    );
    const db = store.db;
    assert.ok(db instanceof PostgresDatabase);
    // The statement the executor sends, captured as it goes out (and run for real once).
    const sent: Array<{ sql: string; params: readonly SqlValue[] }> = [];
    const query = db.query.bind(db);
    t.mock.method(db, 'query', (sql: string, params: readonly SqlValue[] = []) => (sent.push({ sql, params }), query(sql, params)));
    const { claimed } = await store.timelines.claimRound('w', clock.now(), 60_000, 16, 1000);
    assert.equal(claimed.length, 16);
    assert.equal(sent.length, 1, 'one statement per claim round');
    t.mock.restoreAll();

    // The same statement again, explained with its real execution, then rolled back.
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${toPositional(sent[0]!.sql)}`,
        sent[0]!.params as unknown[],
      );
      await client.query('ROLLBACK');
      const all = nodes(rows[0]!['QUERY PLAN'][0]!.Plan);
      const removed = all.map((n) => (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0));
      assert.ok(
        Math.max(...removed) < 100,
        `a node of the claim round read and discarded ${Math.max(...removed)} rows of a backlog of ${BACKLOG}`,
      );
    } finally {
      client.release();
    }
  });
});
