/**
 * The storage port: the few primitives every backend provides. Repositories are written once
 * against it in portable SQL (`?` placeholders, integers for booleans and epoch-ms times, JSON
 * as text); the rare dialect differences are declared as data in `Dialect`.
 */
export type SqlValue = string | number | bigint | null;

export interface SqlClient {
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  queryOne<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; returns the number of rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** Tells other processes when an operation ends (LISTEN/NOTIFY); otherwise waiters re-check. */
  crossProcessWakeUp: boolean;
  /** Appended to the claim sub-select so concurrent claimers skip each other's rows. */
  claimLockClause: string;
  /**
   * `id` is one of the ids a MATERIALIZED CTE picked (for the UPDATE/DELETE after a claim
   * sub-select). PostgreSQL gets `= ANY(ARRAY(…))`, an index probe per id: with `IN (SELECT …)`
   * and a table not yet analysed, it planned a nested loop over every claimable row (42 ms, not
   * 0.3 ms, per claim of 16 from a backlog of 3,000).
   */
  idAmong(cte: string): string;
  /**
   * INSERT/UPDATE inside WITH (PostgreSQL): a write and its timeline events in one statement,
   * atomic without BEGIN/COMMIT round trips. Without it, the repository writes the events in a
   * second statement and the caller holds a transaction.
   */
  writableCte: boolean;
  /**
   * A statement taking a transaction-scoped lock on one text key (e.g. a tenant being replaced),
   * or undefined where transactions already exclude each other (SQLite's single writer).
   */
  keyLockStatement: string | undefined;
}

export interface SqlTransaction extends SqlClient {
  /** Runs a multi-statement script (a migration) with the driver's own parser, in this transaction. */
  script(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlClient {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Only `tx` may be used inside; the database itself waits until the transaction ends.
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` whenever another connection (any node) makes work available, where the
   * backend can tell (PostgreSQL LISTEN/NOTIFY). Returns a function that stops listening.
   * Backends without it leave this undefined; callers then poll.
   */
  onWorkAvailable?(listener: () => void): Promise<() => Promise<void>>;
  /**
   * Calls `listener` with the id of every operation that becomes terminal on any node, where the
   * backend can tell (PostgreSQL LISTEN/NOTIFY); `onReconnected` after a lost connection came
   * back (notifications meanwhile were lost). Returns a function that stops listening.
   */
  onOperationEnded?(listener: (operationId: string) => void, onReconnected: () => void): Promise<() => Promise<void>>;
  /**
   * True when a statement met an unavailable store (StorageUnavailableError) within the last
   * `ms`: a full disk can still take a one-page write while real work is refused, so readiness
   * looks at what actually failed, not only at a probe.
   */
  refusedWithin(ms: number): boolean;
  /**
   * A value that differs from every earlier one once anything may have been written to the
   * database (by this connection or any other), where the backend can tell without a round trip
   * (SQLite: its own writes and `PRAGMA data_version`). Undefined where it cannot: then a read
   * may not be served from memory (see DirectoryReads).
   */
  changeMark?(): string;
  close(): Promise<void>;
}

/** Thrown when the database cannot be reached or answered with a server-side fault. */
export class StorageUnavailableError extends Error {}

/** When the store last refused (see `SqlDatabase.refusedWithin`). */
export class RefusalClock {
  #lastAt = -Infinity;

  /** Notes `e` when it is a StorageUnavailableError; returns it unchanged. */
  note(e: unknown): unknown {
    if (e instanceof StorageUnavailableError) this.#lastAt = Date.now();
    return e;
  }

  within(ms: number): boolean {
    return Date.now() - this.#lastAt < ms;
  }
}

/**
 * `LIMIT` with a bound row count; write this, never `LIMIT ?`. SQLite's planner reads the value
 * of a bare `LIMIT ?` parameter, which marks the statement to be re-prepared every time that
 * parameter is bound: on every run. For the executor's claim (a CTE, an UPDATE, a trigger) that
 * was 6 % of the server's main-thread CPU under the password-reset bench; a small SELECT went from
 * 1.3 to 23.5 µs (bench/README.md, "prepared once"). The CAST hides the value from the planner;
 * PostgreSQL reads it as the same limit.
 */
export const LIMIT_PARAM = 'LIMIT CAST(? AS INTEGER)';

export const bool = (v: boolean): number => (v ? 1 : 0);
export const fromBool = (v: unknown): boolean => v === 1 || v === true || v === '1';
