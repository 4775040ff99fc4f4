import { NEVER } from '../operations/operation-plan.js';
import type { OperationRecord } from '../operations/model.js';
import { toRecord, type OperationRow } from './operation-rows.js';
import { eventsOf, TENANT_NOW, type OperationsRepository } from './operations-repository.js';
import type { Dialect, SqlClient } from './sql.js';

/** What `release` found: the operation went on, its deferred effect is due now, or nothing was waiting. */
export type ReleaseResult = 'released' | 'effectDueNow' | 'notWaiting';

/**
 * The SQL of planned runs (docs/controls.md): the lease-free phase changes, deferred effects,
 * release and fail from the control API, and clock advances. Each statement is guarded so a
 * stale caller changes nothing. Writing `lease_token = NULL` where it already is NULL is on
 * purpose: on PostgreSQL it fires the trigger that wakes idle executors on every node.
 */
export class OperationTimelinesRepository {
  constructor(
    private readonly sql: SqlClient,
    private readonly dialect: Dialect,
    private readonly operations: OperationsRepository,
  ) {}

  /**
   * Moves planned runs whose notStarted phase ended into their running phase, without a lease:
   * `available_at` becomes the planned end of that phase (never, for a stuck outcome). Returns
   * how many moved.
   */
  async enterRunningPhase(now: number, limit: number): Promise<number> {
    const due = `due AS MATERIALIZED (
         SELECT id FROM operations WHERE status = 'notStarted' AND lease_token IS NULL AND timeline_running_ms IS NOT NULL AND available_at <= ?
         ORDER BY available_at LIMIT ? ${this.dialect.claimLockClause})`;
    const update = `UPDATE operations SET status = 'running', last_action_at = ${TENANT_NOW},
         available_at = CASE WHEN timeline_stuck = 1 THEN ${NEVER} ELSE available_at + timeline_running_ms END,
         timeline_running_ms = NULL
       WHERE ${this.dialect.idAmong('due')} AND status = 'notStarted' AND lease_token IS NULL AND timeline_running_ms IS NOT NULL
       RETURNING id, run, attempts, last_action_at`;
    if (this.dialect.writableCte) {
      // One statement, atomic on its own: the phase change and its `running` events.
      const rows = await this.sql.query(`WITH ${due}, moved AS (${update}), events AS (${eventsOf('moved', `'running'`, `''`)}) SELECT id FROM moved`, [
        now,
        limit,
        now,
      ]);
      return rows.length;
    }
    const rows = await this.sql.query<{ id: string; run: number; attempts: number }>(`WITH ${due} ${update}`, [now, limit, now]);
    for (const r of rows) await this.operations.appendEvent(r.id, Number(r.run), now, 'running', Number(r.attempts), '');
    return rows.length;
  }

  /** Defers the effect of a run that just succeeded (same transaction) until `dueAt`. */
  async deferEffect(op: { id: string; run: number; tenantId: string }, dueAt: number): Promise<void> {
    await this.sql.execute(`INSERT INTO deferred_effects (operation_id, run, tenant_id, due_at) VALUES (?, ?, ?, ?)`, [
      op.id,
      op.run,
      op.tenantId,
      dueAt,
    ]);
  }

  /** Deferred effects that are due: the operation (its stored input) and the run they belong to. */
  async dueEffects(now: number, limit: number): Promise<Array<{ operation: OperationRecord; run: number }>> {
    const rows = await this.sql.query<OperationRow & { effect_run: number }>(
      `SELECT o.*, d.run AS effect_run FROM deferred_effects d JOIN operations o ON o.id = d.operation_id
       WHERE d.due_at <= ? ORDER BY d.due_at LIMIT ?`,
      [now, limit],
    );
    return rows.map((r) => ({ operation: toRecord(r), run: Number(r.effect_run) }));
  }

  /** Takes a due effect for applying in this transaction: true for exactly one caller across nodes. */
  async takeDueEffect(id: string, run: number, now: number, detail: string, applied: boolean): Promise<boolean> {
    const n = await this.sql.execute(`DELETE FROM deferred_effects WHERE operation_id = ? AND run = ?`, [id, run]);
    if (n === 1) await this.operations.appendEvent(id, run, now, applied ? 'effectApplied' : 'effectDropped', 0, detail);
    return n === 1;
  }

