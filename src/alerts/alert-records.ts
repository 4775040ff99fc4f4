/**
 * Reading a tenant's alerts through the repository, with the alerts module's rules: an alert
 * never scanned has the `neverScanned` state, and a missing or unreadable configuration row
 * falls back to the defaults rather than breaking every alert read. Storage holds SQL only.
 */
import type { AlertsRepository } from '../storage/alerts-repository.js';
import { neverScanned, type AlertState } from './alert-state.js';
import { ALERT_TYPES, isAlertType, type AlertType } from './alert-types.js';
import { defaultConfiguration, validateFixtureConfiguration, type AlertConfiguration } from './configuration.js';
import type { AlertIncident } from './incidents.js';

/** The state of all seven alerts, in alert-type order. */
export async function alertStates(repo: AlertsRepository, tenantId: string): Promise<AlertState[]> {
  const stored = new Map((await repo.states(tenantId)).map((s) => [s.alertType, s]));
  return ALERT_TYPES.map((type) => ({ ...(stored.get(type) ?? neverScanned(type)), alertType: type }));
}

export async function alertState(repo: AlertsRepository, tenantId: string, alertType: AlertType): Promise<AlertState> {
  const stored = await repo.state(tenantId, alertType);
  return stored ? { ...stored, alertType } : neverScanned(alertType);
}

/** The seven configurations, in alert-type order. */
export async function alertConfigurations(repo: AlertsRepository, tenantId: string): Promise<AlertConfiguration[]> {
  const stored = new Map<AlertType, AlertConfiguration>();
  for (const row of await repo.configurations(tenantId)) {
    if (!isAlertType(row.alertType)) continue;
    const parsed = validateFixtureConfiguration({ ...row.settings, alertType: row.alertType, isEnabled: row.isEnabled });
    if (parsed.ok) stored.set(row.alertType, parsed.configuration);
  }
  return ALERT_TYPES.map((type) => stored.get(type) ?? defaultConfiguration(type));
}

export async function alertConfiguration(repo: AlertsRepository, tenantId: string, alertType: AlertType): Promise<AlertConfiguration> {
  const all = await alertConfigurations(repo, tenantId);
  return all.find((c) => c.alertType === alertType) ?? defaultConfiguration(alertType);
}

/** The incidents of an alert's last scan, in the evaluator's order. */
export async function alertIncidents(repo: AlertsRepository, tenantId: string, alertType: AlertType): Promise<AlertIncident[]> {
  return (await repo.incidents(tenantId, alertType)) as AlertIncident[];
}

export async function alertIncident(
  repo: AlertsRepository,
  tenantId: string,
  alertType: AlertType,
  incidentId: string,
): Promise<AlertIncident | undefined> {
  return (await repo.incident(tenantId, alertType, incidentId)) as AlertIncident | undefined;
}
