import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { answerExpectContinue, clientErrorHandler, frameworkErrorHandler, refuseNulCharacters } from './framework-errors.js';
import { installGraphConventions } from './graph/conventions.js';
import { installGraphResponseHeaders } from './graph/response-headers.js';
import { installCompression } from './http/compression.js';
import { decodeDollarSigns } from './http/decode-dollar-signs.js';
import { installRequestLog, type RequestLine } from './graph/request-log.js';
import { lazyRequestLogger } from './http/lazy-request-logger.js';
import { RouteTable } from './graph/route-table.js';
import type { CataloguedRoute } from './http/register-routes.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { TenantTime } from './shared/tenant-time.js';
import { newGuid } from './shared/ids.js';
import type { Store } from './storage/store.js';

/** What every part of the service is built from: no globals, no process.env below this line. */
export interface AppDeps {
  config: Config;
  /** Base of every absolute URL written (the configured public URL, or http://host:port). */
  publicUrl: string;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Shared tenant time; built from the store when absent. */
  tenantTime?: TenantTime | undefined;
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: Buffer; key: Buffer } | undefined;
}

export interface App {
  fastify: FastifyInstance;
  routes: RouteTable;
  deps: AppDeps;
  /** Tenant time for this process (docs/controls.md): one instance, so an advance made here is seen at once. */
  tenantTime: TenantTime;
  /** Every declared route (docs/routes.md is generated from it). */
  catalogue: CataloguedRoute[];
  /** Writes the per-request log line (for answers given outside the Fastify pipeline). */
  writeRequestLine: (line: RequestLine) => void;
}

/** The longest path segment the router takes (Graph ids may hold ':' and UPNs many characters). */
const MAX_SEGMENT_LENGTH = 500;
/** The largest request body, on every surface (docs/errors.md: 413). */
const BODY_LIMIT = 1024 * 1024;

/**
 * Builds the HTTP application (Graph API, login authority, operator endpoints) without
 * listening, so tests drive it with `fastify.inject()`.
 */
export async function buildApp(deps: AppDeps, register: Array<(app: App) => void | Promise<void>> = []): Promise<App> {
  const frameworkErrorDeps = { clock: deps.clock, publicUrl: deps.publicUrl, maxSegmentLength: MAX_SEGMENT_LENGTH };
  const fastify = Fastify({
    loggerInstance: deps.logger,
    // One log line per request is written by the Graph conventions' onResponse hook instead.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => newGuid(),
    childLoggerFactory: lazyRequestLogger,
    routerOptions: { maxParamLength: MAX_SEGMENT_LENGTH },
    rewriteUrl: (req) => decodeDollarSigns(req.url ?? '/'),
    bodyLimit: BODY_LIMIT,
    // Refusals before routing answer in the surface's error shape, never Fastify's (src/framework-errors.ts).
    frameworkErrors: frameworkErrorHandler(frameworkErrorDeps),
    clientErrorHandler: clientErrorHandler(frameworkErrorDeps),
    return503OnClosing: true,
    ...(deps.tls ? { https: deps.tls } : {}),
    // Declared schemas validate input as sent: no coercion ("true" is not a boolean), no silent
    // removal of unknown properties (they are refused); verbose errors carry the type's title.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, verbose: true } },
    // One instance type for the whole app: route modules take the default FastifyInstance.
  }) as unknown as FastifyInstance;
  answerExpectContinue(fastify.server, BODY_LIMIT);
  const routes = new RouteTable(fastify);
  await installCompression(fastify);
  installGraphConventions(fastify, { clock: deps.clock, routes });
  // Over HTTPS, whether Longrun terminates TLS itself or a proxy in front does (an https public URL).
  installGraphResponseHeaders(fastify, { tls: deps.tls !== undefined || deps.publicUrl.startsWith('https:') });
  const writeRequestLine = installRequestLog(fastify);
  refuseNulCharacters(fastify);
  fastify.decorateRequest('principal', null);
  const tenantTime = deps.tenantTime ?? new TenantTime(deps.clock, deps.store.tenantClocks);
  const app: App = { fastify, routes, deps, tenantTime, catalogue: [], writeRequestLine };
  for (const r of register) await r(app);
  await fastify.ready();
  return app;
}
