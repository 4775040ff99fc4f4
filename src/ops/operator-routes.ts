import type { App } from '../app.js';
import type { Metrics } from './metrics.js';

/** `/healthz` (alive), `/readyz` (database answers, schema current), `/metrics` (Prometheus). */
export function registerOperatorRoutes(app: App, metrics: Metrics): void {
  const { fastify, deps } = app;
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.inc({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode });
  });
  fastify.get('/healthz', async () => ({ status: 'ok' }));
  fastify.get('/readyz', async (_request, reply) => {
    try {
      const row = await deps.store.sql.queryOne<{ v: number }>(`SELECT MAX(version) AS v FROM schema_migrations`);
      return { status: 'ready', schemaVersion: Number(row?.v ?? 0) };
    } catch {
      return reply.code(503).header('Retry-After', '5').send({ status: 'unavailable', reason: 'the database does not answer' });
    }
  });
  fastify.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
