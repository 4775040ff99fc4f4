import { LIMIT_PARAM, bool, fromBool, type SqlClient } from './sql.js';

/**
 * An alert's stored state (`src/alerts/alert-state.ts` gives it meaning). Only alerts that were
 * scanned or changed have a row; the alerts module supplies the rest.
 */
export interface StoredAlertState {
  alertType: string;
  isActive: boolean;
  incidentCount: number;
  lastModifiedAt: number | null;
  lastScannedAt: number | null;
}

/** A stored configuration row: the type, the flag, and the other settings as written. */
export interface StoredAlertConfiguration {
  alertType: string;
  isEnabled: boolean;
  settings: Record<string, unknown>;
}

/** Rows per INSERT of incidents: 5 parameters each, far below both backends' parameter limits. */
const INCIDENT_ROWS_PER_INSERT = 500;

interface AlertRow {
  alert_type: string;
  is_active: number;
  incident_count: number;
  last_modified_at: number | null;
  last_scanned_at: number | null;
}

const toState = (r: AlertRow): StoredAlertState => ({
  alertType: r.alert_type,
  isActive: fromBool(r.is_active),
  incidentCount: Number(r.incident_count),
  lastModifiedAt: r.last_modified_at === null ? null : Number(r.last_modified_at),
  lastScannedAt: r.last_scanned_at === null ? null : Number(r.last_scanned_at),
});

/**
 * Alert state, incidents and configurations of each tenant, as stored: SQL only. Defaults for
 * alerts without a row, and the validation of stored settings, are the alerts module's
 * (`src/alerts/alert-records.ts`). Incidents are stored as JSON in their domain form.
 */
