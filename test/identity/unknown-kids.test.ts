/**
 * Junk tokens with unknown `kid`s must not cost a database read each (src/identity/unknown-kids.ts
 * and SigningKeys.publicKey): reads of the keys table are counted with a spy on the store.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { SigningKeys } from '../../src/identity/signing-keys.js';
import { MAX_UNKNOWN_KIDS, UNKNOWN_KID_TTL_MS, UnknownKids } from '../../src/identity/unknown-kids.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { Store } from '../../src/storage/store.js';
import { testStore } from '../support/store.js';

/** Counts `store.keys.all()` calls (the reload a miss makes). */
function countReads(store: Store): { readonly n: number } {
  const counter = { n: 0 };
  const all = store.keys.all.bind(store.keys);
  store.keys.all = async () => {
    counter.n++;
    return all();
  };
  return counter;
}

const junkKid = (): string => randomBytes(32).toString('base64url');

describe('unknown signing-key ids', () => {
  it('the same unknown kid, asked 200 times, reads the database once', async () => {
    const store = await testStore();
    try {
      const keys = new SigningKeys(store, new ManualClock(1_000));
      await keys.signingKey();
      const reads = countReads(store);
      const kid = junkKid();
      for (let i = 0; i < 200; i++) assert.equal(await keys.publicKey(kid), undefined);
      assert.equal(reads.n, 1);
    } finally {
      await store.close();
    }
  });

  it('100 different unknown kids at once share one reload; a kid unlike a thumbprint reads nothing', async () => {
    const store = await testStore();
    try {
      const keys = new SigningKeys(store, new ManualClock(1_000));
      await keys.signingKey();
      const reads = countReads(store);
      const found = await Promise.all(Array.from({ length: 100 }, () => keys.publicKey(junkKid())));
      assert.ok(found.every((k) => k === undefined));
      assert.equal(reads.n, 1);
      assert.equal(await keys.publicKey('x'.repeat(5_000)), undefined);
      assert.equal(await keys.publicKey('../../etc/passwd'), undefined);
      assert.equal(reads.n, 1);
    } finally {
      await store.close();
    }
  });

  it('a key another node creates after a junk flood is still found (the next reload waits its turn, then finds it)', async () => {
    const store = await testStore();
    try {
      const verifier = new SigningKeys(store, new ManualClock(1_000));
      const reads = countReads(store);
      assert.equal(await verifier.publicKey(junkKid()), undefined);
      // Another node creates the first key now, and signs with it.
      const signer = new SigningKeys(store, new ManualClock(1_000));
      const { kid, privateKey } = await signer.signingKey();
      const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
      assert.ok(jwt);
      const key = await verifier.publicKey(kid);
      assert.ok(key, 'the new key is found by the spaced-out reload');
      assert.equal(reads.n, 2);
    } finally {
      await store.close();
    }
  });

  it('forgets a kid after its time and keeps at most MAX_UNKNOWN_KIDS', () => {
    const unknown = new UnknownKids();
    unknown.add('k', 0);
    assert.equal(unknown.has('k', UNKNOWN_KID_TTL_MS - 1), true);
    assert.equal(unknown.has('k', UNKNOWN_KID_TTL_MS), false);
    for (let i = 0; i <= MAX_UNKNOWN_KIDS; i++) unknown.add(`kid-${i}`, 0);
    assert.equal(unknown.size, MAX_UNKNOWN_KIDS);
    assert.equal(unknown.has('kid-0', 1), false); // the oldest went first
    assert.equal(unknown.has(`kid-${MAX_UNKNOWN_KIDS}`, 1), true);
  });
});
