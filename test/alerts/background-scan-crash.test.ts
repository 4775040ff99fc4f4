/**
 * A background scan survives the node running it: `longrun serve` is killed (SIGKILL) while
 * its scan of a tenant is running; another node takes the scan over once the lease expires and
 * finishes it. The tenant is scanned once, not lost and not queued again.
 *
 * PostgreSQL only: the test holds the scan in the middle of its run with a table lock, which
 * the killed node's read waits on (SQLite readers do not wait for a writer, so there is no way
 * to hold a scan mid-run from outside the process).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { INTERNAL_OPERATION_KINDS } from '../../src/operations/kinds.js';
import type { OperationRecord } from '../../src/operations/model.js';
import { serveArgs, startLongrun } from '../support/child-service.js';
import { tempStore, TEST_BACKEND } from '../support/store.js';
import { importGeneratedTenant } from '../support/tenant.js';
import { waitFor } from '../support/wait-for.js';

const NEEDS_POSTGRES = TEST_BACKEND !== 'postgres' && 'needs PostgreSQL (runs in the PostgreSQL pass)';

describe('background scan and kill -9', () => {
  it(
    'the node running a scan is killed; after its lease expires another node finishes the scan, once',
    { skip: NEEDS_POSTGRES },
    async () => {
      const db = await tempStore();
      const lock = new pg.Client({ connectionString: db.url });
      await lock.connect();
      try {
        const tenantId = (await importGeneratedTenant(db.store, 5, 'scan-crash', Date.now())).tenant.id;
        const scans = () =>
          db.store.operations.list({ tenantId, kind: INTERNAL_OPERATION_KINDS.alertScan, targetId: tenantId, top: 10, skip: 0 });
        const args = serveArgs(db.url, { demo: false, concurrency: 2, leaseSeconds: 1, logLevel: 'warn' });

        // The scan reads the alert configurations after the directory: it waits here while we hold them.
        await lock.query('BEGIN');
        await lock.query('LOCK TABLE alert_configurations IN ACCESS EXCLUSIVE MODE');
        const first = await startLongrun(args);
        const running = await waitFor(
          async () => {
            const [scan] = await scans();
            return scan?.status === 'running' && scan.leaseOwner !== null ? scan : undefined;
          },
          { timeoutMs: 20_000, message: 'the first node to claim the scan' },
        );
        first.child.kill('SIGKILL');
        assert.equal((await first.exited).signal, 'SIGKILL');
        await lock.query('ROLLBACK');
        assert.equal(
          (await db.store.alerts.state(tenantId, 'StaleSignInAlert'))?.lastScannedAt ?? null,
          null,
          'the killed scan wrote nothing',
        );

        const second = await startLongrun(args);
        let done: OperationRecord;
        try {
          done = await waitFor(
            async () => {
              const [scan] = await scans();
              return scan?.status === 'succeeded' ? scan : undefined;
            },
            { timeoutMs: 30_000, message: 'the second node to finish the scan' },
          );
        } finally {
          second.child.kill('SIGTERM');
          await second.exited;
        }
        assert.equal(done.id, running.id, 'the same scan, taken over');
        assert.equal(done.attempts, 2, 'one attempt on each node');
        const events = (await db.store.operations.events(done.id, done.run)).map((e) => e.type);
        assert.ok(events.includes('leaseExpired'), `recovered through the lease expiry: ${events.join(', ')}`);
        assert.equal((await scans()).length, 1, 'the second node did not queue the scan again');
        const state = await db.store.alerts.state(tenantId, 'StaleSignInAlert');
        assert.equal(typeof state?.lastScannedAt, 'number', 'the scan wrote the alerts');
      } finally {
        await lock.end().catch(() => undefined);
        await db.cleanup();
      }
    },
  );
});
