import { SqliteBackupError, backupSqlite } from '../../storage/sqlite/sqlite-backup.js';
import { CliError } from '../exit.js';
import { createProgress } from '../progress.js';

export const BACKUP_HELP = `longrun backup --db sqlite:PATH --out FILE [--force]

Copies a live SQLite database to FILE with SQLite's online backup API while longrun serves
from it (any number of serve/worker processes may keep writing). The copy is one consistent
snapshot: every operation in it is either finished with its effect or still to run, and a
longrun started on the copy completes the unfinished ones. FILE is written under a temporary
name and renamed once it passed SQLite's quick_check.

  --db URL     the database to copy (sqlite:PATH; default from LONGRUN_DB)
  --out FILE   where to write the copy; refused when FILE exists
  --force      replace FILE when it exists

PostgreSQL: use pg_dump (docs/operations.md):
  pg_dump --format=custom --file=longrun.dump 'postgres://user@host:5432/longrun'
  createdb longrun_restored && pg_restore --dbname=longrun_restored --no-owner longrun.dump
`;

const PG_RECIPE =
  `longrun backup copies SQLite databases; for PostgreSQL use pg_dump, which takes a consistent snapshot while longrun serves:\n` +
  `  pg_dump --format=custom --file=longrun.dump '<your --db URL>'\n` +
  `  restore into a new database: createdb NAME && pg_restore --dbname=NAME --no-owner longrun.dump\n` +
  `(docs/operations.md#backup-and-restore)`;

/** `longrun backup --db sqlite:PATH --out FILE [--force]`. */
export async function backup(db: string, out: string | undefined, force: boolean): Promise<void> {
  if (db.startsWith('postgres://') || db.startsWith('postgresql://')) throw new CliError(PG_RECIPE, 2);
  if (!db.startsWith('sqlite:')) throw new CliError(`backup: unsupported database URL '${db}'; expected sqlite:PATH`, 2);
  const path = db.slice('sqlite:'.length);
  if (path === ':memory:') throw new CliError('backup: an in-memory database (sqlite::memory:) lives only inside its process', 2);
  if (!out) throw new CliError('backup: --out FILE is required (where to write the copy)', 2);
  const progress = createProgress(process.stderr);
  try {
    const result = await backupSqlite(path, out, {
      overwrite: force,
      onProgress: ({ copiedPages, totalPages }) => progress.update('copying pages', copiedPages, totalPages),
    });
    progress.finish();
    process.stdout.write(
      `backed up ${db} to ${out}: ${result.pages} pages, ${result.bytes} bytes, schema version ${result.schemaVersion}\n`,
    );
  } catch (e) {
    progress.finish();
    if (e instanceof SqliteBackupError) throw new CliError(`backup: ${e.message}`, 1);
    throw new CliError(`backup: ${(e as Error).message}`, 1);
  }
}
