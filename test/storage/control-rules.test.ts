import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempStore } from '../support/store.js';
import { importGeneratedTenant } from '../support/tenant.js';

describe('control rules storage', () => {
  it('times: 3 gives exactly three hits when two connections race for twenty', async () => {
    const t = await tempStore();
    try {
      const tenantId = (await importGeneratedTenant(t.store, 2, 'rules-a', 0)).tenant.id;
      await t.store.controlRules.insert({ tenantId, id: 'r1', type: 'http', body: { match: {} }, timesLeft: 3, createdAt: 1 });
      const other = await t.open();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other : t.store).controlRules.takeHit(tenantId, 'r1')),
      );
      assert.equal(results.filter(Boolean).length, 3);
      const stored = await t.store.controlRules.get(tenantId, 'r1');
      assert.equal(stored?.hits, 3);
      assert.equal(stored?.timesLeft, 0);
      assert.equal(await t.store.controlRules.anyActive(tenantId), false);
    } finally {
      await t.cleanup();
    }
  });

  it("a rule belongs to its tenant only; clear removes only that tenant's rules", async () => {
    const t = await tempStore();
    try {
      const a = (await importGeneratedTenant(t.store, 2, 'rules-b', 0)).tenant.id;
      const b = (await importGeneratedTenant(t.store, 2, 'rules-c', 0)).tenant.id;
      await t.store.controlRules.insert({ tenantId: a, id: 'x', type: 'throttle', body: { requests: 1 }, timesLeft: null, createdAt: 1 });
      await t.store.controlRules.insert({
        tenantId: b,
        id: 'y',
        type: 'operation',
        body: { match: { kind: 'passwordReset' } },
        timesLeft: null,
        createdAt: 2,
      });
      assert.equal(await t.store.controlRules.get(b, 'x'), undefined);
      assert.equal(await t.store.controlRules.takeHit(b, 'x'), undefined);
      assert.equal(await t.store.controlRules.clear(a), 1);
      assert.deepEqual(
        (await t.store.controlRules.list(b)).map((r) => [r.id, r.type, r.body]),
        [['y', 'operation', { match: { kind: 'passwordReset' } }]],
      );
    } finally {
      await t.cleanup();
    }
  });
});
