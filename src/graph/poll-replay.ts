import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newGuid } from '../shared/ids.js';
import { CLIENT_REQUEST_ID } from './conventions.js';
import type { RequestLine } from './request-log.js';
import type { Principal } from '../identity/principal.js';
import { CLOCK_TOLERANCE_SECONDS } from '../identity/token-verifier.js';
import type { TenantTime } from '../shared/tenant-time.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by register-routes for declarations marked `replayable`. */
    replayable?: boolean;
  }
}

/** The change mark a request started under, on its raw request (taken before any read). */
const MARK = Symbol('longrun.pollReplay.mark');
type MarkedRequest = IncomingMessage & { [MARK]?: string };

/** What the full pipeline answered a status poll, kept to be sent again. */
interface Answer {
  mark: string;
  /** Real time (ms) after which the answer may no longer be given: the memory's TTL, or the token's expiry. */
  validUntil: number;
  status: number;
  /** In the order the pipeline set them, without the per-request ids. */
  headers: Array<[string, string]>;
  body: string;
  /** The route's URL pattern, for the request metrics. */
  route: string;
}

export interface PollReplayDeps {
  /** SQLite's change mark (SqlDatabase.changeMark); undefined (PostgreSQL): nothing is replayed. */
  changeMark: () => string | undefined;
  /** Real time, ms. */
  now: () => number;
  /** False while any tenant has http/throttle control rules: every request must meet the request hook. */
  unshaped: () => boolean;
  /** When the request's bearer token stops being accepted, in real time (ms); undefined: do not keep the answer. */
  tokenValidUntil: (request: FastifyRequest) => number | undefined;
  /** The request line and the request count, as the onResponse hooks write them for the full pipeline. */
  record: (line: RequestLine, route: string) => void;
  ttlMs?: number;
  capacity?: number;
}

/**
 * Status polls answered again without the pipeline: a `GET` of one operation (routes declared
 * `replayable`) by the same bearer token, for the same URL and Accept-Encoding, while the
 * database reports no write at all since the first answer was computed (the change mark, taken
 * before that request read anything), for at most `ttlMs` and never past the token's expiry,
 * and only while no control rule could shape the request. Then the answer cannot differ: every
 * input of it (token, directory, operation, rules, tenant clock) is in the database or the
 * request. The replay sends the same status, headers and body with fresh `request-id` and
 * `client-request-id`, and writes the same log line and metric. `Prefer` (the wait extension)
 * and every other method go through the pipeline; on PostgreSQL (no change mark) everything does.
 */
export class PollReplay {
  readonly #answers = new Map<string, Answer>();
  readonly #ttlMs: number;
  readonly #capacity: number;
  #closing = false;

  constructor(private readonly deps: PollReplayDeps) {
    this.#ttlMs = deps.ttlMs ?? 1000;
    this.#capacity = deps.capacity ?? 4096;
  }

  /** Puts the replay in front of Fastify's request listener, and the capture on replayable routes. */
  install(fastify: FastifyInstance): void {
    // A closing server answers every new request with Fastify's 503: none is replayed then.
    fastify.addHook('preClose', (done) => {
      this.#closing = true;
      done();
    });
    const server: Server = fastify.server;
    const pipeline = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (this.#replayed(req, res)) return;
      for (const listener of pipeline) listener.call(server, req, res);
    });
    fastify.addHook('onRoute', (route) => {
      if (route.config?.replayable !== true) return;
      const capture = (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (e: null, p: unknown) => void) => {
        this.#capture(request, reply, payload, route.url);
        done(null, payload);
      };
      route.onSend = [...(Array.isArray(route.onSend) ? route.onSend : route.onSend ? [route.onSend] : []), capture];
    });
  }

  #replayed(req: MarkedRequest, res: ServerResponse): boolean {
    if (req.method !== 'GET' || req.headers.prefer !== undefined || this.#closing) return false;
    const authorization = req.headers.authorization;
    if (authorization === undefined) return false;
    const mark = this.deps.changeMark();
    if (mark === undefined) return false;
    req[MARK] = mark;
    if (this.#answers.size === 0) return false;
    const key = keyOf(authorization, req.url ?? '', req.headers['accept-encoding']);
    const answer = this.#answers.get(key);
    if (!answer) return false;
    const started = performance.now();
    if (answer.mark !== mark || this.deps.now() >= answer.validUntil || !this.deps.unshaped()) {
      this.#answers.delete(key);
      return false;
    }
    const requestId = newGuid();
    const sent = req.headers['client-request-id'];
    const clientRequestId = typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : requestId;
    res.statusCode = answer.status;
    res.setHeader('request-id', requestId);
    res.setHeader('client-request-id', clientRequestId);
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.end(answer.body);
    const url = req.url ?? '';
    const query = url.indexOf('?');
    this.deps.record(
      {
        requestId,
        clientRequestId,
        method: 'GET',
        path: query === -1 ? url : url.slice(0, query),
        status: answer.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      },
      answer.route,
    );
    return true;
  }

  #capture(request: FastifyRequest, reply: FastifyReply, payload: unknown, route: string): void {
    const mark = (request.raw as MarkedRequest)[MARK];
    if (mark === undefined || reply.statusCode !== 200 || typeof payload !== 'string' || !this.deps.unshaped()) return;
    const tokenValidUntil = this.deps.tokenValidUntil(request);
    if (tokenValidUntil === undefined) return;
    const headers: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (PER_REQUEST.has(name) || value === undefined) continue;
      headers.push([name, String(value)]);
    }
    headers.push(['content-length', String(Buffer.byteLength(payload))]);
    if (this.#answers.size >= this.#capacity) this.#answers.clear();
    this.#answers.set(keyOf(request.headers.authorization ?? '', request.url, request.headers['accept-encoding']), {
      mark,
      validUntil: Math.min(this.deps.now() + this.#ttlMs, tokenValidUntil),
      status: reply.statusCode,
      headers,
      body: payload,
      route,
    });
  }
}

/** Headers the replay writes itself: fresh ids, and the length of the kept body. */
const PER_REQUEST = new Set(['request-id', 'client-request-id', 'content-length']);

/**
 * When the principal's token stops being accepted (the verifier's lifetime rule: `exp` plus the
 * clock tolerance, on the tenant's clock), in real time; undefined when that cannot be told
 * without a read (then nothing is kept).
 */
export function tokenValidUntil(principal: Principal | null, tenantTime: TenantTime): number | undefined {
  if (!principal || principal.expiresAt === undefined) return undefined;
  const offset = tenantTime.cachedOffsetMs(principal.tenantId);
  return offset === undefined ? undefined : (principal.expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000 - offset;
}

function keyOf(authorization: string, url: string, acceptEncoding: string | undefined): string {
  return `${authorization}\n${url}\n${acceptEncoding ?? ''}`;
}
