/**
 * PostgreSQL twin of sqlite/migrations/0003. The control API's rules (docs/controls.md): one row per rule,
 * scoped to its tenant. `body` is
 * the rule as the client sent it (JSON, without id and hits); `times_left` counts down the
 * matches a rule still applies to (NULL: until deleted); `hits` counts every match. Both are
 * changed by single guarded UPDATEs, so `times` holds exactly across nodes. Frozen once released.
 */
export const up = /* sql */ `
CREATE TABLE control_rules (
  tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id          TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('operation', 'http', 'throttle')),
  body        TEXT NOT NULL,
  times_left  INTEGER CHECK (times_left IS NULL OR times_left >= 0),
  hits        BIGINT NOT NULL DEFAULT 0,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX control_rules_by_type ON control_rules (tenant_id, type, created_at);
`;
