/**
 * Signing-key rotation: the next key is published in the JWKS before it signs; every node
 * switches to it when its activation time comes; the old key stays published while tokens it
 * signed can live, and is removed by a later rotation once none can.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { jwtVerify, SignJWT } from 'jose';
import { rotateSigningKey, SUPERSEDED_KEY_RETENTION_MS } from '../../src/identity/key-rotation.js';
import { SigningKeys } from '../../src/identity/signing-keys.js';
import { ManualClock } from '../../src/shared/clock.js';
import { runLongrun } from '../support/child-service.js';
import { testStore } from '../support/store.js';

const sign = async (keys: SigningKeys) => {
  const key = await keys.signingKey();
  return { kid: key.kid, jwt: await new SignJWT({ x: 1 }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey) };
};
const published = async (keys: SigningKeys) => (await keys.jwks()).keys.map((k) => k.kid).sort();

describe('signing-key rotation', () => {
  it('publishes the next key first, switches every node at its activation, keeps the old one while its tokens live', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const store = await testStore();
    try {
      const nodeA = new SigningKeys(store, clock);
      const nodeB = new SigningKeys(store, clock);
      const first = await sign(nodeA);
      const rotation = await rotateSigningKey(store, clock, { activateAfterSeconds: 600 });
      assert.notEqual(rotation.kid, first.kid);
      assert.deepEqual(await published(nodeB), [first.kid, rotation.kid].sort(), 'published before it signs');
      assert.equal((await sign(nodeA)).kid, first.kid);
      assert.equal((await sign(nodeB)).kid, first.kid);

      clock.advance(600_000);
      const afterA = await sign(nodeA);
      const afterB = await sign(nodeB);
      assert.equal(afterA.kid, rotation.kid);
      assert.equal(afterB.kid, rotation.kid);
      // A token the old key signed still verifies.
      await jwtVerify(first.jwt, (await nodeB.publicKey(first.kid))!);

      // A later rotation, once no token of the first key can live, removes it.
      clock.advance(SUPERSEDED_KEY_RETENTION_MS + 1000);
      const again = await rotateSigningKey(store, clock, { activateAfterSeconds: 600 });
      assert.deepEqual(again.removed, [first.kid]);
      assert.deepEqual((await store.keys.all()).map((k) => k.kid).sort(), [rotation.kid, again.kid].sort());
      assert.equal((await sign(nodeA)).kid, rotation.kid, 'the new next key does not sign before its time');
    } finally {
      await store.close();
    }
  });

  it('longrun keys rotate prints the new kid and when it signs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longrun-rotate-'));
    try {
      const r = await runLongrun(['keys', 'rotate', '--activate-after-seconds', '120', '--db', `sqlite:${join(dir, 'k.db')}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^published signing key [A-Za-z0-9_-]{43}; it signs from \d{4}-\d\d-\d\dT/);
      const bad = await runLongrun(['keys', 'rotate', '--activate-after-seconds', 'soon', '--db', `sqlite:${join(dir, 'k.db')}`]);
      assert.equal(bad.code, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
