/**
 * Retention (docs/retention.md): the sweeper finds ended operations by their last action.
 * SQLite has no cross-process notification; waiting requests re-check instead
 * (docs/extensions.md). Frozen in time once released.
 */
export const up = /* sql */ `
CREATE INDEX operations_ended ON operations (last_action_at) WHERE status IN ('succeeded', 'failed');
`;
