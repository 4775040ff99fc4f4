import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT, jwtVerify } from 'jose';
import { SigningKeys } from '../../src/identity/signing-keys.js';
import { ManualClock } from '../../src/shared/clock.js';
import { testStore } from '../support/store.js';

describe('SigningKeys', () => {
  it('creates one key, stores it, and reuses it', async () => {
    const { store } = { store: await testStore() };
    try {
      const keys = new SigningKeys(store, new ManualClock(1_000));
      const first = await keys.signingKey();
      const second = await keys.signingKey();
      assert.equal(first.kid, second.kid);
      const stored = await store.keys.all();
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.kid, first.kid);
      assert.equal(stored[0]!.createdAt, 1_000);
    } finally {
      await store.close();
    }
  });

  it('several instances starting at once on one database end with one key', async () => {
    const { store } = { store: await testStore() };
    try {
      const nodes = Array.from({ length: 5 }, () => new SigningKeys(store, new ManualClock()));
      const kids = await Promise.all(nodes.map(async (n) => (await n.signingKey()).kid));
      assert.equal(new Set(kids).size, 1);
      assert.equal((await store.keys.all()).length, 1);
    } finally {
      await store.close();
    }
  });

  it('signs with a private key that the published public key verifies, and publishes no private part', async () => {
    const { store } = { store: await testStore() };
    try {
      const keys = new SigningKeys(store, new ManualClock());
      const { kid, privateKey } = await keys.signingKey();
      const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
      const publicKey = await keys.publicKey(kid);
      assert.ok(publicKey);
      assert.equal((await jwtVerify(jwt, publicKey)).payload.a, 1);
      const jwks = await keys.jwks();
      for (const k of jwks.keys) for (const secretPart of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(secretPart in k, false);
    } finally {
      await store.close();
    }
  });

  it('answers undefined for a kid no node created', async () => {
    const { store } = { store: await testStore() };
    try {
      assert.equal(await new SigningKeys(store, new ManualClock()).publicKey('unknown'), undefined);
    } finally {
      await store.close();
    }
  });
});
