/**
 * A SQLite database that refuses writes (SQLITE_READONLY, here through `PRAGMA query_only`, the
 * one way to make a live connection read-only) behind the Graph wire: a reset answers 503
 * serviceNotAvailable with Retry-After and queues nothing, reads still answer, /readyz is not
 * ready; once writes are allowed again the same node accepts resets and runs the one acknowledged
 * before. (A full disk and PostgreSQL's read-only mode: test/storage/store-refuses-writes.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CALLERS, PEOPLE } from '../support/fixtures/reset-tenant.js';
import {
  buildHarness,
  operationIdOf,
  pollLocation,
  request,
  resetPassword,
  runOperations,
  userToken,
  type Harness,
} from '../support/passwords.js';
import { TEST_BACKEND } from '../support/store.js';
import { waitFor } from '../support/wait-for.js';

describe(
  'a read-only SQLite database behind the Graph wire',
  { skip: TEST_BACKEND !== 'sqlite' && 'SQLite only (PostgreSQL: store-refuses-writes.test.ts)' },
  () => {
    let h: Harness;
    let admin: string;
    before(async () => {
      h = await buildHarness();
      admin = await userToken(h, CALLERS.authAdmin);
    });
    after(() => h.close());

    it('answers 503 with Retry-After while read-only, changes nothing, and recovers without a restart', async () => {
      const acknowledged = await resetPassword(h, admin, PEOPLE.alice.userPrincipalName, { newPassword: 'Before-Kq81-Zt!w' });
      assert.equal(acknowledged.status, 202);
      const count = async () => (await h.store.db.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations`))!.n;
      const before = await count();

      await h.store.db.execute('PRAGMA query_only = 1');
      const refused = await resetPassword(h, admin, PEOPLE.alice.userPrincipalName, { newPassword: 'During-Kq81-Zt!w' });
      assert.equal(refused.status, 503);
      assert.match(String(refused.headers['retry-after']), /^\d+$/);
      assert.equal((refused.body as { error: { code: string } }).error.code, 'serviceNotAvailable');
      assert.equal(await count(), before, 'the refused reset queued nothing');
      assert.equal((await pollLocation(h, admin, acknowledged.headers.location)).status, 200, 'reads still answer');
      const ready = await request(h, 'GET', '/readyz');
      assert.equal(ready.status, 503);
      assert.match(String(ready.headers['retry-after']), /^\d+$/);

      await h.store.db.execute('PRAGMA query_only = 0');
      const again = await resetPassword(h, admin, PEOPLE.alice.userPrincipalName, { newPassword: 'After-Kq81-Zt!w' });
      assert.equal(again.status, 202, 'writes are accepted again at once');
      await runOperations(h);
      for (const location of [acknowledged.headers.location, again.headers.location]) {
        const op = await h.store.operations.get(operationIdOf(location));
        assert.equal(op?.status, 'succeeded');
        assert.equal((await h.store.audit.forOperation(op.id)).length, 1);
      }
      // Ready again once no write was refused for a while (10 s), without a restart.
      await waitFor(async () => (await request(h, 'GET', '/readyz')).status === 200, {
        timeoutMs: 15_000,
        intervalMs: 500,
        message: '/readyz is ready again',
      });
    });
  },
);
