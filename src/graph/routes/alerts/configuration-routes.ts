/**
 * GET alertConfigurations (with `$expand=alertDefinition`), alertConfigurations/{id}, and
 * PATCH alertConfigurations/{id}.
 */
import { toWireConfiguration, validateConfigurationPatch } from '../../../alerts/configuration.js';
import type { AlertConfiguration, WireAlertConfiguration } from '../../../alerts/configuration.js';
import type { AlertState } from '../../../alerts/alert-state.js';
import { authorize } from '../../../identity/policy/authorize.js';
import { badRequest } from '../../errors.js';
import { contextUrl } from '../../odata/context.js';
import { applySelect, parseSelect } from '../../odata/select.js';
import { ALERTS_ROOT, CONFIGURATION_PROPERTIES, CONFIGURATION_TYPE_NAME } from '../../resources/role-management-alert.js';
import type { GraphServices } from '../../services.js';
import { sendOData } from '../../wire.js';
import { parseExpand, projection } from './alert-expand.js';
import { parseAlertFilter } from './alert-filter.js';
import { resolveAlertType, wireDefinition } from './alert-lookup.js';

const CONFIGURATION_FILTERABLE = ['scopeId', 'scopeType', 'id', 'alertDefinitionId', 'isEnabled'];
const CONFIGURATION_RELATIONSHIPS = ['alertDefinition'] as const;

function wireConfiguration(
  tenantId: string,
  state: AlertState,
  configuration: AlertConfiguration,
  select: string[] | undefined,
  expandDefinition: boolean,
): Record<string, unknown> {
  const out = applySelect(toWireConfiguration(tenantId, configuration) as WireAlertConfiguration & Record<string, unknown>, select);
  if (expandDefinition) out.alertDefinition = wireDefinition(tenantId, state, configuration);
  return out;
}

export function registerConfigurationRoutes({ app, authenticator }: GraphServices): void {
  const { store, publicUrl, clock } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alertConfigurations`;

  app.routes.add(base, {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const query = request.query as Record<string, unknown>;
      const select = parseSelect(query, CONFIGURATION_PROPERTIES, CONFIGURATION_TYPE_NAME);
      const expand = parseExpand(query, CONFIGURATION_RELATIONSHIPS, CONFIGURATION_TYPE_NAME);
      const keep = parseAlertFilter(query, CONFIGURATION_FILTERABLE, { requireScope: true });
      const tenantId = principal.tenantId;
      const [states, configurations] = await Promise.all([store.alerts.states(tenantId), store.alerts.configurations(tenantId)]);
      const value = configurations
        .filter((c) => keep(toWireConfiguration(tenantId, c)))
        .map((c) => wireConfiguration(tenantId, states.find((s) => s.alertType === c.alertType)!, c, select, expand.length > 0));
      const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertConfigurations`, { select: projection(select, expand) });
      return sendOData(reply, { '@odata.context': context, value });
    },
  });

  app.routes.add(`${base}/:configurationId`, {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const query = request.query as Record<string, unknown>;
      const select = parseSelect(query, CONFIGURATION_PROPERTIES, CONFIGURATION_TYPE_NAME);
      const expand = parseExpand(query, CONFIGURATION_RELATIONSHIPS, CONFIGURATION_TYPE_NAME);
      const { configurationId } = request.params as { configurationId: string };
      const type = resolveAlertType(principal, configurationId, 'unifiedRoleManagementAlertConfiguration');
      const tenantId = principal.tenantId;
      const configuration = await store.alerts.configuration(tenantId, type);
      const state = await store.alerts.state(tenantId, type);
      const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertConfigurations`, { entity: true, select: projection(select, expand) });
      return sendOData(reply, { '@odata.context': context, ...wireConfiguration(tenantId, state, configuration, select, expand.length > 0) });
    },

    /**
     * Validates the whole body first (every problem reported at once), then writes in one
     * transaction; an invalid body changes nothing. A change that actually alters the
     * configuration also moves the alert's lastModifiedDateTime ("set when the configuration
     * is updated", per https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementalert?view=graph-rest-beta).
     */
    PATCH: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.write');
      const { configurationId } = request.params as { configurationId: string };
      const type = resolveAlertType(principal, configurationId, 'unifiedRoleManagementAlertConfiguration');
      const tenantId = principal.tenantId;
      await store.transaction(async (tx) => {
        const current = await tx.alerts.configuration(tenantId, type);
        const result = validateConfigurationPatch(current, request.body);
        if (!result.ok) {
          throw badRequest(`Invalid alertConfiguration update: ${result.errors.map((e) => (e.property ? `${e.property}: ${e.message}` : e.message)).join(' ')}`);
        }
        if (JSON.stringify(result.configuration) === JSON.stringify(current)) return;
        await tx.alerts.saveConfiguration(tenantId, result.configuration);
        await tx.alerts.saveState(tenantId, { ...(await tx.alerts.state(tenantId, type)), lastModifiedAt: clock.now() });
      });
      return reply.code(204).send();
    },
  });
}
