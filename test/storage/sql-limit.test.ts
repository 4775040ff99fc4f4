/**
 * `LIMIT` takes its bound row count through LIMIT_PARAM (src/storage/sql.ts), never as a bare
 * `LIMIT ?`: SQLite re-prepares a statement with a bare `LIMIT ?` on every run, which cost the
 * executor's claim 6 % of the server's main thread (bench/README.md, "prepared once").
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { LIMIT_PARAM } from '../../src/storage/sql.js';
import { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';

/** dist/test/storage/ → the repository's src/. */
const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Comments may name the pattern they warn against. */
const isCode = (line: string) => !/^\s*(\*|\/\/|\/\*)/.test(line);

describe('LIMIT with a bound row count', () => {
  it('no SQL under src/ writes a bare `LIMIT ?`', () => {
    const files = typeScriptFiles(SRC);
    assert.ok(files.length > 100, `found only ${files.length} source files under ${SRC}`);
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (isCode(line) && /\bLIMIT\s+\?/i.test(line) ? [`${relative(SRC, file)}:${i + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(offenders, [], 'use LIMIT_PARAM, not LIMIT ? (src/storage/sql.ts says why)');
  });

  it('LIMIT_PARAM limits the rows to the bound count, whatever count is bound next', async () => {
    const db = new SqliteDatabase(':memory:');
    try {
      await db.execute('CREATE TABLE t (n INTEGER PRIMARY KEY)');
      for (let n = 1; n <= 5; n++) await db.execute('INSERT INTO t (n) VALUES (?)', [n]);
      const first = (limit: number) => db.query<{ n: number }>(`SELECT n FROM t ORDER BY n ${LIMIT_PARAM}`, [limit]);
      assert.deepEqual(
        (await first(2)).map((r) => r.n),
        [1, 2],
      );
      assert.deepEqual(
        (await first(4)).map((r) => r.n),
        [1, 2, 3, 4],
      );
      assert.deepEqual(
        (await first(1)).map((r) => r.n),
        [1],
      );
    } finally {
      await db.close();
    }
  });
});
