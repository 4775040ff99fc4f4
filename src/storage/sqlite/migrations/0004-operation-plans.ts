/**
 * Operations shaped by control rules (docs/controls.md): the rule that matched and its plan
 * (JSON), the lease-free running phase still to enter (`timeline_running_ms`, set while the
 * operation waits in notStarted; `timeline_stuck`: that phase never ends by itself), and the
 * effects of succeeded runs still to apply (`deferred_effects`, due in real time; a table of its
 * own because a terminal operation row never changes). Frozen once released.
 */
export const up = /* sql */ `
ALTER TABLE operations ADD COLUMN control_rule_id TEXT;
ALTER TABLE operations ADD COLUMN control_plan TEXT;
ALTER TABLE operations ADD COLUMN timeline_running_ms BIGINT;
ALTER TABLE operations ADD COLUMN timeline_stuck INTEGER NOT NULL DEFAULT 0;
-- Runs waiting to enter their running phase: found without scanning the plain queue.
CREATE INDEX operations_timeline_due ON operations (available_at) WHERE timeline_running_ms IS NOT NULL AND status = 'notStarted';
CREATE TABLE deferred_effects (
  operation_id  TEXT NOT NULL,
  run           INTEGER NOT NULL,
  tenant_id     TEXT NOT NULL,
  due_at        BIGINT NOT NULL,
  PRIMARY KEY (operation_id, run)
);
CREATE INDEX deferred_effects_due ON deferred_effects (due_at);
`;
