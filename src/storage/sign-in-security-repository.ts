import type { SqlClient } from './sql.js';

/** A user's smart-lockout counters. */
export interface LockoutState {
  failedCount: number;
  windowStartedAt: number;
  lockedUntil: number | null;
  lockouts: number;
}

/**
 * Per-user sign-in state shared by every node: the revocation generation (revokeSignInSessions,
 * password reset, disabled account) and smart-lockout counters. Storage only; the lockout rules
 * are in src/identity/lockout.ts.
 */
export class SignInSecurityRepository {
  constructor(private readonly sql: SqlClient) {}

  /** The user's current generation (0 when never revoked). */
  async generation(tenantId: string, userId: string): Promise<number> {
    const row = await this.sql.queryOne<{ generation: number }>(
      `SELECT generation FROM sign_in_generations WHERE tenant_id = ? AND user_id = ?`,
      [tenantId, userId],
    );
    return row ? Number(row.generation) : 0;
  }

  /** Moves the user to a new generation: every refresh token issued before is refused. */
  async revokeSessions(tenantId: string, userId: string, now: number): Promise<number> {
    const row = await this.sql.queryOne<{ generation: number }>(
      `INSERT INTO sign_in_generations (tenant_id, user_id, generation, revoked_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET generation = sign_in_generations.generation + 1, revoked_at = excluded.revoked_at
       RETURNING generation`,
      [tenantId, userId, now],
    );
    await this.sql.execute(`UPDATE refresh_tokens SET revoked_at = ? WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL`, [
      now,
      tenantId,
      userId,
    ]);
    return Number(row!.generation);
  }

  async lockout(tenantId: string, userId: string): Promise<LockoutState | undefined> {
    const row = await this.sql.queryOne<{ failed_count: number; window_started_at: number; locked_until: number | null; lockouts: number }>(
      `SELECT failed_count, window_started_at, locked_until, lockouts FROM sign_in_lockouts WHERE tenant_id = ? AND user_id = ?`,
      [tenantId, userId],
    );
    return (
      row && {
        failedCount: Number(row.failed_count),
        windowStartedAt: Number(row.window_started_at),
        lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
        lockouts: Number(row.lockouts),
      }
    );
  }

  /**
   * Counts one failed sign-in in one statement (atomic across nodes): a count whose window
   * started before `windowStart` starts again at 1. Returns the counters after the failure.
   */
  async recordFailure(tenantId: string, userId: string, now: number, windowStart: number): Promise<LockoutState> {
    const row = await this.sql.queryOne<{ failed_count: number; window_started_at: number; locked_until: number | null; lockouts: number }>(
      `INSERT INTO sign_in_lockouts (tenant_id, user_id, failed_count, window_started_at, locked_until, lockouts) VALUES (?, ?, 1, ?, NULL, 0)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET
         failed_count = CASE WHEN sign_in_lockouts.window_started_at < ? THEN 1 ELSE sign_in_lockouts.failed_count + 1 END,
         window_started_at = CASE WHEN sign_in_lockouts.window_started_at < ? THEN excluded.window_started_at ELSE sign_in_lockouts.window_started_at END
       RETURNING failed_count, window_started_at, locked_until, lockouts`,
      [tenantId, userId, now, windowStart, windowStart],
    );
    return {
      failedCount: Number(row!.failed_count),
      windowStartedAt: Number(row!.window_started_at),
      lockedUntil: row!.locked_until === null ? null : Number(row!.locked_until),
      lockouts: Number(row!.lockouts),
    };
  }

  /**
   * Locks the account until `lockedUntil` if the count still reaches `threshold`: guarded, so
   * two nodes crossing the threshold at once lock it once (the count restarts at 0).
   */
  async lock(tenantId: string, userId: string, threshold: number, lockedUntil: number, now: number): Promise<boolean> {
    const n = await this.sql.execute(
      `UPDATE sign_in_lockouts SET locked_until = ?, lockouts = lockouts + 1, failed_count = 0, window_started_at = ?
       WHERE tenant_id = ? AND user_id = ? AND failed_count >= ?`,
      [lockedUntil, now, tenantId, userId, threshold],
    );
    return n === 1;
  }

  /** A successful sign-in clears the failure count (the lockout history stays until then too). */
  async recordSuccess(tenantId: string, userId: string): Promise<void> {
    await this.sql.execute(`DELETE FROM sign_in_lockouts WHERE tenant_id = ? AND user_id = ?`, [tenantId, userId]);
  }
}
