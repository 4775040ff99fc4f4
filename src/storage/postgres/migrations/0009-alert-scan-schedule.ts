/**
 * PostgreSQL twin of sqlite/migrations/0009. When each tenant's alerts are next scanned in the background (docs/alerts.md,
 * "Background scans"). `next_scan_at` is epoch ms of the tenant's time; 0 means "at once" (a
 * tenant just imported). A node queues a scan by moving `next_scan_at` forward in the same
 * statement that finds it due, so two nodes never queue the same scan. Every tenant already
 * in the database is due at once, so an upgraded database gets its first scan like an import.
 */
export const up = /* sql */ `
CREATE TABLE alert_scan_schedule (
  tenant_id     TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  next_scan_at  BIGINT NOT NULL
);
CREATE INDEX alert_scan_schedule_due ON alert_scan_schedule (next_scan_at);
INSERT INTO alert_scan_schedule (tenant_id, next_scan_at) SELECT id, 0 FROM tenants;
`;
