/**
 * A `serve` process killed (kill -9) while operations wait in their planned timeline: the plan
 * lives on the rows, so after a restart every operation still ends as its rule says, no earlier
 * than planned, each effect applied exactly once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveArgs, startLongrun } from '../support/child-service.js';
import { tempStore } from '../support/store.js';
import { importGeneratedTenant } from '../support/tenant.js';
import { addStoredRule, countWhere, queuePlannedResets } from './support/planned-resets.js';

const OPERATIONS = 60;

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('planned timelines survive a killed node', () => {
  it('kill -9 mid-timeline, restart: each operation ends as its rule says, effects exactly once', async () => {
    const db = await tempStore();
    try {
      const json = await importGeneratedTenant(db.store, 6, 'timeline-crash', Date.now());
      const tenantId = json.tenant.id;
      const users = json.users!.map((u) => u.id);
      // The first user's resets fail as planned; everyone else's succeed after a 1 s + 4 s timeline.
      await addStoredRule(
        db.store,
        tenantId,
        'fail-first',
        {
          match: { kind: 'passwordReset', target: users[0] },
          timeline: { runningSeconds: 4 },
          outcome: { status: 'failed', code: 'plannedFailure', detail: 'Failed as planned.' },
        },
        1,
      );
      await addStoredRule(
        db.store,
        tenantId,
        'slow',
        { match: { kind: 'passwordReset' }, timeline: { notStartedSeconds: 1, runningSeconds: 4 } },
        2,
      );
      const args = serveArgs(db.url, { demo: false, concurrency: 2, leaseSeconds: 1, logLevel: 'warn' });

      const first = await startLongrun(args);
      const startedAt = Date.now();
      const ids = await queuePlannedResets(db.store, tenantId, users, OPERATIONS, () => Date.now(), 'crash');
      await waitFor(
        async () => (await countWhere(db.store, `status = 'running' AND lease_token IS NULL`)) >= OPERATIONS / 2,
        10_000,
        'operations to enter their running phase',
      );
      first.child.kill('SIGKILL');
      assert.equal((await first.exited).signal, 'SIGKILL');
      assert.ok((await countWhere(db.store, `status IN ('succeeded', 'failed')`)) < OPERATIONS / 2, 'the kill came mid-timeline');

      const second = await startLongrun(args);
      try {
        await waitFor(
          async () => (await countWhere(db.store, `status IN ('succeeded', 'failed')`)) === OPERATIONS,
          30_000,
          'all operations to end',
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      const failedIds = new Set(ids.filter((_, i) => i % users.length === 0));
      const effects = await db.store.audit.countByOperation(tenantId);
      for (const id of ids) {
        const op = (await db.store.operations.get(id))!;
        if (failedIds.has(id)) {
          assert.equal(op.status, 'failed', id);
          assert.equal(op.errorCode, 'plannedFailure');
          assert.equal(op.statusDetail, 'Failed as planned.');
          assert.equal(effects.get(id), undefined, `${id} applied no effect`);
        } else {
          assert.equal(op.status, 'succeeded', id);
          assert.equal(effects.get(id), 1, `${id} applied its effect exactly once`);
          assert.ok(op.finishedAt! >= startedAt + 5000, `${id} ended before its planned 5 s`);
        }
      }
    } finally {
      await db.cleanup();
    }
  });
});
