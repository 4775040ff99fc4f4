/**
 * The retry window: an endpoint that never acknowledges is retried with backoff until the window
 * (Graph: 4 hours; here shortened) has passed, then the delivery fails `notificationUndeliverable`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TENANT_A } from './support/fixture.js';
import { buildHarness, request, resetPassword, settled, subscriptionBody, userToken, type Harness } from './support/harness.js';
import { Receiver, waitFor } from './support/receiver.js';

describe('notification retry window', () => {
  let h: Harness;
  let receiver: Receiver;
  before(async () => {
    h = await buildHarness({ settings: { retryWindowMs: 400, backoff: { baseMs: 20, maxMs: 60 } } });
    receiver = await Receiver.start();
  });
  after(async () => {
    await receiver.close();
    await h.close();
  });

  it('an endpoint answering 503 every time gets several attempts, then the delivery gives up', async () => {
    const admin = await userToken(h, TENANT_A, TENANT_A.users.admin);
    const alice = TENANT_A.users.alice;
    const created = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody(receiver.url, `users/${alice.id}/authentication/operations`),
    });
    assert.equal(created.status, 201);
    receiver.answers.push(...Array.from({ length: 1000 }, () => 503));
    const opId = await resetPassword(h, admin, alice.id, 'Window-Kq81-Zt!w');
    await waitFor(() => settled(h, opId), 'the delivery to give up');
    const delivery = await h.store.operations.get(`notify:${created.body.id}:1:${opId}`);
    assert.equal(delivery?.status, 'failed');
    assert.equal(delivery?.errorCode, 'notificationUndeliverable');
    assert.match(delivery!.statusDetail, /not acknowledged within .* the endpoint answered 503/);
    assert.ok(receiver.count >= 2, `retried (${receiver.count} attempts)`);
    assert.equal(delivery?.attempts, receiver.count, 'one POST per attempt');
    assert.ok(delivery!.finishedAt! - delivery!.createdAt >= 400, 'not before the window closed');
  });
});
