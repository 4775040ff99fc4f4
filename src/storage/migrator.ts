import type { Migration } from './migration.js';
import type { SqlDatabase } from './sql.js';

export interface MigrationStatus {
  current: number;
  latest: number;
  applied: number[];
}

export class MigrationError extends Error {}

/**
 * Applies pending migrations in order, each in its own transaction, with the bookkeeping row
 * written in the same transaction. Several processes starting at once migrate once: on SQLite
 * the write lock serialises them, on PostgreSQL an advisory lock does (`lockStatement`).
 * Refuses to run against a database that is newer than this code.
 */
export async function migrate(
  db: SqlDatabase,
  migrations: readonly Migration[],
  now: () => number,
  lockStatement?: string,
): Promise<MigrationStatus> {
  const bookkeeping = `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
  // Under the lock: two nodes creating the table at once would clash on PostgreSQL's catalog.
  await db.transaction(async (tx) => {
    if (lockStatement) await tx.query(lockStatement);
    await tx.execute(bookkeeping);
  });
  const latest = migrations.at(-1)?.version ?? 0;
  const applied: number[] = [];
  for (const m of migrations) {
    await db.transaction(async (tx) => {
      if (lockStatement) await tx.query(lockStatement);
      const newest = await tx.queryOne<{ v: number | null }>(`SELECT MAX(version) AS v FROM schema_migrations`);
      const current = Number(newest?.v ?? 0);
      if (current > latest) {
        throw new MigrationError(
          `the database schema is at version ${current}, newer than this Longrun (${latest}); upgrade Longrun before using this database`,
        );
      }
      const done = await tx.queryOne(`SELECT version FROM schema_migrations WHERE version = ?`, [m.version]);
      if (done) return;
      await tx.script(m.sql);
      await tx.execute(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, [m.version, m.name, now()]);
      applied.push(m.version);
    });
  }
  if (migrations.length === 0) return { current: 0, latest, applied };
  const row = await db.queryOne<{ v: number | null }>(`SELECT MAX(version) AS v FROM schema_migrations`);
  const current = Number(row?.v ?? 0);
  if (current > latest) {
    throw new MigrationError(
      `the database schema is at version ${current}, newer than this Longrun (${latest}); upgrade Longrun before using this database`,
    );
  }
  return { current, latest, applied };
}
