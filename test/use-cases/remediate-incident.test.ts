/** remediateIncident without HTTP: the directory change, and nothing written when it refuses. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AlertIncident } from '../../src/alerts/incidents.js';
import { remediateIncident } from '../../src/alerts/remediate-incident.js';
import { ManualClock } from '../../src/shared/clock.js';
import { Refusal } from '../../src/shared/refusal.js';
import type { Store } from '../../src/storage/store.js';
import { DEMO, DEMO_TENANT, demoStore, NOW } from './demo-store.js';

/** Remediation reads only an incident's type and id (the role assignment it reports). */
const outsidePim = {
  '@odata.type': '#microsoft.graph.rolesAssignedOutsidePrivilegedIdentityManagementAlertIncident',
  id: DEMO.grady.gaAssignment,
} as unknown as AlertIncident;
const invalidLicense = { '@odata.type': '#microsoft.graph.invalidLicenseAlertIncident', id: 'license-1' } as unknown as AlertIncident;

describe('remediateIncident', () => {
  let store: Store;
  const clock = new ManualClock(NOW);
  const deps = () => ({ store, clock });
  const gradyAssignments = async () => (await store.directory.roleAssignmentsOf(DEMO_TENANT, DEMO.grady.id)).map((a) => a.id);

  before(async () => {
    store = await demoStore();
    await store.transaction(async (tx) => {
      await tx.alerts.replaceIncidents(DEMO_TENANT, 'RolesAssignedOutsidePimAlert', [outsidePim]);
      await tx.alerts.replaceIncidents(DEMO_TENANT, 'InvalidLicenseAlert', [invalidLicense]);
    });
  });
  after(async () => {
    await store.close();
  });

  it('an unknown incident is refused as not found, and nothing changes', async () => {
    const request = {
      tenantId: DEMO_TENANT,
      alertType: 'RolesAssignedOutsidePimAlert' as const,
      incidentId: 'nope',
      initiatedBy: DEMO.admin.id,
    };
    await assert.rejects(
      remediateIncident(deps(), request),
      (e: unknown) => e instanceof Refusal && e.kind === 'notFound' && /'nope'/.test(e.message),
    );
    assert.deepEqual(await gradyAssignments(), [DEMO.grady.gaAssignment]);
  });

  it('an alert that is not remediable is refused as invalid', async () => {
    const request = {
      tenantId: DEMO_TENANT,
      alertType: 'InvalidLicenseAlert' as const,
      incidentId: 'license-1',
      initiatedBy: DEMO.admin.id,
    };
    await assert.rejects(
      remediateIncident(deps(), request),
      (e: unknown) => e instanceof Refusal && e.kind === 'invalid' && /not remediable/.test(e.message),
    );
  });

  it('removes the role assignment the incident reports and says so', async () => {
    const request = {
      tenantId: DEMO_TENANT,
      alertType: 'RolesAssignedOutsidePimAlert' as const,
      incidentId: DEMO.grady.gaAssignment,
      initiatedBy: DEMO.admin.id,
    };
    const done = await remediateIncident(deps(), request);
    assert.match(done.activity, new RegExp(`removed role assignment\\(s\\) ${DEMO.grady.gaAssignment}`));
    assert.deepEqual(await gradyAssignments(), []);
  });
});
