import type { FastifyInstance } from 'fastify';

/**
 * One log line per request (`msg: "request"`, at info): request id, client-request-id, method,
 * path without the query string, status and duration. Its fields are fixed and never secret, so it
 * is written through one child logger made once without the redaction pass every other line gets,
 * from a callback hook (no promise per request).
 */
export function installRequestLog(app: FastifyInstance): void {
  const log = app.log.child({}, { redact: [] });
  app.addHook('onResponse', (request, reply, done) => {
    if (log.level !== 'silent') {
      const query = request.url.indexOf('?');
      log.info(
        {
          requestId: request.id,
          clientRequestId: request.clientRequestId,
          method: request.method,
          path: query === -1 ? request.url : request.url.slice(0, query),
          status: reply.statusCode,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      );
    }
    done();
  });
}
