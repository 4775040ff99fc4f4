/**
 * What Longrun remembers about one alert between scans (the unifiedRoleManagementAlert's own
 * properties besides its ids). An alert that was never scanned has no stored state;
 * `neverScanned` stands in for it.
 */
import type { AlertType } from './alert-types.js';

/** The mutable part of an alert. Times are epoch ms. */
export interface AlertState {
  alertType: AlertType;
  isActive: boolean;
  incidentCount: number;
  /** Null: never modified (Graph's .NET zero date `0001-01-01T08:00:00Z` on the wire). */
  lastModifiedAt: number | null;
  /** Null: never scanned (`null` on the wire). */
  lastScannedAt: number | null;
}

/** The state of an alert before its first scan: inactive, no incidents, no dates. */
export function neverScanned(alertType: AlertType): AlertState {
  return { alertType, isActive: false, incidentCount: 0, lastModifiedAt: null, lastScannedAt: null };
}