  /** The earliest deferred effect, for the idle executor's next wake-up. */
  async nextEffectDueAt(): Promise<number | undefined> {
    const row = await this.sql.queryOne<{ t: number | null }>(`SELECT MIN(due_at) AS t FROM deferred_effects`);
    return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
  }

  /** When the deferred effect of an operation's latest run is due (real time); undefined: none pending. */
  async effectDueAt(id: string): Promise<number | undefined> {
    const row = await this.sql.queryOne<{ t: number | null }>(`SELECT MAX(due_at) AS t FROM deferred_effects WHERE operation_id = ?`, [id]);
    return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
  }

  /** When the next planned run leaves its notStarted phase (what an executor with no free slot still does). */
  async nextPhaseChangeAt(): Promise<number | undefined> {
    const row = await this.sql.queryOne<{ t: number | null }>(
      `SELECT MIN(available_at) AS t FROM operations WHERE timeline_running_ms IS NOT NULL AND status = 'notStarted'`,
    );
    return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
  }

  /**
   * A waiting planned run (not leased: in its notStarted or running phase, or stuck) goes on now:
   * the rest of its timeline is skipped and its outcome comes next. A succeeded run whose effect
   * is deferred gets it now.
   */
  async release(tenantId: string, id: string, now: number): Promise<ReleaseResult> {
    const rows = await this.sql.query<{ run: number; attempts: number }>(
      `UPDATE operations SET available_at = ?, timeline_running_ms = NULL, lease_token = NULL
       WHERE tenant_id = ? AND id = ? AND control_plan IS NOT NULL AND lease_token IS NULL AND status IN ('notStarted', 'running')
       RETURNING run, attempts`,
      [now, tenantId, id],
    );
    if (rows[0]) {
      await this.operations.appendEvent(id, Number(rows[0].run), now, 'released', Number(rows[0].attempts), '');
      return 'released';
    }
    const n = await this.sql.execute(`UPDATE deferred_effects SET due_at = ? WHERE tenant_id = ? AND operation_id = ?`, [
      now,
      tenantId,
      id,
    ]);
    return n > 0 ? 'effectDueNow' : 'notWaiting';
  }

  /**
   * Fails a non-terminal run now, whoever holds it: a lease holder's result is then refused by
   * the finish guard, so no effect applies. Returns false when the run had already ended.
   */
  async failNow(tenantId: string, id: string, code: string, detail: string, now: number): Promise<boolean> {
    const rows = await this.sql.query<{ run: number; attempts: number }>(
      `UPDATE operations SET status = 'failed', status_detail = ?, error_code = ?, finished_at = ${TENANT_NOW}, last_action_at = ${TENANT_NOW},
         lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, timeline_running_ms = NULL
       WHERE tenant_id = ? AND id = ? AND status IN ('notStarted', 'running') RETURNING run, attempts`,
      [detail, code, now, now, tenantId, id],
    );
    if (!rows[0]) return false;
    await this.operations.appendEvent(id, Number(rows[0].run), now, 'failed', Number(rows[0].attempts), detail);
    return true;
  }

  /**
   * The tenant's clock moved forward by `byMs`: its waiting planned runs and deferred effects
   * come that much sooner, so an advance that covers a timeline completes it at once.
   */
  async shiftForAdvance(tenantId: string, byMs: number, now: number): Promise<number> {
    const moved = await this.sql.execute(
      `UPDATE operations SET available_at = available_at - ?, lease_token = NULL
       WHERE tenant_id = ? AND control_plan IS NOT NULL AND lease_token IS NULL AND status IN ('notStarted', 'running')
         AND available_at > ? AND available_at < ${NEVER}`,
      [byMs, tenantId, now],
    );
    const effects = await this.sql.execute(`UPDATE deferred_effects SET due_at = due_at - ? WHERE tenant_id = ? AND due_at > ?`, [
      byMs,
      tenantId,
      now,
    ]);
    return moved + effects;
  }
}
