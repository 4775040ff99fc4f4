import { migrate, type MigrationStatus } from './migrator.js';
import { POSTGRES_MIGRATION_LOCK, POSTGRES_MIGRATIONS } from './postgres/migrations/index.js';
import { PostgresDatabase } from './postgres/postgres-database.js';
import { SqliteDatabase } from './sqlite/sqlite-database.js';
import { SQLITE_MIGRATIONS } from './sqlite/migrations/index.js';
import type { SqlDatabase } from './sql.js';
import { Store } from './store.js';

export class DatabaseUrlError extends Error {}

/** Opens the database named by a `--db` URL (no schema changes). */
export async function openDatabase(url: string, schema?: string): Promise<SqlDatabase> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return new SqliteDatabase(path === ':memory:' ? ':memory:' : path);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const db = new PostgresDatabase({ connectionString: url, ...(schema ? { schema } : {}) });
    try {
      await db.query('SELECT 1');
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
    return db;
  }
  throw new DatabaseUrlError(`unsupported database URL '${url}'`);
}

/** Opens the database and brings its schema up to date. */
export async function openStore(
  url: string,
  now: () => number = Date.now,
  options: { schema?: string } = {},
): Promise<{ store: Store; migrations: MigrationStatus }> {
  const db = await openDatabase(url, options.schema);
  try {
    const migrations =
      db.dialect.name === 'postgres'
        ? await migrate(db, POSTGRES_MIGRATIONS, now, POSTGRES_MIGRATION_LOCK)
        : await migrate(db, SQLITE_MIGRATIONS, now);
    return { store: new Store(db), migrations };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
