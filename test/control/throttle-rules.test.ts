import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { appToken, APPS, buildHarness, get, guid, insertPasswordReset, TENANT_A, userA, type Harness } from '../support/graph.js';
import { addRule, clearRules, hitsOf } from './support/rules.js';

/** Token buckets of `throttle` rules, driven by the injected clock (no sleeps). */
describe('throttle rules: a token bucket per (tenant, app)', () => {
  let h: Harness;
  let opUrl: string;
  let least: string;
  let higher: string;

  before(async () => {
    h = await buildHarness();
    await insertPasswordReset(h, guid(7), userA('target').id);
    opUrl = `/v1.0/users/${userA('target').id}/authentication/operations/${guid(7)}`;
    least = await appToken(h, 'least');
    higher = await appToken(h, 'higher');
  });
  afterEach(() => clearRules(h.store, TENANT_A));
  after(() => h.close());

  it('lets N requests through per window, then 429 TooManyRequests with the seconds until the next is allowed; refills', async () => {
    const rule = await addRule(h.store, TENANT_A, { type: 'throttle', match: { path: '/v1.0/**' }, requests: 3, perSeconds: 10 });
    for (let i = 0; i < 3; i++) assert.equal((await get(h, opUrl, least)).status, 200, `request ${i + 1} of 3`);
    const refused = await get(h, opUrl, least);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'TooManyRequests');
    // One request comes back every 10/3 s: the next is allowed in 3.33 s, so Retry-After is 4 (whole seconds, never early).
    assert.equal(refused.headers['retry-after'], '4');
    assert.equal(refused.headers['x-ms-throttle-scope'], `Tenant_Application/ReadWrite/${APPS.least.id}/${TENANT_A}`);
    assert.equal(refused.headers['x-ms-throttle-information'], 'ResourceUnitLimitExceeded');

    h.clock.advance(1000);
    const later = await get(h, opUrl, least);
    assert.equal(later.status, 429);
    assert.equal(later.headers['retry-after'], '3', 'the wait shrinks as time passes');

    h.clock.advance(3000); // 4 s after the burst: one request is allowed again, and only one
    assert.equal((await get(h, opUrl, least)).status, 200);
    assert.equal((await get(h, opUrl, least)).status, 429);

    h.clock.advance(10_000); // a whole window: the bucket is full again, and no fuller
    for (let i = 0; i < 3; i++) assert.equal((await get(h, opUrl, least)).status, 200, `refilled request ${i + 1}`);
    assert.equal((await get(h, opUrl, least)).status, 429);
    assert.equal(await hitsOf(h.store, TENANT_A, rule.id), 4, 'a hit is a refused request');
  });

  it("meters what it lets through with Graph's identity headers: x-ms-resource-unit, then x-ms-throttle-limit-percentage from 0.8 of the limit", async () => {
    await addRule(h.store, TENANT_A, { type: 'throttle', match: { path: '/v1.0/**' }, requests: 5, perSeconds: 10 });
    const seen: Array<[unknown, unknown]> = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(h, opUrl, least);
      assert.equal(res.status, 200);
      seen.push([res.headers['x-ms-resource-unit'], res.headers['x-ms-throttle-limit-percentage']]);
    }
    // 1/5, 2/5, 3/5 of the limit: no percentage; 4/5 and 5/5: reported (https://learn.microsoft.com/graph/throttling-limits).
    assert.deepEqual(seen, [
      ['1', undefined],
      ['1', undefined],
      ['1', undefined],
      ['1', '0.8'],
      ['1', '1'],
    ]);
    const refused = await get(h, opUrl, least);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['x-ms-throttle-scope'], `Tenant_Application/ReadWrite/${APPS.least.id}/${TENANT_A}`);
    h.clock.advance(10_000);
    const fresh = await get(h, opUrl, least);
    assert.equal(fresh.headers['x-ms-throttle-limit-percentage'], undefined, 'a refilled bucket is far from its limit');
    await clearRules(h.store, TENANT_A);
    const unmetered = await get(h, opUrl, least);
    assert.equal(unmetered.headers['x-ms-resource-unit'], undefined, 'no throttle rule, no metering');
  });

  it('each app has its own bucket; appId restricts the rule to one app', async () => {
    await addRule(h.store, TENANT_A, { type: 'throttle', match: { path: '/v1.0/users/**' }, requests: 2, perSeconds: 60 });
    for (const token of [least, higher]) {
      assert.equal((await get(h, opUrl, token)).status, 200);
      assert.equal((await get(h, opUrl, token)).status, 200);
      const refused = await get(h, opUrl, token);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['retry-after'], '30');
    }
    await clearRules(h.store, TENANT_A);
    await addRule(h.store, TENANT_A, { type: 'throttle', match: { path: '/v1.0/**', appId: APPS.higher.id }, requests: 1, perSeconds: 5 });
    for (let i = 0; i < 3; i++) assert.equal((await get(h, opUrl, least)).status, 200, 'another app is not throttled');
    assert.equal((await get(h, opUrl, higher)).status, 200);
    const refused = await get(h, opUrl, higher);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '5');
  });

  it('times limits how many requests the rule refuses; deleting the rule ends throttling at once', async () => {
    const limited = await addRule(h.store, TENANT_A, {
      type: 'throttle',
      match: { path: '/v1.0/**' },
      requests: 1,
      perSeconds: 3600,
      times: 2,
    });
    assert.equal((await get(h, opUrl, least)).status, 200);
    assert.equal((await get(h, opUrl, least)).status, 429);
    assert.equal((await get(h, opUrl, least)).status, 429);
    assert.equal((await get(h, opUrl, least)).status, 200, 'used up');
    assert.equal(await hitsOf(h.store, TENANT_A, limited.id), 2);

    await addRule(h.store, TENANT_A, { type: 'throttle', match: { path: '/v1.0/**' }, requests: 1, perSeconds: 3600 });
    assert.equal((await get(h, opUrl, least)).status, 200);
    assert.equal((await get(h, opUrl, least)).status, 429);
    await clearRules(h.store, TENANT_A);
    assert.equal((await get(h, opUrl, least)).status, 200);
    const buckets = await h.store.sql.query(`SELECT * FROM throttle_buckets WHERE tenant_id = ?`, [TENANT_A]);
    assert.deepEqual(buckets, [], 'buckets go with their rule');
  });
});
