import type { App } from '../app.js';
import { graphWire } from '../graph/graph-wire.js';
import { registerRoutes } from '../http/register-routes.js';
import { declareRoute } from '../http/route-declaration.js';
import type { Metrics } from './metrics.js';

/** `/healthz` (alive), `/readyz` (database answers, schema current), `/metrics` (Prometheus). */
export function registerOperatorRoutes(app: App, metrics: Metrics): void {
  const { fastify, deps } = app;
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
      summary: 'the database answers; schema version',
      handler: async ({ reply }) => {
        try {
          return { status: 'ready', schemaVersion: await deps.store.schema.version() };
        } catch {
          return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable', reason: 'the database does not answer' });
        }
      },
    }),
    declareRoute({
      method: 'GET',
      url: '/metrics',
      auth: 'none',
      summary: 'Prometheus metrics',
      handler: async ({ reply }) => {
        reply.header('content-type', metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    }),
  ]);
}
