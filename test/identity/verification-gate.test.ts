/**
 * Bounded password verifications (src/identity/verification-gate.ts): the gate on its own with
 * verifications the test holds, then the token endpoint under a real flood of concurrent
 * wrong-password requests while another user signs in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import argon2 from 'argon2';
import { EntraError } from '../../src/identity/entra-errors.js';
import type { VerifySecret } from '../../src/identity/password-sign-in.js';
import { gatedVerifySecret, VerificationGate, VerificationRefused } from '../../src/identity/verification-gate.js';
import {
  buildHarness,
  PASSWORD,
  PUBLIC_APP,
  START,
  TENANT_ID,
  USERS,
  passwordForm,
  tokenRequest,
  type Harness,
} from '../support/identity.js';
import { cheapHasher } from '../support/tenant.js';
import { waitFor } from '../support/wait-for.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Settles to 'refused:<reason>' or the value, so a test can look at each outcome. */
const outcome = <T>(p: Promise<T>): Promise<T | string> =>
  p.catch((e: unknown) => (e instanceof VerificationRefused ? `refused:${e.reason}` : Promise.reject(e)));

describe('VerificationGate', () => {
  it('runs up to its concurrency, lines up the rest in order, and refuses beyond the line or an account share', async () => {
    const gate = new VerificationGate({ concurrency: 2, queue: 3, perAccount: 2, runningPerAccount: 2 });
    const holds = new Map<string, ReturnType<typeof deferred>>();
    const started: string[] = [];
    const job = (account: string, name: string) =>
      outcome(
        gate.run(account, async () => {
          started.push(name);
          const d = deferred();
          holds.set(name, d);
          await d.promise;
          return name;
        }),
      );
    const a1 = job('a', 'a1');
    const a2 = job('a', 'a2'); // free slots run whatever the account
    const a3 = job('a', 'a3');
    const a4 = job('a', 'a4');
    const a5 = job('a', 'a5'); // a already has 2 waiting
    const b1 = job('b', 'b1');
    const c1 = job('c', 'c1'); // the line (3) is full
    assert.equal(await a5, 'refused:account');
    assert.equal(await c1, 'refused:busy');
    assert.deepEqual([gate.running, gate.queued, gate.refused], [2, 3, 2]);
    assert.deepEqual(started, ['a1', 'a2']);

    holds.get('a1')!.resolve();
    assert.equal(await a1, 'a1');
    await waitFor(() => started.length === 3);
    assert.deepEqual(started, ['a1', 'a2', 'a3']); // first in line first
    assert.deepEqual([gate.running, gate.queued], [2, 2]);
    // a has one waiting now, so it may line up again.
    const a6 = job('a', 'a6');
    assert.equal(gate.queued, 3);

    for (const name of ['a2', 'a3', 'a4', 'b1', 'a6']) {
      await waitFor(() => holds.has(name));
      holds.get(name)!.resolve();
    }
    assert.deepEqual(await Promise.all([a2, a3, a4, b1, a6]), ['a2', 'a3', 'a4', 'b1', 'a6']);
    assert.deepEqual(started, ['a1', 'a2', 'a3', 'a4', 'b1', 'a6']);
    assert.deepEqual([gate.running, gate.queued], [0, 0]);
  });

  it('lets one account run at most half the slots: the others stay free for everyone else', async () => {
    const gate = new VerificationGate({ concurrency: 4, queue: 8 });
    const holds: Record<string, ReturnType<typeof deferred>> = {};
    const started: string[] = [];
    const job = (account: string, name: string) =>
      gate.run(account, async () => {
        started.push(name);
        await (holds[name] = deferred()).promise;
        return name;
      });
    const flood = ['a1', 'a2', 'a3'].map((n) => job('flood', n));
    assert.deepEqual(started, ['a1', 'a2']); // a3 waits although two slots are free
    assert.deepEqual([gate.running, gate.queued], [2, 1]);
    const other = job('someone', 'b1');
    assert.deepEqual(started, ['a1', 'a2', 'b1'], 'another account starts at once');
    holds.a1!.resolve();
    await waitFor(() => started.includes('a3'));
    assert.deepEqual([gate.running, gate.queued], [3, 0]);
    for (const n of ['a2', 'a3', 'b1']) holds[n]!.resolve();
    assert.deepEqual(await Promise.all([...flood, other]), ['a1', 'a2', 'a3', 'b1']);
    assert.equal(gate.running, 0);
  });

  it('frees the slot when a verification throws', async () => {
    const gate = new VerificationGate({ concurrency: 1, queue: 0 });
    await assert.rejects(
      gate.run('a', async () => Promise.reject(new Error('argon2 failed'))),
      /argon2 failed/,
    );
    assert.equal(await gate.run('a', async () => 'next'), 'next');
    assert.equal(gate.running, 0);
  });

  it("turns a refusal into Entra's throttling answer: 429, AADSTS50196, Retry-After", async () => {
    const gate = new VerificationGate({ concurrency: 1, queue: 0 });
    const hold = deferred();
    const verify = gatedVerifySecret(gate, async () => {
      await hold.promise;
      return true;
    });
    const first = verify('hash-1', 'x');
    const refused = await verify('hash-2', 'y').catch((e: unknown) => e);
    assert.ok(refused instanceof EntraError);
    assert.deepEqual(
      [refused.statusCode, refused.error, refused.aadsts, refused.retryAfterSeconds],
      [429, 'temporarily_unavailable', 50196, 1],
    );
    hold.resolve();
    assert.equal(await first, true);
  });
});

