/**
 * A password the policy rejects: the 202 still comes back (the check's verdict travels with the
 * operation), the operation ends `failed` with a statusDetail naming the broken rule, and the
 * user's old password keeps working.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CALLERS, PEOPLE } from '../support/fixtures/reset-tenant.js';
import { buildHarness, passwordGrant, pollLocation, resetPassword, runOperations, userToken, type Harness } from '../support/passwords.js';

const CASES = [
  { name: 'too short', password: 'Ab1!xyz', detail: /at least 8 characters/ },
  { name: 'banned (a common password with look-alikes)', password: 'P@ssw0rd-Kq81Zt!', detail: /banned|common/i },
  { name: "containing the user's name", password: 'Dorsey#Kq81-Zt!', detail: /name/ },
] as const;

describe('resetPassword: policy failures', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await buildHarness();
    admin = await userToken(h, CALLERS.authAdmin);
  });
  after(() => h.close());

  for (const c of CASES) {
    it(`${c.name}: the operation fails with a useful statusDetail and the old password still works`, async () => {
      const dave = PEOPLE.dave;
      const res = await resetPassword(h, admin, dave.id, { newPassword: c.password });
      assert.equal(res.status, 202);
      await runOperations(h);
      const op = await pollLocation(h, admin, res.headers.location);
      assert.equal(op.body.status, 'failed');
      assert.match(op.body.statusDetail, /^The password was rejected by the password policy: /);
      assert.match(op.body.statusDetail, c.detail);
      assert.ok(!op.body.statusDetail.includes(c.password), 'statusDetail never quotes the password');
      assert.equal((await passwordGrant(h, dave.userPrincipalName, dave.password)).status, 200);
      assert.equal((await passwordGrant(h, dave.userPrincipalName, c.password)).body.error, 'invalid_grant');
      assert.deepEqual(await h.store.audit.forOperation(new URL(String(res.headers.location)).pathname.split('/').pop()!), []);
    });
  }
});
