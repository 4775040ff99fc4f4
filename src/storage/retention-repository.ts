import { LIMIT_PARAM, type Dialect, type SqlClient } from './sql.js';

const TERMINAL = `status IN ('succeeded', 'failed')`;
/**
 * An operation whose effect is still to apply (a lagged success, docs/controls.md) is kept until
 * it has applied: removing it would lose the effect, and leave a `deferred_effects` row no
 * executor can take (it joins the operation), due forever.
 */
const NO_PENDING_EFFECT = `NOT EXISTS (SELECT 1 FROM deferred_effects d WHERE d.operation_id = operations.id)`;

/**
 * Removal of what retention lets go (docs/retention.md): ended operations with their timeline,
 * and expired idempotency keys. Every call removes at most `limit` rows, so each transaction is
 * short. On PostgreSQL the candidates are locked with SKIP LOCKED: nodes sweeping together take
 * disjoint rows and never wait for each other; the outer WHERE repeats the condition so a row
 * that changed meanwhile (an alert refreshed again) stays.
 */
export class RetentionRepository {
  constructor(
    private readonly sql: SqlClient,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Removes up to `limit` ended operations whose last action is before `cutoff` (of one tenant,
   * or of every tenant), and their events. Returns the ids removed. Run it in a transaction.
   */
  async removeEndedOperations(cutoff: number, limit: number, tenantId?: string): Promise<string[]> {
    const tenant = tenantId === undefined ? '' : ' AND tenant_id = ?';
    const params = tenantId === undefined ? [] : [tenantId];
    const rows = await this.sql.query<{ id: string }>(
      `WITH doomed AS MATERIALIZED (
         SELECT id FROM operations WHERE ${TERMINAL} AND last_action_at < ?${tenant} AND ${NO_PENDING_EFFECT}
         ORDER BY last_action_at ${LIMIT_PARAM} ${this.dialect.claimLockClause})
       DELETE FROM operations WHERE ${this.dialect.idAmong('doomed')} AND ${TERMINAL} AND last_action_at < ? AND ${NO_PENDING_EFFECT}
       RETURNING id`,
      [cutoff, ...params, limit, cutoff],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      await this.sql.execute(`DELETE FROM operation_events WHERE operation_id IN (${ids.map(() => '?').join(', ')})`, ids);
    }
    return ids;
  }

  /** Removes up to `limit` idempotency keys expired at `now` (of one tenant, or of every tenant); returns how many. */
  async removeExpiredKeys(now: number, limit: number, tenantId?: string): Promise<number> {
    const tenant = tenantId === undefined ? '' : ' AND tenant_id = ?';
    const params = tenantId === undefined ? [] : [tenantId];
    const rows = await this.sql.query<{ key: string }>(
      `WITH doomed AS MATERIALIZED (
         SELECT tenant_id, scope, key FROM idempotency_keys WHERE expires_at <= ?${tenant}
         ${LIMIT_PARAM} ${this.dialect.claimLockClause})
       DELETE FROM idempotency_keys WHERE (tenant_id, scope, key) IN (SELECT tenant_id, scope, key FROM doomed) AND expires_at <= ?
       RETURNING key`,
      [now, ...params, limit, now],
    );
    return rows.length;
  }
}
