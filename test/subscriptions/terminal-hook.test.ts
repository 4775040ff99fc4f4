/**
 * The terminal-status hook that queues notifications runs in the very transaction that writes the
 * status: on the executor's finish and on the reaper's give-up; a hook that fails takes the
 * status down with it, so no terminal status exists without its notifications.
 */
import assert from 'node:assert/strict';
import argon2 from 'argon2';
import { after, before, describe, it } from 'node:test';
import { importTenant } from '../../src/directory/tenant-import.js';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry, type OperationHandler, type TerminalHook } from '../../src/operations/handler.js';
import { INTERNAL_OPERATION_KINDS, OPERATION_KINDS } from '../../src/operations/kinds.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/storage/store.js';
import type { NotificationDeliveryInput } from '../../src/subscriptions/notification.js';
import { deliveryId, queueNotifications } from '../../src/subscriptions/queue-notifications.js';
import { testStore } from '../support/store.js';
import { fixtureOf, TENANT_A } from './support/fixture.js';

const START = Date.UTC(2026, 6, 1, 8, 0, 0);
const ALICE = TENANT_A.users.alice.id;

const succeeding: OperationHandler = { kind: OPERATION_KINDS.passwordReset, maxAttempts: 3, run: async () => ({ status: 'succeeded' }) };

describe('terminal-status hook', () => {
  let store: Store;
  let clock: ManualClock;
  let n = 0;
  before(async () => {
    clock = new ManualClock(START);
    store = await testStore(() => clock.now());
    const hasher = { hash: (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };
    const imported = await importTenant(store, fixtureOf(TENANT_A), hasher, clock.now());
    assert.ok(imported.ok);
    await store.subscriptions.insert({
      tenantId: TENANT_A.id,
      id: 'sub-alice',
      resource: `users/${ALICE}/authentication/operations`,
      resourceKind: 'authenticationOperations',
      targetUserId: ALICE,
      changeType: 'updated',
      notificationUrl: 'http://127.0.0.1:9/hook',
      clientState: null,
      expiresAt: START + 3_600_000,
      creatorAppId: TENANT_A.app.id,
      creatorId: TENANT_A.users.admin.id,
      creatorKind: 'user',
      createdAt: START,
    });
  });
  after(() => store.close());

  const queueReset = async (maxAttempts = 3): Promise<string> => {
    const id = `reset-${++n}`;
    await store.operations.insert(
      { id, tenantId: TENANT_A.id, kind: OPERATION_KINDS.passwordReset, targetId: ALICE, input: {}, maxAttempts },
      clock.now(),
    );
    return id;
  };
  const executor = (onTerminal: TerminalHook[], leaseMs = 10_000) =>
    new Executor({
      store,
      clock,
      logger: silentLogger(),
      handlers: new HandlerRegistry([succeeding]),
      concurrency: 10,
      leaseMs,
      random: () => 0.5,
      onTerminal,
    });

  it('finish: the delivery is queued with the succeeded status', async () => {
    const id = await queueReset();
    const e = executor([queueNotifications]);
    await e.claimOnce();
    await e.drain();
    assert.equal((await store.operations.get(id))?.status, 'succeeded');
    const delivery = await store.operations.get(deliveryId('sub-alice', { id, run: 1 }));
    assert.equal(delivery?.kind, INTERNAL_OPERATION_KINDS.notificationDelivery);
    assert.equal(delivery?.status, 'notStarted');
    assert.deepEqual(delivery?.input, {
      tenantId: TENANT_A.id,
      subscriptionId: 'sub-alice',
      operationId: id,
      resource: `users/${ALICE}/authentication/operations/${id}`,
      status: 'succeeded',
    });
  });

  it('reaper: an operation failed for a lost worker is notified as failed, in the same transaction', async () => {
    const id = await queueReset(1);
    const claimed = await store.transaction((tx) => tx.operations.claim('dead-worker', clock.now(), 1_000, 10));
    assert.ok(claimed.some((op) => op.id === id));
    clock.advance(2_000);
    assert.ok((await executor([queueNotifications]).reapOnce()) >= 1);
    const op = await store.operations.get(id);
    assert.equal(op?.status, 'failed');
    assert.equal(op?.errorCode, 'workerLost');
    const delivery = await store.operations.get(deliveryId('sub-alice', { id, run: 1 }));
    assert.equal((delivery?.input as NotificationDeliveryInput).status, 'failed');
  });

  it('a hook that throws rolls the terminal status back: no status without its notifications', async () => {
    const id = await queueReset();
    const failing: TerminalHook = async (tx, op) => {
      await queueNotifications(tx, op);
      throw new Error('the notification could not be queued');
    };
    const e = executor([failing]);
    await e.claimOnce();
    await e.drain();
    const op = await store.operations.get(id);
    assert.equal(op?.status, 'running', 'the status was not written');
    assert.equal(await store.operations.get(deliveryId('sub-alice', { id, run: 1 })), undefined, 'nor the delivery');

    const reaped = await store.transaction((tx) => tx.operations.claim('w', clock.now(), 1_000, 10));
    assert.ok(!reaped.some((r) => r.id === id), 'the lease is still held until it expires');
    // The reaper path likewise: a throwing hook leaves the expired lease for the next sweep.
    const single = await queueReset(1);
    await store.transaction((tx) => tx.operations.claim('dead-worker', clock.now(), 1_000, 10));
    clock.advance(20_000);
    await assert.rejects(executor([failing]).reapOnce(), /could not be queued/);
    assert.notEqual((await store.operations.get(single))?.status, 'failed');
  });

  it('operations of kinds nobody subscribes to, and deliveries themselves, queue nothing', async () => {
    const before = await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE kind = ?`, [
      INTERNAL_OPERATION_KINDS.notificationDelivery,
    ]);
    await store.transaction(async (tx) => {
      const op = await tx.operations.get(deliveryId('sub-alice', { id: 'reset-1', run: 1 }));
      await queueNotifications(tx, { ...op!, status: 'succeeded', finishedAt: clock.now() });
      await queueNotifications(tx, { ...op!, kind: 'somethingElse', status: 'failed', finishedAt: clock.now() });
    });
    const after = await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE kind = ?`, [
      INTERNAL_OPERATION_KINDS.notificationDelivery,
    ]);
    assert.equal(Number(after?.n), Number(before?.n));
  });
});
