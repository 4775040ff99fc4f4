/**
 * StaleSignInAlert: users holding an active privileged assignment who have not signed in within
 * the configured duration. One incident per assignment.
 */
import type { DirectorySnapshot, DirectoryUser } from '../../directory/model.js';
import type { StaleSignInAlertConfiguration } from '../configuration.js';
import { durationMs } from '../duration.js';
import { INCIDENT_ODATA_TYPES, byIncidentId } from '../incidents.js';
import type { StaleSignInAlertIncident } from '../incidents.js';
import { indexUsers, privilegedAssignments, roleFacts } from './directory-facts.js';

export function evaluateStaleSignIn(
  snapshot: DirectorySnapshot,
  configuration: StaleSignInAlertConfiguration,
  now: number,
): StaleSignInAlertIncident[] {
  const windowStart = now - durationMs(configuration.duration);
  const usersById = indexUsers(snapshot);
  const incidents: StaleSignInAlertIncident[] = [];
  for (const assignment of privilegedAssignments(snapshot, now, 'active')) {
    const user = usersById.get(assignment.principalId);
    // Only users sign in; other principals have no sign-in date to judge.
    if (user === undefined || !isStale(user, windowStart)) continue;
    const role = roleFacts(assignment.roleTemplateId);
    incidents.push({
      '@odata.type': INCIDENT_ODATA_TYPES.StaleSignInAlert,
      id: assignment.id,
      roleTemplateId: role.roleTemplateId,
      roleDisplayName: role.roleDisplayName,
      roleDefinitionId: role.roleDefinitionId,
      assigneeId: user.id,
      assigneeDisplayName: user.displayName,
      assigneeUserPrincipalName: user.userPrincipalName,
      assignmentCreatedDateTime: assignment.createdAt,
      lastSignInDateTime: user.lastSignInAt,
    });
  }
  return incidents.sort(byIncidentId);
}

/**
 * A sign-in at or after the window start is recent. An account that never signed in is stale
 * once the account itself is older than the window (new accounts get the window to sign in).
 */
function isStale(user: DirectoryUser, windowStart: number): boolean {
  return (user.lastSignInAt ?? user.createdAt) < windowStart;
}
