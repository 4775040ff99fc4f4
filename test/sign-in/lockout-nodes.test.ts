/**
 * Smart lockout is shared by every node: two Longrun nodes on one PostgreSQL database, failures
 * spread over both, and both refuse the right password once the threshold is reached. Also two
 * nodes redeeming one authorization code at once: exactly one wins.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_BACKEND, tempStore } from '../support/store.js';
import { aadsts, obtainCode, pkce, tokenRequest } from './support/http-flows.js';
import { startSignInServer, USERS, WEB_APP, type SignInServer } from './support/sign-in-harness.js';

describe('sign-in state shared across nodes', { timeout: 60_000 }, () => {
  const twoNodes = async <T>(fn: (a: SignInServer, b: SignInServer) => Promise<T>): Promise<T> => {
    const db = await tempStore();
    const a = await startSignInServer({ store: db.store });
    const b = await startSignInServer({ store: await db.open(), importFixture: false });
    try {
      return await fn(a, b);
    } finally {
      await a.close();
      await b.close();
      await db.cleanup();
    }
  };

  it('failures on two nodes add up to one lockout', { skip: TEST_BACKEND !== 'postgres' && 'needs PostgreSQL' }, async () => {
    await twoNodes(async (a, b) => {
      const grant = (node: SignInServer, password: string) =>
        tokenRequest(node, {
          grant_type: 'password',
          client_id: WEB_APP.id,
          client_secret: WEB_APP.secret,
          username: USERS.hal!.upn,
          password,
          scope: 'User.Read',
        });
      assert.equal(aadsts((await grant(a, 'wrong-1')).body), 50126);
      assert.equal(aadsts((await grant(b, 'wrong-2')).body), 50126);
      assert.equal(aadsts((await grant(a, 'wrong-3')).body), 50126);
      assert.equal(aadsts((await grant(b, USERS.hal!.password)).body), 50053);
      assert.equal(aadsts((await grant(a, USERS.hal!.password)).body), 50053);
    });
  });

  it(
    'one code redeemed on two nodes at once: exactly one gets tokens',
    { skip: TEST_BACKEND !== 'postgres' && 'needs PostgreSQL' },
    async () => {
      await twoNodes(async (a, b) => {
        for (let round = 0; round < 5; round++) {
          const { verifier, challenge } = pkce();
          const code = await obtainCode(a, {
            clientId: WEB_APP.id,
            redirectUri: WEB_APP.redirectUri,
            username: USERS.ada!.upn,
            password: USERS.ada!.password,
            challenge,
          });
          const form = {
            grant_type: 'authorization_code',
            client_id: WEB_APP.id,
            client_secret: WEB_APP.secret,
            code,
            code_verifier: verifier,
            redirect_uri: WEB_APP.redirectUri,
          };
          const results = await Promise.all([tokenRequest(a, form), tokenRequest(b, form), tokenRequest(b, form)]);
          assert.deepEqual(results.map((r) => r.status).sort(), [200, 400, 400]);
          assert.ok(results.filter((r) => r.status === 400).every((r) => aadsts(r.body) === 54005));
        }
      });
    },
  );
});
