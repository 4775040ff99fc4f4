import type { OperationHandler } from '../operations/handler.js';

/** The operation handlers of the alerts module (refresh one, refresh all). */
export const alertHandlers: OperationHandler[] = [];
