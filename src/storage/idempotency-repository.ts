import type { SqlClient } from './sql.js';

/** Where a retried request is looked up: one tenant, one (caller, action, target) scope, one client key. */
export interface IdempotencyKey {
  tenantId: string;
  /** Who did what to whom, e.g. `resetPassword/{callerId}/{targetUserId}`: the same client key in another scope is another request. */
  scope: string;
  /** The client's key with its source, e.g. `repeatability:{id}` or `client-request-id:{id}`. */
  key: string;
}

/** What the first request left behind so that a retry can be answered without doing the work again. */
export interface IdempotencyRecord extends IdempotencyKey {
  /** Hash of the request's non-secret parts; a retry must match it exactly. */
  fingerprint: string;
  /** A slow salted hash (argon2id) of the request's secret, if it had one; compared with `verify`, never reversed. */
  secretDigest: string | null;
  operationId: string;
  /** What to replay (JSON-serialisable; never a clear secret). */
  response: unknown;
  createdAt: number;
  expiresAt: number;
}

interface Row {
  tenant_id: string;
  scope: string;
  key: string;
  fingerprint: string;
  secret_digest: string | null;
  operation_id: string;
  response: string;
  created_at: number;
  expires_at: number;
}

const toRecord = (r: Row): IdempotencyRecord => ({
  tenantId: r.tenant_id,
  scope: r.scope,
  key: r.key,
  fingerprint: r.fingerprint,
  secretDigest: r.secret_digest,
  operationId: r.operation_id,
  response: JSON.parse(r.response),
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
});

/**
 * Idempotency keys of retried POSTs. `claim` is meant to run in the same transaction as the
 * work it guards (the operation insert), so either both exist or neither does.
 */
export class IdempotencyRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The live record for `key` at `now`; an expired one counts as absent. */
  async find(k: IdempotencyKey, now: number): Promise<IdempotencyRecord | undefined> {
    const row = await this.sql.queryOne<Row>(
      `SELECT * FROM idempotency_keys WHERE tenant_id = ? AND scope = ? AND key = ? AND expires_at > ?`,
      [k.tenantId, k.scope, k.key, now],
    );
    return row && toRecord(row);
  }

  /**
   * Records the key unless a live record holds it. Returns `{ claimed: true }` when this call
   * owns the key, or the live record that won (a concurrent first request, or an earlier one).
   * An expired record under the same key is replaced. `ON CONFLICT DO NOTHING` rather than a
   * read-then-insert: two writers racing on one key cannot both believe they won.
   */
  async claim(record: IdempotencyRecord, now: number): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
    await this.sql.execute(`DELETE FROM idempotency_keys WHERE tenant_id = ? AND scope = ? AND key = ? AND expires_at <= ?`, [
      record.tenantId,
      record.scope,
      record.key,
      now,
    ]);
    const inserted = await this.sql.execute(
      `INSERT INTO idempotency_keys (tenant_id, scope, key, fingerprint, secret_digest, operation_id, response, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, scope, key) DO NOTHING`,
      [
        record.tenantId,
        record.scope,
        record.key,
        record.fingerprint,
        record.secretDigest,
        record.operationId,
        JSON.stringify(record.response),
        record.createdAt,
        record.expiresAt,
      ],
    );
    if (inserted === 1) return { claimed: true };
    const existing = await this.find(record, now);
    // Unreachable unless the row vanished between the two statements, which a transaction prevents.
    if (!existing) throw new Error(`idempotency key ${record.scope} ${record.key} conflicted but cannot be read`);
    return { claimed: false, existing };
  }

  /** Deletes records expired before `now`; returns how many. Keys past their window are dead weight. */
  async purgeExpired(now: number): Promise<number> {
    return this.sql.execute(`DELETE FROM idempotency_keys WHERE expires_at <= ?`, [now]);
  }
}
