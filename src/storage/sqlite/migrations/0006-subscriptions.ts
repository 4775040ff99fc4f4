/**
 * Change-notification subscriptions of the `subscriptions` extension (docs/subscriptions.md):
 * one row per subscription, scoped to its tenant. `resource` is the path as the client sent it;
 * `resource_kind` and `target_user_id` are what notifications are matched on (every alert-refresh
 * operation of the tenant, or one user's authentication operations). Deliveries are not here:
 * each is a queued `notificationDelivery` operation, run by the executor.
 */
export const up = /* sql */ `
CREATE TABLE subscriptions (
  tenant_id          TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                 TEXT NOT NULL,
  resource           TEXT NOT NULL,
  resource_kind      TEXT NOT NULL CHECK (resource_kind IN ('alertOperations', 'authenticationOperations')),
  target_user_id     TEXT,
  change_type        TEXT NOT NULL,
  notification_url   TEXT NOT NULL,
  client_state       TEXT,
  expires_at         BIGINT NOT NULL,
  creator_app_id     TEXT NOT NULL,
  creator_id         TEXT NOT NULL,
  creator_kind       TEXT NOT NULL CHECK (creator_kind IN ('user', 'app')),
  created_at         BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CHECK ((resource_kind = 'authenticationOperations') = (target_user_id IS NOT NULL))
);
CREATE INDEX subscriptions_by_resource ON subscriptions (tenant_id, resource_kind, target_user_id, expires_at);
CREATE INDEX subscriptions_by_creator ON subscriptions (tenant_id, creator_app_id, created_at);
`;
