import type { SqlClient } from './sql.js';

/** The database schema's own facts, for readiness checks. */
export class SchemaRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The highest migration applied (0 on an empty database). */
  async version(): Promise<number> {
    const row = await this.sql.queryOne<{ v: number }>(`SELECT MAX(version) AS v FROM schema_migrations`);
    return Number(row?.v ?? 0);
  }
}
