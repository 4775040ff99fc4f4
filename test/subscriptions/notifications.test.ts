/**
 * Notifications end to end: real password resets and alert refreshes run by the service's own
 * executor, notifications POSTed to real HTTP receivers. Shape, isolation between users and
 * tenants, expiry, deletion, retry after a 500, and deliveries never showing on Graph surfaces.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { INTERNAL_OPERATION_KINDS } from '../../src/operations/kinds.js';
import { TENANT_A, TENANT_B, UAM_READ, UAM_READWRITE_ALL } from './support/fixture.js';
import {
  appToken,
  buildHarness,
  deliveries,
  inMinutes,
  request,
  resetPassword,
  settled,
  subscriptionBody,
  userToken,
  type Harness,
} from './support/harness.js';
import { Receiver, waitFor } from './support/receiver.js';

const userResource = (id: string) => `users/${id}/authentication/operations`;
const GOOD_PASSWORD = 'Fresh-Kq81-Zt!w';

describe('notifications', () => {
  let h: Harness;
  let admin: string;
  /** Taken before any reset changes her password. */
  let aliceSelf: string;
  const receivers: Receiver[] = [];
  const receiver = async (): Promise<Receiver> => {
    const r = await Receiver.start();
    receivers.push(r);
    return r;
  };
  const subscribe = async (token: string, url: string, resource: string, extra: Record<string, unknown> = {}, version = 'v1.0') => {
    const res = await request(h, 'POST', `/${version}/subscriptions`, { token, body: subscriptionBody(url, resource, extra) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; expirationDateTime: string };
  };

  before(async () => {
    h = await buildHarness();
    admin = await userToken(h, TENANT_A, TENANT_A.users.admin);
    aliceSelf = await userToken(h, TENANT_A, TENANT_A.users.alice, [UAM_READ]);
  });
  after(async () => {
    for (const r of receivers) await r.close();
    await h.close();
  });

  it("a succeeded reset: one notification in Graph's shape, acknowledged", async () => {
    const r = await receiver();
    const alice = TENANT_A.users.alice;
    const sub = await subscribe(admin, r.url, userResource(alice.id));
    const opId = await resetPassword(h, admin, alice.id, GOOD_PASSWORD);
    await waitFor(() => settled(h, opId), 'the reset and its notification');
    assert.equal(r.count, 1);
    assert.deepEqual(r.notifications[0]!.body, {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: sub.expirationDateTime,
          clientState: 'secret-client-state',
          changeType: 'updated',
          resource: `users/${alice.id}/authentication/operations/${opId}`,
          tenantId: TENANT_A.id,
          resourceData: {
            '@odata.type': '#microsoft.graph.longRunningOperation',
            '@odata.id': `users/${alice.id}/authentication/operations/${opId}`,
            id: opId,
            status: 'succeeded',
          },
        },
      ],
    });
    const delivery = await h.store.operations.get(`notify:${sub.id}:1:${opId}`);
    assert.equal(delivery?.status, 'succeeded');
  });

  it('a failed reset (the password breaks the policy): status failed', async () => {
    const r = await receiver();
    const bob = TENANT_A.users.bob;
    await subscribe(admin, r.url, userResource(bob.userPrincipalName));
    const opId = await resetPassword(h, admin, bob.id, 'abc');
    await waitFor(() => settled(h, opId), 'the failed reset and its notification');
    assert.equal((await h.store.operations.get(opId))?.status, 'failed');
    assert.equal(r.count, 1);
    assert.equal(r.notifications[0]!.body.value[0].resourceData.status, 'failed');
    assert.equal(r.notifications[0]!.body.value[0].resourceData.id, opId);
  });

  it("isolation: another user's and another tenant's subscribers hear nothing", async () => {
    const aliceOwn = await receiver();
    const bobs = await receiver();
    const otherTenant = await receiver();
    const alice = TENANT_A.users.alice;
    await subscribe(aliceSelf, aliceOwn.url, 'me/authentication/operations');
    await subscribe(admin, bobs.url, userResource(TENANT_A.users.bob.id));
    // Tenant B's admin watches a user of tenant B with the same shape of id.
    const adminB = await userToken(h, TENANT_B, TENANT_B.users.admin, [UAM_READWRITE_ALL]);
    await subscribe(adminB, otherTenant.url, userResource(TENANT_B.users.alice.id));
    await subscribe(await appToken(h, TENANT_B), otherTenant.url, 'identityGovernance/roleManagementAlerts/operations', {}, 'beta');

    const opId = await resetPassword(h, admin, alice.id, 'Another-Kq81-Zt!w');
    await waitFor(() => settled(h, opId), 'the reset and its notifications');
    assert.equal(aliceOwn.count, 1, 'alice hears of her own reset');
    assert.equal(aliceOwn.notifications[0]!.body.value[0].resourceData.id, opId);
    assert.equal(bobs.count, 0, 'a subscriber to bob hears nothing of alice');
    assert.equal(otherTenant.count, 0, 'tenant B hears nothing of tenant A');
  });

  it("an alert refresh notifies the tenant's alert-operation subscribers", async () => {
    const r = await receiver();
    const app = await appToken(h, TENANT_A);
    await subscribe(app, r.url, 'identityGovernance/roleManagementAlerts/operations', {}, 'beta');
    const refresh = await request(h, 'POST', '/beta/identityGovernance/roleManagementAlerts/alerts/refresh', {
      token: app,
      body: { scopeId: '/', scopeType: 'DirectoryRole' },
    });
    assert.equal(refresh.status, 202, JSON.stringify(refresh.body));
    const opId = decodeURIComponent(String(refresh.headers.location).split('/').pop()!);
    await waitFor(() => settled(h, opId), 'the refresh and its notification');
    assert.equal(r.count, 1);
    const n = r.notifications[0]!.body.value[0];
    assert.equal(n.resource, `identityGovernance/roleManagementAlerts/operations/${opId}`);
    assert.equal(n.resourceData.status, (await h.store.operations.get(opId))?.status);
    assert.equal(n.tenantId, TENANT_A.id);
  });

  it('an expired or deleted subscription receives nothing', async () => {
    const expired = await receiver();
    const deleted = await receiver();
    const bob = TENANT_A.users.bob;
    const sub = await subscribe(admin, expired.url, userResource(bob.id), { expirationDateTime: inMinutes(60) });
    const gone = await subscribe(admin, deleted.url, userResource(bob.id));
    assert.equal((await request(h, 'DELETE', `/v1.0/subscriptions/${gone.id}`, { token: admin })).status, 204);
    // Expire the first by tenant time: move the tenant's clock past its expiry.
    await h.store.tenantClocks.advance(TENANT_A.id, 61 * 60_000, Date.now());
    try {
      const opId = await resetPassword(h, admin, bob.id, 'Expired-Kq81-Zt!w');
      await waitFor(() => settled(h, opId), 'the reset');
      assert.equal(expired.count, 0, `subscription ${sub.id} had expired`);
      assert.equal(deleted.count, 0);
    } finally {
      // Tenant clocks only move forward: later tests subscribe with expiries far enough ahead.
      await h.store.sql.execute(`DELETE FROM tenant_clocks WHERE tenant_id = ?`, [TENANT_A.id]);
    }
  });

  it('retry: the endpoint answers 500, then 200; the notification arrives twice, the delivery succeeds', async () => {
    const r = await receiver();
    r.answers.push(500, 200);
    const alice = TENANT_A.users.alice;
    const sub = await subscribe(admin, r.url, userResource(alice.id));
    const opId = await resetPassword(h, admin, alice.id, 'Retry-Kq81-Zt!w');
    await waitFor(() => settled(h, opId), 'the delivery to end');
    assert.equal(r.count, 2);
    assert.deepEqual(r.notifications[1]!.body, r.notifications[0]!.body, 'the same notification again');
    const delivery = await h.store.operations.get(`notify:${sub.id}:1:${opId}`);
    assert.equal(delivery?.status, 'succeeded');
    assert.equal(delivery?.attempts, 2);
    const timeline = await h.store.operations.events(delivery.id, 1);
    assert.deepEqual(
      timeline.map((e) => e.type),
      ['queued', 'claimed', 'retryScheduled', 'claimed', 'succeeded'],
    );
  });

  it("deliveries never show on Graph surfaces: not by id, not in the user's operations list", async () => {
    assert.ok((await deliveries(h)) > 0);
    const rows = await h.store.sql.query<{ id: string; target_id: string }>(`SELECT id, target_id FROM operations WHERE kind = ?`, [
      INTERNAL_OPERATION_KINDS.notificationDelivery,
    ]);
    const alice = TENANT_A.users.alice.id;
    for (const row of rows.slice(0, 3)) {
      const res = await request(h, 'GET', `/v1.0/users/${alice}/authentication/operations/${encodeURIComponent(row.id)}`, { token: admin });
      assert.equal(res.status, 404);
    }
    const list = await request(h, 'GET', `/v1.0/users/${alice}/authentication/operations?$top=100`, { token: admin });
    assert.equal(list.status, 200);
    assert.ok(list.body.value.length > 0);
    assert.ok(list.body.value.every((op: { id: string }) => !op.id.startsWith('notify:')));
  });
});
