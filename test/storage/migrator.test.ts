/**
 * The migrator (src/storage/migrator.ts): a database newer than the code is refused, and many
 * processes migrating one fresh PostgreSQL schema at once apply each migration exactly once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { migrate, MigrationError } from '../../src/storage/migrator.js';
import { openDatabase, openStore } from '../../src/storage/open.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/migrations/index.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/migrations/index.js';
import { createTestDatabase, TEST_BACKEND } from '../support/backends.js';
import { trackChild } from '../support/leak-guard.js';

const MIGRATIONS = TEST_BACKEND === 'postgres' ? POSTGRES_MIGRATIONS : SQLITE_MIGRATIONS;
const LATEST = MIGRATIONS.at(-1)!.version;
const WORKER = fileURLToPath(new URL('./migrate-worker.js', import.meta.url));

/** Runs migrate-worker.js against `url`; resolves with the versions that process applied. */
function migrateInChild(url: string): Promise<number[]> {
  const child = trackChild('migrate-worker', spawn(process.execPath, [WORKER, url], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`migrator exited ${code}: ${err}`)),
    ),
  );
}

describe('migrator', () => {
  it('refuses a database whose recorded version is newer than this code, naming both versions', async () => {
    const database = await createTestDatabase();
    try {
      await (await openStore(database.url)).store.close();
      const db = await openDatabase(database.url);
      await db.execute(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, [LATEST + 1, 'from-the-future', 0]);
      await db.close();
      await assert.rejects(
        openStore(database.url),
        (e: unknown) =>
          e instanceof MigrationError &&
          e.message.includes(`at version ${LATEST + 1}, newer than this Longrun (${LATEST})`) &&
          e.message.includes('upgrade Longrun'),
      );
    } finally {
      await database.dispose();
    }
  });

  it('a fresh database records every migration once, in order', async () => {
    const database = await createTestDatabase();
    try {
      const { store, migrations } = await openStore(database.url);
      await store.close();
      assert.deepEqual(
        migrations.applied,
        Array.from({ length: LATEST }, (_, i) => i + 1),
      );
      assert.equal(migrations.current, LATEST);
      const again = await openStore(database.url);
      await again.store.close();
      assert.deepEqual(again.migrations.applied, [], 'a second open applies nothing');
    } finally {
      await database.dispose();
    }
  });

  it(
    'ten processes migrating one fresh PostgreSQL schema at once apply each migration once',
    { skip: TEST_BACKEND !== 'postgres' && 'needs PostgreSQL (SQLite serialises writers with its file lock)' },
    async () => {
      const database = await createTestDatabase();
      try {
        const applied = await Promise.all(Array.from({ length: 10 }, () => migrateInChild(database.url)));
        const all = applied.flat().sort((a, b) => a - b);
        assert.deepEqual(
          all,
          Array.from({ length: LATEST }, (_, i) => i + 1),
          `applied per process: ${JSON.stringify(applied)}`,
        );
        const db = await openDatabase(database.url);
        try {
          const rows = await db.query<{ version: number }>(`SELECT version FROM schema_migrations ORDER BY version`);
          assert.deepEqual(
            rows.map((r) => Number(r.version)),
            Array.from({ length: LATEST }, (_, i) => i + 1),
          );
        } finally {
          await db.close();
        }
      } finally {
        await database.dispose();
      }
    },
  );

  it('migration 10 removes the deferred effects whose operation retention had removed, and keeps the others', async () => {
    const database = await createTestDatabase();
    try {
      const db = await openDatabase(database.url);
      try {
        await migrate(db, MIGRATIONS.slice(0, 9), Date.now);
        await db.execute(
          `INSERT INTO operations (id, tenant_id, kind, target_id, status, created_at, last_action_at, max_attempts, available_at, input, finished_at)
           VALUES ('kept', 't', 'passwordReset', 'u', 'succeeded', 1, 1, 3, 1, '{}', 1)`,
        );
        await db.execute(
          `INSERT INTO deferred_effects (operation_id, run, tenant_id, due_at) VALUES ('kept', 1, 't', 5), ('gone', 1, 't', 5)`,
        );
      } finally {
        await db.close();
      }
      const { store, migrations } = await openStore(database.url);
      try {
        assert.deepEqual(
          migrations.applied,
          Array.from({ length: LATEST - 9 }, (_, i) => i + 10),
        );
        const rows = await store.sql.query<{ operation_id: string }>(`SELECT operation_id FROM deferred_effects`);
        assert.deepEqual(
          rows.map((r) => r.operation_id),
          ['kept'],
        );
      } finally {
        await store.close();
      }
    } finally {
      await database.dispose();
    }
  });
});
