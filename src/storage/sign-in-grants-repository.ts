import type { SqlClient } from './sql.js';

/** An authorization code as stored: the code itself only as its SHA-256 hash. */
export interface StoredAuthorizationCode {
  codeHash: string;
  tenantId: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  createdAt: number;
  expiresAt: number;
  redeemedAt: number | null;
}

export type DeviceCodeStatus = 'pending' | 'approved' | 'declined' | 'redeemed';

export interface StoredDeviceCode {
  deviceCodeHash: string;
  userCode: string;
  /** The `{tenant}` the flow started on: a tenant id, `common` or `organizations`. */
  authority: string;
  clientId: string;
  scope: string;
  status: DeviceCodeStatus;
  tenantId: string | null;
  userId: string | null;
  intervalSeconds: number;
  lastPolledAt: number | null;
  createdAt: number;
  expiresAt: number;
}

export interface StoredRefreshToken {
  tokenHash: string;
  familyId: string;
  tenantId: string;
  userId: string;
  clientId: string;
  scope: string;
  sessionGeneration: number;
  createdAt: number;
  expiresAt: number;
  rotatedAt: number | null;
  revokedAt: number | null;
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toCode = (r: Record<string, unknown>): StoredAuthorizationCode => ({
  codeHash: r.code_hash as string,
  tenantId: r.tenant_id as string,
  clientId: r.client_id as string,
  userId: r.user_id as string,
  redirectUri: r.redirect_uri as string,
  scope: r.scope as string,
  nonce: (r.nonce as string | null) ?? null,
  codeChallenge: (r.code_challenge as string | null) ?? null,
  codeChallengeMethod: (r.code_challenge_method as string | null) ?? null,
  createdAt: num(r.created_at),
  expiresAt: num(r.expires_at),
  redeemedAt: numOrNull(r.redeemed_at),
});

const toDeviceCode = (r: Record<string, unknown>): StoredDeviceCode => ({
  deviceCodeHash: r.device_code_hash as string,
  userCode: r.user_code as string,
  authority: r.authority as string,
  clientId: r.client_id as string,
  scope: r.scope as string,
  status: r.status as DeviceCodeStatus,
  tenantId: (r.tenant_id as string | null) ?? null,
  userId: (r.user_id as string | null) ?? null,
  intervalSeconds: num(r.interval_seconds),
  lastPolledAt: numOrNull(r.last_polled_at),
  createdAt: num(r.created_at),
  expiresAt: num(r.expires_at),
});

const toRefreshToken = (r: Record<string, unknown>): StoredRefreshToken => ({
  tokenHash: r.token_hash as string,
  familyId: r.family_id as string,
  tenantId: r.tenant_id as string,
  userId: r.user_id as string,
  clientId: r.client_id as string,
  scope: r.scope as string,
  sessionGeneration: num(r.session_generation),
  createdAt: num(r.created_at),
  expiresAt: num(r.expires_at),
  rotatedAt: numOrNull(r.rotated_at),
  revokedAt: numOrNull(r.revoked_at),
});

/**
 * Authorization codes, device codes and refresh tokens (docs/authentication.md). Storage only:
 * every "use once" is a single guarded UPDATE, so two nodes redeeming the same code cannot
 * both win; the rules (expiry, binding to client, PKCE) live in src/identity/flows/.
 */
export class SignInGrantsRepository {
  constructor(private readonly sql: SqlClient) {}

