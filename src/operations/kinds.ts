/** The kinds of operation Longrun runs; each has one handler. */
export const OPERATION_KINDS = {
  alertRefresh: 'alertRefresh',
  alertRefreshAll: 'alertRefreshAll',
  passwordReset: 'passwordReset',
} as const;
