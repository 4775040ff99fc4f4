import { randomUUID } from 'node:crypto';
import type { LeasedOperation, OperationRecord } from '../operations/model.js';
import { NEVER } from '../operations/operation-plan.js';
import { toRecord, type OperationRow } from './operation-rows.js';
import type { OperationsRepository } from './operations-repository.js';
import { claimSql, eventsOf, runningPhaseSql, TENANT_NOW } from './operation-sql.js';
import { LIMIT_PARAM, type Dialect, type SqlClient } from './sql.js';

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
    const { due, update } = runningPhaseSql(this.dialect);
    if (this.dialect.writableCte) {
      // One statement, atomic on its own: the phase change and its `running` events.
      const rows = await this.sql.query(
        `WITH ${due}, moved AS (${update}), events AS (${eventsOf('moved', `'running'`, `''`)}) SELECT id FROM moved`,
        [now, limit, now],
      );
      return rows.length;
    }
    const rows = await this.sql.query<{ id: string; run: number; attempts: number }>(`WITH ${due} ${update}`, [now, limit, now]);
    for (const r of rows) await this.operations.appendEvent(r.id, Number(r.run), now, 'running', Number(r.attempts), '');
    return rows.length;
  }

  /**
   * One executor round (PostgreSQL: one statement, atomic on its own): planned runs that are due
   * enter their running phase (up to `phaseLimit`, with their `running` events) and up to
   * `limit` operations are claimed (with their `claimed` events). Elsewhere it is
   * enterRunningPhase then operations.claim, each skipped at a limit of 0: run it in a transaction.
   */
  async claimRound(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    phaseLimit: number,
  ): Promise<{ moved: number; claimed: LeasedOperation[] }> {
    if (!this.dialect.writableCte) {
      const moved = phaseLimit > 0 ? await this.enterRunningPhase(now, phaseLimit) : 0;
      return { moved, claimed: limit > 0 ? await this.operations.claim(owner, now, leaseMs, limit) : [] };
    }
    const phase = runningPhaseSql(this.dialect);
    const claim = claimSql(this.dialect);
    const rows = await this.sql.query<OperationRow & { moved_count: number }>(
      `WITH ${phase.due}, moved AS (${phase.update}), moved_events AS (${eventsOf('moved', `'running'`, `''`)}),
         ${claim.candidates}, claimed AS (${claim.update}), claimed_events AS (${eventsOf('claimed', `'claimed'`, 'r.lease_owner')})
       SELECT c.*, m.moved_count FROM (SELECT COUNT(*) AS moved_count FROM moved) m LEFT JOIN claimed c ON true`,
      [now, phaseLimit, now, now, limit, randomUUID(), owner, now + leaseMs, now],
    );
    return {
      moved: Number(rows[0]?.moved_count ?? 0),
      claimed: rows.filter((r) => r.id !== null).map(toRecord) as LeasedOperation[],
    };
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
       WHERE d.due_at <= ? ORDER BY d.due_at ${LIMIT_PARAM}`,
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
  /**
   * The idle executor's three wake-up times in one read: the earliest deferred effect, planned
   * phase change (notStarted to running), and claimable operation.
   */
  async wakeTimes(): Promise<Record<'effectDueAt' | 'phaseChangeAt' | 'availableAt', number | undefined>> {
    const row = await this.sql.queryOne<{ e: number | null; p: number | null; a: number | null }>(
      `SELECT (SELECT MIN(due_at) FROM deferred_effects) AS e,
         (SELECT MIN(available_at) FROM operations WHERE timeline_running_ms IS NOT NULL AND status = 'notStarted') AS p,
         (SELECT MIN(available_at) FROM operations WHERE lease_token IS NULL AND status IN ('notStarted', 'running')) AS a`,
    );
    const at = (t: number | null | undefined) => (t === null || t === undefined ? undefined : Number(t));
    return { effectDueAt: at(row?.e), phaseChangeAt: at(row?.p), availableAt: at(row?.a) };
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
