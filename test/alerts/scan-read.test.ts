/**
 * The scan's read of the directory (issue #16): the snapshot holds only the privileged roles'
 * assignments and activations and their principals, counts the other roles' active assignments
 * in SQL, and incidents are written in multi-row statements. All must leave every alert's result
 * exactly as before: the evaluators run here on the new snapshot and on the old one (every
 * assignment, activation and user of the tenant), on a generated tenant, and must agree.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alertConfigurations } from '../../src/alerts/alert-records.js';
import type { TooManyGlobalAdminsAlertConfiguration } from '../../src/alerts/configuration.js';
import { scanScope } from '../../src/alerts/evaluators/directory-facts.js';
import { evaluateAlert } from '../../src/alerts/evaluators/index.js';
import type { DirectorySnapshot } from '../../src/directory/model.js';
import { isPrivilegedRole, roleTemplates } from '../../src/directory/roles.js';
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

  it('reads only the privileged roles and their principals, each with every field an evaluator reads', async () => {
    const { snapshot, old } = await read(IMPORTED_AT);
    const principals = new Set([...snapshot.roleAssignments, ...snapshot.roleActivations].map((x) => x.principalId));
    assert.ok(snapshot.users.length > 0 && snapshot.users.length < old.users.length, `${snapshot.users.length} of ${old.users.length}`);
    assert.deepEqual(
      snapshot.users,
      old.users.filter((u) => principals.has(u.id)),
    );
    assert.deepEqual(
      snapshot.roleAssignments,
      old.roleAssignments.filter((a) => isPrivilegedRole(a.roleTemplateId)),
    );
    assert.deepEqual(
      snapshot.roleActivations,
      old.roleActivations.filter((a) => isPrivilegedRole(a.roleTemplateId)),
    );
    assert.ok(snapshot.roleAssignments.length < old.roleAssignments.length, 'the tenant has assignments of other roles');
  });

  for (const days of [0, 45, 400]) {
    it(`counts the other roles' active, unexpired assignments as of the scan (${days} days after import)`, async () => {
      const now = IMPORTED_AT + days * DAY;
      const { snapshot, old } = await read(now);
      const expected = old.roleAssignments.filter(
        (a) => !isPrivilegedRole(a.roleTemplateId) && a.assignmentType === 'active' && (a.endAt === null || a.endAt > now),
      ).length;
      assert.equal(snapshot.otherActiveAssignmentCount, expected);
      if (days === 0) assert.ok(expected > 0, 'the count covers assignments, not only zero');
    });

    it(`gives every alert the same incidents as the snapshot of everything (${days} days after import)`, async () => {
      const now = IMPORTED_AT + days * DAY;
      const { snapshot, old } = await read(now);
      let incidents = 0;
      for (const configuration of await alertConfigurations(store.alerts, tenantId)) {
        const found = evaluateAlert(snapshot, configuration, now);
        assert.deepEqual(found, evaluateAlert(old, configuration, now), configuration.alertType);
        incidents += found.length;
      }
      assert.ok(incidents > 0, 'the comparison covers incidents, not only empty lists');
    });
  }

  it('decides TooManyGlobalAdmins as before at every share threshold (the count replaces the rows)', async () => {
    const { snapshot, old } = await read(IMPORTED_AT);
    const stored = (await alertConfigurations(store.alerts, tenantId)).find(
      (c): c is TooManyGlobalAdminsAlertConfiguration => c.alertType === 'TooManyGlobalAdminsAssignedToTenantAlert',
    )!;
    const fired = new Set<boolean>();
    for (let percentage = 0; percentage <= 100; percentage++) {
      const configuration = { ...stored, globalAdminCountThreshold: 1, percentageOfGlobalAdminsOutOfRolesThreshold: percentage };
      const found = evaluateAlert(snapshot, configuration, IMPORTED_AT);
      assert.deepEqual(found, evaluateAlert(old, configuration, IMPORTED_AT), `${percentage}%`);
      fired.add(found.length > 0);
    }
    assert.deepEqual([...fired].sort(), [false, true], 'some thresholds fire and some do not');
  });

  it('writes and reads back more incidents than one INSERT holds, in order', async () => {
    const incidents = Array.from({ length: 1203 }, (_, i) => ({ id: `incident-${String(i).padStart(5, '0')}`, n: i }));
    await store.transaction((tx) => tx.alerts.replaceIncidents(tenantId, 'StaleSignInAlert', incidents));
    assert.deepEqual(await store.alerts.incidents(tenantId, 'StaleSignInAlert'), incidents);
    await store.transaction((tx) => tx.alerts.replaceIncidents(tenantId, 'StaleSignInAlert', incidents.slice(0, 2)));
    assert.deepEqual(await store.alerts.incidents(tenantId, 'StaleSignInAlert'), incidents.slice(0, 2));
  });

  /** The scan's read at `now`, and the old one: every role's assignments and activations, every user. */
  async function read(now: number): Promise<{ snapshot: DirectorySnapshot; old: DirectorySnapshot }> {
    const everyRole = { roleTemplateIds: roleTemplates().map((t) => t.id), now };
    return store.transaction(async (tx) => {
      const snapshot = (await tx.directory.snapshot(tenantId, scanScope(now)))!;
      const all = (await tx.directory.snapshot(tenantId, everyRole))!;
      assert.equal(all.otherActiveAssignmentCount, 0, 'the old read holds every assignment');
      return { snapshot, old: { ...all, users: await tx.directory.listUsers(tenantId) } };
    });
  }
});
