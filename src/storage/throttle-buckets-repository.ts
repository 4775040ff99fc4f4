import type { SqlClient } from './sql.js';

/** What one request drew from a bucket: allowed, or refused until `tat - windowMs + intervalMs`. */
export interface BucketDraw {
  allowed: boolean;
  /** The bucket's theoretical arrival time after the draw (epoch ms of tenant time). */
  tat: number;
}

const FOREIGN_KEY_VIOLATION = new Set(['23503', 'SQLITE_CONSTRAINT_FOREIGNKEY']);

/**
 * The token buckets of `throttle` rules, one row per (tenant, rule, app), shared by every node
 * (docs/controls-http.md). Storage only: the rule's arithmetic is passed in.
 */
export class ThrottleBucketsRepository {
  constructor(private readonly sql: SqlClient) {}

  /**
   * Draws one request from the bucket in ONE atomic upsert (GCRA): allowed when the bucket's
   * `tat` is at most `threshold` (= now + window − interval), and then `tat` becomes
   * max(tat, now) + interval; refused otherwise, with `tat` unchanged. Both SET expressions read
   * the old row, so the decision and the move are one step however many nodes race. Returns
   * undefined when the rule was deleted meanwhile (its buckets go with it).
   */
  async draw(
    key: { tenantId: string; ruleId: string; appId: string },
    now: number,
    intervalMs: number,
    windowMs: number,
  ): Promise<BucketDraw | undefined> {
    const threshold = now + windowMs - intervalMs;
    try {
      const row = await this.sql.queryOne<{ tat: number; allowed: number }>(
        `INSERT INTO throttle_buckets (tenant_id, rule_id, app_id, tat, allowed) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (tenant_id, rule_id, app_id) DO UPDATE SET
           allowed = CASE WHEN throttle_buckets.tat <= ? THEN 1 ELSE 0 END,
           tat = CASE WHEN throttle_buckets.tat <= ?
                      THEN (CASE WHEN throttle_buckets.tat > ? THEN throttle_buckets.tat ELSE ? END) + ?
                      ELSE throttle_buckets.tat END
         RETURNING tat, allowed`,
        [key.tenantId, key.ruleId, key.appId, now + intervalMs, threshold, threshold, now, now, intervalMs],
      );
      return { allowed: Number(row!.allowed) === 1, tat: Number(row!.tat) };
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && FOREIGN_KEY_VIOLATION.has(code)) return undefined;
      throw error;
    }
  }
}
