/** GET /users/{id}/authentication/operations: paging, $count, $filter, $select (docs/passwords.md). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  appToken,
  buildHarness,
  claimAll,
  get,
  guid,
  insertPasswordReset,
  PUBLIC_URL,
  succeed,
  userA,
  userToken,
  type Harness,
} from '../support/graph.js';

describe('list authentication operations', () => {
  let h: Harness;
  let tok: string;
  const ids = [1, 2, 3, 4, 5].map((n) => guid(500 + n));
  const base = () => `/v1.0/users/${userA('target').id}/authentication/operations`;

  before(async () => {
    h = await buildHarness();
    tok = await appToken(h, 'least');
    // Three first (they get claimed; two of them succeed), then two more that stay notStarted.
    for (const id of ids.slice(0, 3)) {
      await insertPasswordReset(h, id, userA('target').id);
      h.clock.advance(1000);
    }
    const leases = await claimAll(h);
    await succeed(h, ids[0]!, leases.get(ids[0]!)!);
    await succeed(h, ids[1]!, leases.get(ids[1]!)!);
    for (const id of ids.slice(3)) {
      await insertPasswordReset(h, id, userA('target').id);
      h.clock.advance(1000);
    }
    // Another user's operation must never show up.
    await insertPasswordReset(h, guid(600), userA('noRole').id);
  });
  after(async () => h.close());

  it('without options: all five, context of the collection, no nextLink', async () => {
    const res = await get(h, base(), tok);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#users('${userA('target').id}')/authentication/operations`);
    assert.equal(res.body.value.length, 5);
    assert.deepEqual(new Set(res.body.value.map((o: { id: string }) => o.id)), new Set(ids));
    assert.equal(res.body['@odata.nextLink'], undefined);
    assert.equal(res.body['@odata.count'], undefined);
    assert.match(String(res.headers['content-type']), /^application\/json;odata\.metadata=minimal/);
  });

  it('$top=2: follows @odata.nextLink through three pages, the last without a nextLink', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${base()}?$top=2`;
    const sizes: number[] = [];
    let pages = 0;
    while (url) {
      const res = await get(h, url, tok);
      assert.equal(res.status, 200, `${url}: ${res.raw}`);
      sizes.push(res.body.value.length);
      seen.push(...res.body.value.map((o: { id: string }) => o.id));
      const next: string | undefined = res.body['@odata.nextLink'];
      if (next !== undefined) {
        assert.ok(next.startsWith(`${PUBLIC_URL}/v1.0/users/`), next);
        url = next.slice(PUBLIC_URL.length);
      } else url = undefined;
      assert.ok(++pages <= 5, 'too many pages');
    }
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.equal(seen.length, 5);
    assert.deepEqual(new Set(seen), new Set(ids));
  });

  it('$top=5 exactly: no nextLink', async () => {
    const res = await get(h, `${base()}?$top=5`, tok);
    assert.equal(res.body.value.length, 5);
    assert.equal(res.body['@odata.nextLink'], undefined);
  });

  it('$skip=4: the last one', async () => {
    const res = await get(h, `${base()}?$skip=4`, tok);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body.value.length, 1);
  });

  it('$count=true gives @odata.count (total, not page size)', async () => {
    const res = await get(h, `${base()}?$count=true&$top=2`, tok);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body['@odata.count'], 5);
    assert.equal(res.body.value.length, 2);
    assert.deepEqual(Object.keys(res.body).slice(0, 2), ['@odata.context', '@odata.count']);
  });

  it('nextLink keeps $count and $filter', async () => {
    const res = await get(h, `${base()}?$count=true&$filter=${encodeURIComponent("status eq 'notStarted'")}&$top=1`, tok);
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body['@odata.count'], 2);
    const next = res.body['@odata.nextLink'] as string;
    assert.ok(next);
    const page2 = await get(h, next.slice(PUBLIC_URL.length), tok);
    assert.equal(page2.status, 200, page2.raw);
    assert.equal(page2.body['@odata.count'], 2);
    assert.equal(page2.body.value.length, 1);
    assert.equal(page2.body.value[0].status, 'notStarted');
    assert.notEqual(page2.body.value[0].id, res.body.value[0].id);
    assert.equal(page2.body['@odata.nextLink'], undefined);
  });

  for (const [status, n] of [
    ['succeeded', 2],
    ['running', 1],
    ['notStarted', 2],
    ['failed', 0],
  ] as const) {
    it(`$filter=status eq '${status}' → ${n}`, async () => {
      const res = await get(h, `${base()}?$filter=${encodeURIComponent(`status eq '${status}'`)}&$count=true`, tok);
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.value.length, n);
      assert.equal(res.body['@odata.count'], n);
      for (const op of res.body.value) assert.equal(op.status, status);
    });
  }

  it('$select on the list: only those properties in every item, context with (id,status)', async () => {
    const res = await get(h, `${base()}?$select=id,status`, tok);
    assert.equal(res.status, 200, res.raw);
    assert.equal(
      res.body['@odata.context'],
      `${PUBLIC_URL}/v1.0/$metadata#users('${userA('target').id}')/authentication/operations(id,status)`,
    );
    for (const op of res.body.value) assert.deepEqual(Object.keys(op), ['id', 'status']);
  });

  it('/me list for the signed-in user with UserAuthenticationMethod.Read', async () => {
    const res = await get(h, '/beta/me/authentication/operations', await userToken(h, 'noRole', ['UserAuthenticationMethod.Read']));
    assert.equal(res.status, 200, res.raw);
    assert.equal(res.body.value.length, 1);
    assert.equal(res.body.value[0].id, guid(600));
  });

  for (const [what, query] of [
    ['$filter on another property', `$filter=${encodeURIComponent("id eq 'x'")}`],
    ['$filter with an unknown status', `$filter=${encodeURIComponent("status eq 'done'")}`],
    ['$filter garbage', '$filter=status'],
    ['$top=abc', '$top=abc'],
    ['$top=-1', '$top=-1'],
    ['$skip=abc', '$skip=abc'],
    ['$count=maybe', '$count=maybe'],
    ['$select of an unknown property', '$select=nope'],
  ] as const) {
    it(`${what} → 400 BadRequest`, async () => {
      const res = await get(h, `${base()}?${query}`, tok);
      assert.equal(res.status, 400, res.raw);
      assert.equal(res.body.error.code, 'BadRequest');
    });
  }
});
