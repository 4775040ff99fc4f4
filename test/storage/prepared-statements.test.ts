import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { PostgresDatabase } from '../../src/storage/postgres/postgres-database.js';
import { PREPARE_AFTER } from '../../src/storage/postgres/prepared-statements.js';
import { createTestDatabase, TEST_BACKEND } from '../support/backends.js';

// PostgreSQL keeps statements that repeat prepared on each connection
// (src/storage/postgres/prepared-statements.ts). A schema change by another node must not break
// them: PostgreSQL refuses a prepared `SELECT *` whose columns changed, for good on that
// connection, so the statement has to run again on a fresh one.

async function withDatabase(fn: (db: PostgresDatabase, admin: pg.Client) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  // One connection: every statement below runs on the same session.
  const db = new PostgresDatabase({ connectionString: database.url, maxConnections: 1 });
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    await admin.query(`CREATE TABLE t (a INTEGER)`);
    await admin.query(`INSERT INTO t VALUES (1)`);
    await fn(db, admin);
  } finally {
    await admin.end();
    await db.close();
    await database.dispose();
  }
}

describe('prepared statements (PostgreSQL)', { skip: TEST_BACKEND !== 'postgres' && 'PostgreSQL only' }, () => {
  it('a statement is prepared once it has run PREPARE_AFTER times, and gives the same rows', async () => {
    await withDatabase(async (db) => {
      const sql = `SELECT a FROM t WHERE a = ?`;
      const prepared = async () =>
        (await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT a FROM t%'`))[0]!.n;
      for (let i = 1; i < PREPARE_AFTER; i++) assert.deepEqual(await db.query(sql, [1]), [{ a: 1 }]);
      assert.equal(await prepared(), 0, 'not prepared before it repeats');
      for (let i = 0; i < 3; i++) assert.deepEqual(await db.query(sql, [1]), [{ a: 1 }]);
      assert.equal(await prepared(), 1, 'prepared once on the connection');
    });
  });

  it('a prepared SELECT * whose table gained a column runs again on a fresh connection, outside and inside transactions', async () => {
    await withDatabase(async (db, admin) => {
      const sql = `SELECT * FROM t WHERE a >= ?`;
      for (let i = 0; i < PREPARE_AFTER + 1; i++) assert.deepEqual(await db.query(sql, [0]), [{ a: 1 }]);
      await admin.query(`ALTER TABLE t ADD COLUMN b INTEGER NOT NULL DEFAULT 2`);
      assert.deepEqual(await db.query(sql, [0]), [{ a: 1, b: 2 }]);

      for (let i = 0; i < PREPARE_AFTER + 1; i++) await db.transaction((tx) => tx.query(sql, [0]));
      await admin.query(`ALTER TABLE t ADD COLUMN c INTEGER NOT NULL DEFAULT 3`);
      assert.deepEqual(await db.transaction((tx) => tx.query(sql, [0])), [{ a: 1, b: 2, c: 3 }]);
    });
  });
});
