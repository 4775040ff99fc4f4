/** startPasswordReset without HTTP: who may reset whom, the operation it queues, and retries. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DirectoryUser } from '../../src/directory/model.js';
import { startPasswordReset, type PasswordResetRequest } from '../../src/passwords/start-password-reset.js';
import { ManualClock } from '../../src/shared/clock.js';
import { Refusal } from '../../src/shared/refusal.js';
import type { Store } from '../../src/storage/store.js';
import { DEMO, DEMO_TENANT, demoStore, NOW, ROLES } from './demo-store.js';

describe('startPasswordReset', () => {
  let store: Store;
  const clock = new ManualClock(NOW);
  const user = async (id: string): Promise<DirectoryUser> => (await store.directory.findUser(DEMO_TENANT, id))!;
  const caller = (objectId: string, role: string) => ({ tenantId: DEMO_TENANT, objectId, roleTemplateIds: [role] });
  const request = async (over: Partial<PasswordResetRequest> & { targetId?: string } = {}): Promise<PasswordResetRequest> => ({
    caller: caller(DEMO.privAuthAdmin.id, ROLES.privilegedAuthenticationAdministrator),
    target: await user(over.targetId ?? DEMO.megan.id),
    newPassword: undefined,
    retryKey: undefined,
    operationUrl: (id) => `http://test/ops/${id}`,
    resourceLocation: 'http://test/method',
    ...over,
  });

  before(async () => {
    store = await demoStore();
  });
  after(async () => {
    await store.close();
  });

  it('queues a passwordReset operation holding a hash, and shows a generated password once', async () => {
    const started = await startPasswordReset({ store, clock }, await request());
    assert.equal(started.outcome, 'queued');
    if (started.outcome !== 'queued') return;
    assert.equal(started.location, `http://test/ops/${started.operationId}`);
    assert.ok(started.generatedPassword && started.generatedPassword.length >= 8);
    const op = await store.operations.get(started.operationId);
    assert.equal(op?.kind, 'passwordReset');
    assert.equal(op?.targetId, DEMO.megan.id);
    const input = JSON.stringify(op?.input);
    assert.match(input, /\$argon2id\$/);
    assert.ok(!input.includes(started.generatedPassword), 'the clear password is not stored');
  });

  it('a retry with the same key replays the first operation; a different request with the key is refused', async () => {
    const first = await startPasswordReset({ store, clock }, await request({ retryKey: 'r:key-1' }));
    assert.equal(first.outcome, 'queued');
    const before = await store.operations.count({ tenantId: DEMO_TENANT, kind: 'passwordReset', targetId: DEMO.megan.id });
    const again = await startPasswordReset({ store, clock }, await request({ retryKey: 'r:key-1' }));
    assert.deepEqual(again, { outcome: 'replayed', location: first.outcome === 'queued' ? first.location : '' });
    const reused = await startPasswordReset(
      { store, clock },
      await request({ retryKey: 'r:key-1', newPassword: 'Another-Str0ng-Passw0rd!' }),
    );
    assert.deepEqual(reused, { outcome: 'keyReused' });
    assert.equal(await store.operations.count({ tenantId: DEMO_TENANT, kind: 'passwordReset', targetId: DEMO.megan.id }), before);
  });

  it("refuses the caller's own account", async () => {
    const own = await request({ targetId: DEMO.privAuthAdmin.id });
    await assert.rejects(
      startPasswordReset({ store, clock }, own),
      (e: unknown) => e instanceof Refusal && e.kind === 'forbidden' && /own account/.test(e.message),
    );
  });

  it('refuses a target whose roles the caller may not reset (an Authentication Administrator and a Global Administrator)', async () => {
    const r = await request({ caller: caller(DEMO.authAdmin.id, ROLES.authenticationAdministrator), targetId: DEMO.admin.id });
    const before = await store.operations.count({ tenantId: DEMO_TENANT, kind: 'passwordReset', targetId: DEMO.admin.id });
    await assert.rejects(startPasswordReset({ store, clock }, r), (e: unknown) => e instanceof Refusal && e.kind === 'forbidden');
    assert.equal(await store.operations.count({ tenantId: DEMO_TENANT, kind: 'passwordReset', targetId: DEMO.admin.id }), before);
  });

  it('a password the policy refuses is queued with the verdict, not a hash (the operation fails, as in Graph)', async () => {
    const started = await startPasswordReset({ store, clock }, await request({ newPassword: 'abc' }));
    assert.equal(started.outcome, 'queued');
    if (started.outcome !== 'queued') return;
    assert.equal(started.generatedPassword, undefined);
    const input = (await store.operations.get(started.operationId))?.input as Record<string, unknown>;
    assert.equal(typeof input.policyViolation, 'string');
    assert.equal(input.passwordHash, undefined);
  });
});
