import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/shared/clock.js';
import { TenantTime } from '../../src/shared/tenant-time.js';
import { tempStore } from '../support/store.js';
import { importGeneratedTenant } from '../support/tenant.js';

describe('tenant clocks', () => {
  it('advances atomically per tenant, seen by a second connection; other tenants keep real time', async () => {
    const t = await tempStore();
    try {
      const a = (await importGeneratedTenant(t.store, 2, 'clock-a', 0)).tenant.id;
      const b = (await importGeneratedTenant(t.store, 2, 'clock-b', 0)).tenant.id;
      assert.equal(await t.store.tenantClocks.offsetMs(a), 0);
      await Promise.all([t.store.tenantClocks.advance(a, 1000, 1), t.store.tenantClocks.advance(a, 2000, 2)]);
      const other = await t.open();
      assert.equal(await other.tenantClocks.offsetMs(a), 3000);
      assert.equal(await other.tenantClocks.offsetMs(b), 0);
      assert.deepEqual([...(await other.tenantClocks.allOffsets())], [[a, 3000]]);
    } finally {
      await t.cleanup();
    }
  });

  it('TenantTime caches the offset for its cache period and forgets on demand', async () => {
    const t = await tempStore();
    try {
      const a = (await importGeneratedTenant(t.store, 2, 'clock-c', 0)).tenant.id;
      const clock = new ManualClock(1_000_000);
      const time = new TenantTime(clock, t.store.tenantClocks, 1000);
      assert.equal(await time.now(a), 1_000_000);
      await t.store.tenantClocks.advance(a, 60_000, 0);
      assert.equal(await time.now(a), 1_000_000, 'still cached');
      clock.advance(1000);
      assert.equal(await time.now(a), 1_061_000, 'cache expired: offset read again');
      await t.store.tenantClocks.advance(a, 1000, 0);
      time.forget(a);
      assert.equal(await time.now(a), 1_062_000);
    } finally {
      await t.cleanup();
    }
  });
});