export class AlertsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The stored states of a tenant's alerts (alerts never scanned have none). */
  async states(tenantId: string): Promise<StoredAlertState[]> {
    const rows = await this.sql.query<AlertRow>(
      `SELECT alert_type, is_active, incident_count, last_modified_at, last_scanned_at FROM alerts WHERE tenant_id = ?`,
      [tenantId],
    );
    return rows.map(toState);
  }

  async state(tenantId: string, alertType: string): Promise<StoredAlertState | undefined> {
    const row = await this.sql.queryOne<AlertRow>(
      `SELECT alert_type, is_active, incident_count, last_modified_at, last_scanned_at FROM alerts WHERE tenant_id = ? AND alert_type = ?`,
      [tenantId, alertType],
    );
    return row && toState(row);
  }

  /** Creates or overwrites the state row of one alert. */
  async saveState(tenantId: string, state: StoredAlertState): Promise<void> {
    await this.sql.execute(
      `INSERT INTO alerts (tenant_id, alert_type, is_active, incident_count, last_modified_at, last_scanned_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, alert_type) DO UPDATE SET is_active = excluded.is_active, incident_count = excluded.incident_count,
         last_modified_at = excluded.last_modified_at, last_scanned_at = excluded.last_scanned_at`,
      [tenantId, state.alertType, bool(state.isActive), state.incidentCount, state.lastModifiedAt, state.lastScannedAt],
    );
  }

  /** The incidents of the last scan (JSON in their domain form), in the evaluator's order (by id). */
  async incidents(tenantId: string, alertType: string): Promise<unknown[]> {
    const rows = await this.sql.query<{ body: string }>(
      `SELECT body FROM alert_incidents WHERE tenant_id = ? AND alert_type = ? ORDER BY position`,
      [tenantId, alertType],
    );
    return rows.map((r) => JSON.parse(r.body) as unknown);
  }

  /**
   * The stored JSON of each incident, in order, unparsed: a scan only compares it with the new
   * incidents' JSON, and parsing thousands of incidents to serialise them again cost memory.
   */
  async incidentBodies(tenantId: string, alertType: string): Promise<string[]> {
    const rows = await this.sql.query<{ body: string }>(
      `SELECT body FROM alert_incidents WHERE tenant_id = ? AND alert_type = ? ORDER BY position`,
      [tenantId, alertType],
    );
    return rows.map((r) => r.body);
  }

  async incident(tenantId: string, alertType: string, incidentId: string): Promise<unknown> {
    const row = await this.sql.queryOne<{ body: string }>(
      `SELECT body FROM alert_incidents WHERE tenant_id = ? AND alert_type = ? AND id = ?`,
      [tenantId, alertType, incidentId],
    );
    return row && (JSON.parse(row.body) as unknown);
  }

  /**
   * Replaces the incidents of one alert with the result of a scan (call inside a transaction).
   * Inserted in multi-row statements: a large tenant has thousands of incidents, and one round
   * trip each is what made PostgreSQL slow (issue #16). Each batch is serialised just before its
   * statement, so only one batch's JSON is alive at a time.
   */
  async replaceIncidents(tenantId: string, alertType: string, incidents: ReadonlyArray<{ id: string }>): Promise<void> {
    await this.sql.execute(`DELETE FROM alert_incidents WHERE tenant_id = ? AND alert_type = ?`, [tenantId, alertType]);
    for (let start = 0; start < incidents.length; start += INCIDENT_ROWS_PER_INSERT) {
      const batch = incidents.slice(start, start + INCIDENT_ROWS_PER_INSERT);
      await this.sql.execute(
        `INSERT INTO alert_incidents (tenant_id, alert_type, id, position, body) VALUES ${batch.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        batch.flatMap((incident, i) => [tenantId, alertType, incident.id, start + i, JSON.stringify(incident)]),
      );
    }
  }

  /** The stored configuration rows of a tenant (fixture import writes one per alert type). */
  async configurations(tenantId: string): Promise<StoredAlertConfiguration[]> {
    const rows = await this.sql.query<{ alert_type: string; is_enabled: number; settings: string }>(
      `SELECT alert_type, is_enabled, settings FROM alert_configurations WHERE tenant_id = ?`,
      [tenantId],
    );
    return rows.map((row) => ({
      alertType: row.alert_type,
      isEnabled: fromBool(row.is_enabled),
      settings: JSON.parse(row.settings) as Record<string, unknown>,
    }));
  }

  /** Creates or overwrites one configuration (the same row shape fixture import writes). */
  async saveConfiguration(tenantId: string, configuration: { alertType: string; isEnabled: boolean }): Promise<void> {
    const { alertType, isEnabled, ...settings } = configuration;
    await this.sql.execute(
      `INSERT INTO alert_configurations (tenant_id, alert_type, is_enabled, settings) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, alert_type) DO UPDATE SET is_enabled = excluded.is_enabled, settings = excluded.settings`,
      [tenantId, alertType, bool(isEnabled), JSON.stringify(settings)],
    );
  }

  // ── background scans (docs/alerts.md, "Background scans") ───────────────────────────────

  /** Makes the tenant's background scan due at once (an import: the first scan comes next). */
  async scanSoon(tenantId: string): Promise<void> {
    await this.sql.execute(
      `INSERT INTO alert_scan_schedule (tenant_id, next_scan_at) VALUES (?, 0)
       ON CONFLICT (tenant_id) DO UPDATE SET next_scan_at = 0`,
      [tenantId],
    );
  }

  /**
   * Takes up to `limit` tenants whose scan is due at `realNow` (due: `next_scan_at` at or before
   * the tenant's time) and moves each one's next scan to its tenant time + `intervalMs`, in one
   * statement. A row another node took meanwhile no longer matches the outer WHERE once its
   * lock is released (PostgreSQL re-checks it), so each due scan is taken by exactly one caller.
   * Returns each tenant with the tenant time it was taken at.
   */
  async takeDueScans(realNow: number, intervalMs: number, limit: number): Promise<Array<{ tenantId: string; tenantNow: number }>> {
    const tenantNow = (table: string) =>
      `(CAST(? AS BIGINT) + COALESCE((SELECT c.offset_ms FROM tenant_clocks c WHERE c.tenant_id = ${table}.tenant_id), 0))`;
    const rows = await this.sql.query<{ tenant_id: string; next_scan_at: number }>(
      `UPDATE alert_scan_schedule SET next_scan_at = ${tenantNow('alert_scan_schedule')} + CAST(? AS BIGINT)
       WHERE next_scan_at <= ${tenantNow('alert_scan_schedule')}
         AND tenant_id IN (SELECT s.tenant_id FROM alert_scan_schedule s WHERE s.next_scan_at <= ${tenantNow('s')}
                           ORDER BY s.next_scan_at, s.tenant_id ${LIMIT_PARAM})
       RETURNING tenant_id, next_scan_at`,
      [realNow, intervalMs, realNow, realNow, limit],
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, tenantNow: Number(r.next_scan_at) - intervalMs }));
  }
}
