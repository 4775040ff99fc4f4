/**
 * Failures that happen before a request reaches a route, answered in the shape of the surface
 * the client spoke to (docs/errors.md, "Before routing"): Graph's error envelope everywhere,
 * Entra's OAuth error shape on the login authority's paths. Three places need it:
 *
 * - Fastify's `frameworkErrors` (the router refused the URL: a malformed percent-encoding, a
 *   path segment longer than the router allows);
 * - the HTTP server's `clientError` (Node's parser refused the request: a URL or headers larger
 *   than its 16 KB, garbage instead of HTTP, a request that never finished): there is no
 *   request object, so a complete HTTP response is written to the socket by hand;
 * - the server's `checkContinue` (`Expect: 100-continue`): a body announced larger than the
 *   limit is refused with its final 413 before the client sends it, instead of a `100 Continue`
 *   the client would answer with megabytes the server then drops.
 *
 * Nothing here echoes more than a short prefix of what the client sent, and nothing names a file.
 */
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, ERROR_CODES, GraphError } from './graph/errors.js';
import { CLIENT_REQUEST_ID, sendError } from './graph/conventions.js';
import { PLAIN_JSON } from './graph/wire.js';
import { EntraError, entraErrorBody } from './identity/entra-errors.js';
import type { Clock } from './shared/clock.js';
import { newGuid } from './shared/ids.js';
import { toErrorDate } from './shared/timestamps.js';

export interface FrameworkErrorDeps {
  clock: Clock;
  publicUrl: string;
  /** The router's limit on one path segment (Fastify's `maxParamLength`). */
  maxSegmentLength: number;
}

/**
 * The login authority's paths (`/{tenant}/oauth2/…`, `…/discovery/…`, `…/.well-known/…`,
 * `…/v2.0/…`; src/identity/authority-fallback.ts serves the same prefixes): their errors are
 * Entra's. (`/devicelogin` is a page for people; its own errors are pages.) Everything else (Graph, the control API, the console, the operator
 * endpoints) answers in Graph's envelope.
 */
const AUTHORITY_PATH = /^\/[^/?]*\/(?:oauth2|discovery|\.well-known|v2\.0)\//;

export const isAuthorityPath = (path: string): boolean => AUTHORITY_PATH.test(path);

/** At most `max` characters of what the client sent, for a message. */
const prefix = (text: string, max = 40): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The Graph error for a URL the router refused. */
function graphErrorFor(error: FastifyError, path: string, maxSegmentLength: number): GraphError {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return badRequest(`A segment of the request URL is longer than ${maxSegmentLength} characters ('${prefix(path)}').`);
  }
  return badRequest(`The request URL is not valid: '${prefix(path)}' holds a malformed percent-encoding.`);
}

/** Fastify's `frameworkErrors` option: the router refused the URL before any hook ran. */
export function frameworkErrorHandler(deps: FrameworkErrorDeps) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    // No onRequest hook has run: set the ids the conventions would have set.
    const sent = request.headers['client-request-id'];
    request.clientRequestId = typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : request.id;
    reply.header('request-id', request.id).header('client-request-id', request.clientRequestId).header('Cache-Control', 'no-cache');
    const path = (request.raw.url ?? '/').split('?')[0]!;
    const graphError = graphErrorFor(error, path, deps.maxSegmentLength);
    request.log.info({ code: error.code, status: graphError.statusCode }, graphError.message);
    if (!isAuthorityPath(path)) {
      void sendError(reply, request, graphError, deps.clock);
      return;
    }
    const entra = new EntraError(
      400,
      'invalid_request',
      9002313,
      `Invalid request. Request is malformed or invalid. ${graphError.message}`,
    );
    void reply
      .code(entra.statusCode)
      .header('content-type', 'application/json; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(
        entraErrorBody(entra, {
          now: deps.clock.now(),
          traceId: request.id,
          correlationId: request.clientRequestId,
          publicUrl: deps.publicUrl,
        }),
      );
  };
}

