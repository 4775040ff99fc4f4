import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, itemNotFound } from '../graph/errors.js';
import type { GraphServices } from '../graph/services.js';
import { PLAIN_JSON } from '../graph/wire.js';
import { controlCaller } from './control-access.js';
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
export function registerControlRoutes({ app, authenticator }: GraphServices): void {
  const { store, clock } = app.deps;
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
}
