import type { SqlClient } from './sql.js';

/** The database schema's own facts, for readiness checks. */
export class SchemaRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The highest migration applied (0 on an empty database). */
  async version(): Promise<number> {
    const row = await this.sql.queryOne<{ v: number }>(`SELECT MAX(version) AS v FROM schema_migrations`);
    return Number(row?.v ?? 0);
  }

  /**
   * Commits one real write (rewrites the newest migration row unchanged), so readiness fails
   * while the store refuses writes: a full disk, a read-only file or database, a standby.
   */
  async probeWrite(): Promise<void> {
    await this.sql.execute(
      `UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)`,
    );
  }
}
