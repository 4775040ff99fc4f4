import type { GraphServices } from '../services.js';

/** GET …/authentication/methods, passwordMethods, passwordMethods/{id}. To be filled in. */
export function registerAuthenticationMethodRoutes(_services: GraphServices): void {}
