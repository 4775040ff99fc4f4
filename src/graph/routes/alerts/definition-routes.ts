/** GET alertDefinitions and alertDefinitions/{id}. */
import { authorize } from '../../../identity/policy/authorize.js';
import { contextUrl } from '../../odata/context.js';
import { applySelect, parseSelect } from '../../odata/select.js';
import { ALERTS_ROOT, DEFINITION_PROPERTIES, DEFINITION_TYPE_NAME } from '../../resources/role-management-alert.js';
import type { GraphServices } from '../../services.js';
import { sendOData } from '../../wire.js';
import { parseAlertFilter } from './alert-filter.js';
import { resolveAlertType, wireDefinition } from './alert-lookup.js';

const DEFINITION_FILTERABLE = ['scopeId', 'scopeType', 'id', 'severityLevel', 'isRemediatable', 'isConfigurable'];

export function registerDefinitionRoutes({ app, authenticator }: GraphServices): void {
  const { store, publicUrl } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alertDefinitions`;

  app.routes.add(base, {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const query = request.query as Record<string, unknown>;
      const select = parseSelect(query, DEFINITION_PROPERTIES, DEFINITION_TYPE_NAME);
      const keep = parseAlertFilter(query, DEFINITION_FILTERABLE, { requireScope: true });
      const tenantId = principal.tenantId;
      const [states, configurations] = await Promise.all([store.alerts.states(tenantId), store.alerts.configurations(tenantId)]);
      const value = states
        .map((state, i) => wireDefinition(tenantId, state, configurations[i]!))
        .filter(keep)
        .map((d) => applySelect(d, select));
      const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertDefinitions`, { select });
      return sendOData(reply, { '@odata.context': context, value });
    },
  });

  app.routes.add(`${base}/:definitionId`, {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const select = parseSelect(request.query as Record<string, unknown>, DEFINITION_PROPERTIES, DEFINITION_TYPE_NAME);
      const { definitionId } = request.params as { definitionId: string };
      const type = resolveAlertType(principal, definitionId, 'unifiedRoleManagementAlertDefinition');
      const tenantId = principal.tenantId;
      const definition = wireDefinition(tenantId, await store.alerts.state(tenantId, type), await store.alerts.configuration(tenantId, type));
      const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertDefinitions`, { entity: true, select });
      return sendOData(reply, { '@odata.context': context, ...applySelect(definition, select) });
    },
  });
}
