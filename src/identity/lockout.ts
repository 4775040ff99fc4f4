import type { PasswordLockoutSettings } from '../directory/model.js';
import type { Store } from '../storage/store.js';

/** Entra's smart-lockout defaults: 10 failures, then locked for 60 seconds. */
export const DEFAULT_PASSWORD_LOCKOUT: Readonly<PasswordLockoutSettings> = Object.freeze({ threshold: 10, durationSeconds: 60 });

/** Failures older than this no longer count towards the threshold (tenant time). */
export const LOCKOUT_OBSERVATION_WINDOW_MS = 60 * 60_000;

/** Each lockout in a row doubles the duration, up to this many doublings (Entra: "increases with each subsequent lockout"). */
const MAX_DOUBLINGS = 6;

export function lockoutDurationMs(settings: PasswordLockoutSettings, previousLockouts: number): number {
  return settings.durationSeconds * 1000 * 2 ** Math.min(previousLockouts, MAX_DOUBLINGS);
}

/**
 * Smart lockout (docs/authentication.md, "Smart lockout"): counters live in the database, so
 * every node sees the same failures; times are tenant time.
 */
export class SmartLockout {
  constructor(private readonly store: Store) {}

  /** True while the account is locked at `now`. */
  async isLocked(tenantId: string, userId: string, now: number): Promise<boolean> {
    const state = await this.store.signInSecurity.lockout(tenantId, userId);
    return state?.lockedUntil != null && state.lockedUntil > now;
  }

  /** Counts a failure; locks the account when it reaches the tenant's threshold. Returns whether it is now locked. */
  async recordFailure(tenantId: string, userId: string, now: number): Promise<boolean> {
    const settings = (await this.store.directory.passwordLockout(tenantId)) ?? DEFAULT_PASSWORD_LOCKOUT;
    const state = await this.store.signInSecurity.recordFailure(tenantId, userId, now, now - LOCKOUT_OBSERVATION_WINDOW_MS);
    if (state.failedCount < settings.threshold) return false;
    return this.store.signInSecurity.lock(tenantId, userId, settings.threshold, now + lockoutDurationMs(settings, state.lockouts), now);
  }

  recordSuccess(tenantId: string, userId: string): Promise<void> {
    return this.store.signInSecurity.recordSuccess(tenantId, userId);
  }
}
