/**
 * PostgreSQL twin of sqlite/migrations/0008. The token buckets of `throttle` rules (docs/controls-http.md), in the database so that every
 * node draws from the same bucket. One row per (tenant, rule, app). `tat` is the bucket's
 * "theoretical arrival time" (GCRA, the token bucket written as one number, epoch ms of tenant
 * time): a request is allowed while `tat` is at most `now + perSeconds*1000 - interval`, and
 * each allowed request moves it `interval` (= perSeconds*1000/requests) forward. `allowed`
 * records the last decision, so one atomic upsert both decides and reports. Rows go with their
 * rule. Frozen once released.
 */
export const up = /* sql */ `
CREATE TABLE throttle_buckets (
  tenant_id   TEXT NOT NULL,
  rule_id     TEXT NOT NULL,
  app_id      TEXT NOT NULL,
  tat         DOUBLE PRECISION NOT NULL,
  allowed     INTEGER NOT NULL CHECK (allowed IN (0, 1)),
  PRIMARY KEY (tenant_id, rule_id, app_id),
  FOREIGN KEY (tenant_id, rule_id) REFERENCES control_rules (tenant_id, id) ON DELETE CASCADE
);
`;
