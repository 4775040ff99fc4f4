/** Frozen in time: never edit a released migration; add the next number instead. */
export const up = /* sql */ `
CREATE TABLE tenants (
  id              TEXT PRIMARY KEY,
  display_name    TEXT NOT NULL,
  default_domain  TEXT NOT NULL,
  licenses        TEXT NOT NULL,              -- JSON array of SKU part numbers
  imported_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX tenants_default_domain ON tenants (default_domain);

CREATE TABLE users (
  tenant_id            TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                   TEXT NOT NULL,
  user_principal_name  TEXT NOT NULL,
  upn_lower            TEXT NOT NULL,
  display_name         TEXT NOT NULL,
  password_hash        TEXT,                  -- argon2id; NULL: no password sign-in
  account_enabled      INTEGER NOT NULL,
  account_type         TEXT NOT NULL CHECK (account_type IN ('member', 'guest', 'personal')),
  created_at           BIGINT NOT NULL,
  last_sign_in_at      BIGINT,
  force_change_password INTEGER NOT NULL DEFAULT 0,
  password_changed_at  BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX users_upn ON users (tenant_id, upn_lower);
CREATE INDEX users_by_id ON users (id);

CREATE TABLE applications (
  tenant_id                TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  app_id                   TEXT NOT NULL,
  display_name             TEXT NOT NULL,
  secret_hash              TEXT,              -- argon2id of the client secret
  application_permissions  TEXT NOT NULL,     -- JSON array
  delegated_permissions    TEXT NOT NULL,     -- JSON array
  PRIMARY KEY (tenant_id, app_id)
);

CREATE TABLE role_assignments (
  tenant_id           TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                  TEXT NOT NULL,
  principal_id        TEXT NOT NULL,
  role_template_id    TEXT NOT NULL,
  directory_scope_id  TEXT NOT NULL,
  assignment_type     TEXT NOT NULL CHECK (assignment_type IN ('active', 'eligible')),
  via_pim             INTEGER NOT NULL,
  created_at          BIGINT NOT NULL,
  end_at              BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX role_assignments_principal ON role_assignments (tenant_id, principal_id);

CREATE TABLE role_activations (
  tenant_id         TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                TEXT NOT NULL,
  principal_id      TEXT NOT NULL,
  role_template_id  TEXT NOT NULL,
  activated_at      BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE role_settings (
  tenant_id                   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  role_template_id            TEXT NOT NULL,
  require_mfa_on_activation   INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, role_template_id)
);

CREATE TABLE alert_configurations (
  tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  alert_type  TEXT NOT NULL,
  is_enabled  INTEGER NOT NULL,
  settings    TEXT NOT NULL,                  -- JSON object of the type's extra properties
  PRIMARY KEY (tenant_id, alert_type)
);

CREATE TABLE alerts (
  tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  alert_type         TEXT NOT NULL,
  is_active          INTEGER NOT NULL,
  incident_count     INTEGER NOT NULL,
  last_modified_at   BIGINT,                  -- NULL: never fired (.NET zero date on the wire)
  last_scanned_at    BIGINT,
  PRIMARY KEY (tenant_id, alert_type)
);

CREATE TABLE alert_incidents (
  tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  alert_type  TEXT NOT NULL,
  id          TEXT NOT NULL,
  position    INTEGER NOT NULL,
  body        TEXT NOT NULL,                  -- JSON, domain incident (keys in wire order, times epoch ms)
  PRIMARY KEY (tenant_id, alert_type, id)
);

CREATE TABLE signing_keys (
  kid          TEXT PRIMARY KEY,
  private_jwk  TEXT NOT NULL,
  public_jwk   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  retired_at   BIGINT
);
-- At most one active key: nodes starting at once race to create it and exactly one wins.
CREATE UNIQUE INDEX signing_keys_single_active ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;

-- The long-running operations. status is the public Graph status and only moves forward
-- within a run; a later run of the same id (a new alert refresh) bumps run.
CREATE TABLE operations (
  id                 TEXT PRIMARY KEY,
  tenant_id          TEXT NOT NULL,
  kind               TEXT NOT NULL,
  target_id          TEXT NOT NULL,
  run                INTEGER NOT NULL DEFAULT 1,
  status             TEXT NOT NULL CHECK (status IN ('notStarted', 'running', 'succeeded', 'failed')),
  status_detail      TEXT NOT NULL DEFAULT '',
  resource_location  TEXT NOT NULL DEFAULT '',
  created_at         BIGINT NOT NULL,
  last_action_at     BIGINT NOT NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  max_attempts       INTEGER NOT NULL,
  available_at       BIGINT NOT NULL,         -- not claimable before (retry backoff)
  lease_token        TEXT,                    -- set while a worker holds the operation
  lease_owner        TEXT,
  lease_expires_at   BIGINT,
  input              TEXT NOT NULL,           -- JSON; never a clear-text secret
  result             TEXT,                    -- JSON
  error_code         TEXT,
  finished_at        BIGINT,
  CHECK ((status IN ('succeeded', 'failed')) = (finished_at IS NOT NULL)),
  CHECK (lease_token IS NULL OR status = 'running'),
  CHECK ((lease_token IS NULL) = (lease_expires_at IS NULL))
);
CREATE INDEX operations_claimable ON operations (available_at)
  WHERE lease_token IS NULL AND status IN ('notStarted', 'running');
CREATE INDEX operations_leased ON operations (lease_expires_at) WHERE lease_token IS NOT NULL;
CREATE INDEX operations_by_target ON operations (tenant_id, kind, target_id, created_at);
CREATE INDEX operations_by_tenant ON operations (tenant_id, created_at);

-- Guarded in the store, not only in code: within one run, no step back and no change after the end.
CREATE TRIGGER operations_forward_only BEFORE UPDATE ON operations
WHEN NEW.run = OLD.run AND (
  (OLD.status IN ('succeeded', 'failed'))
  OR (OLD.status = 'running' AND NEW.status = 'notStarted')
)
BEGIN
  SELECT RAISE(ABORT, 'operation status may only move forward');
END;

CREATE TABLE operation_events (
  operation_id  TEXT NOT NULL,
  run           INTEGER NOT NULL,
  seq           INTEGER NOT NULL,
  at            BIGINT NOT NULL,
  type          TEXT NOT NULL,
  attempt       INTEGER NOT NULL,
  detail        TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (operation_id, run, seq)
);

-- Directory changes made by operations (Entra's audit log): written in the effect's transaction,
-- so each operation's effect appears exactly once.
CREATE TABLE audit_events (
  tenant_id     TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  at            BIGINT NOT NULL,
  activity      TEXT NOT NULL,
  target_id     TEXT NOT NULL,
  operation_id  TEXT,
  initiated_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_operation ON audit_events (operation_id);

-- Retried POSTs (Repeatability-Request-ID / client-request-id) answered with the first
-- request's operation. A row past expires_at is dead and is overwritten by the next use of its key.
CREATE TABLE idempotency_keys (
  tenant_id        TEXT NOT NULL,
  scope            TEXT NOT NULL,               -- who and what, e.g. resetPassword/{caller}/{target}
  key              TEXT NOT NULL,               -- header kind and value, e.g. repeatability:{id}
  fingerprint      TEXT NOT NULL,               -- SHA-256 of the request's non-secret parts
  secret_digest    TEXT,                        -- argon2id of a secret in the request; never clear text
  operation_id     TEXT NOT NULL,
  response         TEXT NOT NULL,               -- JSON of what to replay (never a clear password)
  created_at       BIGINT NOT NULL,
  expires_at       BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, scope, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
`;