/** What Node's parser refused, as a status and the words the client reads. */
type ParserRefusal = { status: 400 | 408 | 414 | 431; code: string; message: string };

function parserRefusal(error: { code?: string }, requestLineComplete: boolean): ParserRefusal {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return requestLineComplete
      ? { status: 431, code: ERROR_CODES.requestHeaderFieldsTooLarge, message: 'The request headers are too large (16 KB at most).' }
      : { status: 414, code: ERROR_CODES.requestUriTooLong, message: 'The request URL is too long (16 KB at most).' };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: ERROR_CODES.requestTimeout, message: 'The request headers were not received in time.' };
  }
  return { status: 400, code: ERROR_CODES.badRequest, message: 'The request is not valid HTTP.' };
}

/**
 * The HTTP server's `clientError` listener (Fastify's `clientErrorHandler` option): writes a
 * complete response in the surface's shape and closes the connection, as Node itself would.
 */
export function clientErrorHandler(deps: FrameworkErrorDeps) {
  return (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // What the parser had received (Node passes a Buffer; Fastify's type says otherwise).
    const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '';
    // The packet starts with the request line when the client sent the request at once; a
    // request line that does not end within the parser's limit is a URL too long.
    const lineEnd = raw.indexOf('\r\n');
    const startsWithRequestLine = /^[A-Z]+ \S/.test(raw);
    const path = startsWithRequestLine ? (raw.split(' ')[1] ?? '') : '';
    const refusal = parserRefusal(error, !startsWithRequestLine || (lineEnd !== -1 && lineEnd <= 8192));
    const id = newGuid();
    const now = deps.clock.now();
    let contentType = PLAIN_JSON;
    let body: string;
    if (isAuthorityPath(path)) {
      const entra = new EntraError(
        refusal.status,
        'invalid_request',
        9002313,
        `Invalid request. Request is malformed or invalid. ${refusal.message}`,
      );
      contentType = 'application/json; charset=utf-8';
      body = JSON.stringify(entraErrorBody(entra, { now, traceId: id, correlationId: id, publicUrl: deps.publicUrl }));
    } else {
      body = JSON.stringify({
        error: {
          code: refusal.code,
          message: refusal.message,
          innerError: { date: toErrorDate(now), 'request-id': id, 'client-request-id': id },
        },
      });
    }
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
          `Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `request-id: ${id}\r\nclient-request-id: ${id}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/**
 * Answers `Expect: 100-continue`: `100 Continue` only when the announced body fits the limit.
 * A larger one goes straight to the routes, whose body parser answers 413 from the
 * `Content-Length` alone, so the client gets its final status without sending the body.
 */
export function answerExpectContinue(server: Server, bodyLimit: number): void {
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    const length = Number(request.headers['content-length']);
    if (!(length > bodyLimit)) response.writeContinue();
    server.emit('request', request, response);
  });
}

/** True when `value` (a string, or any string or key inside an object or array) holds U+0000. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v));
  return false;
}

const NUL_MESSAGE = 'The request holds a NUL character (U+0000), which no id, name or value may contain.';

/**
 * Refuses a NUL character anywhere in the path, query or body before a handler runs (400 in the
 * surface's shape). No id, name or password holds one, and PostgreSQL cannot even compare text
 * with one (it raised a 500; the fuzz test found it with `/v1.0/me/authentication/operations/%00`).
 */
export function refuseNulCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    // Path and query are decoded from the URL: they can hold a NUL only if the URL says %00.
    const urlMayHoldNul = request.url.includes('%00');
    if (!(urlMayHoldNul && (holdsNul(request.params) || holdsNul(request.query))) && !holdsNul(request.body)) return done();
    const path = (request.raw.url ?? '/').split('?')[0]!;
    done(
      isAuthorityPath(path)
        ? new EntraError(400, 'invalid_request', 9002313, `Invalid request. Request is malformed or invalid. ${NUL_MESSAGE}`)
        : badRequest(NUL_MESSAGE),
    );
  });
}
