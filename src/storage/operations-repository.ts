import { randomUUID } from 'node:crypto';
import type { LeasedOperation, NewOperation, OperationEvent, OperationRecord, OperationStatus } from '../operations/model.js';
import { runningPhaseMs, type OperationControl } from '../operations/operation-plan.js';
import { CLAIMABLE, claimSql, eventsOf, TENANT_NOW, TENANT_NOW_OF } from './operation-sql.js';
import { SUMMARY_COLUMNS, toRecord, toSummary, type OperationRow, type ShownOperation, type SummaryRow } from './operation-rows.js';
import { LIMIT_PARAM, type Dialect, type SqlClient, type SqlValue } from './sql.js';

export interface OperationListQuery {
  tenantId: string;
  kind: string;
  targetId: string;
  status?: OperationStatus;
  top: number;
  skip: number;
}

/** One terminal status of a group commit: the operation, the lease it must still hold, its outcome. */
export interface TerminalWrite {
  id: string;
  token: string;
  outcome: TerminalOutcome;
}

/** One row of an operation's timeline, as `appendEvents` writes it. */
export interface NewOperationEvent {
  id: string;
  run: number;
  type: OperationEvent['type'];
  attempt: number;
  detail: string;
}

/** Rows per multi-row statement: well under both backends' parameter limits. */
const BATCH_ROWS = 200;

