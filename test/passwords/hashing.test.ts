import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_HASH_COST,
  LOW_HASH_COST_FOR_TESTS,
  createPasswordHasher,
  hashPassword,
  verifyPassword,
} from '../../src/passwords/hashing.js';

const hasher = createPasswordHasher(LOW_HASH_COST_FOR_TESTS);

/** The `m`, `t` and `p` parameters of a PHC string, whatever order the encoder wrote them in. */
function costOf(stored: string): Record<string, number> {
  const params = stored.split('$')[3] ?? '';
  return Object.fromEntries(
    params
      .split(',')
      .map((kv) => kv.split('='))
      .map(([k, v]) => [k, Number(v)]),
  );
}

describe('password hashing', () => {
  it('hashes with argon2id at the OWASP default cost', async () => {
    const stored = await hashPassword('Correct-Horse-42');
    assert.ok(stored.startsWith('$argon2id$v=19$'), stored);
    assert.deepEqual(costOf(stored), { m: 19456, t: 2, p: 1 });
    assert.deepEqual(DEFAULT_HASH_COST, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    assert.equal(await verifyPassword(stored, 'Correct-Horse-42'), true);
  });

  it('hashes with the injected cost', async () => {
    const stored = await hasher.hash('Correct-Horse-42');
    assert.ok(stored.startsWith('$argon2id$'), stored);
    assert.deepEqual(costOf(stored), { m: 1024, t: 1, p: 1 });
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hasher.hash('Correct-Horse-42');
    assert.equal(await hasher.verify(stored, 'Correct-Horse-42'), true);
    assert.equal(await hasher.verify(stored, 'correct-horse-42'), false);
    assert.equal(await verifyPassword(stored, ''), false);
  });

  it('salts every hash, so two hashes of the same password differ', async () => {
    const first = await hasher.hash('Same-Password-1');
    const second = await hasher.hash('Same-Password-1');
    assert.notEqual(first, second);
    assert.equal(await verifyPassword(first, 'Same-Password-1'), true);
    assert.equal(await verifyPassword(second, 'Same-Password-1'), true);
  });

  it('returns false, without throwing, for garbage and truncated hashes', async () => {
    const stored = await hasher.hash('Correct-Horse-42');
    const garbage = [
      '',
      'not a hash',
      '$argon2id$',
      '$argon2id$v=19$m=abc,t=1,p=1$xx$yy',
      stored.slice(0, stored.length - 10),
      '$2b$10$abcdefghijklmnopqrstuuJ3VdO7ys/0tXbJvK5r5p1bq8a9w2Ffq',
      null as unknown as string,
    ];
    for (const candidate of garbage) {
      assert.equal(await verifyPassword(candidate, 'Correct-Horse-42'), false, String(candidate));
    }
  });

  it('refuses argon2i hashes even when the password is right', async () => {
    const argon2i = (await hasher.hash('Correct-Horse-42')).replace('$argon2id$', '$argon2i$');
    assert.equal(await verifyPassword(argon2i, 'Correct-Horse-42'), false);
  });

  it('reports hashes made at another cost as needing a rehash', async () => {
    const cheap = await hasher.hash('Correct-Horse-42');
    assert.equal(hasher.needsRehash(cheap), false);
    assert.equal(createPasswordHasher().needsRehash(cheap), true);
    assert.equal(hasher.needsRehash('garbage'), true);
  });
});
