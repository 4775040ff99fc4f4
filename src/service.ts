import { alertHandlers } from './alerts/alert-handlers.js';
import { BackgroundScans } from './alerts/scan/background-scans.js';
import { buildApp, type App, type AppDeps } from './app.js';
import { registerConsoleRoutes } from './console/console-routes.js';
import { registerControlRoutes } from './control/control-routes.js';
import { installRequestFaults } from './control/faults/request-faults.js';
import { registerAlertRootRoutes } from './graph/routes/alert-root.js';
import { registerAlertRoutes } from './graph/routes/alerts.js';
import { registerAuthenticationMethodRoutes } from './graph/routes/authentication-methods.js';
import { registerMetadataRoutes } from './graph/routes/metadata.js';
import { registerOperationRoutes } from './graph/routes/operations.js';
import { registerResetPasswordRoutes } from './graph/routes/reset-password.js';
import { registerSubscriptionRoutes } from './graph/routes/subscriptions.js';
import { registerRevokeSignInSessionsRoutes } from './graph/routes/revoke-sign-in-sessions.js';
import { registerUserRoutes } from './graph/routes/users.js';
import { graphWire } from './graph/graph-wire.js';
import { PollReplay, tokenValidUntil } from './graph/poll-replay.js';
import type { GraphServices } from './graph/services.js';
import { registerAuthorityRoutes } from './identity/authority-routes.js';
import { createSignIn } from './identity/sign-in.js';
import { parseKeyEncryptionKey } from './identity/key-encryption.js';
import { SigningKeys } from './identity/signing-keys.js';
import { createAuthenticator } from './identity/token-verifier.js';
import { gatedVerifySecret, VerificationGate } from './identity/verification-gate.js';
import type { Extensions } from './extensions.js';
import { Executor } from './operations/executor.js';
import { HandlerRegistry, type OperationHandler, type TerminalHook } from './operations/handler.js';
import { OperationWaiter } from './operations/operation-waiter.js';
import { TerminalNotifier } from './operations/terminal-notifier.js';
import { Metrics } from './ops/metrics.js';
import { registerOperatorRoutes } from './ops/operator-routes.js';
import { verifyPassword } from './passwords/hashing.js';
import { passwordResetHandler } from './passwords/password-reset-handler.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS, subscriptionExecutorParts, type SubscriptionSettings } from './subscriptions/index.js';
import { TenantTime } from './shared/tenant-time.js';

export interface Service {
  app: App;
  executor: Executor | undefined;
  metrics: Metrics;
  keys: SigningKeys;
  /** Terminal writes outside the executor call `notifyTerminal` (wakes `Prefer: wait` requests). */
  terminalNotifier: TerminalNotifier;
  /** Present with the `wait` extension. */
  operationWaiter: OperationWaiter | undefined;
  /** Bounds the password and client-secret verifications running at once. */
  verificationGate: VerificationGate;
}

export interface ServiceOptions {
  /** Replaces the handlers of the Graph operation kinds (tests). */
  handlers?: OperationHandler[];
  /** The subscriptions extension's timings (tests shorten them). */
  subscriptions?: Partial<SubscriptionSettings>;
  /** The lifetime of issued access tokens (tests shorten it). */
  accessTokenLifetimeSeconds?: number;
}

/** The handlers of every operation kind Longrun runs. */
export function operationHandlers(): OperationHandler[] {
  return [passwordResetHandler, ...alertHandlers];
}

/** What every executor needs, serve or worker: the handlers and terminal-status hooks of the extensions that are on. */
export function executorParts(
  extensions: Extensions,
  options: Pick<ServiceOptions, 'handlers' | 'subscriptions'> = {},
): { handlers: OperationHandler[]; onTerminal: TerminalHook[] } {
  const handlers = options.handlers ?? operationHandlers();
  if (!extensions.subscriptions) return { handlers, onTerminal: [] };
  const subscriptions = subscriptionExecutorParts({ ...DEFAULT_SUBSCRIPTION_SETTINGS, ...options.subscriptions });
  return { handlers: [...handlers, ...subscriptions.handlers], onTerminal: subscriptions.onTerminal };
}

/**
 * The background alert scans an executor queues for itself (docs/alerts.md, "Background
 * scans"); none when `--alert-scan-interval off`.
 */
export function alertScanCompanions(
  deps: Pick<AppDeps, 'store' | 'clock' | 'logger'> & { config: Pick<AppDeps['config'], 'alertScanIntervalMs'> },
  notify: () => void,
): BackgroundScans[] {
  const intervalMs = deps.config.alertScanIntervalMs;
  if (intervalMs === undefined) return [];
  const logger = deps.logger.child({ component: 'alert-scans' });
  return [new BackgroundScans({ store: deps.store, clock: deps.clock, logger, intervalMs, onQueued: notify })];
}

