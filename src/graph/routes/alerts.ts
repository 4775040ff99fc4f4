import type { GraphServices } from '../services.js';
import { registerAlertReadRoutes } from './alerts/alert-read-routes.js';
import { patchAlertHandler, registerRemediateRoute } from './alerts/alert-write-routes.js';
import { registerConfigurationRoutes } from './alerts/configuration-routes.js';
import { registerDefinitionRoutes } from './alerts/definition-routes.js';
import { registerRefreshRoutes } from './alerts/refresh-routes.js';

/**
 * The PIM role-management alert resources (beta, https://learn.microsoft.com/graph/api/resources/rolemanagementalert?view=graph-rest-beta): alerts, incidents,
 * definitions, configurations, their updates, remediation and refresh. See docs/alerts.md.
 */
export function registerAlertRoutes(services: GraphServices): void {
  registerAlertReadRoutes(services, patchAlertHandler(services));
  registerRemediateRoute(services);
  registerDefinitionRoutes(services);
  registerConfigurationRoutes(services);
  registerRefreshRoutes(services);
}
