import pg from 'pg';
import type { Dialect, SqlDatabase, SqlTransaction, SqlValue } from '../sql.js';
import { RefusalClock, StorageUnavailableError } from '../sql.js';
import { isStalePlan, PreparedStatements } from './prepared-statements.js';
import { DONE_CHANNEL, listenForWork, listenOn } from './work-listener.js';

export const POSTGRES_DIALECT: Dialect = Object.freeze({
  name: 'postgres',
  crossProcessWakeUp: true,
  // Concurrent claimers skip rows another transaction is claiming instead of waiting on them.
  claimLockClause: 'FOR UPDATE SKIP LOCKED',
  idAmong: (cte: string) => `id = ANY(ARRAY(SELECT id FROM ${cte}))`,
  writableCte: true,
  keyLockStatement: 'SELECT pg_advisory_xact_lock(hashtext(?))',
});

// COUNT(*) and BIGINT columns (epoch-ms times) come back as numbers, not strings: every value
// stored here fits in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** SQLSTATEs worth retrying the whole transaction for: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
/** SQLSTATE classes that mean the server cannot be used right now. */
const UNAVAILABLE_CLASSES = ['08', '53', '57'];
/**
 * Codes that mean the server cannot be used right now: connection-level errors, and 25006
 * (read_only_sql_transaction: a read-only database or a standby after a failover). Class 53
 * covers 53100 disk_full.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '25006']);

export interface PostgresOptions {
  connectionString: string;
  /** Schema to use (tests isolate themselves in one). */
  schema?: string;
  maxConnections?: number;
}

/** `pg` with a pool behind the storage port. */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = POSTGRES_DIALECT;
  readonly pool: pg.Pool;
  readonly #statements = new PreparedStatements();
  readonly #refusals = new RefusalClock();

  constructor(readonly options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
  }

  query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#onPool(sql, params).then((r) => r.rows as T[]);
  }

  async queryOne<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  async execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return (await this.#onPool(sql, params)).rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect().catch((e: unknown) => {
        throw this.#refusals.note(unavailable(e));
      });
      const tx: SqlTransaction = {
        query: async <R>(sql: string, params?: readonly SqlValue[]) => (await this.#run(client, sql, params)).rows as R[],
        queryOne: async <R>(sql: string, params?: readonly SqlValue[]) => (await this.#run(client, sql, params)).rows[0] as R | undefined,
        execute: async (sql, params) => (await this.#run(client, sql, params)).rowCount ?? 0,
        // No parameters: the simple query protocol, which runs several statements in one call.
        script: async (sql) => void (await client.query(sql).catch((e: unknown) => Promise.reject(this.#refusals.note(unavailable(e))))),
      };
      let broken = false;
      // A checked-out client has no pool error handler: without this, a server that ends the
      // connection between two statements (a restart) raises an unhandled 'error' and kills us.
      const onError = () => (broken = true);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (raw) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        const code = (raw as { code?: string }).code;
        if (isStalePlan(raw) && attempt < 5) {
          broken = true; // the connection keeps refusing that statement: run again on a fresh one
          continue;
        }
        if (code && RETRYABLE.has(code) && attempt < 5) {
          await new Promise((r) => setTimeout(r, 10 * 2 ** attempt * (0.5 + Math.random())));
          continue;
        }
        // BEGIN and COMMIT (a full disk refuses the commit record) are mapped here too.
        const e = this.#refusals.note(unavailable(raw));
        // A session that met a read-only database keeps its read-only default: replace it.
        if (e instanceof StorageUnavailableError) broken = true;
        throw e;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    }
  }

  onWorkAvailable(listener: () => void): Promise<() => Promise<void>> {
    return listenForWork(this.options, listener);
  }

  onOperationEnded(listener: (operationId: string) => void, onReconnected: () => void): Promise<() => Promise<void>> {
    return listenOn(this.options, DONE_CHANNEL, listener, onReconnected);
  }

  refusedWithin(ms: number): boolean {
    return this.#refusals.within(ms);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * One statement on a pooled connection. A connection that met an unavailable server is
   * discarded rather than reused: after a failover or `default_transaction_read_only` is lifted,
   * only new sessions see the writable database.
   */
  async #onPool(sql: string, params?: readonly SqlValue[], retried = false): Promise<pg.QueryResult> {
    const client = await this.pool.connect().catch((e: unknown) => {
      throw this.#refusals.note(unavailable(e));
    });
    let broken = false;
    const onError = () => (broken = true);
    client.on('error', onError);
    try {
      return await this.#run(client, sql, params);
    } catch (e) {
      if (e instanceof StorageUnavailableError) broken = true;
      if (!isStalePlan(e) || retried) throw e;
      broken = true; // the connection keeps refusing that statement: run it once more on a fresh one
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
    return this.#onPool(sql, params, true);
  }

  async #run(on: pg.PoolClient, sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult> {
    const { text, name } = this.#statements.statement(sql);
    try {
      return await (name === undefined ? on.query(text, params as unknown[]) : on.query({ name, text, values: params as unknown[] }));
    } catch (e) {
      throw this.#refusals.note(unavailable(e));
    }
  }
}

/** Connection-level failures become StorageUnavailableError (503 on the wire); others pass through. */
function unavailable(e: unknown): unknown {
  const code = (e as { code?: string }).code ?? '';
  const message = (e as Error).message ?? '';
  if (
    UNAVAILABLE_CODES.has(code) ||
    UNAVAILABLE_CLASSES.some((c) => code.startsWith(c)) ||
    /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/i.test(message)
  ) {
    return new StorageUnavailableError(`the database is unavailable: ${message}`, { cause: e });
  }
  return e;
}
