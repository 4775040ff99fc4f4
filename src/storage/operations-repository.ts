import { randomUUID } from 'node:crypto';
import type { LeasedOperation, NewOperation, OperationEvent, OperationRecord, OperationStatus } from '../operations/model.js';
import { runningPhaseMs, type OperationControl } from '../operations/operation-plan.js';
import { SUMMARY_COLUMNS, toRecord, toSummary, type OperationRow, type ShownOperation, type SummaryRow } from './operation-rows.js';
import type { Dialect, SqlClient, SqlValue } from './sql.js';

export interface OperationListQuery {
  tenantId: string;
  kind: string;
  targetId: string;
  status?: OperationStatus;
  top: number;
  skip: number;
}

export interface TerminalOutcome {
  status: 'succeeded' | 'failed';
  statusDetail: string;
  resourceLocation?: string;
  result?: unknown;
  errorCode?: string | null;
}

const CLAIMABLE = `lease_token IS NULL AND status IN ('notStarted', 'running')`;

/**
 * Timestamps a client sees (created, last action, finished, events) are the tenant's time: the
 * real `now` parameter plus the tenant's clock offset, read in the same statement so every node
 * agrees (docs/controls.md). Leases and `available_at` keep real time.
 */
export const TENANT_NOW = `CAST(? AS BIGINT) + COALESCE((SELECT c.offset_ms FROM tenant_clocks c WHERE c.tenant_id = operations.tenant_id), 0)`;
const TENANT_NOW_OF = `CAST(? AS BIGINT) + COALESCE((SELECT c.offset_ms FROM tenant_clocks c WHERE c.tenant_id = ?), 0)`;

/** The plan columns of a run: rule id, plan JSON, pending running phase, stuck flag. */
function planColumns(control: OperationControl | undefined): SqlValue[] {
  if (!control) return [null, null, null, 0];
  return [control.ruleId, JSON.stringify(control.plan), runningPhaseMs(control.plan), control.plan.outcome.status === 'stuck' ? 1 : 0];
}

/** Every SQL statement about operations, each guarded so a stale caller changes nothing. */
export class OperationsRepository {
  constructor(
    private readonly sql: SqlClient,
    private readonly dialect: Dialect,
  ) {}

  async insert(op: NewOperation, now: number): Promise<OperationRecord> {
    const rows = await this.sql.query<OperationRow>(
      `INSERT INTO operations (id, tenant_id, kind, target_id, status, created_at, last_action_at, max_attempts, available_at, input,
         control_rule_id, control_plan, timeline_running_ms, timeline_stuck)
       VALUES (?, ?, ?, ?, 'notStarted', ${TENANT_NOW_OF}, ${TENANT_NOW_OF}, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        op.id,
        op.tenantId,
        op.kind,
        op.targetId,
        now,
        op.tenantId,
        now,
        op.tenantId,
        op.maxAttempts,
        (op.availableAt ?? now) + (op.control?.plan.notStartedMs ?? 0),
        JSON.stringify(op.input),
        ...planColumns(op.control),
      ],
    );
    await this.appendEvent(op.id, 1, now, 'queued', 0, '');
    return toRecord(rows[0]!);
  }

  /**
   * Starts a new run of an id whose previous run has ended (an alert refreshed again).
   * Returns undefined when the previous run is still in flight: the caller joins it instead.
   */
  async restart(
    id: string,
    input: unknown,
    maxAttempts: number,
    now: number,
    control?: OperationControl,
  ): Promise<OperationRecord | undefined> {
    const rows = await this.sql.query<OperationRow>(
      `UPDATE operations SET run = run + 1, status = 'notStarted', status_detail = '', resource_location = '',
         created_at = ${TENANT_NOW}, last_action_at = ${TENANT_NOW}, attempts = 0, max_attempts = ?, available_at = ?, input = ?,
         result = NULL, error_code = NULL, finished_at = NULL,
         control_rule_id = ?, control_plan = ?, timeline_running_ms = ?, timeline_stuck = ?
       WHERE id = ? AND status IN ('succeeded', 'failed') RETURNING *`,
      [now, now, maxAttempts, now + (control?.plan.notStartedMs ?? 0), JSON.stringify(input), ...planColumns(control), id],
    );
    const row = rows[0];
    if (!row) return undefined;
    await this.appendEvent(id, Number(row.run), now, 'queued', 0, '');
    return toRecord(row);
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    const row = await this.sql.queryOne<OperationRow>(`SELECT * FROM operations WHERE id = ?`, [id]);
    return row && toRecord(row);
  }

  /** Only what a GET shows (no input, result, lease or plan): the polling path's read. */
  async getShown(id: string): Promise<ShownOperation | undefined> {
    const row = await this.sql.queryOne<SummaryRow & { tenant_id: string }>(
      `SELECT tenant_id, ${SUMMARY_COLUMNS} FROM operations WHERE id = ?`,
      [id],
    );
    return row && { ...toSummary(row), tenantId: row.tenant_id };
  }

  async list(q: OperationListQuery): Promise<OperationRecord[]> {
    const params: SqlValue[] = [q.tenantId, q.kind, q.targetId];
    let where = `tenant_id = ? AND kind = ? AND target_id = ?`;
    if (q.status) {
      where += ` AND status = ?`;
      params.push(q.status);
    }
    params.push(q.top, q.skip);
    const rows = await this.sql.query<OperationRow>(
      `SELECT * FROM operations WHERE ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
      params,
    );
    return rows.map(toRecord);
  }

