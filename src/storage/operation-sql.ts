/**
 * SQL shared by the operations and timelines repositories: the tenant's now, what "claimable"
 * means, and the statements of a claim round (the running phase of planned runs, the claim, and
 * the events both write in the same statement on PostgreSQL).
 */
import { NEVER } from '../operations/operation-plan.js';
import { LIMIT_PARAM, type Dialect } from './sql.js';

export const CLAIMABLE = `lease_token IS NULL AND status IN ('notStarted', 'running')`;

/**
 * What the UPDATE of a claim round re-checks on the rows its CTE picked. The CTE locked them in
 * the same statement (FOR UPDATE SKIP LOCKED re-checks its own conditions on the newest version;
 * SQLite has one writer), so only the lease is checked again. Restating the CTE's conditions
 * would be harmless but costly: they imply the partial index `operations_claimable`, and on a
 * table not yet analysed PostgreSQL then scanned that whole index (the whole backlog, ~20 ms per
 * claim at 3,000 queued) instead of probing the primary key for the picked ids.
 */
const LOCKED_ROWS_GUARD = `lease_token IS NULL`;

/**
 * Timestamps a client sees (created, last action, finished, events) are the tenant's time: the
 * real `now` parameter plus the tenant's clock offset, read in the same statement so every node
 * agrees (docs/controls.md). Leases and `available_at` keep real time.
 */
export const TENANT_NOW = `CAST(? AS BIGINT) + COALESCE((SELECT c.offset_ms FROM tenant_clocks c WHERE c.tenant_id = operations.tenant_id), 0)`;
export const TENANT_NOW_OF = `CAST(? AS BIGINT) + COALESCE((SELECT c.offset_ms FROM tenant_clocks c WHERE c.tenant_id = ?), 0)`;

/**
 * The timeline events of the operations a writable CTE (PostgreSQL) returned, in the same
 * statement: at the row's new `last_action_at` (the tenant's now, as `appendEvent` computes it).
 */
export function eventsOf(cte: string, type: string, detail: string, at = 'r.last_action_at'): string {
  return `INSERT INTO operation_events (operation_id, run, seq, at, type, attempt, detail)
    SELECT r.id, r.run, COALESCE((SELECT MAX(e.seq) FROM operation_events e WHERE e.operation_id = r.id AND e.run = r.run), 0) + 1,
      ${at}, ${type}, r.attempts, ${detail}
    FROM ${cte} r
    ON CONFLICT DO NOTHING`;
}

/**
 * Planned runs whose notStarted phase ended enter their running phase (docs/controls.md): the
 * CTE `due` picks them (parameters: now, limit) and `update` moves them (parameter: now).
 * `due` does not say `lease_token IS NULL` (a notStarted row has no lease: a CHECK says so):
 * with it, its conditions imply `operations_claimable` and the planner may walk the whole
 * backlog in that index instead of the few planned runs in `operations_timeline_due`.
 */
export function runningPhaseSql(dialect: Dialect): { due: string; update: string } {
  return {
    due: `due AS MATERIALIZED (
         SELECT id FROM operations WHERE status = 'notStarted' AND timeline_running_ms IS NOT NULL AND available_at <= ?
         ORDER BY available_at ${LIMIT_PARAM} ${dialect.claimLockClause})`,
    update: `UPDATE operations SET status = 'running', last_action_at = ${TENANT_NOW},
         available_at = CASE WHEN timeline_stuck = 1 THEN ${NEVER} ELSE available_at + timeline_running_ms END,
         timeline_running_ms = NULL
       WHERE ${dialect.idAmong('due')} AND ${LOCKED_ROWS_GUARD}
       RETURNING id, run, attempts, last_action_at`,
  };
}

/**
 * The claim: the CTE `candidates` picks up to `limit` claimable operations (parameters: now,
 * limit) and `update` leases them (parameters: token, owner, lease end, now).
 */
export function claimSql(dialect: Dialect): { candidates: string; update: string } {
  return {
    // MATERIALIZED: the candidate list is computed once. Inlined as `id IN (SELECT … LIMIT n
    // FOR UPDATE SKIP LOCKED)`, PostgreSQL may re-run the sub-select and claim more than n rows.
    candidates: `candidates AS MATERIALIZED (
         SELECT id FROM operations WHERE ${CLAIMABLE} AND available_at <= ? AND timeline_running_ms IS NULL
         ORDER BY available_at ${LIMIT_PARAM} ${dialect.claimLockClause})`,
    update: `UPDATE operations SET status = 'running', lease_token = ?, lease_owner = ?, lease_expires_at = ?,
         attempts = attempts + 1, last_action_at = ${TENANT_NOW}
       WHERE ${dialect.idAmong('candidates')} AND ${LOCKED_ROWS_GUARD}
       RETURNING *`,
  };
}
