import { defaultConfiguration, validateFixtureConfiguration } from '../alerts/configuration.js';
import type { AlertConfiguration } from '../alerts/configuration.js';
import { ALERT_TYPES, isAlertType } from '../alerts/alert-types.js';
import type { AlertType } from '../alerts/alert-types.js';
import { neverScanned } from '../alerts/alert-state.js';
import type { AlertState } from '../alerts/alert-state.js';
import type { AlertIncident } from '../alerts/incidents.js';
import { bool, fromBool, type SqlClient } from './sql.js';

interface AlertRow {
  alert_type: string;
  is_active: number;
  incident_count: number;
  last_modified_at: number | null;
  last_scanned_at: number | null;
}

const toState = (r: AlertRow & { alert_type: AlertType }): AlertState => ({
  alertType: r.alert_type,
  isActive: fromBool(r.is_active),
  incidentCount: Number(r.incident_count),
  lastModifiedAt: r.last_modified_at === null ? null : Number(r.last_modified_at),
  lastScannedAt: r.last_scanned_at === null ? null : Number(r.last_scanned_at),
});

/**
 * Alert state, incidents and configurations of each tenant. Incidents are stored in their
 * domain form (timestamps in epoch ms) so remediation can plan from them; the routes format
 * them for the wire.
 */
export class AlertsRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The state of all seven alerts, in alert-type order; missing rows are never scanned. */
  async states(tenantId: string): Promise<AlertState[]> {
    const rows = await this.sql.query<AlertRow>(
      `SELECT alert_type, is_active, incident_count, last_modified_at, last_scanned_at FROM alerts WHERE tenant_id = ?`,
      [tenantId],
    );
    const byType = new Map<string, AlertRow>(rows.map((r) => [r.alert_type, r]));
    return ALERT_TYPES.map((type) => {
      const row = byType.get(type);
      return row ? toState({ ...row, alert_type: type }) : neverScanned(type);
    });
  }

  async state(tenantId: string, alertType: AlertType): Promise<AlertState> {
    const row = await this.sql.queryOne<AlertRow>(
      `SELECT alert_type, is_active, incident_count, last_modified_at, last_scanned_at FROM alerts WHERE tenant_id = ? AND alert_type = ?`,
      [tenantId, alertType],
    );
    return row ? toState({ ...row, alert_type: alertType }) : neverScanned(alertType);
  }

  /** Creates or overwrites the state row of one alert. */
  async saveState(tenantId: string, state: AlertState): Promise<void> {
    await this.sql.execute(
      `INSERT INTO alerts (tenant_id, alert_type, is_active, incident_count, last_modified_at, last_scanned_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, alert_type) DO UPDATE SET is_active = excluded.is_active, incident_count = excluded.incident_count,
         last_modified_at = excluded.last_modified_at, last_scanned_at = excluded.last_scanned_at`,
      [tenantId, state.alertType, bool(state.isActive), state.incidentCount, state.lastModifiedAt, state.lastScannedAt],
    );
  }

  /** The incidents of the last scan, in the evaluator's order (by id). */
  async incidents(tenantId: string, alertType: AlertType): Promise<AlertIncident[]> {
    const rows = await this.sql.query<{ body: string }>(
      `SELECT body FROM alert_incidents WHERE tenant_id = ? AND alert_type = ? ORDER BY position`,
      [tenantId, alertType],
    );
    return rows.map((r) => JSON.parse(r.body) as AlertIncident);
  }

  async incident(tenantId: string, alertType: AlertType, incidentId: string): Promise<AlertIncident | undefined> {
    const row = await this.sql.queryOne<{ body: string }>(
      `SELECT body FROM alert_incidents WHERE tenant_id = ? AND alert_type = ? AND id = ?`,
      [tenantId, alertType, incidentId],
    );
    return row && (JSON.parse(row.body) as AlertIncident);
  }

  /** Replaces the incidents of one alert with the result of a scan (call inside a transaction). */
  async replaceIncidents(tenantId: string, alertType: AlertType, incidents: readonly AlertIncident[]): Promise<void> {
    await this.sql.execute(`DELETE FROM alert_incidents WHERE tenant_id = ? AND alert_type = ?`, [tenantId, alertType]);
    for (const [position, incident] of incidents.entries()) {
      await this.sql.execute(
        `INSERT INTO alert_incidents (tenant_id, alert_type, id, position, body) VALUES (?, ?, ?, ?, ?)`,
        [tenantId, alertType, incident.id, position, JSON.stringify(incident)],
      );
    }
  }

  /**
   * The seven configurations, in alert-type order. Fixture import writes a row per type; a
   * missing or unreadable row falls back to the defaults rather than breaking every alert read.
   */
  async configurations(tenantId: string): Promise<AlertConfiguration[]> {
    const rows = await this.sql.query<{ alert_type: string; is_enabled: number; settings: string }>(
      `SELECT alert_type, is_enabled, settings FROM alert_configurations WHERE tenant_id = ?`,
      [tenantId],
    );
    const stored = new Map<AlertType, AlertConfiguration>();
    for (const row of rows) {
      if (!isAlertType(row.alert_type)) continue;
      const parsed = validateFixtureConfiguration({
        ...(JSON.parse(row.settings) as Record<string, unknown>),
        alertType: row.alert_type,
        isEnabled: fromBool(row.is_enabled),
      });
      if (parsed.ok) stored.set(row.alert_type, parsed.configuration);
    }
    return ALERT_TYPES.map((type) => stored.get(type) ?? defaultConfiguration(type));
  }

  async configuration(tenantId: string, alertType: AlertType): Promise<AlertConfiguration> {
    const all = await this.configurations(tenantId);
    return all.find((c) => c.alertType === alertType) ?? defaultConfiguration(alertType);
  }

  /** Creates or overwrites one configuration (the same row shape fixture import writes). */
  async saveConfiguration(tenantId: string, configuration: AlertConfiguration): Promise<void> {
    const { alertType, isEnabled, ...settings } = configuration;
    await this.sql.execute(
      `INSERT INTO alert_configurations (tenant_id, alert_type, is_enabled, settings) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, alert_type) DO UPDATE SET is_enabled = excluded.is_enabled, settings = excluded.settings`,
      [tenantId, alertType, bool(isEnabled), JSON.stringify(settings)],
    );
  }
}