export interface TerminalOutcome {
  status: 'succeeded' | 'failed';
  statusDetail: string;
  resourceLocation?: string;
  result?: unknown;
  errorCode?: string | null;
}

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
      `SELECT * FROM operations WHERE ${where} ORDER BY created_at DESC, id ${LIMIT_PARAM} OFFSET ?`,
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
    const { candidates, update } = claimSql(this.dialect);
    const params = [now, limit, token, owner, now + leaseMs, now];
    if (this.dialect.writableCte) {
      // One statement, atomic on its own: the claim and its `claimed` events.
      const rows = await this.sql.query<OperationRow>(
        `WITH ${candidates}, claimed AS (${update}), events AS (${eventsOf('claimed', `'claimed'`, 'r.lease_owner')})
         SELECT * FROM claimed`,
        params,
      );
      return rows.map(toRecord) as LeasedOperation[];
    }
    const rows = await this.sql.query<OperationRow>(`WITH ${candidates} ${update}`, params);
    const claimed = rows.map(toRecord) as LeasedOperation[];
    await this.appendEvents(
      claimed.map((op) => ({ id: op.id, run: op.run, type: 'claimed', attempt: op.attempts, detail: owner })),
      now,
    );
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

  /**
   * `finish` for many operations in one statement (a group commit): writes each terminal status
   * whose lease is still held and its timeline event. Returns the ids written; the others lost
   * their lease. Call inside the transaction that applies the written ones' effects (on
   * PostgreSQL it is one statement, atomic on its own when there are none).
   */
  async finishMany(writes: readonly TerminalWrite[], now: number): Promise<Set<string>> {
    const written = new Set<string>();
    for (let i = 0; i < writes.length; i += BATCH_ROWS) {
      const chunk = writes.slice(i, i + BATCH_ROWS);
      // VALUES columns are column1…column7 on both backends; the casts type PostgreSQL's parameters.
      const row = `(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))`;
      const update = `UPDATE operations SET status = v.column3, status_detail = v.column4, resource_location = v.column5,
           result = v.column6, error_code = v.column7, finished_at = ${TENANT_NOW}, last_action_at = ${TENANT_NOW},
           lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL
         FROM (VALUES ${chunk.map(() => row).join(', ')}) AS v
         WHERE operations.id = v.column1 AND operations.lease_token = v.column2 AND operations.status = 'running'
         RETURNING operations.id AS id, operations.run AS run, operations.attempts AS attempts,
           operations.status AS status, operations.status_detail AS status_detail, operations.last_action_at AS last_action_at`;
      const sql = this.dialect.writableCte
        ? `WITH ended AS (${update}), events AS (${eventsOf('ended', 'r.status', 'r.status_detail')}) SELECT id FROM ended`
        : update;
      const rows = await this.sql.query<{ id: string; run: number; attempts: number }>(sql, [
        now,
        now,
        ...chunk.flatMap(({ id, token, outcome: o }) => [
          id,
          token,
          o.status,
          o.statusDetail,
          o.resourceLocation ?? '',
          o.result === undefined ? null : JSON.stringify(o.result),
          o.errorCode ?? null,
        ]),
      ]);
      for (const r of rows) written.add(r.id);
      if (this.dialect.writableCte) continue;
      const byId = new Map(chunk.map((w) => [w.id, w.outcome]));
      await this.appendEvents(
        rows.map((r) => {
          const o = byId.get(r.id)!;
          return { id: r.id, run: Number(r.run), type: o.status, attempt: Number(r.attempts), detail: o.statusDetail };
        }),
        now,
      );
    }
    return written;
  }

  /** Gives up the lease and makes the operation claimable again at `availableAt` (a retry). */
  async retryLater(id: string, token: string, availableAt: number, detail: string, now: number): Promise<boolean> {
    return this.#releaseWithEvent(
      `UPDATE operations SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, available_at = ?, last_action_at = ${TENANT_NOW}
       WHERE id = ? AND lease_token = ? AND status = 'running' RETURNING id, run, attempts, last_action_at AS event_at`,
      [availableAt, now, id, token],
      { id, type: 'retryScheduled', detail, now },
    );
  }

  /**
   * An UPDATE that makes a leased operation claimable again (RETURNING id, run, attempts,
   * event_at), and its timeline event. On PostgreSQL one statement: the event is committed
   * before any claimer can take the row, so the next `claimed` event cannot race it for its seq.
   */
  async #releaseWithEvent(
    update: string,
    params: SqlValue[],
    event: { id: string; type: OperationEvent['type']; detail: string; now: number },
  ): Promise<boolean> {
    if (this.dialect.writableCte) {
      const rows = await this.sql.query(
        `WITH changed AS (${update}), events AS (${eventsOf('changed', `'${event.type}'`, 'CAST(? AS TEXT)', 'r.event_at')})
         SELECT id FROM changed`,
        [...params, event.detail],
      );
      return rows.length === 1;
    }
    const row = (await this.sql.query<{ run: number; attempts: number }>(update, params))[0];
    if (!row) return false;
    await this.appendEvent(event.id, Number(row.run), event.now, event.type, Number(row.attempts), event.detail);
    return true;
  }

  /** Hands an operation back untouched (graceful shutdown): the attempt does not count. */
  async handBack(id: string, token: string, now: number): Promise<boolean> {
    return this.#releaseWithEvent(
      `UPDATE operations SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, available_at = ?,
         attempts = attempts - 1
       WHERE id = ? AND lease_token = ? AND status = 'running' RETURNING id, run, attempts, ${TENANT_NOW} AS event_at`,
      [now, id, token, now],
      { id, type: 'handedBack', detail: '', now },
    );
  }

  /** Operations whose lease expired before `now` (their worker died or stalled). */
  async expiredLeases(now: number, limit: number): Promise<OperationRecord[]> {
    const rows = await this.sql.query<OperationRow>(
      `SELECT * FROM operations WHERE lease_token IS NOT NULL AND lease_expires_at < ? ORDER BY lease_expires_at ${LIMIT_PARAM}`,
      [now, limit],
    );
    return rows.map(toRecord);
  }

  /** Reclaims one expired lease (guarded by its token, so a renewal that won the race keeps it). */
  async requeueExpired(op: OperationRecord, availableAt: number, now: number): Promise<boolean> {
    return this.#releaseWithEvent(
      `UPDATE operations SET lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL, available_at = ?, last_action_at = ${TENANT_NOW}
       WHERE id = ? AND lease_token = ? AND lease_expires_at < ? RETURNING id, run, attempts, last_action_at AS event_at`,
      [availableAt, now, op.id, op.leaseToken, now],
      { id: op.id, type: 'leaseExpired', detail: op.leaseOwner ?? '', now },
    );
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

  /** `appendEvent` for many operations (each at most once) in one statement per chunk. */
  async appendEvents(events: readonly NewOperationEvent[], at: number): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH_ROWS) {
      const chunk = events.slice(i, i + BATCH_ROWS);
      const row = `(CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT))`;
      await this.sql.execute(
        `INSERT INTO operation_events (operation_id, run, seq, at, type, attempt, detail)
         SELECT v.column1, v.column2,
           COALESCE((SELECT MAX(e.seq) FROM operation_events e WHERE e.operation_id = v.column1 AND e.run = v.column2), 0) + 1,
           CAST(? AS BIGINT) + COALESCE((SELECT c.offset_ms FROM tenant_clocks c JOIN operations o ON o.tenant_id = c.tenant_id WHERE o.id = v.column1), 0),
           v.column3, v.column4, v.column5
         FROM (VALUES ${chunk.map(() => row).join(', ')}) AS v
         WHERE true
         ON CONFLICT DO NOTHING`,
        [at, ...chunk.flatMap((e) => [e.id, e.run, e.type, e.attempt, e.detail])],
      );
    }
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
