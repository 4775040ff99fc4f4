import { migrate, type MigrationStatus } from './migrator.js';
import { SqliteDatabase } from './sqlite/sqlite-database.js';
import { SQLITE_MIGRATIONS } from './sqlite/migrations/index.js';
import type { SqlDatabase } from './sql.js';
import { Store } from './store.js';

export class DatabaseUrlError extends Error {}

/** Opens the database named by a `--db` URL (no schema changes). */
export async function openDatabase(url: string): Promise<SqlDatabase> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return new SqliteDatabase(path === ':memory:' ? ':memory:' : path);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    throw new DatabaseUrlError('PostgreSQL is not supported by this build yet (issue #6); use sqlite:PATH');
  }
  throw new DatabaseUrlError(`unsupported database URL '${url}'`);
}

/** Opens the database and brings its schema up to date. */
export async function openStore(url: string, now: () => number = Date.now): Promise<{ store: Store; migrations: MigrationStatus }> {
  const db = await openDatabase(url);
  try {
    const migrations = await migrate(db, SQLITE_MIGRATIONS, now);
    return { store: new Store(db), migrations };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
