/**
 * PATCH alerts/{id} (dismiss or re-enable) and
 * POST alerts/{id}/alertIncidents/{id}/remediate.
 */
import { planRemediation } from '../../../alerts/remediation.js';
import { authorize } from '../../../identity/policy/authorize.js';
import { badRequest, itemNotFound } from '../../errors.js';
import { ALERTS_ROOT, ALERT_TYPE_NAME } from '../../resources/role-management-alert.js';
import type { GraphHandler } from '../../route-table.js';
import type { GraphServices } from '../../services.js';
import { resolveAlertType } from './alert-lookup.js';

/**
 * PATCH alerts/{id}: `{"isActive": false}` dismisses, `{"isActive": true}` re-enables; only the
 * state flag changes (incidents stay queryable). Registered with the GET of the same path.
 */
export function patchAlertHandler({ app, authenticator }: GraphServices): GraphHandler {
  const { store } = app.deps;
  return async (request, reply) => {
    const principal = await authenticator.authenticate(request);
    authorize(principal, 'alerts.write');
    const { alertId } = request.params as { alertId: string };
    const type = resolveAlertType(principal, alertId);
    const isActive = readIsActive(request.body);
    await store.transaction(async (tx) => {
      await tx.alerts.saveState(principal.tenantId, { ...(await tx.alerts.state(principal.tenantId, type)), isActive });
    });
    return reply.code(204).send();
  };
}

/** POST alerts/{id}/alertIncidents/{id}/remediate. */
export function registerRemediateRoute({ app, authenticator }: GraphServices): void {
  const { store, clock } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alerts`;

  app.routes.add(`${base}/:alertId/alertIncidents/:incidentId/remediate`, {
    /**
     * Applies the definition's mitigation (`planRemediation`) to the directory and records an
     * audit event, in one transaction. The incident itself stays until the next refresh, which
     * no longer finds it.
     */
    POST: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.write');
      const { alertId, incidentId } = request.params as { alertId: string; incidentId: string };
      const type = resolveAlertType(principal, alertId);
      const tenantId = principal.tenantId;
      await store.transaction(async (tx) => {
        const incident = await tx.alerts.incident(tenantId, type, incidentId);
        if (!incident) throw itemNotFound('unifiedRoleManagementAlertIncident', incidentId);
        const now = clock.now();
        const snapshot = await tx.directory.snapshot(tenantId);
        const plan = planRemediation(incident, snapshot?.roleAssignments ?? [], now);
        let what: string;
        switch (plan.kind) {
          case 'notRemediable':
            throw badRequest(`The alert '${alertId}' is not remediable (its alertDefinition has isRemediatable false).`);
          case 'removeRoleAssignments':
            await tx.directory.deleteRoleAssignments(tenantId, plan.assignmentIds);
            what = `removed role assignment(s) ${plan.assignmentIds.join(', ') || '(none left)'}`;
            break;
          case 'requireMfaOnActivation':
            await tx.directory.setRequireMfaOnActivation(tenantId, plan.roleTemplateId, true);
            what = `required MFA on activation of role ${plan.roleTemplateId}`;
            break;
        }
        await tx.audit.record(tenantId, {
          at: now,
          activity: `Remediate PIM alert incident: ${what}`,
          targetId: `${alertId}/alertIncidents/${incidentId}`,
          operationId: null,
          initiatedBy: principal.objectId,
        });
      });
      return reply.code(200).send();
    },
  });
}

/** The PATCH body of an alert: `isActive` (a boolean) and nothing else that is writable. */
function readIsActive(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object with isActive (false dismisses the alert, true re-enables it).');
  }
  const entries = Object.entries(body as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (key === 'isActive') continue;
    // Clients that serialise the entity type are accepted; the alert has no derived types.
    if (key === '@odata.type' && value === `#${ALERT_TYPE_NAME}`) continue;
    throw badRequest(`'${key}' cannot be updated on an alert: only isActive can (false dismisses the alert, true re-enables it).`);
  }
  const value = (body as { isActive?: unknown }).isActive;
  if (typeof value !== 'boolean') throw badRequest("The property 'isActive' is required and must be a boolean (false dismisses the alert, true re-enables it).");
  return value;
}
