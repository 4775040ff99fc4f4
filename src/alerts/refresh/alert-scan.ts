/**
 * One scan of one alert, decided without touching storage: given the directory snapshot, the
 * configuration and what the previous scan left (its state, its incidents' stored JSON), it says
 * what the alert looks like now.
 */
import type { DirectorySnapshot } from '../../directory/model.js';
import type { AlertConfiguration } from '../configuration.js';
import { evaluateAlert } from '../evaluators/index.js';
import type { AlertIncident } from '../incidents.js';
import type { AlertState } from '../alert-state.js';

/** The outcome of scanning one alert. */
export type AlertScan =
  /** The configuration is disabled: nothing was evaluated and nothing changes. */
  | { kind: 'skipped' }
  /** The alert was evaluated: store `state` and replace the incidents with `incidents`. */
  | { kind: 'scanned'; state: AlertState; incidents: AlertIncident[]; incidentsChanged: boolean };

/**
 * Scans one alert at `now` (epoch ms).
 * - A disabled configuration is skipped ("false disables PIM scanning for this alert").
 * - `isActive` becomes true exactly when there are incidents: a refresh reactivates a
 *   dismissed alert that still has incidents, as Graph does, and an alert with none is inactive.
 * - `lastModifiedAt` moves to `now` only when the incidents differ from the previous scan's
 *   (added, removed or changed); `lastScannedAt` always moves to `now`.
 */
export function scanAlert(
  snapshot: DirectorySnapshot,
  configuration: AlertConfiguration,
  previous: { state: AlertState; incidentBodies: readonly string[] },
  now: number,
): AlertScan {
  if (!configuration.isEnabled) return { kind: 'skipped' };
  const incidents = evaluateAlert(snapshot, configuration, now);
  const incidentsChanged = !sameAsStored(previous.incidentBodies, incidents);
  return {
    kind: 'scanned',
    incidents,
    incidentsChanged,
    state: {
      alertType: configuration.alertType,
      isActive: incidents.length > 0,
      incidentCount: incidents.length,
      lastModifiedAt: incidentsChanged ? now : previous.state.lastModifiedAt,
      lastScannedAt: now,
    },
  };
}

/**
 * Same incidents, same order, same values (both lists come sorted by id): each new incident's
 * JSON against the stored one, one at a time. The JSON is not kept: at 100k users the seven
 * alerts' bodies were ~6 MB held from the scan to the write, promoted to V8's old generation
 * by every refresh (issue #16); the write serialises again, a batch at a time.
 */
function sameAsStored(stored: readonly string[], incidents: readonly AlertIncident[]): boolean {
  return stored.length === incidents.length && incidents.every((incident, i) => JSON.stringify(incident) === stored[i]);
}
