/**
 * NoMfaOnRoleActivationAlert: privileged roles that people activate through PIM (at least one
 * unexpired eligible assignment) whose setting lets activation skip multi-factor authentication.
 */
import type { DirectorySnapshot } from '../../directory/model.js';
import type { NoMfaOnRoleActivationAlertConfiguration } from '../configuration.js';
import { INCIDENT_ODATA_TYPES, byIncidentId } from '../incidents.js';
import type { NoMfaOnRoleActivationAlertIncident } from '../incidents.js';
import { privilegedAssignments, roleFacts } from './directory-facts.js';

export function evaluateNoMfaOnRoleActivation(
  snapshot: DirectorySnapshot,
  _configuration: NoMfaOnRoleActivationAlertConfiguration,
  now: number,
): NoMfaOnRoleActivationAlertIncident[] {
  // A role without a setting keeps Entra's default PIM policy, which requires MFA on activation.
  const mfaRequired = new Map(snapshot.roleSettings.map((s) => [s.roleTemplateId, s.requireMfaOnActivation]));
  const activatedRoles = new Set(privilegedAssignments(snapshot, now, 'eligible').map((a) => a.roleTemplateId));
  const incidents: NoMfaOnRoleActivationAlertIncident[] = [];
  for (const roleTemplateId of activatedRoles) {
    if (mfaRequired.get(roleTemplateId) ?? true) continue;
    const { roleDisplayName } = roleFacts(roleTemplateId);
    incidents.push({
      '@odata.type': INCIDENT_ODATA_TYPES.NoMfaOnRoleActivationAlert,
      id: roleTemplateId,
      roleTemplateId,
      roleDisplayName,
    });
  }
  return incidents.sort(byIncidentId);
}
