import { randomUUID } from 'node:crypto';
import type { SqlClient } from './sql.js';

export interface AuditEvent {
  id: string;
  at: number;
  activity: string;
  targetId: string;
  operationId: string | null;
  initiatedBy: string;
}

/** Directory changes made by operations, written in the same transaction as the change. */
export class AuditRepository {
  constructor(private readonly sql: SqlClient) {}

  async record(tenantId: string, e: Omit<AuditEvent, 'id'>): Promise<void> {
    await this.sql.execute(
      `INSERT INTO audit_events (tenant_id, id, at, activity, target_id, operation_id, initiated_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [tenantId, randomUUID(), e.at, e.activity, e.targetId, e.operationId, e.initiatedBy],
    );
  }

  async forOperation(operationId: string): Promise<AuditEvent[]> {
    const rows = await this.sql.query<{
      id: string;
      at: number;
      activity: string;
      target_id: string;
      operation_id: string | null;
      initiated_by: string;
    }>(`SELECT id, at, activity, target_id, operation_id, initiated_by FROM audit_events WHERE operation_id = ? ORDER BY at, id`, [
      operationId,
    ]);
    return rows.map((r) => ({
      id: r.id,
      at: Number(r.at),
      activity: r.activity,
      targetId: r.target_id,
      operationId: r.operation_id,
      initiatedBy: r.initiated_by,
    }));
  }

  /** How many effects each operation applied (for crash and race tests, and operators). */
  async countByOperation(tenantId: string): Promise<Map<string, number>> {
    const rows = await this.sql.query<{ operation_id: string; n: number }>(
      `SELECT operation_id, COUNT(*) AS n FROM audit_events WHERE tenant_id = ? AND operation_id IS NOT NULL GROUP BY operation_id`,
      [tenantId],
    );
    return new Map(rows.map((r) => [r.operation_id, Number(r.n)]));
  }
}