/**
 * Assembles the whole service: login authority, Graph routes, operator endpoints and (when
 * `concurrency > 0`) the in-process executor. Nothing listens yet.
 */
export async function buildService(deps: AppDeps, options: ServiceOptions = {}): Promise<Service> {
  const parts = executorParts(deps.config.extensions, options);
  const tenantTime = deps.tenantTime ?? new TenantTime(deps.clock, deps.store.tenantClocks);
  const metrics = new Metrics(deps.store, deps.clock);
  const kek = deps.config.keyEncryptionKey ? parseKeyEncryptionKey(deps.config.keyEncryptionKey) : undefined;
  const keys = new SigningKeys(deps.store, deps.clock, kek);
  const terminalNotifier = new TerminalNotifier();
  const verificationGate = new VerificationGate({ concurrency: deps.config.passwordVerifications, queue: deps.config.passwordQueue });
  const verifySecret = gatedVerifySecret(verificationGate, verifyPassword);
  metrics.watchPasswordVerifications(verificationGate);
  const operationWaiter = deps.config.extensions.wait
    ? new OperationWaiter({
        store: deps.store,
        notifier: terminalNotifier,
        logger: deps.logger,
        waitsPerCaller: deps.config.waitsPerCaller,
      })
    : undefined;
  await operationWaiter?.start();
  const executor =
    deps.config.concurrency > 0
      ? new Executor({
          store: deps.store,
          clock: deps.clock,
          logger: deps.logger.child({ component: 'executor' }),
          handlers: new HandlerRegistry(parts.handlers),
          onTerminal: parts.onTerminal,
          concurrency: deps.config.concurrency,
          tenantTime,
          leaseMs: deps.config.leaseMs,
          retentionMs: deps.config.retentionMs,
          companions: alertScanCompanions(deps, () => executor?.notify()),
          terminalNotifier,
          onFinished: (op, outcome, ms) => {
            metrics.operationsFinished.inc({ kind: op.kind, outcome });
            metrics.runDuration.observe({ kind: op.kind }, ms / 1000);
          },
        })
      : undefined;
  const app = await buildApp({ ...deps, tenantTime }, [
    (a) => {
      const { unshaped } = installRequestFaults(a);
      // Only where the store has a change mark (SQLite): elsewhere nothing could be replayed, and
      // the listener wrapper and the capture hooks would only cost every poll a little.
      if (deps.store.db.changeMark === undefined) return;
      // Before any route is declared: it adds its capture to the replayable ones.
      new PollReplay({
        changeMark: () => deps.store.db.changeMark?.(),
        now: () => deps.clock.now(),
        unshaped,
        tokenValidUntil: (request) => tokenValidUntil(request.principal, tenantTime),
        record: (line, route) => {
          a.writeRequestLine(line);
          metrics.httpRequests.inc({ method: line.method, route, status: line.status });
          metrics.pollReplays.inc();
        },
      }).install(a.fastify);
    },
    (a) => registerOperatorRoutes(a, metrics),
    (a) => registerAuthorityRoutes(a, { keys, verifySecret, accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds }),
    (a) => {
      const authenticator = createAuthenticator({ ...deps, keys, tenantTime });
      const services: GraphServices = {
        app: a,
        authenticator,
        wire: graphWire(a, authenticator),
        notifyExecutor: () => executor?.notify(),
        terminalNotifier,
        terminalHooks: parts.onTerminal,
        operationWaiter,
      };
      if (operationWaiter) {
        // Waiting requests answer with what they have when the server closes, then stop listening.
        a.fastify.addHook('preClose', async () => operationWaiter.stop());
      }
      registerMetadataRoutes(services);
      registerUserRoutes(services);
      registerOperationRoutes(services);
      registerResetPasswordRoutes(services);
      registerRevokeSignInSessionsRoutes(services);
      registerAuthenticationMethodRoutes(services);
      registerAlertRootRoutes(services);
      registerAlertRoutes(services);
      const signIn = createSignIn({ ...deps, keys, verifySecret, authenticator, tenantTime });
      registerConsoleRoutes(services, { signIn });
      registerControlRoutes(services);
      if (deps.config.extensions.subscriptions) {
        const { validationTimeoutMs } = { ...DEFAULT_SUBSCRIPTION_SETTINGS, ...options.subscriptions };
        registerSubscriptionRoutes(services, { validationTimeoutMs });
      }
    },
  ]);
  return { app, executor, metrics, keys, terminalNotifier, operationWaiter, verificationGate };
}
