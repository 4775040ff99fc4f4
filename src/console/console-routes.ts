import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessDenied, badRequest, GraphError, itemNotFound } from '../graph/errors.js';
import type { GraphServices } from '../graph/services.js';
import type { Principal } from '../identity/principal.js';
import { isTerminal, type OperationRecord, type OperationStatus } from '../operations/model.js';
import { OPERATION_KINDS } from '../operations/kinds.js';
import { TenantOperationsRepository, type OperationSummary, type TenantOperationFilter } from '../storage/tenant-operations-repository.js';
import { OperationEventStream } from './console-events.js';
import {
  accessOf,
  adoptSessionCookie,
  bearerOf,
  clearedSessionCookie,
  CONSOLE_CLIENT,
  hasConsoleAccess,
  sessionCookie,
  signInMessage,
  tokenFacts,
  visibleKinds,
  type ConsoleAccess,
} from './console-session.js';
import { buildStats } from './console-stats.js';

/**
 * The operator console (docs/console.md): one static page (plain ES modules and CSS from
 * `src/console/static/`, read from the source folder at run time: `tsc` does not copy them, and
 * the folder exists in every clone) and a small JSON API under `/console/api/` that verifies
 * the bearer token with the same authenticator and policy as Graph.
 */
const STATIC_FILES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'chart.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'index.html': 'text/html; charset=utf-8',
};

