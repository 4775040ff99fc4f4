/** The kinds of operation Longrun runs; each has one handler. */
export const OPERATION_KINDS = {
  alertRefresh: 'alertRefresh',
  alertRefreshAll: 'alertRefreshAll',
  passwordReset: 'passwordReset',
} as const;

/**
 * Kinds Longrun runs for itself. They share the executor (leases, retries, reaper) but are never
 * shown on a Graph or console surface, which list only OPERATION_KINDS.
 */
export const INTERNAL_OPERATION_KINDS = {
  notificationDelivery: 'notificationDelivery',
  /** The scheduled PIM alert scan of one tenant (docs/alerts.md, "Background scans"). */
  alertScan: 'alertScan',
} as const;