  async count(q: Omit<OperationListQuery, 'top' | 'skip'>): Promise<number> {
    const params: SqlValue[] = [q.tenantId, q.kind, q.targetId];
    let where = `tenant_id = ? AND kind = ? AND target_id = ?`;
    if (q.status) {
      where += ` AND status = ?`;
      params.push(q.status);
    }
    const row = await this.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE ${where}`, params);
    return Number(row?.n ?? 0);
  }

  /** Claims up to `limit` available operations with fresh leases. One statement: only one claimer wins a row. */
  async claim(owner: string, now: number, leaseMs: number, limit: number): Promise<LeasedOperation[]> {
    const token = randomUUID();
    // MATERIALIZED: the candidate list is computed once. Inlined as `id IN (SELECT … LIMIT n
    // FOR UPDATE SKIP LOCKED)`, PostgreSQL may re-run the sub-select and claim more than n rows.
    const rows = await this.sql.query<OperationRow>(
      `WITH candidates AS MATERIALIZED (
         SELECT id FROM operations WHERE ${CLAIMABLE} AND available_at <= ? AND timeline_running_ms IS NULL
         ORDER BY available_at LIMIT ? ${this.dialect.claimLockClause})
       UPDATE operations SET status = 'running', lease_token = ?, lease_owner = ?, lease_expires_at = ?,
         attempts = attempts + 1, last_action_at = ${TENANT_NOW}
       WHERE id IN (SELECT id FROM candidates) AND ${CLAIMABLE} AND timeline_running_ms IS NULL
       RETURNING *`,
      [now, limit, token, owner, now + leaseMs, now],
    );
    const claimed = rows.map(toRecord) as LeasedOperation[];
    for (const op of claimed) await this.appendEvent(op.id, op.run, now, 'claimed', op.attempts, owner);
    return claimed;
  }

  /** Extends a lease still held; false when it was lost (taken over or ended). */
  async renew(id: string, token: string, now: number, leaseMs: number): Promise<boolean> {
    const n = await this.sql.execute(`UPDATE operations SET lease_expires_at = ? WHERE id = ? AND lease_token = ? AND status = 'running'`, [
      now + leaseMs,
      id,
      token,
    ]);
    return n === 1;
  }

  /** Writes the terminal status if the lease is still held. Call inside the effect's transaction. */
  async finish(id: string, token: string, outcome: TerminalOutcome, now: number): Promise<boolean> {
    const rows = await this.sql.query<{ run: number; attempts: number }>(
      `UPDATE operations SET status = ?, status_detail = ?, resource_location = ?, result = ?, error_code = ?,
         finished_at = ${TENANT_NOW}, last_action_at = ${TENANT_NOW}, lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND lease_token = ? AND status = 'running' RETURNING run, attempts`,
      [
        outcome.status,
        outcome.statusDetail,
        outcome.resourceLocation ?? '',
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.errorCode ?? null,
        now,
        now,
        id,
        token,
      ],
    );
    const row = rows[0];
    if (!row) return false;
    await this.appendEvent(id, Number(row.run), now, outcome.status, Number(row.attempts), outcome.statusDetail);
    return true;
  }

  /** Gives up the lease and makes the operation claimable again at `availableAt` (a retry). */
  async retryLater(id: string, token: string, availableAt: number, detail: string, now: number): Promise<boolean> {
    const rows = await this.sql.query<{ run: number; attempts: number }>(
      `UPDATE operations SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, available_at = ?, last_action_at = ${TENANT_NOW}
       WHERE id = ? AND lease_token = ? AND status = 'running' RETURNING run, attempts`,
      [availableAt, now, id, token],
    );
    const row = rows[0];
    if (!row) return false;
    await this.appendEvent(id, Number(row.run), now, 'retryScheduled', Number(row.attempts), detail);
    return true;
  }

  /** Hands an operation back untouched (graceful shutdown): the attempt does not count. */
  async handBack(id: string, token: string, now: number): Promise<boolean> {
    const rows = await this.sql.query<{ run: number; attempts: number }>(
      `UPDATE operations SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, available_at = ?,
         attempts = attempts - 1
       WHERE id = ? AND lease_token = ? AND status = 'running' RETURNING run, attempts`,
      [now, id, token],
    );
    const row = rows[0];
    if (!row) return false;
    await this.appendEvent(id, Number(row.run), now, 'handedBack', Number(row.attempts), '');
    return true;
  }

  /** Operations whose lease expired before `now` (their worker died or stalled). */
  async expiredLeases(now: number, limit: number): Promise<OperationRecord[]> {
    const rows = await this.sql.query<OperationRow>(
      `SELECT * FROM operations WHERE lease_token IS NOT NULL AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT ?`,
      [now, limit],
    );
    return rows.map(toRecord);
  }

  /** Reclaims one expired lease (guarded by its token, so a renewal that won the race keeps it). */
  async requeueExpired(op: OperationRecord, availableAt: number, now: number): Promise<boolean> {
    const n = await this.sql.execute(
      `UPDATE operations SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, available_at = ?, last_action_at = ${TENANT_NOW}
       WHERE id = ? AND lease_token = ? AND lease_expires_at < ?`,
      [availableAt, now, op.id, op.leaseToken, now],
    );
    if (n === 1) await this.appendEvent(op.id, op.run, now, 'leaseExpired', op.attempts, op.leaseOwner ?? '');
    return n === 1;
  }

  /** Ends an operation whose expired lease used its last attempt (guarded: a renewal that won keeps it). */
  async failExpired(op: OperationRecord, statusDetail: string, errorCode: string, now: number): Promise<boolean> {
    const n = await this.sql.execute(
      `UPDATE operations SET status = 'failed', status_detail = ?, error_code = ?, finished_at = ${TENANT_NOW}, last_action_at = ${TENANT_NOW},
         lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = ? AND lease_token = ? AND lease_expires_at < ?`,
      [statusDetail, errorCode, now, now, op.id, op.leaseToken, now],
    );
    if (n === 1) await this.appendEvent(op.id, op.run, now, 'failed', op.attempts, statusDetail);
    return n === 1;
  }

  async events(id: string, run: number): Promise<OperationEvent[]> {
    const rows = await this.sql.query<{
      run: number;
      seq: number;
      at: number;
      type: OperationEvent['type'];
      attempt: number;
      detail: string;
    }>(`SELECT run, seq, at, type, attempt, detail FROM operation_events WHERE operation_id = ? AND run = ? ORDER BY seq`, [id, run]);
    return rows.map((r) => ({ ...r, run: Number(r.run), seq: Number(r.seq), at: Number(r.at), attempt: Number(r.attempt) }));
  }

  /** Which of `ids` are terminal now (or gone). For waiting requests' re-check; reads only. */
  async endedAmong(ids: readonly string[]): Promise<string[]> {
    const ended: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.sql.query<{ id: string; status: OperationStatus }>(
        `SELECT id, status FROM operations WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
      const open = new Set(rows.filter((r) => r.status !== 'succeeded' && r.status !== 'failed').map((r) => r.id));
      for (const id of chunk) if (!open.has(id)) ended.push(id);
    }
    return ended;
  }

  /** Counts by kind and status, and the claimable queue depth: for /metrics. */
  async statistics(now: number): Promise<{ byKindStatus: Array<{ kind: string; status: string; n: number }>; queueDepth: number }> {
    const byKindStatus = await this.sql.query<{ kind: string; status: string; n: number }>(
      `SELECT kind, status, COUNT(*) AS n FROM operations GROUP BY kind, status`,
    );
    const depth = await this.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE ${CLAIMABLE} AND available_at <= ?`, [
      now,
    ]);
    return { byKindStatus: byKindStatus.map((r) => ({ ...r, n: Number(r.n) })), queueDepth: Number(depth?.n ?? 0) };
  }

  /** The earliest time anything becomes claimable, for the idle executor's next wake-up. */
  async nextAvailableAt(): Promise<number | undefined> {
    const row = await this.sql.queryOne<{ t: number | null }>(`SELECT MIN(available_at) AS t FROM operations WHERE ${CLAIMABLE}`);
    return row?.t === null || row?.t === undefined ? undefined : Number(row.t);
  }

  /** Appends to the run's timeline (also for the timelines repository). */
  async appendEvent(id: string, run: number, at: number, type: OperationEvent['type'], attempt: number, detail: string): Promise<void> {
    await this.sql.execute(
      // Casts: PostgreSQL cannot infer parameter types in a SELECT list. A concurrent event
      // (the reaper racing a renewal) may take the same seq; the timeline is best-effort.
      `INSERT INTO operation_events (operation_id, run, seq, at, type, attempt, detail)
       SELECT CAST(? AS TEXT), CAST(? AS INTEGER), COALESCE(MAX(seq), 0) + 1,
         CAST(? AS BIGINT) + COALESCE((SELECT c.offset_ms FROM tenant_clocks c JOIN operations o ON o.tenant_id = c.tenant_id WHERE o.id = ?), 0),
         CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT)
       FROM operation_events WHERE operation_id = ? AND run = ?
       ON CONFLICT DO NOTHING`,
      [id, run, at, id, type, attempt, detail, id, run],
    );
  }
}
