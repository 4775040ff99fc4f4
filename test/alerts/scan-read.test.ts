/**
 * The scan's read of the directory (issue #16): the snapshot holds only the users who hold or
 * activated a role, instead of every user, and incidents are written in multi-row statements.
 * Both must leave every alert's result exactly as before: the evaluators run here on the new
 * snapshot and on the old one (every user of the tenant), on a generated tenant, and must agree.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alertConfigurations } from '../../src/alerts/alert-records.js';
import { evaluateAlert } from '../../src/alerts/evaluators/index.js';
import type { DirectorySnapshot } from '../../src/directory/model.js';
import type { Store } from '../../src/storage/store.js';
import { testStore } from '../support/store.js';
import { importGeneratedTenant } from '../support/tenant.js';

const DAY = 86_400_000;
const IMPORTED_AT = Date.UTC(2026, 5, 1);

describe('the scan snapshot', () => {
  let store: Store;
  let tenantId: string;
  before(async () => {
    store = await testStore();
    tenantId = (await importGeneratedTenant(store, 3000, 'scan-read', IMPORTED_AT)).tenant.id;
  });
  after(() => store.close());

  it('reads only the users who hold or activated a role, each with every field an evaluator reads', async () => {
    const { snapshot, allUsers } = await read();
    const principals = new Set([...snapshot.roleAssignments, ...snapshot.roleActivations].map((x) => x.principalId));
    assert.ok(snapshot.users.length > 0 && snapshot.users.length < allUsers.length, `${snapshot.users.length} of ${allUsers.length}`);
    assert.deepEqual(
      snapshot.users,
      allUsers.filter((u) => principals.has(u.id)),
    );
  });

  for (const days of [0, 45, 400]) {
    it(`gives every alert the same incidents as the snapshot of all users (${days} days after import)`, async () => {
      const { snapshot, allUsers } = await read();
      const old: DirectorySnapshot = { ...snapshot, users: allUsers };
      let incidents = 0;
      for (const configuration of await alertConfigurations(store.alerts, tenantId)) {
        const now = IMPORTED_AT + days * DAY;
        const found = evaluateAlert(snapshot, configuration, now);
        assert.deepEqual(found, evaluateAlert(old, configuration, now), configuration.alertType);
        incidents += found.length;
      }
      assert.ok(incidents > 0, 'the comparison covers incidents, not only empty lists');
    });
  }

  it('writes and reads back more incidents than one INSERT holds, in order', async () => {
    const incidents = Array.from({ length: 1203 }, (_, i) => ({ id: `incident-${String(i).padStart(5, '0')}`, n: i }));
    await store.transaction((tx) => tx.alerts.replaceIncidents(tenantId, 'StaleSignInAlert', incidents));
    assert.deepEqual(await store.alerts.incidents(tenantId, 'StaleSignInAlert'), incidents);
    await store.transaction((tx) => tx.alerts.replaceIncidents(tenantId, 'StaleSignInAlert', incidents.slice(0, 2)));
    assert.deepEqual(await store.alerts.incidents(tenantId, 'StaleSignInAlert'), incidents.slice(0, 2));
  });

  async function read(): Promise<{ snapshot: DirectorySnapshot; allUsers: DirectorySnapshot['users'] }> {
    return store.transaction(async (tx) => ({
      snapshot: (await tx.directory.snapshot(tenantId))!,
      allUsers: await tx.directory.listUsers(tenantId),
    }));
  }
});
