/**
 * RedundantAssignmentAlert: eligible privileged assignments whose principal has not activated
 * that role within the configured duration.
 */
import type { DirectorySnapshot } from '../../directory/model.js';
import type { RedundantAssignmentAlertConfiguration } from '../configuration.js';
import { durationMs } from '../duration.js';
import { INCIDENT_ODATA_TYPES, byIncidentId } from '../incidents.js';
import type { RedundantAssignmentAlertIncident } from '../incidents.js';
import { assigneeFacts, indexUsers, privilegedAssignments, roleFacts } from './directory-facts.js';

export function evaluateRedundantAssignment(
  snapshot: DirectorySnapshot,
  configuration: RedundantAssignmentAlertConfiguration,
  now: number,
): RedundantAssignmentAlertIncident[] {
  const windowStart = now - durationMs(configuration.duration);
  const lastActivation = lastActivationByPrincipalAndRole(snapshot, now);
  const usersById = indexUsers(snapshot);
  const incidents: RedundantAssignmentAlertIncident[] = [];
  for (const assignment of privilegedAssignments(snapshot, now, 'eligible')) {
    const last = lastActivation.get(key(assignment.principalId, assignment.roleTemplateId)) ?? null;
    // An activation at or after the window start counts as use; a brand-new assignment gets the
    // whole window before it is called unused.
    const reference = last ?? assignment.createdAt;
    if (reference >= windowStart) continue;
    incidents.push({
      '@odata.type': INCIDENT_ODATA_TYPES.RedundantAssignmentAlert,
      id: assignment.id,
      ...roleFacts(assignment.roleTemplateId),
      ...assigneeFacts(assignment.principalId, usersById),
      lastActivationDateTime: last,
    });
  }
  return incidents.sort(byIncidentId);
}

function lastActivationByPrincipalAndRole(snapshot: DirectorySnapshot, now: number): Map<string, number> {
  const last = new Map<string, number>();
  for (const activation of snapshot.roleActivations) {
    if (activation.activatedAt > now) continue; // not history yet
    const k = key(activation.principalId, activation.roleTemplateId);
    const previous = last.get(k);
    if (previous === undefined || activation.activatedAt > previous) last.set(k, activation.activatedAt);
  }
  return last;
}

function key(principalId: string, roleTemplateId: string): string {
  return `${principalId}\u0000${roleTemplateId}`;
}
