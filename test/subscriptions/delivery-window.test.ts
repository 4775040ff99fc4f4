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
    h = await buildHarness({ settings: { retryWindowMs: 1_500, backoff: { baseMs: 20, maxMs: 60 } } });
    receiver = await Receiver.start();
  });
  after(async () => {
    await receiver.close();
    await h.close();
  });

  it('an endpoint answering 503 every time is retried until the window has passed, then the delivery gives up', async () => {
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
    assert.match(delivery.statusDetail, /not acknowledged within .* the endpoint answered 503/);
    // How many attempts fit in the window depends on the machine's load; the retry itself is
    // asserted in notifications.test.ts (500, then 200).
    assert.ok(receiver.count >= 1);
    assert.equal(delivery?.attempts, receiver.count, 'one POST per attempt');
    assert.ok(delivery.finishedAt! - delivery.createdAt >= 1_500, 'not before the window closed');
  });
});
