import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageUnavailableError } from '../../src/storage/sql.js';
import { tempStore, TEST_BACKEND } from '../support/store.js';

const NEEDS_POSTGRES = TEST_BACKEND !== 'postgres' && 'needs PostgreSQL (runs in the PostgreSQL pass)';

// Connection loss is a PostgreSQL matter: this runs in the PostgreSQL pass of the suite.
describe('PostgreSQL connection loss', () => {
  it(
    'a connection terminated in the middle of a transaction fails that transaction, not the process',
    { skip: NEEDS_POSTGRES },
    async () => {
      const db = await tempStore();
      const killer = await db.open();
      const uncaught: unknown[] = [];
      const record = (e: unknown) => uncaught.push(e);
      process.on('uncaughtException', record);
      try {
        const attempt = db.store.transaction(async (tx) => {
          const row = await tx.sql.queryOne<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          // The server ends this connection between two statements, as a restart would.
          await killer.sql.query('SELECT pg_terminate_backend(?)', [row!.pid]);
          await new Promise((r) => setTimeout(r, 200));
          await tx.sql.query('SELECT 1');
        });
        await assert.rejects(attempt, (e: unknown) => e instanceof StorageUnavailableError || (e as { code?: string }).code === '57P01');
        assert.deepEqual(uncaught, [], 'no unhandled error event');
        // The pool drops the broken connection and the store works again.
        assert.equal((await db.store.sql.queryOne<{ n: number }>('SELECT 1 AS n'))?.n, 1);
      } finally {
        process.off('uncaughtException', record);
        await db.cleanup();
      }
    },
  );
});
