import type { OperationHandler } from '../operations/handler.js';
import { alertRefreshAllHandler, alertRefreshHandler } from './refresh/refresh-handlers.js';

/** The operation handlers of the alerts module (refresh one, refresh all). */
export const alertHandlers: OperationHandler[] = [alertRefreshHandler, alertRefreshAllHandler];
