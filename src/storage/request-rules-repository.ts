import type { SqlClient } from './sql.js';

/**
 * The read the request hook makes about once a second per node (docs/controls-http.md): which
 * tenants have `http` or `throttle` rules that still apply. One query answers for every tenant,
 * so a node whose tenants have no such rules never decodes a token to look further.
 */
export class RequestRulesRepository {
  constructor(private readonly sql: SqlClient) {}

  async tenantsWithRequestRules(): Promise<Set<string>> {
    const rows = await this.sql.query<{ tenant_id: string }>(
      `SELECT DISTINCT tenant_id FROM control_rules WHERE type IN ('http', 'throttle') AND (times_left IS NULL OR times_left > 0)`,
    );
    return new Set(rows.map((r) => r.tenant_id));
  }
}
