import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { badRequest, conflict, itemNotFound } from '../graph/errors.js';
import { graphWire } from '../graph/graph-wire.js';
import { KEY } from '../graph/route-schemas.js';
import type { GraphServices } from '../graph/services.js';
import { PLAIN_JSON } from '../graph/wire.js';
import { registerRoutes } from '../http/register-routes.js';
import { declareRoute, type AnyRouteDeclaration } from '../http/route-declaration.js';
import type { Principal } from '../identity/principal.js';
import { describeOperation, failOperation, readFailure, releaseOperation, type ControlRefusal } from './operation-control.js';
import { RuleValidationError } from './rules/rule-error.js';
import { addRule, clearRules, getRule, listRules, removeRule } from './rules/rule-store.js';
import { advanceClock, readAdvance, readClock } from './tenant-clock.js';

/** Base path of the control API: Longrun's own wire, beside Graph's (docs/controls.md). */
export const CONTROL_BASE = '/_longrun/v1';

const ID_PARAMS = Type.Object({ id: KEY });
/** Every control route: Longrun.Control.All (application, or delegated + Global Administrator). */
const AUTH = 'control.all' as const;

const send = (reply: FastifyReply, body: unknown, status = 200) => reply.code(status).header('content-type', PLAIN_JSON).send(body);

/** A RuleValidationError becomes 400 `BadRequest` whose message starts with the field. */
function asBadRequest(e: unknown): never {
  if (e instanceof RuleValidationError) throw badRequest(e.message);
  throw e;
}

/** Runs a use case's input reader, answering 400 for what it refuses. */
function readOr400<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    return asBadRequest(e);
  }
}

function refuse(refusal: ControlRefusal, id: string): never {
  if (refusal === 'notFound') throw itemNotFound('operation', id);
  if (refusal === 'terminal') throw conflict(`The operation '${id}' has already ended; a terminal operation never changes.`);
  throw conflict(`The operation '${id}' is not waiting: it has no control plan, is being run by a worker, or has ended.`);
}

/**
 * The control API (docs/controls.md), a second wire beside Graph's: Graph's error envelope and
 * request ids, Longrun's own paths and permission, everything within the token's tenant.
 * Handlers call a use case in src/control/ and render. With `--controls off` (or a path no
 * route serves) every `/_longrun/` path is a 404.
 */
export function registerControlRoutes(services: GraphServices): void {
  const { app } = services;
  app.fastify.all('/_longrun/*', async (request) => {
    throw itemNotFound('resource', request.url.split('?')[0]!);
  });
  if (!app.deps.config.controls) return;
  registerRoutes(graphWire(app, services.authenticator, 'control'), controlRoutes(services));
}

function controlRoutes({ app, notifyExecutor, terminalHooks, terminalNotifier }: GraphServices): AnyRouteDeclaration[] {
  const { store, clock } = app.deps;
  const { tenantTime } = app;
  const tenantOf = (principal: Principal) => principal.tenantId;
  return [
    declareRoute({
      method: 'GET',
      url: `${CONTROL_BASE}/rules`,
      auth: AUTH,
      summary: "the tenant's rules, oldest first, with hits",
      handler: async ({ principal, reply }) => send(reply, { value: await listRules(store, tenantOf(principal)) }),
    }),
    declareRoute({
      method: 'POST',
      url: `${CONTROL_BASE}/rules`,
      auth: AUTH,
      summary: 'adds a rule: 201 with id, hits 0 and the rest as sent',
      handler: async ({ principal, request, reply }) => {
        const rule = await addRule(store, tenantOf(principal), request.body, clock.now()).catch(asBadRequest);
        return send(reply, rule, 201);
      },
    }),
    declareRoute({
      method: 'DELETE',
      url: `${CONTROL_BASE}/rules`,
      auth: AUTH,
      summary: "clears the tenant's rules",
      handler: async ({ principal, reply }) => {
        await clearRules(store, tenantOf(principal));
        return reply.code(204).send();
      },
    }),
    declareRoute({
      method: 'GET',
      url: `${CONTROL_BASE}/rules/:id`,
      schema: { params: ID_PARAMS },
      auth: AUTH,
      handler: async ({ principal, params, reply }) => {
        const rule = await getRule(store, tenantOf(principal), params.id);
        if (!rule) throw itemNotFound('rule', params.id);
        return send(reply, rule);
      },
    }),
    declareRoute({
      method: 'DELETE',
      url: `${CONTROL_BASE}/rules/:id`,
      schema: { params: ID_PARAMS },
      auth: AUTH,
      handler: async ({ principal, params, reply }) => {
        if (!(await removeRule(store, tenantOf(principal), params.id))) throw itemNotFound('rule', params.id);
        return reply.code(204).send();
      },
    }),
    declareRoute({
      method: 'GET',
      url: `${CONTROL_BASE}/operations/:id`,
      schema: { params: ID_PARAMS },
      auth: AUTH,
      summary: 'the full record: status, timeline events, attempts, the rule that shaped it',
      handler: async ({ principal, params, reply }) => {
        const record = await describeOperation(store, tenantOf(principal), params.id);
        if (!record) throw itemNotFound('operation', params.id);
        return send(reply, record);
      },
    }),
    declareRoute({
      method: 'POST',
      url: `${CONTROL_BASE}/operations/:id/release`,
      schema: { params: ID_PARAMS },
      auth: AUTH,
      summary: 'a stuck or waiting operation goes on now',
      handler: async ({ principal, params, reply }) => {
        const refusal = await releaseOperation(store, clock, tenantOf(principal), params.id);
        if (refusal) refuse(refusal, params.id);
        notifyExecutor();
        return send(reply, await describeOperation(store, tenantOf(principal), params.id));
      },
    }),
    declareRoute({
      method: 'POST',
      url: `${CONTROL_BASE}/operations/:id/fail`,
      schema: { params: ID_PARAMS },
      auth: AUTH,
      summary: 'body {code, detail}: a non-terminal operation fails now, no effect applies; 409 when terminal',
      handler: async ({ principal, params, request, reply }) => {
        const failure = readOr400(() => readFailure(request.body));
        const refusal = await failOperation(store, clock, tenantOf(principal), params.id, failure, {
          hooks: terminalHooks,
          notifier: terminalNotifier,
        });
        if (refusal) refuse(refusal, params.id);
        return send(reply, await describeOperation(store, tenantOf(principal), params.id));
      },
    }),
    declareRoute({
      method: 'GET',
      url: `${CONTROL_BASE}/clock`,
      auth: AUTH,
      summary: "the tenant's time and offset",
      handler: async ({ principal, reply }) => send(reply, await readClock(tenantTime, tenantOf(principal))),
    }),
    declareRoute({
      method: 'POST',
      url: `${CONTROL_BASE}/clock`,
      auth: AUTH,
      summary: "body {advanceSeconds}: moves the tenant's clock forward",
      handler: async ({ principal, request, reply }) => {
        const seconds = readOr400(() => readAdvance(request.body));
        const view = await advanceClock(store, tenantTime, clock, tenantOf(principal), seconds);
        notifyExecutor();
        return send(reply, view);
      },
    }),
  ];
}
