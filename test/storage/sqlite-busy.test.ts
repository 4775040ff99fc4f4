/**
 * Another process holding SQLite's write lock past busy_timeout (5 s) is a transient overload:
 * the store raises StorageUnavailableError (503 with Retry-After on the wire, the executor backs
 * off), never a bare driver error that would reach the client as a 500.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { StorageUnavailableError } from '../../src/storage/sql.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';

describe('SQLite write lock held elsewhere', () => {
  it('a write that waited out busy_timeout is StorageUnavailableError, noted for /readyz; it works once the lock is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longrun-busy-'));
    const path = join(dir, 'busy.db');
    const db = new SqliteDatabase(path);
    const other = new Database(path);
    try {
      await db.execute('CREATE TABLE t (x INTEGER)');
      assert.equal(db.refusedWithin(60_000), false);
      other.exec('BEGIN IMMEDIATE'); // what a second process mid-transaction holds

      await assert.rejects(db.execute('INSERT INTO t VALUES (1)'), (e: unknown) => {
        assert.ok(e instanceof StorageUnavailableError, `got ${String(e)}`);
        assert.match(e.message, /SQLITE_BUSY/);
        return true;
      });
      assert.equal(db.refusedWithin(60_000), true, '/readyz sees the refusal');
      assert.deepEqual(await db.query('SELECT COUNT(*) AS n FROM t'), [{ n: 0 }], 'reads still answer; nothing was written');

      other.exec('ROLLBACK');
      await db.execute('INSERT INTO t VALUES (1)');
      assert.deepEqual(await db.query('SELECT COUNT(*) AS n FROM t'), [{ n: 1 }]);
    } finally {
      other.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
