/**
 * RolesAssignedOutsidePimAlert: unexpired privileged assignments, active or eligible, that were
 * made outside Privileged Identity Management (`viaPim: false`).
 */
import type { DirectorySnapshot } from '../../directory/model.js';
import type { RolesAssignedOutsidePimAlertConfiguration } from '../configuration.js';
import { INCIDENT_ODATA_TYPES, byIncidentId } from '../incidents.js';
import type { RolesAssignedOutsidePimAlertIncident } from '../incidents.js';
import { assigneeFacts, indexUsers, privilegedAssignments, roleFacts } from './directory-facts.js';

export function evaluateRolesAssignedOutsidePim(
  snapshot: DirectorySnapshot,
  _configuration: RolesAssignedOutsidePimAlertConfiguration,
  now: number,
): RolesAssignedOutsidePimAlertIncident[] {
  const usersById = indexUsers(snapshot);
  const outsidePim = [...privilegedAssignments(snapshot, now, 'active'), ...privilegedAssignments(snapshot, now, 'eligible')].filter(
    (a) => !a.viaPim,
  );
  return outsidePim
    .map((assignment): RolesAssignedOutsidePimAlertIncident => ({
      '@odata.type': INCIDENT_ODATA_TYPES.RolesAssignedOutsidePimAlert,
      id: assignment.id,
      ...roleFacts(assignment.roleTemplateId),
      ...assigneeFacts(assignment.principalId, usersById),
      assignmentCreatedDateTime: assignment.createdAt,
    }))
    .sort(byIncidentId);
}
