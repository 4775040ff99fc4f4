import type { OperationHandler } from '../operations/handler.js';
import { alertRefreshAllHandler, alertRefreshHandler } from './refresh/refresh-handlers.js';
import { alertScanHandler } from './scan/alert-scan-handler.js';

/** The operation handlers of the alerts module (refresh one, refresh all, background scan). */
export const alertHandlers: OperationHandler[] = [alertRefreshHandler, alertRefreshAllHandler, alertScanHandler];
