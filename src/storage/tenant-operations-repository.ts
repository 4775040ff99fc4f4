import type { OperationStatus } from '../operations/model.js';
import { SUMMARY_COLUMNS as COLUMNS, toSummary, type OperationSummary, type SummaryRow } from './operation-rows.js';
import { LIMIT_PARAM, type SqlClient, type SqlValue } from './sql.js';

export type { OperationSummary };

export interface TenantOperationFilter {
  tenantId: string;
  /** The kinds the caller may see; at least one. */
  kinds: readonly string[];
  status?: OperationStatus | undefined;
}

function where(f: TenantOperationFilter): { sql: string; params: SqlValue[] } {
  if (f.kinds.length === 0) throw new Error('at least one kind is required');
  const params: SqlValue[] = [f.tenantId, ...f.kinds];
  let sql = `tenant_id = ? AND kind IN (${f.kinds.map(() => '?').join(', ')})`;
  if (f.status) {
    sql += ` AND status = ?`;
    params.push(f.status);
  }
  return { sql, params };
}

/**
 * Tenant-wide reads of operations, for the operator console (`src/console/`): every operation
 * of a tenant across targets, newest first, paged; what changed since a time (the console's
 * server-sent events poll this); and per-minute figures for its chart. Portable SQL (`?`
 * placeholders, integer arithmetic on epoch milliseconds) for SQLite and PostgreSQL. Reads only;
 * never selects `input` or `result`.
 */
export class TenantOperationsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** Newest first (created, then id), `top` rows after skipping `skip`; uses `operations_by_tenant`. */
  async list(f: TenantOperationFilter, top: number, skip: number): Promise<OperationSummary[]> {
    const w = where(f);
    const rows = await this.sql.query<SummaryRow>(
      `SELECT ${COLUMNS} FROM operations WHERE ${w.sql} ORDER BY created_at DESC, id DESC ${LIMIT_PARAM} OFFSET ?`,
      [...w.params, top, skip],
    );
    return rows.map(toSummary);
  }

  async count(f: TenantOperationFilter): Promise<number> {
    const w = where(f);
    const row = await this.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE ${w.sql}`, w.params);
    return Number(row?.n ?? 0);
  }

  /** Rows whose last action is at or after `since`, oldest change first, at most `limit`. */
  async changedSince(f: TenantOperationFilter, since: number, limit: number): Promise<OperationSummary[]> {
    const w = where(f);
    const rows = await this.sql.query<SummaryRow>(
      `SELECT ${COLUMNS} FROM operations WHERE ${w.sql} AND last_action_at >= ? ORDER BY last_action_at, id ${LIMIT_PARAM}`,
      [...w.params, since, limit],
    );
    return rows.map(toSummary);
  }

  /** Operations created since `from`, counted per creation minute (epoch minute) and current status. */
  async perMinute(f: TenantOperationFilter, from: number): Promise<Array<{ minute: number; status: OperationStatus; n: number }>> {
    const w = where(f);
    const rows = await this.sql.query<{ minute: number; status: OperationStatus; n: number }>(
      `SELECT created_at / 60000 AS minute, status, COUNT(*) AS n FROM operations
       WHERE ${w.sql} AND created_at >= ? GROUP BY created_at / 60000, status`,
      [...w.params, from],
    );
    return rows.map((r) => ({ minute: Number(r.minute), status: r.status, n: Number(r.n) }));
  }

  /** Finished operations since `from`: when each finished and how long it took from creation. Most recent `limit`. */
  async durations(f: TenantOperationFilter, from: number, limit: number): Promise<Array<{ finishedAt: number; ms: number }>> {
    const w = where(f);
    const rows = await this.sql.query<{ finished_at: number; created_at: number }>(
      `SELECT finished_at, created_at FROM operations
       WHERE ${w.sql} AND finished_at IS NOT NULL AND finished_at >= ? ORDER BY finished_at DESC ${LIMIT_PARAM}`,
      [...w.params, from, limit],
    );
    return rows.map((r) => ({ finishedAt: Number(r.finished_at), ms: Number(r.finished_at) - Number(r.created_at) }));
  }
}
