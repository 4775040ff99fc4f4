/**
 * /subscriptions over HTTP with a real notification endpoint: the validation handshake (echo,
 * refusal, mismatch, timeout), the https rule, the expiry limit, renew, delete, list, who may
 * see what, and the route's absence when the extension is off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RMA_READ, TENANT_A, TENANT_B, UAM_READ, UAM_READWRITE_ALL } from './support/fixture.js';
import { appToken, buildHarness, inMinutes, PUBLIC_URL, request, subscriptionBody, userToken, type Harness } from './support/harness.js';
import { Receiver } from './support/receiver.js';

const ALERTS = 'identityGovernance/roleManagementAlerts/operations';
const aliceResource = `users/${TENANT_A.users.alice.id}/authentication/operations`;

describe('subscriptions: create, validate, renew, delete', () => {
  let h: Harness;
  let receiver: Receiver;
  let admin: string;
  before(async () => {
    h = await buildHarness();
    receiver = await Receiver.start();
    admin = await userToken(h, TENANT_A, TENANT_A.users.admin);
  });
  after(async () => {
    await receiver.close();
    await h.close();
  });

  it('201 with the subscription after the endpoint echoed the validation token', async () => {
    receiver.validation = 'echo';
    const before = receiver.validationTokens.length;
    const expiration = inMinutes(120);
    const res = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody(receiver.url, aliceResource, { expirationDateTime: expiration }),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(receiver.validationTokens.length, before + 1, 'one validation request');
    assert.match(receiver.validationTokens.at(-1)!, /^Validation: Testing client application reachability for subscription Request-Id: /);
    assert.equal(res.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#subscriptions/$entity`);
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(res.body.resource, aliceResource);
    assert.equal(res.body.changeType, 'updated');
    assert.equal(res.body.notificationUrl, receiver.url);
    assert.equal(res.body.clientState, 'secret-client-state');
    assert.equal(res.body.applicationId, TENANT_A.app.id);
    assert.equal(res.body.creatorId, TENANT_A.users.admin.id);
    assert.equal(Date.parse(res.body.expirationDateTime), Date.parse(expiration));
    assert.match(res.body.expirationDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);

    const got = await request(h, 'GET', `/v1.0/subscriptions/${res.body.id}`, { token: admin });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, res.body);
  });

  for (const [mode, message] of [
    ['status500', /Notification endpoint must respond with 200 OK to validation request/],
    ['mismatch', /Response must exactly match validationToken query parameter/],
    ['json', /Response must be text\/plain/],
    ['hang', /^Subscription validation request timed out\.$/],
  ] as const) {
    it(`400 InvalidRequest and nothing stored when the endpoint's validation answer is '${mode}'`, async () => {
      const stored = (await request(h, 'GET', '/v1.0/subscriptions', { token: admin })).body.value.length;
      receiver.validation = mode;
      const res = await request(h, 'POST', '/v1.0/subscriptions', { token: admin, body: subscriptionBody(receiver.url, aliceResource) });
      receiver.validation = 'echo';
      receiver.release();
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'InvalidRequest');
      assert.match(res.body.error.message, message);
      assert.equal((await request(h, 'GET', '/v1.0/subscriptions', { token: admin })).body.value.length, stored, 'nothing stored');
    });
  }

  it('400 when nothing listens at the notification URL', async () => {
    const closed = await Receiver.start();
    const url = closed.url;
    await closed.close();
    const res = await request(h, 'POST', '/v1.0/subscriptions', { token: admin, body: subscriptionBody(url, aliceResource) });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /Notification endpoint must respond with 200 OK/);
  });

  it('https only, except a loopback host: http to another host is refused before any request', async () => {
    const res = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody('http://example.com/hook', aliceResource),
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'InvalidRequest');
    assert.match(res.body.error.message, /NotificationUrl scheme='http' is not supported/);
    const ftp = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody('ftp://127.0.0.1/hook', aliceResource),
    });
    assert.match(ftp.body.error.message, /scheme='ftp'/);
  });

  it('expirationDateTime: at most 4320 minutes ahead and in the future, else 400 naming the field', async () => {
    const tooFar = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody(receiver.url, aliceResource, { expirationDateTime: inMinutes(4321) }),
    });
    assert.equal(tooFar.status, 400);
    assert.equal(tooFar.body.error.code, 'ExtensionError');
    assert.match(tooFar.body.error.message, /can only be 4320 minutes in the future \(expirationDateTime/);
    const past = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody(receiver.url, aliceResource, { expirationDateTime: inMinutes(-1) }),
    });
    assert.equal(past.status, 400);
    assert.match(past.body.error.message, /expirationDateTime/);
    const garbage = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody(receiver.url, aliceResource, { expirationDateTime: 'tomorrow' }),
    });
    assert.equal(garbage.status, 400);
    assert.match(garbage.body.error.message, /expirationDateTime 'tomorrow'/);
    const limit = await request(h, 'POST', '/v1.0/subscriptions', {
      token: admin,
      body: subscriptionBody(receiver.url, aliceResource, { expirationDateTime: inMinutes(4319) }),
    });
    assert.equal(limit.status, 201);
  });

  it('400 naming what is wrong in the body', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ changeType: 'created' }, /changeType 'created' is not supported/],
      [{ resource: 'me/messages' }, /Resource 'me\/messages' is not supported/],
      [{ resource: ALERTS }, /not supported on v1\.0/],
      [{ notificationUrl: undefined }, /notificationUrl is a required property/],
      [{ clientState: 'x'.repeat(129) }, /clientState must be at most 128/],
      [{ includeResourceData: true }, /includeResourceData/],
      [{ colour: 'blue' }, /The property 'colour' does not exist/],
    ];
    for (const [change, message] of cases) {
      const res = await request(h, 'POST', '/v1.0/subscriptions', {
        token: admin,
        body: subscriptionBody(receiver.url, aliceResource, change),
      });
      assert.equal(res.status, 400, JSON.stringify(change));
      assert.match(res.body.error.message, message);
    }
  });

  it('PATCH renews expirationDateTime (within the limit) and DELETE removes the subscription', async () => {
    const created = await request(h, 'POST', '/v1.0/subscriptions', { token: admin, body: subscriptionBody(receiver.url, aliceResource) });
    const id = created.body.id as string;
    const later = inMinutes(2000);
    const renewed = await request(h, 'PATCH', `/v1.0/subscriptions/${id}`, { token: admin, body: { expirationDateTime: later } });
    assert.equal(renewed.status, 200);
    assert.equal(Date.parse(renewed.body.expirationDateTime), Date.parse(later));
    assert.equal(
      Date.parse((await request(h, 'GET', `/v1.0/subscriptions/${id}`, { token: admin })).body.expirationDateTime),
      Date.parse(later),
    );
    const tooFar = await request(h, 'PATCH', `/v1.0/subscriptions/${id}`, { token: admin, body: { expirationDateTime: inMinutes(5000) } });
    assert.equal(tooFar.status, 400);
    assert.equal(tooFar.body.error.code, 'ExtensionError');
    const otherField = await request(h, 'PATCH', `/v1.0/subscriptions/${id}`, { token: admin, body: { notificationUrl: receiver.url } });
    assert.equal(otherField.status, 400);
    assert.match(otherField.body.error.message, /only expirationDateTime/);

    const deleted = await request(h, 'DELETE', `/v1.0/subscriptions/${id}`, { token: admin });
    assert.equal(deleted.status, 204);
    assert.equal((await request(h, 'GET', `/v1.0/subscriptions/${id}`, { token: admin })).status, 404);
    assert.equal((await request(h, 'DELETE', `/v1.0/subscriptions/${id}`, { token: admin })).status, 404);
  });

  it("the list holds the caller app's subscriptions for the signed-in user only", async () => {
    const alice = await userToken(h, TENANT_A, TENANT_A.users.alice, [UAM_READ]);
    const own = await request(h, 'POST', '/beta/subscriptions', {
      token: alice,
      body: subscriptionBody(receiver.url, 'me/authentication/operations'),
    });
    assert.equal(own.status, 201, JSON.stringify(own.body));
    const aliceList = await request(h, 'GET', '/beta/subscriptions', { token: alice });
    assert.equal(aliceList.body['@odata.context'], `${PUBLIC_URL}/beta/$metadata#subscriptions`);
    assert.deepEqual(
      aliceList.body.value.map((s: { id: string }) => s.id),
      [own.body.id],
    );
    const adminList = await request(h, 'GET', '/v1.0/subscriptions', { token: admin });
    assert.ok(adminList.body.value.length > 0);
    assert.ok(!adminList.body.value.some((s: { id: string }) => s.id === own.body.id), "another user's subscription is not listed");
    const app = await request(h, 'GET', '/v1.0/subscriptions', { token: await appToken(h, TENANT_A) });
    assert.ok(
      app.body.value.some((s: { id: string }) => s.id === own.body.id),
      'the app sees every subscription it created',
    );
  });
});

describe('subscriptions: permissions', () => {
  let h: Harness;
  let receiver: Receiver;
  let subscriptionId: string;
  before(async () => {
    h = await buildHarness();
    receiver = await Receiver.start();
    const admin = await userToken(h, TENANT_A, TENANT_A.users.admin);
    subscriptionId = (
      await request(h, 'POST', '/v1.0/subscriptions', { token: admin, body: subscriptionBody(receiver.url, aliceResource) })
    ).body.id;
  });
  after(async () => {
    await receiver.close();
    await h.close();
  });

  it('401 without a token', async () => {
    for (const [method, url] of [
      ['POST', '/v1.0/subscriptions'],
      ['GET', '/v1.0/subscriptions'],
      ['GET', `/v1.0/subscriptions/${subscriptionId}`],
    ] as const) {
      const res = await request(h, method, url, method === 'POST' ? { body: subscriptionBody(receiver.url, aliceResource) } : {});
      assert.equal(res.status, 401, `${method} ${url}`);
      assert.equal(res.body.error.code, 'InvalidAuthenticationToken');
    }
  });

  it('403 without the read permission of the resource, before any validation request', async () => {
    const validations = receiver.validationTokens.length;
    const bob = await userToken(h, TENANT_A, TENANT_A.users.bob, [UAM_READ]);
    const others = await request(h, 'POST', '/v1.0/subscriptions', { token: bob, body: subscriptionBody(receiver.url, aliceResource) });
    assert.equal(others.status, 403, 'UserAuthenticationMethod.Read covers only the caller');
    const bare = await request(h, 'POST', '/v1.0/subscriptions', {
      token: await appToken(h, TENANT_A, 'bareApp'),
      body: subscriptionBody(receiver.url, aliceResource),
    });
    assert.equal(bare.status, 403);
    const alerts = await request(h, 'POST', '/beta/subscriptions', { token: bob, body: subscriptionBody(receiver.url, ALERTS) });
    assert.equal(alerts.status, 403);
    assert.equal(alerts.body.error.code, 'Authorization_RequestDenied');
    assert.equal(receiver.validationTokens.length, validations);
    const pra = await userToken(h, TENANT_A, TENANT_A.users.pra, [RMA_READ]);
    assert.equal(
      (await request(h, 'POST', '/beta/subscriptions', { token: pra, body: subscriptionBody(receiver.url, ALERTS) })).status,
      201,
    );
  });

  it('another tenant can neither see, renew nor delete the subscription (404), nor subscribe to its users', async () => {
    const stranger = await userToken(h, TENANT_B, TENANT_B.users.admin, [UAM_READWRITE_ALL]);
    assert.equal((await request(h, 'GET', `/v1.0/subscriptions/${subscriptionId}`, { token: stranger })).status, 404);
    assert.equal(
      (await request(h, 'PATCH', `/v1.0/subscriptions/${subscriptionId}`, { token: stranger, body: { expirationDateTime: inMinutes(10) } }))
        .status,
      404,
    );
    const del = await request(h, 'DELETE', `/v1.0/subscriptions/${subscriptionId}`, { token: stranger });
    assert.equal(del.status, 404);
    assert.equal(del.body.error.code, 'itemNotFound');
    assert.deepEqual((await request(h, 'GET', '/v1.0/subscriptions', { token: stranger })).body.value, []);
    const cross = await request(h, 'POST', '/v1.0/subscriptions', { token: stranger, body: subscriptionBody(receiver.url, aliceResource) });
    assert.equal(cross.status, 404, 'a user of another tenant does not exist here');
    const admin = await userToken(h, TENANT_A, TENANT_A.users.admin);
    assert.equal((await request(h, 'GET', `/v1.0/subscriptions/${subscriptionId}`, { token: admin })).status, 200, 'still there');
  });
});

describe('subscriptions: extension off', () => {
  it("/subscriptions answers Graph's unknown-segment 400, as without the extension", async () => {
    const h = await buildHarness({ extension: false });
    try {
      const admin = await userToken(h, TENANT_A, TENANT_A.users.admin);
      for (const [method, url] of [
        ['GET', '/v1.0/subscriptions'],
        ['POST', '/beta/subscriptions'],
        ['DELETE', '/v1.0/subscriptions/x'],
      ] as const) {
        const res = await request(h, method, url, { token: admin, ...(method === 'POST' ? { body: {} } : {}) });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'BadRequest');
        assert.equal(res.body.error.message, "Resource not found for the segment 'subscriptions'.");
      }
    } finally {
      await h.close();
    }
  });
});
