/**
 * Remediating a PIM alert incident, whatever the wire: applies the definition's mitigation
 * (`planRemediation`) to the directory and records an audit event, in one transaction. The
 * incident itself stays until the next refresh, which no longer finds it. See docs/alerts.md.
 */
import type { Clock } from '../shared/clock.js';
import { Refusal } from '../shared/refusal.js';
import type { Store } from '../storage/store.js';
import { alertIncident } from './alert-records.js';
import { alertId, type AlertType } from './alert-types.js';
import { scanScope } from './evaluators/directory-facts.js';
import { planRemediation } from './remediation.js';

export interface RemediateIncidentRequest {
  tenantId: string;
  alertType: AlertType;
  incidentId: string;
  /** The object id of the caller, for the audit log. */
  initiatedBy: string;
}

/** What was done, as written to the audit log. */
export interface Remediation {
  activity: string;
}

/**
 * Throws `Refusal('notFound')` for an unknown incident and `Refusal('invalid')` for an alert that
 * cannot be remediated; nothing is written then.
 */
export async function remediateIncident(deps: { store: Store; clock: Clock }, request: RemediateIncidentRequest): Promise<Remediation> {
  const { tenantId, alertType, incidentId } = request;
  const id = alertId(tenantId, alertType);
  return deps.store.transaction(async (tx) => {
    const incident = await alertIncident(tx.alerts, tenantId, alertType, incidentId);
    if (!incident) throw new Refusal('notFound', `The unifiedRoleManagementAlertIncident '${incidentId}' was not found.`);
    const now = deps.clock.now();
    const snapshot = await tx.directory.snapshot(tenantId, scanScope(now));
    const plan = planRemediation(incident, snapshot?.roleAssignments ?? [], now);
    let what: string;
    switch (plan.kind) {
      case 'notRemediable':
        throw new Refusal('invalid', `The alert '${id}' is not remediable (its alertDefinition has isRemediatable false).`);
      case 'removeRoleAssignments':
        await tx.directory.deleteRoleAssignments(tenantId, plan.assignmentIds);
        what = `removed role assignment(s) ${plan.assignmentIds.join(', ') || '(none left)'}`;
        break;
      case 'requireMfaOnActivation':
        await tx.directory.setRequireMfaOnActivation(tenantId, plan.roleTemplateId, true);
        what = `required MFA on activation of role ${plan.roleTemplateId}`;
        break;
    }
    const activity = `Remediate PIM alert incident: ${what}`;
    await tx.audit.record(tenantId, {
      at: now,
      activity,
      targetId: `${id}/alertIncidents/${incidentId}`,
      operationId: null,
      initiatedBy: request.initiatedBy,
    });
    return { activity };
  });
}