describe('token endpoint under a wrong-password flood', () => {
  const FLOOD = 8;
  let h: Harness;
  let aliceHash: string;
  let running = 0;
  let maxRunning = 0;
  let verifications = 0;
  const hold = deferred();
  const gate = new VerificationGate({ concurrency: 1, queue: 4, perAccount: 2 });
  // The real argon2 verify, except that alice's checks wait for the test: the flood's slots stay busy.
  const slowForAlice: VerifySecret = async (hash, clear) => {
    verifications++;
    running++;
    maxRunning = Math.max(maxRunning, running);
    try {
      if (hash === aliceHash) await hold.promise;
      return await argon2.verify(hash, clear);
    } finally {
      running--;
    }
  };
  const publicGrant = (user: 'alice' | 'bob', password: string) => {
    const { client_secret: _secret, ...form } = passwordForm(user, { client_id: PUBLIC_APP, password });
    return tokenRequest(h, form);
  };

  before(async () => {
    h = await buildHarness({ verifySecret: gatedVerifySecret(gate, slowForAlice) });
    // Every seeded user shares one hash; real imports salt each. Give alice her own.
    aliceHash = await cheapHasher.hash(PASSWORD);
    await h.store.directory.setPassword(TENANT_ID, USERS.alice, aliceHash, false, START);
  });
  after(async () => {
    hold.resolve();
    await h.close();
  });

  it('answers the excess at once with 429, runs a bounded number, and still signs another user in', async () => {
    const flood = Array.from({ length: FLOOD }, (_, i) => publicGrant('alice', `wrong-${i}`));
    const settled: Awaited<(typeof flood)[number]>[] = [];
    for (const p of flood) void p.then((r) => settled.push(r));
    // One running, alice's share (2) in line, the other five refused without waiting.
    await waitFor(() => settled.length === FLOOD - 3 && gate.running === 1 && gate.queued === 2, { message: 'flood refused' });
    for (const res of settled) {
      assert.equal(res.status, 429, JSON.stringify(res.body));
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(res.body.error, 'temporarily_unavailable');
      assert.deepEqual(res.body.error_codes, [50196]);
      assert.match(String(res.body.error_description), /^AADSTS50196: /);
    }

    // Bob lines up behind alice's share; he is not refused.
    const bob = publicGrant('bob', PASSWORD);
    await waitFor(() => gate.queued === 3, { message: 'bob in line' });
    hold.resolve();
    const bobRes = await bob;
    assert.equal(bobRes.status, 200, JSON.stringify(bobRes.body));
    assert.equal(typeof bobRes.body.access_token, 'string');

    const flooded = await Promise.all(flood);
    const answers = flooded.map((r) => `${r.status}:${(r.body.error_codes as number[])[0]}`).sort();
    assert.deepEqual(answers, [...Array(3).fill('400:50126'), ...Array(5).fill('429:50196')]);
    assert.equal(maxRunning, 1);
    assert.equal(verifications, 4); // three of alice's, one of bob's: the refused ones never hashed
    assert.equal(gate.refused, 5);
  });

  it('a refused attempt does not count towards smart lockout', async () => {
    const state = await h.store.signInSecurity.lockout(TENANT_ID, USERS.alice);
    assert.equal(state?.failedCount, 3); // the three that were verified, not the five refused
  });
});
