/** SQLite database files hold password hashes and signing keys: created owner-only (0600). */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('SQLite file permissions', () => {
  it('a new database and its WAL file are 0600; an existing 0644 file is tightened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longrun-mode-'));
    try {
      const path = join(dir, 'new.db');
      const db = new SqliteDatabase(path);
      await db.execute('CREATE TABLE t (x INTEGER)');
      await db.execute('INSERT INTO t VALUES (1)');
      assert.equal(mode(path), 0o600);
      assert.ok(existsSync(`${path}-wal`));
      assert.equal(mode(`${path}-wal`), 0o600);
      await db.close();

      const old = join(dir, 'old.db');
      writeFileSync(old, '');
      chmodSync(old, 0o644);
      const reopened = new SqliteDatabase(old);
      assert.equal(mode(old), 0o600);
      await reopened.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
