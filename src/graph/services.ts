import type { App } from '../app.js';
import type { RouteWire } from '../http/register-routes.js';
import type { Authenticator } from '../identity/token-verifier.js';
import type { TerminalHook } from '../operations/handler.js';
import type { OperationWaiter } from '../operations/operation-waiter.js';
import type { TerminalNotifier } from '../operations/terminal-notifier.js';

/** What Graph route modules share beyond the app's own dependencies. */
export interface GraphServices {
  app: App;
  authenticator: Authenticator;
  /** Where Graph route declarations are registered (`registerRoutes(wire, […])`). */
  wire: RouteWire;
  /** Wakes this process's executor after work was queued (a no-op without one). */
  notifyExecutor: () => void;
  /** Every terminal write made outside the executor (e.g. the control API's fail) calls `notifyTerminal` once committed. */
  terminalNotifier: TerminalNotifier;
  /** Run in the transaction of every terminal write, the executor's and others' (e.g. queuing notifications). */
  terminalHooks: readonly TerminalHook[];
  /** Holds `Prefer: wait` requests: present only with the `wait` extension (docs/extensions.md). */
  operationWaiter: OperationWaiter | undefined;
}
