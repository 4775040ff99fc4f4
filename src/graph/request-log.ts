import type { FastifyInstance } from 'fastify';

/** The fields of the one log line per request (`msg: "request"`, at info). */
export interface RequestLine {
  requestId: string;
  clientRequestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

/**
 * One log line per request: request id, client-request-id, method, path without the query
 * string, status and duration. Its fields are fixed and never secret, so it is written through
 * one child logger made once without the redaction pass every other line gets, from a callback
 * hook (no promise per request). Returns the writer, for answers given outside the pipeline
 * (graph/poll-replay.ts).
 */
export function installRequestLog(app: FastifyInstance): (line: RequestLine) => void {
  const log = app.log.child({}, { redact: [] });
  const write = (line: RequestLine) => {
    if (log.level !== 'silent') log.info(line, 'request');
  };
  app.addHook('onResponse', (request, reply, done) => {
    const query = request.url.indexOf('?');
    write({
      requestId: request.id,
      clientRequestId: request.clientRequestId,
      method: request.method,
      path: query === -1 ? request.url : request.url.slice(0, query),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    });
    done();
  });
  return write;
}
