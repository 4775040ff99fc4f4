import { registerRoutes } from '../../http/register-routes.js';
import type { GraphServices } from '../services.js';
import { alertReadRoutes } from './alerts/alert-read-routes.js';
import { alertWriteRoutes } from './alerts/alert-write-routes.js';
import { configurationRoutes } from './alerts/configuration-routes.js';
import { definitionRoutes } from './alerts/definition-routes.js';
import { refreshRoutes } from './alerts/refresh-routes.js';

/**
 * The PIM role-management alert resources (beta, contract §3.3): alerts, incidents,
 * definitions, configurations, their updates, remediation and refresh. See docs/alerts.md.
 */
export function registerAlertRoutes(services: GraphServices): void {
  registerRoutes(services.wire, [
    ...alertReadRoutes(services),
    ...alertWriteRoutes(services),
    ...definitionRoutes(services),
    ...configurationRoutes(services),
    ...refreshRoutes(services),
  ]);
}
