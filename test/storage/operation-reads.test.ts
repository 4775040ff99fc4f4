import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Store } from '../../src/storage/store.js';
import { tempStore, TEST_BACKEND } from '../support/store.js';

async function queued(store: Store): Promise<string> {
  const id = randomUUID();
  await store.operations.insert(
    { id, tenantId: randomUUID(), kind: 'passwordReset', targetId: randomUUID(), input: {}, maxAttempts: 3 },
    Date.now(),
  );
  return id;
}

/** Any other process's write to the operation: its status and last action, as an executor's claim would. */
/**
 * The next request: SQLite's change mark is read once per event-loop turn (sqlite-database.ts),
 * so another process's commit is seen from the next turn on, as by any request arriving after it.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function markRunning(store: Store, id: string, at: number): Promise<void> {
  await store.sql.execute(`UPDATE operations SET status = 'running', last_action_at = ? WHERE id = ?`, [at, id]);
}

describe('operation reads (the status poll’s look-up)', () => {
  it('serve repeated polls from memory only while nothing was written (SQLite); PostgreSQL always reads', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const id = await queued(store);
      const first = await store.operationReads.getShown(id);
      const again = await store.operationReads.getShown(id);
      assert.equal(again?.status, 'notStarted');
      if (TEST_BACKEND === 'sqlite') assert.equal(again, first, 'nothing written: the same object, from memory');
      else assert.notEqual(again, first, 'PostgreSQL: read from the database every time');
      if (TEST_BACKEND === 'sqlite') assert.ok(Object.isFrozen(again), 'a shared value cannot be changed by one caller');

      // A write on this node, even to another operation, drops what was kept.
      await queued(store);
      const afterWrite = await store.operationReads.getShown(id);
      assert.notEqual(afterWrite, again);
      assert.deepEqual(afterWrite, first);
      assert.equal(await store.operationReads.getShown(randomUUID()), undefined, 'an unknown id is not found');
    } finally {
      await cleanup();
    }
  });

  it('a status another node writes is seen by the very next poll, both ways', async () => {
    const { store: nodeA, open, cleanup } = await tempStore();
    try {
      const nodeB = await open();
      const id = await queued(nodeA);
      // Both nodes have polled it (and may keep it).
      for (const node of [nodeA, nodeB]) assert.equal((await node.operationReads.getShown(id))?.status, 'notStarted');

      const at = Date.now() + 5_000;
      await markRunning(nodeB, id, at);
      await nextTurn();
      for (const node of [nodeA, nodeB]) {
        const seen = await node.operationReads.getShown(id);
        assert.equal(seen?.status, 'running');
        assert.equal(seen?.lastActionAt, at);
      }

      await nodeA.sql.execute(`UPDATE operations SET status = 'succeeded', finished_at = ? WHERE id = ?`, [at, id]);
      await nextTurn();
      for (const node of [nodeB, nodeA]) assert.equal((await node.operationReads.getShown(id))?.status, 'succeeded');
    } finally {
      await cleanup();
    }
  });
});
