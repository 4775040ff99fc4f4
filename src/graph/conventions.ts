import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../shared/clock.js';
import { toErrorDate } from '../shared/timestamps.js';
import { StorageUnavailableError } from '../storage/sql.js';
import { AccessDeniedError, TokenRejectedError } from '../identity/identity-errors.js';
import { Refusal } from '../shared/refusal.js';
import {
  accessDenied,
  badRequest,
  ERROR_CODES,
  GraphError,
  internalError,
  invalidToken,
  segmentNotFound,
  serviceNotAvailable,
} from './errors.js';
import type { RouteTable } from './route-table.js';
import { PLAIN_JSON } from './wire.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's `client-request-id`, or our request id when it sent none. */
    clientRequestId: string;
  }
}

export const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Graph's wire conventions in one place: `request-id` / `client-request-id` headers, the error
 * envelope with `innerError` and Graph's 400 for unknown segments (the request log: request-log.ts).
 */
export function installGraphConventions(app: FastifyInstance, deps: { clock: Clock; routes: RouteTable }): void {
  app.decorateRequest('clientRequestId', '');

  // A callback hook, like every hook on the polling path: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    const sent = request.headers['client-request-id'];
    request.clientRequestId = typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : request.id;
    reply.header('request-id', request.id);
    reply.header('client-request-id', request.clientRequestId);
    reply.header('Cache-Control', 'no-cache');
    done();
  });

  app.setErrorHandler(async (rawError: FastifyError | GraphError | Error, request, reply) => {
    const error = toGraphError(rawError);
    if (error.statusCode >= 500) request.log.error({ err: rawError }, 'request failed');
    else request.log.info({ code: error.code, status: error.statusCode }, error.message);
    return sendError(reply, request, error, deps.clock);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const version = path.split('/')[1] ?? '';
    const error =
      version === 'v1.0' || version === 'beta'
        ? segmentNotFound(deps.routes.unknownSegment(path))
        : badRequest(`Invalid version: ${decodeURIComponent(version)}`);
    return sendError(reply, request, error, deps.clock);
  });
}

export function sendError(reply: FastifyReply, request: FastifyRequest, error: GraphError, clock: Clock): FastifyReply {
  for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
  return reply
    .code(error.statusCode)
    .header('content-type', PLAIN_JSON)
    .send({
      error: {
        code: error.code,
        message: error.message,
        innerError: {
          date: toErrorDate(clock.now()),
          'request-id': request.id,
          'client-request-id': request.clientRequestId || request.id,
        },
      },
    });
}

/**
 * Maps anything thrown to a catalogue error; a 500 never carries the internal message. This is
 * the boundary where identity's and the use cases' own errors become Graph's.
 */
export function toGraphError(error: unknown): GraphError {
  if (error instanceof GraphError) return error;
  if (error instanceof TokenRejectedError) return invalidToken(error.message, error.authorizationUri);
  if (error instanceof AccessDeniedError) return accessDenied(error.message);
  if (error instanceof Refusal) return refusalToGraph(error);
  if (error instanceof StorageUnavailableError) return serviceNotAvailable(5);
  const fe = error as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new GraphError(415, ERROR_CODES.unsupportedMediaType, 'The request content type is not supported; send application/json.');
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new GraphError(413, ERROR_CODES.requestEntityTooLarge, 'The request body is too large.');
    }
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return badRequest('The request body is empty; send a JSON object.');
    if (fe.statusCode === 400) return badRequest(`The request body is not valid JSON: ${fe.message ?? ''}`.trim());
    return new GraphError(fe.statusCode, ERROR_CODES.badRequest, fe.message ?? 'Bad request.');
  }
  return internalError();
}

/** A use case's refusal, in Graph's catalogue: the use case chose the words, the wire the code. */
function refusalToGraph(refusal: Refusal): GraphError {
  switch (refusal.kind) {
    case 'invalid':
      return new GraphError(400, ERROR_CODES.badRequest, refusal.message);
    case 'forbidden':
      return new GraphError(403, ERROR_CODES.authorizationRequestDenied, refusal.message);
    case 'notFound':
      return new GraphError(404, ERROR_CODES.itemNotFound, refusal.message);
    case 'conflict':
      return new GraphError(409, ERROR_CODES.conflict, refusal.message);
  }
}
