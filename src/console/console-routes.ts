import { Type } from '@sinclair/typebox';
import { accessDenied, badRequest, GraphError, itemNotFound, tooManyRequests } from '../graph/errors.js';
import { graphWire } from '../graph/graph-wire.js';
import type { GraphServices } from '../graph/services.js';
import { fastifySink, registerRoutes, type RouteWire } from '../http/register-routes.js';
import { declareRoute } from '../http/route-declaration.js';
import { EntraError } from '../identity/entra-errors.js';
import { callerKey, type Principal } from '../identity/principal.js';
import type { SignIn, SignedIn } from '../identity/sign-in.js';
import { isTerminal, type OperationRecord, type OperationStatus } from '../operations/model.js';
import { OPERATION_KINDS } from '../operations/kinds.js';
import type { OperationSummary, TenantOperationFilter } from '../storage/tenant-operations-repository.js';
import { registerConsoleControlRoutes } from './console-control-routes.js';
import { OperationEventStream } from './console-events.js';
import { EVENT_STREAM_RETRY_AFTER_SECONDS, EventStreamShares } from './event-stream-shares.js';
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
import { consoleStaticFiles } from './console-static.js';
import { buildStats } from './console-stats.js';

/**
 * The operator console (docs/console.md): one static page (plain ES modules and CSS from
 * `src/console/static/`, read from the source folder at run time: `tsc` does not copy them, and
 * the folder exists in every clone) and a small JSON API under `/console/api/` that verifies
 * the bearer token with the same authenticator and policy as Graph.
 */
const STATUSES: readonly OperationStatus[] = ['notStarted', 'running', 'succeeded', 'failed'];
const KINDS: readonly string[] = Object.values(OPERATION_KINDS);
const MAX_TOP = 200;
const NEEDED_ROLES =
  'Privileged Role Administrator, Global Reader, Security Administrator or Security Reader (alerts and their refreshes), ' +
  'Authentication Administrator or Privileged Authentication Administrator (password resets), or Global Administrator';

/** What the console needs beyond the Graph services. */
export interface ConsoleDeps {
  /** The identity module's password sign-in (the same rules as the token endpoint). */
  signIn: SignIn;
}

const OPERATIONS_QUERY = Type.Object({ kind: Type.Optional(Type.String()), status: Type.Optional(Type.String()) });
const LIST_QUERY = Type.Composite([
  OPERATIONS_QUERY,
  Type.Object({ top: Type.Optional(Type.String()), skip: Type.Optional(Type.String()) }),
]);
const STATS_QUERY = Type.Composite([OPERATIONS_QUERY, Type.Object({ minutes: Type.Optional(Type.String()) })]);
const EVENTS_QUERY = Type.Composite([OPERATIONS_QUERY, Type.Object({ since: Type.Optional(Type.String()) })]);
const SIGN_IN_BODY = Type.Union([
  Type.Null(),
  Type.Object({
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    clientId: Type.Optional(Type.String()),
    tenant: Type.Optional(Type.String()),
  }),
]);

