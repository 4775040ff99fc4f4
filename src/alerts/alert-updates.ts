/**
 * The two updates a client makes to alerts, whatever the wire: dismissing or re-enabling an
 * alert, and changing an alert's configuration. See docs/alerts.md.
 */
import type { Clock } from '../shared/clock.js';
import { Refusal } from '../shared/refusal.js';
import type { Store } from '../storage/store.js';
import { alertConfiguration, alertState } from './alert-records.js';
import type { AlertType } from './alert-types.js';
import { validateConfigurationPatch } from './configuration.js';

/** `isActive` false dismisses the alert, true re-enables it; only the flag changes (incidents stay). */
export async function setAlertActive(store: Store, tenantId: string, alertType: AlertType, isActive: boolean): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.alerts.saveState(tenantId, { ...(await alertState(tx.alerts, tenantId, alertType)), isActive });
  });
}

/**
 * Validates the whole patch first (every problem reported at once, as `Refusal('invalid')`),
 * then writes in one transaction; an invalid patch changes nothing. A change that actually
 * alters the configuration also moves the alert's lastModifiedDateTime ("set when the
 * configuration is updated", docs/alerts.md).
 */
export async function updateAlertConfiguration(
  deps: { store: Store; clock: Clock },
  tenantId: string,
  alertType: AlertType,
  patch: unknown,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const current = await alertConfiguration(tx.alerts, tenantId, alertType);
    const result = validateConfigurationPatch(current, patch);
    if (!result.ok) {
      const problems = result.errors.map((e) => (e.property ? `${e.property}: ${e.message}` : e.message)).join(' ');
      throw new Refusal('invalid', `Invalid alertConfiguration update: ${problems}`);
    }
    if (JSON.stringify(result.configuration) === JSON.stringify(current)) return;
    await tx.alerts.saveConfiguration(tenantId, result.configuration);
    await tx.alerts.saveState(tenantId, { ...(await alertState(tx.alerts, tenantId, alertType)), lastModifiedAt: deps.clock.now() });
  });
}
