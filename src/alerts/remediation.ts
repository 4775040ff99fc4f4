/**
 * What remediating an incident does, decided without touching anything: the caller (the
 * remediate route) applies the plan to storage. Graph answers 400 for non-remediable alerts.
 */
import type { RoleAssignment } from '../directory/model.js';
import { isRemediatable } from './definitions.js';
import { activeGlobalAdminAssignments } from './evaluators/too-many-global-admins.js';
import { alertTypeOfIncident } from './incidents.js';
import type { AlertIncident } from './incidents.js';

/** The effect of remediating one incident. */
export type RemediationPlan =
  /** Delete these role assignments (already-deleted ones are simply skipped by the caller). */
  | { kind: 'removeRoleAssignments'; assignmentIds: string[] }
  /** Turn on "require MFA on activation" in this role's setting (creating the setting if absent). */
  | { kind: 'requireMfaOnActivation'; roleTemplateId: string }
  /** The alert's definition says `isRemediatable: false`. */
  | { kind: 'notRemediable' };

/**
 * Plans the remediation of `incident`. `roleAssignments` are the tenant's current assignments,
 * needed only for TooManyGlobalAdmins, whose incident names a user rather than an assignment:
 * its plan removes that user's active, unexpired Global Administrator assignments (the ones the
 * alert counted), leaving eligible ones, the pattern PIM recommends.
 */
export function planRemediation(incident: AlertIncident, roleAssignments: readonly RoleAssignment[], now: number): RemediationPlan {
  const type = alertTypeOfIncident(incident);
  if (!isRemediatable(type)) return { kind: 'notRemediable' };
  switch (incident['@odata.type']) {
    case '#microsoft.graph.noMfaOnRoleActivationAlertIncident':
      return { kind: 'requireMfaOnActivation', roleTemplateId: incident.roleTemplateId };
    case '#microsoft.graph.tooManyGlobalAdminsAssignedToTenantAlertIncident': {
      const ids = activeGlobalAdminAssignments(roleAssignments, now)
        .filter((a) => a.principalId === incident.assigneeId)
        .map((a) => a.id)
        .sort();
      return { kind: 'removeRoleAssignments', assignmentIds: ids };
    }
    case '#microsoft.graph.redundantAssignmentAlertIncident':
    case '#microsoft.graph.rolesAssignedOutsidePrivilegedIdentityManagementAlertIncident':
    case '#microsoft.graph.staleSignInAlertIncident':
      // These incidents are identified by the role assignment they report.
      return { kind: 'removeRoleAssignments', assignmentIds: [incident.id] };
    case '#microsoft.graph.invalidLicenseAlertIncident':
    case '#microsoft.graph.sequentialActivationRenewalsAlertIncident':
      return { kind: 'notRemediable' };
  }
}
