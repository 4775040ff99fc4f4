import type { App } from '../app.js';
import type { RouteWire } from '../http/register-routes.js';
import type { Authenticator } from '../identity/token-verifier.js';

/** What Graph route modules share beyond the app's own dependencies. */
export interface GraphServices {
  app: App;
  authenticator: Authenticator;
  /** Where Graph route declarations are registered (`registerRoutes(wire, […])`). */
  wire: RouteWire;
  /** Wakes this process's executor after work was queued (a no-op without one). */
  notifyExecutor: () => void;
}
