/** The settings every SQLite connection is opened with (src/storage/sqlite/sqlite-database.ts). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';

describe('SQLite connection settings', () => {
  it('WAL, synchronous NORMAL, foreign keys on, and temporary tables in memory (no temp file per claim round)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longrun-conn-'));
    const db = new SqliteDatabase(join(dir, 'conn.db'));
    try {
      const pragma = async (name: string) => Object.values((await db.queryOne<Record<string, unknown>>(`PRAGMA ${name}`)) ?? {})[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('synchronous'), 1, 'NORMAL');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('temp_store'), 2, 'MEMORY');
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
