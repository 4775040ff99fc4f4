import type { SqlClient } from './sql.js';

/** Each tenant's clock offset (tenant time = real time + offset), shared by every node. */
export class TenantClocksRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The tenant's offset in milliseconds; 0 when its clock was never moved. */
  async offsetMs(tenantId: string): Promise<number> {
    const row = await this.sql.queryOne<{ offset_ms: number }>(`SELECT offset_ms FROM tenant_clocks WHERE tenant_id = ?`, [tenantId]);
    return row ? Number(row.offset_ms) : 0;
  }

  /** Every tenant's non-zero offset (for work that spans tenants, e.g. retention). */
  async allOffsets(): Promise<Map<string, number>> {
    const rows = await this.sql.query<{ tenant_id: string; offset_ms: number }>(
      `SELECT tenant_id, offset_ms FROM tenant_clocks WHERE offset_ms > 0`,
    );
    return new Map(rows.map((r) => [r.tenant_id, Number(r.offset_ms)]));
  }

  /** Moves the tenant's clock forward by `byMs` (> 0) atomically; returns the new offset. */
  async advance(tenantId: string, byMs: number, now: number): Promise<number> {
    const row = await this.sql.queryOne<{ offset_ms: number }>(
      `INSERT INTO tenant_clocks (tenant_id, offset_ms, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (tenant_id) DO UPDATE SET offset_ms = tenant_clocks.offset_ms + excluded.offset_ms, updated_at = excluded.updated_at
       RETURNING offset_ms`,
      [tenantId, byMs, now],
    );
    return Number(row!.offset_ms);
  }
}