  async insertCode(c: Omit<StoredAuthorizationCode, 'redeemedAt'>): Promise<void> {
    await this.sql.execute(
      `INSERT INTO authorization_codes (code_hash, tenant_id, client_id, user_id, redirect_uri, scope, nonce, code_challenge,
         code_challenge_method, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.codeHash,
        c.tenantId,
        c.clientId,
        c.userId,
        c.redirectUri,
        c.scope,
        c.nonce,
        c.codeChallenge,
        c.codeChallengeMethod,
        c.createdAt,
        c.expiresAt,
      ],
    );
  }

  async findCode(codeHash: string): Promise<StoredAuthorizationCode | undefined> {
    const row = await this.sql.queryOne<Record<string, unknown>>(`SELECT * FROM authorization_codes WHERE code_hash = ?`, [codeHash]);
    return row && toCode(row);
  }

  /** Marks the code redeemed; false when it already was (the loser of a race, or a replay). */
  async redeemCode(codeHash: string, now: number): Promise<boolean> {
    return (
      (await this.sql.execute(`UPDATE authorization_codes SET redeemed_at = ? WHERE code_hash = ? AND redeemed_at IS NULL`, [
        now,
        codeHash,
      ])) === 1
    );
  }

  async insertDeviceCode(d: Omit<StoredDeviceCode, 'status' | 'tenantId' | 'userId' | 'lastPolledAt'>): Promise<void> {
    await this.sql.execute(
      `INSERT INTO device_codes (device_code_hash, user_code, authority, client_id, scope, status, interval_seconds, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      [d.deviceCodeHash, d.userCode, d.authority, d.clientId, d.scope, d.intervalSeconds, d.createdAt, d.expiresAt],
    );
  }

  async findDeviceCodeByUserCode(userCode: string): Promise<StoredDeviceCode | undefined> {
    const row = await this.sql.queryOne<Record<string, unknown>>(`SELECT * FROM device_codes WHERE user_code = ?`, [userCode]);
    return row && toDeviceCode(row);
  }

  /**
   * Records a poll and returns the code as it was before it: one UPDATE, so the previous poll
   * time read is the one this poll replaced.
   */
  async pollDeviceCode(deviceCodeHash: string, now: number): Promise<StoredDeviceCode | undefined> {
    const before = await this.sql.queryOne<Record<string, unknown>>(`SELECT * FROM device_codes WHERE device_code_hash = ?`, [
      deviceCodeHash,
    ]);
    if (!before) return undefined;
    await this.sql.execute(`UPDATE device_codes SET last_polled_at = ? WHERE device_code_hash = ?`, [now, deviceCodeHash]);
    return toDeviceCode(before);
  }

  /** pending → approved (or declined) for a code not yet expired; false when it was not pending. */
  async decideDeviceCode(
    userCode: string,
    decision: { status: 'approved'; tenantId: string; userId: string } | { status: 'declined' },
    now: number,
  ): Promise<boolean> {
    const n =
      decision.status === 'approved'
        ? await this.sql.execute(
            `UPDATE device_codes SET status = 'approved', tenant_id = ?, user_id = ? WHERE user_code = ? AND status = 'pending' AND expires_at > ?`,
            [decision.tenantId, decision.userId, userCode, now],
          )
        : await this.sql.execute(`UPDATE device_codes SET status = 'declined' WHERE user_code = ? AND status = 'pending'`, [userCode]);
    return n === 1;
  }

  /** approved → redeemed; false when another poll redeemed it first. */
  async redeemDeviceCode(deviceCodeHash: string): Promise<boolean> {
    return (
      (await this.sql.execute(`UPDATE device_codes SET status = 'redeemed' WHERE device_code_hash = ? AND status = 'approved'`, [
        deviceCodeHash,
      ])) === 1
    );
  }

  async insertRefreshToken(t: Omit<StoredRefreshToken, 'rotatedAt' | 'revokedAt'>): Promise<void> {
    await this.sql.execute(
      `INSERT INTO refresh_tokens (token_hash, family_id, tenant_id, user_id, client_id, scope, session_generation, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [t.tokenHash, t.familyId, t.tenantId, t.userId, t.clientId, t.scope, t.sessionGeneration, t.createdAt, t.expiresAt],
    );
  }

  async findRefreshToken(tokenHash: string): Promise<StoredRefreshToken | undefined> {
    const row = await this.sql.queryOne<Record<string, unknown>>(`SELECT * FROM refresh_tokens WHERE token_hash = ?`, [tokenHash]);
    return row && toRefreshToken(row);
  }

  /** Marks the token used (rotated); false when it already was, or was revoked meanwhile. */
  async rotateRefreshToken(tokenHash: string, now: number): Promise<boolean> {
    return (
      (await this.sql.execute(
        `UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL`,
        [now, tokenHash],
      )) === 1
    );
  }

  /** Revokes every token of a family (a rotated token presented again: it may have been stolen). */
  async revokeFamily(familyId: string, now: number): Promise<number> {
    return this.sql.execute(`UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL`, [now, familyId]);
  }
}
