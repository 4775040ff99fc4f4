import { alertHandlers } from './alerts/alert-handlers.js';
import { buildApp, type App, type AppDeps } from './app.js';
import { registerConsoleRoutes } from './console/console-routes.js';
import { registerControlRoutes } from './control/control-routes.js';
import { registerAlertRoutes } from './graph/routes/alerts.js';
import { registerAuthenticationMethodRoutes } from './graph/routes/authentication-methods.js';
import { registerOperationRoutes } from './graph/routes/operations.js';
import { registerResetPasswordRoutes } from './graph/routes/reset-password.js';
import { registerUserRoutes } from './graph/routes/users.js';
import { graphWire } from './graph/graph-wire.js';
import type { GraphServices } from './graph/services.js';
import { registerAuthorityRoutes } from './identity/authority-routes.js';
import { SigningKeys } from './identity/signing-keys.js';
import { createAuthenticator } from './identity/token-verifier.js';
import { Executor } from './operations/executor.js';
import { HandlerRegistry, type OperationHandler } from './operations/handler.js';
import { Metrics } from './ops/metrics.js';
import { registerOperatorRoutes } from './ops/operator-routes.js';
import { verifyPassword } from './passwords/hashing.js';
import { passwordResetHandler } from './passwords/password-reset-handler.js';
import { TenantTime } from './shared/tenant-time.js';

export interface Service {
  app: App;
  executor: Executor | undefined;
  metrics: Metrics;
  keys: SigningKeys;
}

/** The handlers of every operation kind Longrun runs. */
export function operationHandlers(): OperationHandler[] {
  return [passwordResetHandler, ...alertHandlers];
}

/**
 * Assembles the whole service: login authority, Graph routes, operator endpoints and (when
 * `concurrency > 0`) the in-process executor. Nothing listens yet.
 */
export async function buildService(deps: AppDeps, options: { handlers?: OperationHandler[] } = {}): Promise<Service> {
  const tenantTime = deps.tenantTime ?? new TenantTime(deps.clock, deps.store.tenantClocks);
  const metrics = new Metrics(deps.store, deps.clock);
  const keys = new SigningKeys(deps.store, deps.clock);
  const executor =
    deps.config.concurrency > 0
      ? new Executor({
          store: deps.store,
          clock: deps.clock,
          logger: deps.logger.child({ component: 'executor' }),
          handlers: new HandlerRegistry(options.handlers ?? operationHandlers()),
          concurrency: deps.config.concurrency,
          tenantTime,
          leaseMs: deps.config.leaseMs,
          onFinished: (op, outcome, ms) => {
            metrics.operationsFinished.inc({ kind: op.kind, outcome });
            metrics.runDuration.observe({ kind: op.kind }, ms / 1000);
          },
        })
      : undefined;
  const app = await buildApp({ ...deps, tenantTime }, [
    (a) => registerOperatorRoutes(a, metrics),
    (a) => registerAuthorityRoutes(a, { keys, verifySecret: verifyPassword }),
    (a) => {
      const authenticator = createAuthenticator({ ...deps, keys, tenantTime });
      const services: GraphServices = {
        app: a,
        authenticator,
        wire: graphWire(a, authenticator),
        notifyExecutor: () => executor?.notify(),
      };
      registerUserRoutes(services);
      registerOperationRoutes(services);
      registerResetPasswordRoutes(services);
      registerAuthenticationMethodRoutes(services);
      registerAlertRoutes(services);
      registerConsoleRoutes(services);
      registerControlRoutes(services);
    },
  ]);
  return { app, executor, metrics, keys };
}
