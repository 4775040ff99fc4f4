/**
 * TooManyGlobalAdminsAssignedToTenantAlert: fires only when both the number of Global
 * Administrators and their share of all role assignments reach the configured thresholds.
 * One incident per Global Administrator (id = user id, as Graph does).
 */
import type { DirectorySnapshot, RoleAssignment } from '../../directory/model.js';
import { ROLE } from '../../directory/roles.js';
import type { TooManyGlobalAdminsAlertConfiguration } from '../configuration.js';
import { INCIDENT_ODATA_TYPES, byIncidentId } from '../incidents.js';
import type { TooManyGlobalAdminsAlertIncident } from '../incidents.js';
import { assigneeFacts, indexUsers, isUnexpired } from './directory-facts.js';

/** Active, unexpired Global Administrator assignments: the ones this alert counts. */
export function activeGlobalAdminAssignments(assignments: readonly RoleAssignment[], now: number): RoleAssignment[] {
  return assignments.filter((a) => a.roleTemplateId === ROLE.globalAdministrator && a.assignmentType === 'active' && isUnexpired(a, now));
}

export function evaluateTooManyGlobalAdmins(
  snapshot: DirectorySnapshot,
  configuration: TooManyGlobalAdminsAlertConfiguration,
  now: number,
): TooManyGlobalAdminsAlertIncident[] {
  const allActive = snapshot.roleAssignments.filter((a) => a.assignmentType === 'active' && isUnexpired(a, now));
  const globalAdminAssignments = activeGlobalAdminAssignments(allActive, now);
  const globalAdmins = new Set(globalAdminAssignments.map((a) => a.principalId));

  const countReached = globalAdmins.size >= configuration.globalAdminCountThreshold;
  // Integer cross-multiplication: no floating-point rounding right at the threshold.
  // The snapshot counts the other roles' active assignments in SQL instead of reading them.
  const allActiveCount = allActive.length + snapshot.otherActiveAssignmentCount;
  const shareReached = globalAdminAssignments.length * 100 >= configuration.percentageOfGlobalAdminsOutOfRolesThreshold * allActiveCount;
  if (!countReached || !shareReached) return [];

  const usersById = indexUsers(snapshot);
  return [...globalAdmins]
    .map((principalId): TooManyGlobalAdminsAlertIncident => ({
      '@odata.type': INCIDENT_ODATA_TYPES.TooManyGlobalAdminsAssignedToTenantAlert,
      id: principalId,
      ...assigneeFacts(principalId, usersById),
    }))
    .sort(byIncidentId);
}
