/**
 * Durable delivery: `longrun serve` is killed (SIGKILL) while its executor is in the middle of
 * POSTing a notification (the receiver holds the request); after a restart on the same database
 * the receiver still gets a notification for every operation, the interrupted one again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importTenant } from '../../src/directory/tenant-import.js';
import { INTERNAL_OPERATION_KINDS, OPERATION_KINDS } from '../../src/operations/kinds.js';
import type { PasswordResetInput } from '../../src/passwords/password-reset-handler.js';
import type { Store } from '../../src/storage/store.js';
import { serveArgs, startLongrun } from '../support/child-service.js';
import { tempStore } from '../support/store.js';
import { cheapHasher } from '../support/tenant.js';
import { fixtureOf, TENANT_A } from './support/fixture.js';
import { inMinutes, subscriptionBody } from './support/harness.js';
import { Receiver, waitFor } from './support/receiver.js';

const RESETS = 20;
const ALICE = TENANT_A.users.alice;

const countWhere = async (store: Store, where: string, params: string[] = []): Promise<number> =>
  Number((await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE ${where}`, params))?.n ?? 0);

async function adminToken(url: string): Promise<string> {
  const res = await fetch(`${url}/${TENANT_A.domain}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: TENANT_A.app.id,
      client_secret: TENANT_A.app.secret,
      username: TENANT_A.users.admin.userPrincipalName,
      password: TENANT_A.users.admin.password,
      scope: 'UserAuthenticationMethod.ReadWrite.All',
    }),
  });
  assert.equal(res.status, 200);
  return String(((await res.json()) as { access_token: string }).access_token);
}

describe('notification delivery survives kill -9', () => {
  it('the node delivering a notification is killed mid-POST; after a restart every notification arrives at least once', async () => {
    const db = await tempStore();
    const receiver = await Receiver.start();
    try {
      const imported = await importTenant(db.store, fixtureOf(TENANT_A), cheapHasher, Date.now());
      assert.ok(imported.ok);
      const args = serveArgs(db.url, { demo: false, concurrency: 2, leaseSeconds: 1, logLevel: 'warn' });
      const env = { LONGRUN_EXTENSIONS: 'subscriptions' };
      const first = await startLongrun(args, env);

      const token = await adminToken(first.url);
      const created = await fetch(`${first.url}/v1.0/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          subscriptionBody(receiver.url, `users/${ALICE.id}/authentication/operations`, { expirationDateTime: inMinutes(120) }),
        ),
      });
      assert.equal(created.status, 201, await created.clone().text());

      // The first notification is held open: the node is inside that POST when it dies.
      receiver.answers.push('hold');
      const passwordHash = await cheapHasher.hash('Crash-Test-Passw0rd!');
      const ids: string[] = [];
      for (let i = 0; i < RESETS; i++) {
        const id = `crash-reset-${String(i).padStart(2, '0')}`;
        const input: PasswordResetInput = {
          tenantId: TENANT_A.id,
          userId: ALICE.id,
          passwordHash,
          resourceLocation: 'http://longrun.test/x',
          initiatedBy: 'crash-test',
        };
        await db.store.operations.insert(
          { id, tenantId: TENANT_A.id, kind: OPERATION_KINDS.passwordReset, targetId: ALICE.id, input, maxAttempts: 5 },
          Date.now(),
        );
        ids.push(id);
      }
      await waitFor(() => receiver.count >= 1, 'the first notification to reach the receiver', 20_000);
      const heldId = receiver.notifications[0]!.body.value[0].resourceData.id as string;
      const inFlight = await countWhere(db.store, `kind = ? AND status = 'running' AND lease_token IS NOT NULL`, [
        INTERNAL_OPERATION_KINDS.notificationDelivery,
      ]);
      assert.ok(inFlight >= 1, 'a delivery is running when the node dies');
      first.child.kill('SIGKILL');
      assert.equal((await first.exited).signal, 'SIGKILL');

      const second = await startLongrun(args, env);
      try {
        await waitFor(
          async () =>
            (await countWhere(db.store, `kind = ? AND status IN ('succeeded', 'failed')`, [OPERATION_KINDS.passwordReset])) === RESETS &&
            (await countWhere(db.store, `kind = ? AND status = 'succeeded'`, [INTERNAL_OPERATION_KINDS.notificationDelivery])) === RESETS,
          'every reset and every delivery to end',
          40_000,
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
      const heard = new Map<string, number>();
      for (const n of receiver.notifications) {
        const id = n.body.value[0].resourceData.id as string;
        heard.set(id, (heard.get(id) ?? 0) + 1);
        assert.equal(n.body.value[0].resourceData.status, 'succeeded');
      }
      for (const id of ids) assert.ok((heard.get(id) ?? 0) >= 1, `a notification for ${id} arrived`);
      assert.equal(heard.size, RESETS);
      assert.ok(heard.get(heldId)! >= 2, 'the interrupted delivery was sent again');
    } finally {
      await receiver.close();
      await db.cleanup();
    }
  });
});