/** `dist/src/console/*.js` → `src/console/static/`; running from source → `./static/`. */
function staticFolder(): string {
  const candidates = [new URL('../../../src/console/static/', import.meta.url), new URL('./static/', import.meta.url)];
  for (const url of candidates) {
    try {
      readFileSync(new URL('index.html', url));
      return fileURLToPath(url);
    } catch {
      // try the next one
    }
  }
  return fileURLToPath(candidates[0]!);
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const STATUSES: readonly OperationStatus[] = ['notStarted', 'running', 'succeeded', 'failed'];
const KINDS: readonly string[] = Object.values(OPERATION_KINDS);
const MAX_TOP = 200;
const NEEDED_ROLES =
  'Privileged Role Administrator, Global Reader, Security Administrator or Security Reader (alerts and their refreshes), ' +
  'Authentication Administrator or Privileged Authentication Administrator (password resets), or Global Administrator';

export function registerConsoleRoutes({ app, authenticator }: GraphServices): void {
  const { fastify, deps } = app;
  const { store, clock, publicUrl } = deps;
  const repo = new TenantOperationsRepository(store.sql);
  const folder = staticFolder();
  const cache = new Map<string, Buffer>();
  const secure = publicUrl.startsWith('https:');
  const streams = new Set<OperationEventStream>();

  const sendStatic = (reply: FastifyReply, name: string) => {
    const type = STATIC_FILES[name];
    if (!type) throw itemNotFound('file', name);
    let body = cache.get(name);
    if (!body) {
      try {
        body = readFileSync(`${folder}/${name}`);
      } catch {
        return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send(`The console's files are missing (${folder}).`);
      }
      cache.set(name, body);
    }
    return reply.headers(SECURITY_HEADERS).header('content-type', type).send(body);
  };

  fastify.get('/console', async (_request, reply) => sendStatic(reply, 'index.html'));
  fastify.get('/console/', async (_request, reply) => sendStatic(reply, 'index.html'));
  fastify.get('/console/static/:file', async (request, reply) => sendStatic(reply, (request.params as { file: string }).file));

  /** Verifies the bearer token (header or session cookie) and what the console may show. */
  const signedIn = async (request: FastifyRequest): Promise<{ principal: Principal; access: ConsoleAccess; kinds: string[] }> => {
    adoptSessionCookie(request);
    const principal = await authenticator.authenticate(request);
    const access = accessOf(principal);
    const kinds = visibleKinds(access);
    return { principal, access, kinds };
  };

  /** The listing filter from `kind` and `status`; asking for a kind one may not see is a 403. */
  const filterOf = (query: Record<string, unknown>, tenantId: string, visible: string[]): TenantOperationFilter => {
    const kind = typeof query.kind === 'string' && query.kind !== '' ? query.kind : undefined;
    const status = typeof query.status === 'string' && query.status !== '' ? query.status : undefined;
    if (kind !== undefined && !KINDS.includes(kind)) throw badRequest(`Unknown kind '${kind}'; use one of ${KINDS.join(', ')}.`);
    if (status !== undefined && !STATUSES.includes(status as OperationStatus)) {
      throw badRequest(`Unknown status '${status}'; use one of ${STATUSES.join(', ')}.`);
    }
    if (visible.length === 0) throw accessDenied(`None of your roles lets you read operations. The console needs ${NEEDED_ROLES}.`);
    if (kind !== undefined && !visible.includes(kind)) throw accessDenied();
    return { tenantId, kinds: kind ? [kind] : visible, status: status as OperationStatus | undefined };
  };

  const intParam = (value: unknown, name: string, fallback: number, min: number, max: number): number => {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw badRequest(`${name} must be an integer from ${min} to ${max}.`);
    return n;
  };

  /** Adds the target user's UPN to password-reset rows (one look-up per distinct user). */
  const labeller = (tenantId: string) => {
    const names = new Map<string, string | null>();
    return async <T extends { kind: string; targetId: string }>(row: T): Promise<T & { targetName: string | null }> => {
      if (row.kind !== OPERATION_KINDS.passwordReset) return { ...row, targetName: null };
      if (!names.has(row.targetId)) names.set(row.targetId, (await store.directory.findUser(tenantId, row.targetId))?.userPrincipalName ?? null);
      return { ...row, targetName: names.get(row.targetId) ?? null };
    };
  };

  fastify.post('/console/api/sign-in', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const clientId = typeof body.clientId === 'string' && body.clientId.trim() !== '' ? body.clientId.trim() : CONSOLE_CLIENT.id;
    let tenant = typeof body.tenant === 'string' ? body.tenant.trim() : '';
    if (!tenant && username.includes('@')) tenant = username.slice(username.lastIndexOf('@') + 1);
    if (!username || !password) throw badRequest('Enter your user name and password.');
    if (!tenant || !/^[\w.-]+$/.test(tenant)) throw badRequest('Enter the user name as name@domain, or the tenant.');
    // The password grant at this service's own token endpoint: same rules as any client.
    const form = new URLSearchParams({
      grant_type: 'password',
      client_id: clientId,
      username,
      password,
      scope: `${deps.config.cloud.graphRoot}/.default`,
    });
    if (clientId === CONSOLE_CLIENT.id) form.set('client_secret', CONSOLE_CLIENT.secret);
    const res = await fastify.inject({
      method: 'POST',
      url: `/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'client-request-id': request.clientRequestId },
      payload: form.toString(),
    });
    const grant = res.json<{ access_token?: string; expires_in?: number; error?: string; error_codes?: number[]; error_description?: string }>();
    if (res.statusCode !== 200 || !grant.access_token) {
      throw new GraphError(res.statusCode >= 400 && res.statusCode < 500 ? 401 : 502, 'signInFailed', signInMessage(grant, clientId));
    }
    request.headers.authorization = `Bearer ${grant.access_token}`;
    const principal = await authenticator.authenticate(request);
    const access = accessOf(principal);
    const facts = tokenFacts(grant.access_token);
    if (!hasConsoleAccess(access)) {
      throw accessDenied(`${facts.upn || username} signed in, but has no role that the console needs. Operators need ${NEEDED_ROLES}.`);
    }
    reply.header('set-cookie', sessionCookie(grant.access_token, facts.exp - Math.floor(clock.now() / 1000), secure));
    reply.header('cache-control', 'no-store');
    return {
      accessToken: grant.access_token,
      expiresAt: facts.exp * 1000,
      user: { upn: facts.upn, name: facts.name, tenantId: principal.tenantId },
      access,
      now: clock.now(),
    };
  });

  fastify.post('/console/api/sign-out', async (_request, reply) => {
    reply.header('set-cookie', clearedSessionCookie(secure));
    return reply.code(204).send();
  });

  fastify.get('/console/api/me', async (request, reply) => {
    const { principal, access } = await signedIn(request);
    const token = bearerOf(request);
    const facts = tokenFacts(token);
    // Renews the stream's cookie for the token this tab holds (a reload, another tab's sign-in).
    reply.header('set-cookie', sessionCookie(token, facts.exp - Math.floor(clock.now() / 1000), secure));
    return { user: { upn: facts.upn, name: facts.name, tenantId: principal.tenantId }, expiresAt: facts.exp * 1000, access, now: clock.now() };
  });

  fastify.get('/console/api/operations', async (request) => {
    const { principal, kinds } = await signedIn(request);
    const query = request.query as Record<string, unknown>;
    const filter = filterOf(query, principal.tenantId, kinds);
    const top = intParam(query.top, 'top', 50, 1, MAX_TOP);
    const skip = intParam(query.skip, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
    const asOf = clock.now();
    const [rows, total] = await Promise.all([repo.list(filter, top, skip), repo.count(filter)]);
    const label = labeller(principal.tenantId);
    const value: Array<OperationSummary & { targetName: string | null }> = [];
    for (const row of rows) value.push(await label(row));
    return { asOf, total, top, skip, value };
  });

  fastify.get('/console/api/operations/:id', async (request) => {
    const { principal, kinds } = await signedIn(request);
    const { id } = request.params as { id: string };
    const op = await store.operations.get(id);
    if (!op || op.tenantId !== principal.tenantId || !kinds.includes(op.kind)) throw itemNotFound('longRunningOperation', id);
    const run = intParam((request.query as Record<string, unknown>).run, 'run', op.run, 1, op.run);
    const events = await store.operations.events(id, run);
    const summary = await labeller(principal.tenantId)(summaryOf(op));
    return {
      operation: summary,
      run,
      runs: op.run,
      durationMs: op.finishedAt === null ? null : op.finishedAt - op.createdAt,
      terminal: isTerminal(op.status),
      events: run === op.run || events.length > 0 ? events : [],
    };
  });

  fastify.get('/console/api/stats', async (request) => {
    const { principal, kinds } = await signedIn(request);
    const query = request.query as Record<string, unknown>;
    const filter = filterOf(query, principal.tenantId, kinds);
    const minutes = intParam(query.minutes, 'minutes', 30, 5, 24 * 60);
    const to = clock.now();
    const from = (Math.floor(to / 60000) - minutes + 1) * 60000;
    const [perMinute, durations] = await Promise.all([repo.perMinute(filter, from), repo.durations(filter, from, 10_000)]);
    return buildStats(from, to, perMinute, durations);
  });

  fastify.get('/console/api/events', async (request, reply) => {
    const { principal, kinds } = await signedIn(request);
    const query = request.query as Record<string, unknown>;
    const filter = filterOf(query, principal.tenantId, kinds);
    const now = clock.now();
    const since = intParam(query.since, 'since', now, 0, Number.MAX_SAFE_INTEGER);
    const label = labeller(principal.tenantId);
    const stream = new OperationEventStream(request, reply, {
      repo,
      filter,
      clock,
      logger: deps.logger,
      expiresAt: tokenFacts(bearerOf(request)).exp * 1000,
      // Never replay more than an hour, whatever the page asks.
      since: Math.max(since, now - 3_600_000),
      label,
    });
    streams.add(stream);
    stream.onClose = () => streams.delete(stream);
  });

  // Open streams would keep `close()` waiting: end them first.
  fastify.addHook('preClose', async () => {
    for (const s of [...streams]) s.close();
  });
}

function summaryOf(op: OperationRecord): OperationSummary {
  return {
    id: op.id,
    kind: op.kind,
    targetId: op.targetId,
    run: op.run,
    status: op.status,
    statusDetail: op.statusDetail,
    resourceLocation: op.resourceLocation,
    createdAt: op.createdAt,
    lastActionAt: op.lastActionAt,
    attempts: op.attempts,
    maxAttempts: op.maxAttempts,
    errorCode: op.errorCode,
    finishedAt: op.finishedAt,
  };
}
