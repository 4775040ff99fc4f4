/** PostgreSQL twin of sqlite/migrations/0007 (sign-in flows). Frozen once released. */
export const up = /* sql */ `
ALTER TABLE tenants ADD COLUMN password_lockout TEXT;              -- JSON {threshold, durationSeconds}; NULL: Entra's defaults
ALTER TABLE applications ADD COLUMN redirect_uris TEXT NOT NULL DEFAULT '[]';   -- JSON array, compared exactly
ALTER TABLE applications ADD COLUMN public_client INTEGER NOT NULL DEFAULT 0;
ALTER TABLE applications ADD COLUMN certificates TEXT NOT NULL DEFAULT '[]';    -- JSON [{x5t, x5tS256, publicKeyPem}]

-- Codes and tokens are stored only as SHA-256 hashes; single use is one guarded UPDATE.
CREATE TABLE authorization_codes (
  code_hash              TEXT PRIMARY KEY,
  tenant_id              TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  client_id              TEXT NOT NULL,
  user_id                TEXT NOT NULL,
  redirect_uri           TEXT NOT NULL,
  scope                  TEXT NOT NULL,
  nonce                  TEXT,
  code_challenge         TEXT,
  code_challenge_method  TEXT,
  created_at             BIGINT NOT NULL,
  expires_at             BIGINT NOT NULL,
  redeemed_at            BIGINT
);

CREATE TABLE device_codes (
  device_code_hash  TEXT PRIMARY KEY,
  user_code         TEXT NOT NULL,
  authority         TEXT NOT NULL,            -- tenant id, or common / organizations
  client_id         TEXT NOT NULL,
  scope             TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined', 'redeemed')),
  tenant_id         TEXT,                     -- set on approval: the signed-in user's tenant
  user_id           TEXT,
  interval_seconds  INTEGER NOT NULL,
  last_polled_at    BIGINT,                   -- real time: slow_down is about load, not tenant time
  created_at        BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  CHECK ((status IN ('approved', 'redeemed')) = (user_id IS NOT NULL))
);
CREATE UNIQUE INDEX device_codes_user_code ON device_codes (user_code);

CREATE TABLE refresh_tokens (
  token_hash          TEXT PRIMARY KEY,
  family_id           TEXT NOT NULL,          -- every token rotated from one sign-in
  tenant_id           TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id             TEXT NOT NULL,
  client_id           TEXT NOT NULL,
  scope               TEXT NOT NULL,
  session_generation  INTEGER NOT NULL,       -- the user's generation when issued
  created_at          BIGINT NOT NULL,
  expires_at          BIGINT NOT NULL,
  rotated_at          BIGINT,
  revoked_at          BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (tenant_id, user_id);

-- revokeSignInSessions, a password reset or a disabled account bump the generation: every
-- refresh token issued under an older one is refused.
CREATE TABLE sign_in_generations (
  tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL,
  generation  INTEGER NOT NULL,
  revoked_at  BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);

-- Smart lockout counters, shared by every node (tenant time).
CREATE TABLE sign_in_lockouts (
  tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id            TEXT NOT NULL,
  failed_count       INTEGER NOT NULL,
  window_started_at  BIGINT NOT NULL,
  locked_until       BIGINT,
  lockouts           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, user_id)
);

-- Signing-key rotation (longrun keys rotate): a next key is stored with the time it starts
-- signing, published in the JWKS before that. The single-active-key index becomes "one key
-- created on first use" (racing first nodes still agree on one); rotated keys carry activates_at.
ALTER TABLE signing_keys ADD COLUMN activates_at BIGINT;          -- NULL: signs from creation
DROP INDEX signing_keys_single_active;
CREATE UNIQUE INDEX signing_keys_single_initial ON signing_keys ((activates_at IS NULL)) WHERE activates_at IS NULL;
`;
