import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry } from '../../src/operations/handler.js';
import { operationHandlers } from '../../src/service.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { testStore } from '../support/store.js';
import { importGeneratedTenant } from '../support/tenant.js';
import { addStoredRule, countWhere, queuePlannedResets } from './support/planned-resets.js';

describe('planned timelines hold no executor slot', () => {
  it('1,000 operations with a 60 s running phase are all running at once on an executor of concurrency 4, without a lease', async () => {
    const clock = new ManualClock(Date.UTC(2026, 6, 1));
    const store = await testStore(() => clock.now());
    try {
      const json = await importGeneratedTenant(store, 20, 'timeline-scale', clock.now());
      const tenantId = json.tenant.id;
      await addStoredRule(store, tenantId, 'slow', { match: { kind: 'passwordReset' }, timeline: { runningSeconds: 60 } }, 1);
      const ids = await queuePlannedResets(
        store,
        tenantId,
        json.users!.map((u) => u.id),
        1000,
        () => clock.now(),
      );
      const executor = new Executor({
        store,
        clock,
        logger: silentLogger(),
        handlers: new HandlerRegistry(operationHandlers()),
        concurrency: 4,
      });

      assert.equal(await executor.claimOnce(), 1000);
      assert.equal(executor.inFlightCount, 0, 'no slot taken by a waiting operation');
      assert.equal(await countWhere(store, `status = 'running'`), 1000);
      assert.equal(await countWhere(store, `lease_token IS NOT NULL`), 0, 'no lease held while waiting');
      assert.equal((await store.controlRules.get(tenantId, 'slow'))?.hits, 1000);

      // Just before the end nothing is claimable; at the end they run four at a time.
      clock.advance(59_999);
      assert.equal(await executor.claimOnce(), 0);
      clock.advance(1);
      let maxInFlight = 0;
      while ((await countWhere(store, `status = 'succeeded'`)) < ids.length) {
        await executor.claimOnce();
        maxInFlight = Math.max(maxInFlight, executor.inFlightCount);
        await executor.drain();
      }
      assert.equal(maxInFlight, 4);
      const effects = await store.audit.countByOperation(tenantId);
      assert.equal(effects.size, 1000);
      assert.ok([...effects.values()].every((n) => n === 1));
    } finally {
      await store.close();
    }
  });
});
