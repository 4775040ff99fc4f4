import type { GraphServices } from '../services.js';

/** The PIM role-management alert resources (beta). To be filled in by the alerts work. */
export function registerAlertRoutes(_services: GraphServices): void {}
