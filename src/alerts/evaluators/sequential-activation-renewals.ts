/**
 * SequentialActivationRenewalsAlert: the same principal activating the same privileged role
 * again and again, each activation within `timeIntervalBetweenActivations` of the previous one.
 */
import type { DirectorySnapshot, RoleActivation } from '../../directory/model.js';
import { isPrivilegedRole } from '../../directory/roles.js';
import type { SequentialActivationRenewalsAlertConfiguration } from '../configuration.js';
import { durationMs } from '../duration.js';
import { INCIDENT_ODATA_TYPES, byIncidentId } from '../incidents.js';
import type { SequentialActivationRenewalsAlertIncident } from '../incidents.js';
import { assigneeFacts, indexUsers, roleFacts } from './directory-facts.js';

/** A run of activations of one role by one principal. */
interface ActivationSequence {
  principalId: string;
  roleTemplateId: string;
  start: number;
  end: number;
  count: number;
}

export function evaluateSequentialActivationRenewals(
  snapshot: DirectorySnapshot,
  configuration: SequentialActivationRenewalsAlertConfiguration,
  now: number,
): SequentialActivationRenewalsAlertIncident[] {
  const maxGap = durationMs(configuration.timeIntervalBetweenActivations);
  const usersById = indexUsers(snapshot);
  const incidents: SequentialActivationRenewalsAlertIncident[] = [];
  for (const activations of groupByPrincipalAndRole(snapshot.roleActivations, now).values()) {
    for (const sequence of splitIntoSequences(activations, maxGap)) {
      if (sequence.count < configuration.sequentialActivationCounterThreshold) continue;
      const role = roleFacts(sequence.roleTemplateId);
      incidents.push({
        '@odata.type': INCIDENT_ODATA_TYPES.SequentialActivationRenewalsAlert,
        id: `${sequence.principalId}_${sequence.roleTemplateId}_${sequence.start}`,
        roleTemplateId: role.roleTemplateId,
        roleDisplayName: role.roleDisplayName,
        roleDefinitionId: role.roleDefinitionId,
        ...assigneeFacts(sequence.principalId, usersById),
        activationCount: sequence.count,
        sequenceStartDateTime: sequence.start,
        sequenceEndDateTime: sequence.end,
      });
    }
  }
  return incidents.sort(byIncidentId);
}

/** Past activations of privileged roles, grouped per (principal, role), each group in time order. */
function groupByPrincipalAndRole(activations: readonly RoleActivation[], now: number): Map<string, RoleActivation[]> {
  const groups = new Map<string, RoleActivation[]>();
  for (const activation of activations) {
    if (activation.activatedAt > now || !isPrivilegedRole(activation.roleTemplateId)) continue;
    const key = `${activation.principalId}\u0000${activation.roleTemplateId}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [activation]);
    else group.push(activation);
  }
  for (const group of groups.values()) group.sort((a, b) => a.activatedAt - b.activatedAt);
  return groups;
}

/** A gap larger than `maxGap` ends a sequence; a gap of exactly `maxGap` continues it. */
function splitIntoSequences(ordered: readonly RoleActivation[], maxGap: number): ActivationSequence[] {
  const sequences: ActivationSequence[] = [];
  let current: ActivationSequence | undefined;
  for (const activation of ordered) {
    if (current !== undefined && activation.activatedAt - current.end <= maxGap) {
      current.end = activation.activatedAt;
      current.count += 1;
      continue;
    }
    current = {
      principalId: activation.principalId,
      roleTemplateId: activation.roleTemplateId,
      start: activation.activatedAt,
      end: activation.activatedAt,
      count: 1,
    };
    sequences.push(current);
  }
  return sequences;
}
