import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';

export interface SqliteBackupProgress {
  copiedPages: number;
  totalPages: number;
}

export interface SqliteBackupResult {
  pages: number;
  bytes: number;
  schemaVersion: number;
}

/** Pages copied per step: small steps keep progress moving; the snapshot stays one read transaction. */
const PAGES_PER_STEP = 256;

export class SqliteBackupError extends Error {}

/**
 * Copies a live SQLite database (WAL mode, other processes writing) to `outPath` with SQLite's
 * online backup API. The source connection holds one read transaction for the whole copy, so
 * every step reads the same snapshot: the copy is the database as of one commit, and writers in
 * other processes neither restart the backup nor wait for it (WAL readers do not block writers).
 * The copy is written next to `outPath` and renamed into place once it passed `quick_check`, so
 * a failed backup never leaves a partial file under the name asked for.
 */
export async function backupSqlite(
  sourcePath: string,
  outPath: string,
  options: { overwrite: boolean; onProgress?: (p: SqliteBackupProgress) => void },
): Promise<SqliteBackupResult> {
  if (resolve(sourcePath) === resolve(outPath)) throw new SqliteBackupError('the backup file cannot be the database itself');
  if (!existsSync(sourcePath)) throw new SqliteBackupError(`no database at ${sourcePath}`);
  if (existsSync(outPath) && !options.overwrite) {
    throw new SqliteBackupError(`${outPath} exists; choose another file or pass --force to replace it`);
  }
  const partial = `${outPath}.partial-${process.pid}`;
  const source = new Database(sourcePath, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // The snapshot: a read transaction that stays open until the copy is done.
    source.exec('BEGIN');
    source.prepare('SELECT count(*) FROM sqlite_master').get();
    const progress = await source.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        options.onProgress?.({ copiedPages: totalPages - remainingPages, totalPages });
        return PAGES_PER_STEP;
      },
    });
    source.exec('COMMIT');
    const schemaVersion = verifyCopy(partial);
    // The copy holds password hashes and signing keys, like the database: owner-only.
    chmodSync(partial, 0o600);
    renameSync(partial, outPath);
    options.onProgress?.({ copiedPages: progress.totalPages, totalPages: progress.totalPages });
    return { pages: progress.totalPages, bytes: pageBytes(outPath), schemaVersion };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  } finally {
    source.close();
  }
}

/** Opens the copy, checks its structure, reads its schema version and leaves it self-contained (no -wal beside it). */
function verifyCopy(path: string): number {
  const copy = new Database(path, { fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new SqliteBackupError(`the copy failed SQLite's quick_check: ${String(check)}`);
    const row = copy.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null } | undefined;
    copy.pragma('wal_checkpoint(TRUNCATE)');
    return Number(row?.v ?? 0);
  } finally {
    copy.close();
  }
}

function pageBytes(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
  } finally {
    db.close();
  }
}
