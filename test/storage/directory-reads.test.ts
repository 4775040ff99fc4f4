import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempStore, TEST_BACKEND } from '../support/store.js';
import { importFixtures, importGeneratedTenant } from '../support/tenant.js';

interface FixtureUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
}
interface Fixture {
  tenant: { id: string; displayName: string; defaultDomain: string };
  users: FixtureUser[];
}

/** The same tenant with its name, and one user's name and UPN, changed. */
function renamed(fixture: Fixture, user: FixtureUser, suffix: string): Fixture {
  const copy = structuredClone(fixture);
  copy.tenant.displayName = `${fixture.tenant.displayName} ${suffix}`;
  const u = copy.users.find((x) => x.id === user.id)!;
  u.displayName = `${user.displayName} ${suffix}`;
  u.userPrincipalName = `renamed-${suffix}-${user.userPrincipalName}`;
  return copy;
}

describe('directory reads (the request path’s tenant and user look-ups)', () => {
  it('serve repeated look-ups from memory only while nothing was written (SQLite); PostgreSQL always reads', async () => {
    const { store, cleanup } = await tempStore();
    try {
      const fixture = (await importGeneratedTenant(store, 3, 'reads-a', Date.now())) as Fixture;
      const user = fixture.users[1]!;
      const first = await store.directoryReads.findUser(fixture.tenant.id, user.id);
      const again = await store.directoryReads.findUser(fixture.tenant.id, user.id);
      assert.equal(again?.displayName, user.displayName);
      if (TEST_BACKEND === 'sqlite') assert.equal(again, first, 'nothing written: the same object, from memory');
      else assert.notEqual(again, first, 'PostgreSQL: read from the database every time');
      // Any write on this node drops what was kept.
      await store.directory.recordSignIn(fixture.tenant.id, fixture.users[0]!.id, Date.now());
      const afterWrite = await store.directoryReads.findUser(fixture.tenant.id, user.id);
      assert.notEqual(afterWrite, again);
      assert.deepEqual(afterWrite, first);
    } finally {
      await cleanup();
    }
  });

  it('a re-imported tenant is seen at once, on the node that imported it and on another node', async () => {
    const { store: nodeA, open, cleanup } = await tempStore();
    try {
      const nodeB = await open();
      const fixture = (await importGeneratedTenant(nodeA, 3, 'reads-b', Date.now())) as Fixture;
      const tid = fixture.tenant.id;
      const user = fixture.users[1]!;
      // Both nodes have looked the tenant and the user up (and may keep them).
      for (const node of [nodeA, nodeB]) {
        assert.equal((await node.directoryReads.findTenant(tid))?.displayName, fixture.tenant.displayName);
        assert.equal((await node.directoryReads.findUser(tid, user.userPrincipalName))?.displayName, user.displayName);
        assert.equal((await node.directoryReads.findUser(tid, user.id))?.displayName, user.displayName);
      }

      // Re-imported on node B: node A sees it with its very next look-up, as does B.
      await importFixtures(nodeB, [renamed(fixture, user, 'b')], Date.now());
      for (const node of [nodeA, nodeB]) {
        assert.equal((await node.directoryReads.findTenant(tid))?.displayName, `${fixture.tenant.displayName} b`);
        assert.equal((await node.directoryReads.findUser(tid, user.id))?.displayName, `${user.displayName} b`);
        assert.equal(await node.directoryReads.findUser(tid, user.userPrincipalName), undefined, 'the old UPN is gone');
      }

      // And the other way round.
      await importFixtures(nodeA, [renamed(fixture, user, 'a')], Date.now());
      for (const node of [nodeB, nodeA]) {
        assert.equal((await node.directoryReads.findTenant(tid))?.displayName, `${fixture.tenant.displayName} a`);
        assert.equal((await node.directoryReads.findUser(tid, user.id))?.displayName, `${user.displayName} a`);
      }
    } finally {
      await cleanup();
    }
  });
});
