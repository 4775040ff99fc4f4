import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATION_KINDS } from '../../src/operations/kinds.js';
import type { PasswordResetInput } from '../../src/passwords/password-reset-handler.js';
import type { Store } from '../../src/storage/store.js';
import { serveArgs, startLongrun } from '../support/child-service.js';
import { tempStore } from '../support/store.js';
import { cheapHasher, importGeneratedTenant } from '../support/tenant.js';

const OPERATIONS = 200;

async function queueResets(store: Store, count: number): Promise<{ tenantId: string; ids: string[] }> {
  const json = await importGeneratedTenant(store, 10, 'crash', Date.now());
  const tenantId = json.tenant.id;
  const users = json.users!.map((u) => u.id);
  const passwordHash = await cheapHasher.hash('Crash-Test-Passw0rd!');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const userId = users[i % users.length]!;
    const input: PasswordResetInput = {
      tenantId,
      userId,
      passwordHash,
      resourceLocation: 'http://longrun.test/x',
      initiatedBy: 'crash-test',
    };
    const id = `crash-${String(i).padStart(4, '0')}`;
    await store.operations.insert(
      { id, tenantId, kind: OPERATION_KINDS.passwordReset, targetId: userId, input, maxAttempts: 5 },
      Date.now(),
    );
    ids.push(id);
  }
  return { tenantId, ids };
}

/** Counts the queued resets only: the node also runs its background alert scans (docs/alerts.md). */
const countWhere = async (store: Store, where: string): Promise<number> =>
  Number(
    (await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE kind = 'passwordReset' AND (${where})`))?.n ?? 0,
  );

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('crash and shutdown of longrun serve (child process)', () => {
  it('kill -9 mid-run, restart: every operation ends terminal, none lost, no effect applied twice', async () => {
    const db = await tempStore();
    try {
      const { tenantId, ids } = await queueResets(db.store, OPERATIONS);
      const args = serveArgs(db.url, { demo: false, concurrency: 2, leaseSeconds: 1, logLevel: 'warn' });
      const first = await startLongrun(args);
      await waitFor(async () => (await countWhere(db.store, `status = 'succeeded'`)) >= 20, 20_000, '20 operations to succeed');
      first.child.kill('SIGKILL');
      const killed = await first.exited;
      assert.equal(killed.signal, 'SIGKILL');
      const terminalAtKill = await countWhere(db.store, `status IN ('succeeded', 'failed')`);
      assert.ok(terminalAtKill < OPERATIONS, `the kill came mid-run (${terminalAtKill}/${OPERATIONS} done)`);

      const second = await startLongrun(args);
      try {
        await waitFor(
          async () => (await countWhere(db.store, `status IN ('succeeded', 'failed')`)) === OPERATIONS,
          30_000,
          'all operations to end',
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      assert.equal(await countWhere(db.store, `id LIKE 'crash-%'`), OPERATIONS, 'no operation lost');
      assert.equal(await countWhere(db.store, `status = 'succeeded'`), OPERATIONS);
      const effects = await db.store.audit.countByOperation(tenantId);
      for (const id of ids) assert.equal(effects.get(id), 1, `operation ${id} applied its effect exactly once`);
      assert.equal(
        [...effects.values()].reduce((a, b) => a + b, 0),
        OPERATIONS,
      );
    } finally {
      await db.cleanup();
    }
  });

  it('SIGTERM while operations run: exit 0, nothing left running without a live lease', async () => {
    const db = await tempStore();
    try {
      await queueResets(db.store, OPERATIONS);
      const service = await startLongrun([
        'serve',
        '--db',
        db.url,
        '--port',
        '0',
        '--no-demo',
        '--concurrency',
        '4',
        '--log-level',
        'warn',
      ]);
      await waitFor(async () => (await countWhere(db.store, `status = 'succeeded'`)) >= 10, 20_000, '10 operations to succeed');
      service.child.kill('SIGTERM');
      const exit = await service.exited;
      assert.equal(exit.code, 0, service.stderr());
      assert.equal(await countWhere(db.store, `lease_token IS NOT NULL`), 0, 'no lease left behind');
      const done = await countWhere(db.store, `status IN ('succeeded', 'failed')`);
      const waiting = await countWhere(db.store, `status IN ('notStarted', 'running') AND lease_token IS NULL`);
      assert.equal(done + waiting, OPERATIONS, 'every operation finished or is back in the queue');
    } finally {
      await db.cleanup();
    }
  });
});
