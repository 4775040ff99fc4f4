import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The one test suite runs once per storage backend: `LONGRUN_TEST_BACKEND=sqlite` (default) or
 * `postgres` (scripts/run-tests.mjs runs both). PostgreSQL tests isolate themselves in a fresh
 * schema, named in the database URL so child processes and worker threads land there too.
 */
export type TestBackend = 'sqlite' | 'postgres';

export const TEST_BACKEND: TestBackend = process.env.LONGRUN_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

export const TEST_DATABASE_URL = process.env.LONGRUN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** A `--db` URL for this test's own database (a temp SQLite file or a fresh PostgreSQL schema). */
  url: string;
  dispose(): Promise<void>;
}

/** A fresh, empty database for one test (file-backed, so several connections can share it). */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_BACKEND === 'postgres') {
    const schema = `lr_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return {
      url: url.href,
      dispose: async () => {
        const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'longrun-test-'));
  return { url: `sqlite:${join(dir, 'longrun.db')}`, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}
