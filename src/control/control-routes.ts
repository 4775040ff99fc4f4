import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, conflict, itemNotFound } from '../graph/errors.js';
import type { GraphServices } from '../graph/services.js';
import { PLAIN_JSON } from '../graph/wire.js';
import { controlCaller } from './control-access.js';
import { describeOperation, failOperation, readFailure, releaseOperation, type ControlRefusal } from './operation-control.js';
import { advanceClock, readAdvance, readClock } from './tenant-clock.js';
import { RuleValidationError } from './rules/rule-error.js';
import { addRule, clearRules, getRule, listRules, removeRule } from './rules/rule-store.js';

/** Base path of the control API: Longrun's own wire, beside Graph's (docs/controls.md). */
export const CONTROL_BASE = '/_longrun/v1';

const send = (reply: FastifyReply, body: unknown, status = 200) => reply.code(status).header('content-type', PLAIN_JSON).send(body);

/** A rule or body the control API refuses: 400 `BadRequest` whose message starts with the field. */
function asBadRequest(e: unknown): never {
  if (e instanceof RuleValidationError) throw badRequest(e.message);
  throw e;
}

const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

/**
 * The control API (docs/controls.md), a second wire beside Graph's: Graph's error envelope and
 * request ids, Longrun's own paths and permission. Handlers parse, authorize, call a use case
 * in src/control/, and render. With `--controls off` every `/_longrun/` path is a 404.
 */
export function registerControlRoutes({ app, authenticator, notifyExecutor }: GraphServices): void {
  const { store, clock } = app.deps;
  const { tenantTime } = app;
  // Anything under /_longrun/ that no route below serves (all of it with --controls off).
  app.fastify.all('/_longrun/*', async (request) => {
    throw itemNotFound('resource', request.url.split('?')[0]!);
  });
  if (!app.deps.config.controls) return;

  app.routes.add(`${CONTROL_BASE}/rules`, {
    GET: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      return send(reply, { value: await listRules(store, caller.tenantId) });
    },
    POST: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      const rule = await addRule(store, caller.tenantId, request.body, clock.now()).catch(asBadRequest);
      return send(reply, rule, 201);
    },
    DELETE: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      await clearRules(store, caller.tenantId);
      return reply.code(204).send();
    },
  });

  app.routes.add(`${CONTROL_BASE}/rules/:id`, {
    GET: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      const rule = await getRule(store, caller.tenantId, idOf(request));
      if (!rule) throw itemNotFound('rule', idOf(request));
      return send(reply, rule);
    },
    DELETE: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      if (!(await removeRule(store, caller.tenantId, idOf(request)))) throw itemNotFound('rule', idOf(request));
      return reply.code(204).send();
    },
  });

  const refuse = (refusal: ControlRefusal, id: string): never => {
    if (refusal === 'notFound') throw itemNotFound('operation', id);
    if (refusal === 'terminal') throw conflict(`The operation '${id}' has already ended; a terminal operation never changes.`);
    throw conflict(`The operation '${id}' is not waiting: it has no control plan, is being run by a worker, or has ended.`);
  };

  app.routes.add(`${CONTROL_BASE}/operations/:id`, {
    GET: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      const record = await describeOperation(store, caller.tenantId, idOf(request));
      if (!record) throw itemNotFound('operation', idOf(request));
      return send(reply, record);
    },
  });

  app.routes.add(`${CONTROL_BASE}/operations/:id/release`, {
    POST: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      const refusal = await releaseOperation(store, clock, caller.tenantId, idOf(request));
      if (refusal) refuse(refusal, idOf(request));
      notifyExecutor();
      return send(reply, await describeOperation(store, caller.tenantId, idOf(request)));
    },
  });

  app.routes.add(`${CONTROL_BASE}/operations/:id/fail`, {
    POST: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      const failure = (() => {
        try {
          return readFailure(request.body);
        } catch (e) {
          return asBadRequest(e);
        }
      })();
      const refusal = await failOperation(store, clock, caller.tenantId, idOf(request), failure);
      if (refusal) refuse(refusal, idOf(request));
      return send(reply, await describeOperation(store, caller.tenantId, idOf(request)));
    },
  });

  app.routes.add(`${CONTROL_BASE}/clock`, {
    GET: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      return send(reply, await readClock(tenantTime, caller.tenantId));
    },
    POST: async (request, reply) => {
      const caller = await controlCaller(authenticator, request);
      let seconds: number;
      try {
        seconds = readAdvance(request.body);
      } catch (e) {
        return asBadRequest(e);
      }
      const view = await advanceClock(store, tenantTime, clock, caller.tenantId, seconds);
      notifyExecutor();
      return send(reply, view);
    },
  });
}
