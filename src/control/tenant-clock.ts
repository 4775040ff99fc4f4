/**
 * The tenant's clock (docs/controls.md): read it, move it forward. Tenant time drives what a
 * client sees of the tenant (token lifetimes, operation timestamps, rule timelines, alert
 * evaluation); leases and heartbeats keep real time.
 */
import type { Clock } from '../shared/clock.js';
import type { TenantTime } from '../shared/tenant-time.js';
import { toGraphTimestamp } from '../shared/timestamps.js';
import type { Store } from '../storage/store.js';
import { bodyObject, onlyFields } from './control-input.js';
import { RuleValidationError } from './rules/rule-error.js';

export interface TenantClockView {
  now: string;
  offsetSeconds: number;
}

/** Ten years: more than any test needs, far from overflowing a timestamp. */
const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;

export async function readClock(tenantTime: TenantTime, tenantId: string): Promise<TenantClockView> {
  const offsetMs = await tenantTime.offsetMs(tenantId);
  return { now: toGraphTimestamp(tenantTime.clock.now() + offsetMs), offsetSeconds: offsetMs / 1000 };
}

/** Reads `{"advanceSeconds": N}` (N > 0); throws RuleValidationError naming the field. */
export function readAdvance(body: unknown): number {
  const o = bodyObject(body);
  onlyFields(o, ['advanceSeconds']);
  const n = o.advanceSeconds;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0 || n > MAX_ADVANCE_SECONDS || Math.round(n * 1000) < 1) {
    throw new RuleValidationError(
      'advanceSeconds',
      `must be a number of seconds greater than 0 (at most ${MAX_ADVANCE_SECONDS}), got ${JSON.stringify(n)}`,
    );
  }
  return n;
}

/**
 * Moves the tenant's clock forward, and in the same transaction brings its waiting timelines
 * and deferred effects that much closer, so an advance that covers a timeline completes it at
 * once. Other nodes see the new offset within TenantTime's cache period.
 */
export async function advanceClock(
  store: Store,
  tenantTime: TenantTime,
  clock: Clock,
  tenantId: string,
  seconds: number,
): Promise<TenantClockView> {
  const byMs = Math.round(seconds * 1000);
  const now = clock.now();
  await store.transaction(async (tx) => {
    await tx.tenantClocks.advance(tenantId, byMs, now);
    await tx.timelines.shiftForAdvance(tenantId, byMs, now);
  });
  tenantTime.forget(tenantId);
  return readClock(tenantTime, tenantId);
}
