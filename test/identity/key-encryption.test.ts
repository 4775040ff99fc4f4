/**
 * Signing keys encrypted at rest (AES-256-GCM under LONGRUN_KEY_ENCRYPTION_KEY): new keys are
 * stored encrypted and still sign; a database with encrypted keys is refused without the key or
 * with a wrong one; keys stored in clear are encrypted in place once a key is set.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { jwtVerify, SignJWT } from 'jose';
import { isEncryptedKey, KeyEncryptionError, parseKeyEncryptionKey, prepareSigningKeyCustody } from '../../src/identity/key-encryption.js';
import { SigningKeys } from '../../src/identity/signing-keys.js';
import { ManualClock } from '../../src/shared/clock.js';
import { testStore } from '../support/store.js';

const signAndVerify = async (keys: SigningKeys) => {
  const key = await keys.signingKey();
  const jwt = await new SignJWT({ x: 1 }).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
  await jwtVerify(jwt, (await keys.publicKey(key.kid))!);
};

describe('signing keys encrypted at rest', () => {
  it('parses 32-byte keys in hex or base64 and refuses others', () => {
    assert.equal(parseKeyEncryptionKey(randomBytes(32).toString('hex')).length, 32);
    assert.equal(parseKeyEncryptionKey(randomBytes(32).toString('base64')).length, 32);
    assert.throws(() => parseKeyEncryptionKey('short'), KeyEncryptionError);
  });

  it('stores new keys encrypted; refuses to start without the key or with a wrong one', async () => {
    const store = await testStore();
    try {
      const kek = randomBytes(32);
      await signAndVerify(new SigningKeys(store, new ManualClock(Date.now()), kek));
      const [stored] = await store.keys.all();
      assert.ok(isEncryptedKey(stored!.privateJwk));
      assert.ok(!stored!.privateJwk.includes('"d"'), 'no private exponent in clear');
      await assert.rejects(prepareSigningKeyCustody(store, undefined), /set LONGRUN_KEY_ENCRYPTION_KEY/);
      await assert.rejects(prepareSigningKeyCustody(store, randomBytes(32)), /does not decrypt/);
      await assert.rejects(new SigningKeys(store, new ManualClock(Date.now())).signingKey(), KeyEncryptionError);
      assert.deepEqual(await prepareSigningKeyCustody(store, kek), { encrypted: 0 });
      await signAndVerify(new SigningKeys(store, new ManualClock(Date.now()), kek));
    } finally {
      await store.close();
    }
  });

  it('encrypts keys stored in clear once a key-encryption key is set', async () => {
    const store = await testStore();
    try {
      await new SigningKeys(store, new ManualClock(Date.now())).signingKey();
      assert.ok(!isEncryptedKey((await store.keys.all())[0]!.privateJwk));
      const kek = randomBytes(32);
      assert.deepEqual(await prepareSigningKeyCustody(store, kek), { encrypted: 1 });
      assert.ok(isEncryptedKey((await store.keys.all())[0]!.privateJwk));
      await signAndVerify(new SigningKeys(store, new ManualClock(Date.now()), kek));
    } finally {
      await store.close();
    }
  });
});