export function registerConsoleRoutes(services: GraphServices, consoleDeps: ConsoleDeps): void {
  const { app, authenticator } = services;
  const { fastify, deps } = app;
  const { store, clock, publicUrl } = deps;
  const repo = store.tenantOperations;
  const secure = publicUrl.startsWith('https:');
  const streams = new Set<OperationEventStream>();
  const streamShares = new EventStreamShares(deps.config.eventStreamsPerCaller);

  const sendStatic = consoleStaticFiles();

  /** The console's wire: Graph's envelope, and the bearer token from the header or the session cookie. */
  const wire: RouteWire = {
    ...graphWire(app, authenticator, 'console', fastifySink(fastify)),
    authenticate: (request) => {
      adoptSessionCookie(request);
      return authenticator.authenticate(request);
    },
  };

  /** What the console may show the caller. */
  const accessFor = (principal: Principal): { access: ConsoleAccess; kinds: string[] } => {
    const access = accessOf(principal);
    return { access, kinds: visibleKinds(access) };
  };

  /** The listing filter from `kind` and `status`; asking for a kind one may not see is a 403. */
  const filterOf = (
    query: { kind?: string | undefined; status?: string | undefined },
    tenantId: string,
    visible: string[],
  ): TenantOperationFilter => {
    const kind = query.kind !== undefined && query.kind !== '' ? query.kind : undefined;
    const status = query.status !== undefined && query.status !== '' ? query.status : undefined;
    if (kind !== undefined && !KINDS.includes(kind)) throw badRequest(`Unknown kind '${kind}'; use one of ${KINDS.join(', ')}.`);
    if (status !== undefined && !STATUSES.includes(status as OperationStatus)) {
      throw badRequest(`Unknown status '${status}'; use one of ${STATUSES.join(', ')}.`);
    }
    if (visible.length === 0) throw accessDenied(`None of your roles lets you read operations. The console needs ${NEEDED_ROLES}.`);
    if (kind !== undefined && !visible.includes(kind)) throw accessDenied();
    return { tenantId, kinds: kind ? [kind] : visible, status: status as OperationStatus | undefined };
  };

  const intParam = (value: string | undefined, name: string, fallback: number, min: number, max: number): number => {
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
      if (!names.has(row.targetId))
        names.set(row.targetId, (await store.directory.findUser(tenantId, row.targetId))?.userPrincipalName ?? null);
      return { ...row, targetName: names.get(row.targetId) ?? null };
    };
  };

  registerRoutes(wire, [
    declareRoute({
      method: 'GET',
      url: '/console',
      auth: 'none',
      summary: 'the console page',
      handler: async ({ reply }) => sendStatic(reply, 'index.html'),
    }),
    declareRoute({
      method: 'GET',
      url: '/console/',
      auth: 'none',
      summary: 'the console page',
      handler: async ({ reply }) => sendStatic(reply, 'index.html'),
    }),
    declareRoute({
      method: 'GET',
      url: '/console/static/:file',
      schema: { params: Type.Object({ file: Type.String() }) },
      auth: 'none',
      summary: "the console's scripts and styles",
      handler: async ({ params, reply }) => sendStatic(reply, params.file),
    }),

    declareRoute({
      method: 'POST',
      url: '/console/api/sign-in',
      schema: { body: SIGN_IN_BODY },
      auth: 'none',
      summary: 'password sign-in; sets the session cookie',
      handler: async ({ body, reply }) => {
        const username = body?.username?.trim() ?? '';
        const password = body?.password ?? '';
        const clientId = body?.clientId !== undefined && body.clientId.trim() !== '' ? body.clientId.trim() : CONSOLE_CLIENT.id;
        let tenant = body?.tenant?.trim() ?? '';
        if (!tenant && username.includes('@')) tenant = username.slice(username.lastIndexOf('@') + 1);
        if (!username || !password) throw badRequest('Enter your user name and password.');
        if (!tenant || !/^[\w.-]+$/.test(tenant)) throw badRequest('Enter the user name as name@domain, or the tenant.');
        let signedIn: SignedIn;
        try {
          // The password grant, same rules as any client of the token endpoint.
          signedIn = await consoleDeps.signIn({
            tenant,
            username,
            password,
            clientId,
            clientSecret: clientId === CONSOLE_CLIENT.id ? CONSOLE_CLIENT.secret : undefined,
          });
        } catch (e) {
          if (!(e instanceof EntraError)) throw e;
          if (e.retryAfterSeconds !== undefined) throw tooManyRequests(e.retryAfterSeconds);
          throw new GraphError(
            401,
            'signInFailed',
            signInMessage({ error: e.error, error_codes: [e.aadsts], error_description: e.message }, clientId),
          );
        }
        const { accessToken, principal } = signedIn;
        const access = accessOf(principal);
        const facts = tokenFacts(accessToken);
        if (!hasConsoleAccess(access)) {
          throw accessDenied(`${facts.upn || username} signed in, but has no role that the console needs. Operators need ${NEEDED_ROLES}.`);
        }
        reply.header('set-cookie', sessionCookie(accessToken, facts.exp - Math.floor(clock.now() / 1000), secure));
        reply.header('cache-control', 'no-store');
        return {
          accessToken,
          expiresAt: facts.exp * 1000,
          user: { upn: facts.upn, name: facts.name, tenantId: principal.tenantId },
          access,
          now: clock.now(),
        };
      },
    }),

    declareRoute({
      method: 'POST',
      url: '/console/api/sign-out',
      auth: 'none',
      summary: 'clears the session cookie',
      handler: async ({ reply }) => {
        reply.header('set-cookie', clearedSessionCookie(secure));
        return reply.code(204).send();
      },
    }),

    declareRoute({
      method: 'GET',
      url: '/console/api/me',
      auth: 'authenticated',
      summary: 'the signed-in user and what the console may show them',
      handler: async ({ principal, request, reply }) => {
        const { access } = accessFor(principal);
        const token = bearerOf(request);
        const facts = tokenFacts(token);
        // Renews the stream's cookie for the token this tab holds (a reload, another tab's sign-in).
        reply.header('set-cookie', sessionCookie(token, facts.exp - Math.floor(clock.now() / 1000), secure));
        return {
          user: { upn: facts.upn, name: facts.name, tenantId: principal.tenantId },
          expiresAt: facts.exp * 1000,
          access,
          now: clock.now(),
        };
      },
    }),

    declareRoute({
      method: 'GET',
      url: '/console/api/operations',
      schema: { querystring: LIST_QUERY },
      auth: 'authenticated',
      summary: "the tenant's operations the caller's roles may read",
      handler: async ({ query, principal }) => {
        const filter = filterOf(query, principal.tenantId, accessFor(principal).kinds);
        const top = intParam(query.top, 'top', 50, 1, MAX_TOP);
        const skip = intParam(query.skip, 'skip', 0, 0, Number.MAX_SAFE_INTEGER);
        const asOf = clock.now();
        const [rows, total] = await Promise.all([repo.list(filter, top, skip), repo.count(filter)]);
        const label = labeller(principal.tenantId);
        const value: Array<OperationSummary & { targetName: string | null }> = [];
        for (const row of rows) value.push(await label(row));
        return { asOf, total, top, skip, value };
      },
    }),

    declareRoute({
      method: 'GET',
      url: '/console/api/operations/:id',
      schema: { params: Type.Object({ id: Type.String() }), querystring: Type.Object({ run: Type.Optional(Type.String()) }) },
      auth: 'authenticated',
      summary: 'one operation and the events of one of its runs',
      handler: async ({ params, query, principal }) => {
        const { kinds } = accessFor(principal);
        const op = await store.operations.get(params.id);
        if (!op || op.tenantId !== principal.tenantId || !kinds.includes(op.kind)) throw itemNotFound('longRunningOperation', params.id);
        const run = intParam(query.run, 'run', op.run, 1, op.run);
        const events = await store.operations.events(params.id, run);
        const summary = await labeller(principal.tenantId)(summaryOf(op));
        return {
          operation: summary,
          run,
          runs: op.run,
          durationMs: op.finishedAt === null ? null : op.finishedAt - op.createdAt,
          terminal: isTerminal(op.status),
          events: run === op.run || events.length > 0 ? events : [],
        };
      },
    }),

    declareRoute({
      method: 'GET',
      url: '/console/api/stats',
      schema: { querystring: STATS_QUERY },
      auth: 'authenticated',
      summary: 'operations per minute and durations, for the charts',
      handler: async ({ query, principal }) => {
        const filter = filterOf(query, principal.tenantId, accessFor(principal).kinds);
        const minutes = intParam(query.minutes, 'minutes', 30, 5, 24 * 60);
        const to = clock.now();
        const from = (Math.floor(to / 60000) - minutes + 1) * 60000;
        const [perMinute, durations] = await Promise.all([repo.perMinute(filter, from), repo.durations(filter, from, 10_000)]);
        return buildStats(from, to, perMinute, durations);
      },
    }),

    declareRoute({
      method: 'GET',
      url: '/console/api/events',
      schema: { querystring: EVENTS_QUERY },
      auth: 'authenticated',
      summary: 'server-sent events of operation changes',
      handler: async ({ query, principal, request, reply }) => {
        const filter = filterOf(query, principal.tenantId, accessFor(principal).kinds);
        const now = clock.now();
        const since = intParam(query.since, 'since', now, 0, Number.MAX_SAFE_INTEGER);
        const label = labeller(principal.tenantId);
        // Taken after every check that can refuse the request, released when the stream closes.
        const caller = callerKey(principal);
        if (!streamShares.take(caller)) {
          throw tooManyRequests(
            EVENT_STREAM_RETRY_AFTER_SECONDS,
            `This caller already has ${streamShares.perCaller} open event streams, the most allowed (--event-streams-per-caller). Close one, then retry.`,
          );
        }
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
        stream.onClose = () => {
          streams.delete(stream);
          streamShares.release(caller);
        };
      },
    }),
  ]);

  registerConsoleControlRoutes(services, wire);

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
