import type { App } from '../app.js';
import { graphWire } from '../graph/graph-wire.js';
import { registerRoutes } from '../http/register-routes.js';
import { declareRoute } from '../http/route-declaration.js';
import { bearerMatches, metricsTokenRequired } from './metrics-token.js';
import type { Metrics } from './metrics.js';

/** How long after the store last refused a write /readyz keeps answering 503. */
const READY_AFTER_REFUSAL_MS = 10_000;

/** `/healthz` (alive), `/readyz` (database answers, schema current), `/metrics` (Prometheus). */
export function registerOperatorRoutes(app: App, metrics: Metrics): void {
  const { fastify, deps } = app;
  const { metricsToken } = deps.config;
  // A callback hook: no promise per request.
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequests.inc({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode });
    done();
  });
  registerRoutes(graphWire(app, undefined, 'operator'), [
    declareRoute({ method: 'GET', url: '/healthz', auth: 'none', summary: 'alive', handler: async () => ({ status: 'ok' }) }),
    declareRoute({
      method: 'GET',
      url: '/readyz',
      auth: 'none',
      summary: 'the database answers and takes writes; schema version',
      handler: async ({ reply }) => {
        let schemaVersion: number;
        try {
          schemaVersion = await deps.store.schema.version();
        } catch {
          return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable', reason: 'the database does not answer' });
        }
        try {
          if (deps.store.db.refusedWithin(READY_AFTER_REFUSAL_MS)) throw new Error('refused a write recently');
          await deps.store.schema.probeWrite();
        } catch {
          // Reads still work (GETs answer) but nothing can be queued or finished: not ready.
          return reply
            .code(503)
            .header('Retry-After', '5')
            .send({ status: 'unavailable', reason: 'the database refuses writes (disk full, read-only, or a standby)' });
        }
        return { status: 'ready', schemaVersion };
      },
    }),
    declareRoute({
      method: 'GET',
      url: '/metrics',
      auth: 'none',
      summary: 'Prometheus metrics (a bearer token with --metrics-token)',
      handler: async ({ request, reply }) => {
        // The counters cover every tenant: with --metrics-token only the scraper sees them.
        if (metricsToken !== undefined && !bearerMatches(request.headers.authorization, metricsToken)) throw metricsTokenRequired();
        reply.header('content-type', metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    }),
  ]);
}
