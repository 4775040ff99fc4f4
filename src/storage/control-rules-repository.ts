import type { SqlClient } from './sql.js';

export type ControlRuleType = 'operation' | 'http' | 'throttle';

/** A stored rule: its body is the rule as sent (type-specific fields), see docs/controls.md. */
export interface StoredControlRule {
  tenantId: string;
  id: string;
  type: ControlRuleType;
  body: Record<string, unknown>;
  /** Matches the rule still applies to; null: until deleted. */
  timesLeft: number | null;
  hits: number;
  createdAt: number;
}

interface RuleRow {
  tenant_id: string;
  id: string;
  type: ControlRuleType;
  body: string;
  times_left: number | null;
  hits: number;
  created_at: number;
}

const toRule = (r: RuleRow): StoredControlRule => ({
  tenantId: r.tenant_id,
  id: r.id,
  type: r.type,
  body: JSON.parse(r.body) as Record<string, unknown>,
  timesLeft: r.times_left === null ? null : Number(r.times_left),
  hits: Number(r.hits),
  createdAt: Number(r.created_at),
});

/** The control API's rules, per tenant. Storage only: validation and matching live in src/control/. */
export class ControlRulesRepository {
  constructor(private readonly sql: SqlClient) {}

  async insert(rule: Omit<StoredControlRule, 'hits'>): Promise<StoredControlRule> {
    const row = await this.sql.queryOne<RuleRow>(
      `INSERT INTO control_rules (tenant_id, id, type, body, times_left, hits, created_at) VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING *`,
      [rule.tenantId, rule.id, rule.type, JSON.stringify(rule.body), rule.timesLeft, rule.createdAt],
    );
    return toRule(row!);
  }

  /** The tenant's rules, oldest first (the order they are matched in); optionally one type. */
  async list(tenantId: string, type?: ControlRuleType): Promise<StoredControlRule[]> {
    const rows = type
      ? await this.sql.query<RuleRow>(`SELECT * FROM control_rules WHERE tenant_id = ? AND type = ? ORDER BY created_at, id`, [
          tenantId,
          type,
        ])
      : await this.sql.query<RuleRow>(`SELECT * FROM control_rules WHERE tenant_id = ? ORDER BY created_at, id`, [tenantId]);
    return rows.map(toRule);
  }

  async get(tenantId: string, id: string): Promise<StoredControlRule | undefined> {
    const row = await this.sql.queryOne<RuleRow>(`SELECT * FROM control_rules WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row && toRule(row);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return (await this.sql.execute(`DELETE FROM control_rules WHERE tenant_id = ? AND id = ?`, [tenantId, id])) === 1;
  }

  /** Removes every rule of the tenant; returns how many. */
  async clear(tenantId: string): Promise<number> {
    return this.sql.execute(`DELETE FROM control_rules WHERE tenant_id = ?`, [tenantId]);
  }

  /**
   * Records one match of a rule, if it still applies: one guarded UPDATE, so a rule with
   * `times: 3` matches exactly three times however many nodes race for it. Returns the rule
   * after the hit, or undefined when it no longer applies (used up or deleted).
   */
  async takeHit(tenantId: string, id: string): Promise<StoredControlRule | undefined> {
    const row = await this.sql.queryOne<RuleRow>(
      `UPDATE control_rules SET hits = hits + 1, times_left = CASE WHEN times_left IS NULL THEN NULL ELSE times_left - 1 END
       WHERE tenant_id = ? AND id = ? AND (times_left IS NULL OR times_left > 0) RETURNING *`,
      [tenantId, id],
    );
    return row && toRule(row);
  }

  /** A cheap check for the request path: does the tenant have any rule still applying? */
  async anyActive(tenantId: string): Promise<boolean> {
    const row = await this.sql.queryOne<{ n: number }>(
      `SELECT COUNT(*) AS n FROM control_rules WHERE tenant_id = ? AND (times_left IS NULL OR times_left > 0)`,
      [tenantId],
    );
    return Number(row?.n ?? 0) > 0;
  }
}
