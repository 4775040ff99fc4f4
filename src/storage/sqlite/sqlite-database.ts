import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Dialect, SqlDatabase, SqlTransaction, SqlValue } from '../sql.js';
import { RefusalClock, StorageUnavailableError } from '../sql.js';

export const SQLITE_DIALECT: Dialect = Object.freeze({
  name: 'sqlite',
  crossProcessWakeUp: false,
  claimLockClause: '',
  idAmong: (cte: string) => `id IN (SELECT id FROM ${cte})`,
  writableCte: false,
  keyLockStatement: undefined,
});

type Statement = Database.Statement<unknown[], unknown>;

/**
 * Result codes (and their extended forms, e.g. SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED) that
 * say the file cannot take writes right now: a full disk, a read-only file or mount, an I/O
 * error, or another process holding the write lock past busy_timeout (SQLITE_BUSY: a transient
 * overload, not the client's fault). They become StorageUnavailableError (503 on the wire, the
 * executor retries later); nothing was written, the transaction rolled back.
 */
const UNAVAILABLE_CODES = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'];

function unavailable(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.some((c) => code === c || code.startsWith(`${c}_`))) {
    return new StorageUnavailableError(`the database cannot be written: ${(e as Error).message} (${code})`, { cause: e });
  }
  return e;
}

/**
 * better-sqlite3 behind the async storage port. The driver is synchronous, but a transaction's
 * callback awaits between statements; a mutex keeps other callers off the one connection until
 * it commits (the same idea as Kysely's ConnectionMutex). Outside transactions a call runs at once.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = SQLITE_DIALECT;
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Statement>();
  #inTransaction = false;
  #waiters: Array<() => void> = [];
  readonly #direct: SqlTransaction;
  readonly #refusals = new RefusalClock();
  /** Statements run on this connection that may have written (changeMark). */
  #writes = 0;
  readonly #dataVersion: Database.Statement<[], number>;
  /** PRAGMA data_version as read in this turn of the event loop (reset by setImmediate). */
  #dataVersionThisTurn: number | undefined;

  constructor(path: string) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      // The file holds password hashes and signing keys: owner-only. SQLite gives its -wal and
      // -shm files the database file's permissions; files of older installs are tightened too.
      if (existsSync(path)) chmodSync(path, 0o600);
      else closeSync(openSync(path, 'a', 0o600));
    }
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a killed process (not a power cut) and is much faster than FULL.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    // Ephemeral tables (a materialized CTE, an IN list, a sort) in memory, not in a temp file:
    // with the file default, the running-phase statement of a claim round spent ~0.9 ms per run
    // in system calls (bench/sqlite-temp-store.mjs, issue #16). The refresh-all of a 100k-user
    // tenant peaked at the same RSS either way (bench/README.md, round five).
    this.#db.pragma('temp_store = MEMORY');
    // Other processes (serve + worker on one file) wait for the write lock instead of failing.
    this.#db.pragma('busy_timeout = 5000');
    // Changes when another connection (another process on the file) commits.
    this.#dataVersion = this.#db.prepare<[], number>('PRAGMA data_version').pluck();
    this.#direct = {
      query: async <T>(sql: string, params?: readonly SqlValue[]) => this.#all(sql, params) as T[],
      queryOne: async <T>(sql: string, params?: readonly SqlValue[]) => this.#all(sql, params)[0] as T | undefined,
      execute: async (sql, params) => this.#run(sql, params),
      script: async (sql) => {
        this.#writes++;
        this.#guarded(() => this.#db.exec(sql));
      },
    };
  }

  // Reads outside a transaction run at once and hand back a settled promise: no extra hop.
  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const turn = this.#turn();
    if (turn) return turn.then(() => this.#all(sql, params) as T[]);
    return settled(() => this.#all(sql, params) as T[]);
  }

  queryOne<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    const turn = this.#turn();
    if (turn) return turn.then(() => this.#all(sql, params)[0] as T | undefined);
    return settled(() => this.#all(sql, params)[0] as T | undefined);
  }

  async execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    await this.#turn();
    return this.#run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      // IMMEDIATE takes the write lock up front: two writers never both read-then-upgrade.
      this.#guarded(() => this.#db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await fn(this.#direct);
        this.#guarded(() => this.#db.exec('COMMIT'));
        return result;
      } catch (e) {
        // A COMMIT that failed (SQLITE_FULL) leaves the transaction open: roll it back. A
        // rollback that fails too must not hide the first error; SQLite then rolls back itself.
        if (this.#db.inTransaction) {
          try {
            this.#db.exec('ROLLBACK');
          } catch {
            // the original error says more
          }
        }
        throw e;
      }
    } finally {
      this.#release();
    }
  }

  refusedWithin(ms: number): boolean {
    return this.#refusals.within(ms);
  }

  changeMark(): string {
    // Read once per event-loop turn: the requests of one turn share it (a commit elsewhere during
    // the turn is seen by the next one), instead of a pragma per look-up.
    if (this.#dataVersionThisTurn === undefined) {
      this.#dataVersionThisTurn = this.#dataVersion.get();
      setImmediate(() => (this.#dataVersionThisTurn = undefined));
    }
    return `${this.#writes}.${this.#dataVersionThisTurn}`;
  }

  async close(): Promise<void> {
    await this.#turn();
    this.#db.close();
  }

  /** Runs `fn`; a full disk, read-only file or I/O error becomes StorageUnavailableError. */
  #guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.#refusals.note(unavailable(e));
    }
  }

  #all(sql: string, params: readonly SqlValue[] = []): unknown[] {
    return this.#guarded(() => {
      const stmt = this.#prepare(sql);
      if (!stmt.readonly) this.#writes++;
      if (stmt.reader) return stmt.all(...params);
      stmt.run(...params);
      return [];
    });
  }

  #run(sql: string, params: readonly SqlValue[] = []): number {
    return this.#guarded(() => {
      const stmt = this.#prepare(sql);
      if (!stmt.readonly) this.#writes++;
      if (stmt.reader) return stmt.all(...params).length;
      return stmt.run(...params).changes;
    });
  }

  #prepare(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Resolves when no transaction holds the connection (at once in the common case). */
  #turn(): Promise<void> | void {
    if (!this.#inTransaction) return;
    return new Promise<void>((resolve) => this.#waiters.push(resolve)).then(() => this.#turn());
  }

  async #acquire(): Promise<void> {
    while (this.#inTransaction) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#inTransaction = true;
  }

  #release(): void {
    this.#inTransaction = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

/** `fn()`'s value (or throw) as a settled promise. */
function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}
