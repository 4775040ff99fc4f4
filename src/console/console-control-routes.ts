import type { FastifyRequest } from 'fastify';
import { accessDenied, badRequest, itemNotFound } from '../graph/errors.js';
import type { GraphServices } from '../graph/services.js';
import type { Principal } from '../identity/principal.js';
import { RuleValidationError } from '../control/rules/rule-error.js';
import { addRule, clearRules, failOperation, listRules, releaseOperation, removeRule } from './console-controls.js';
import { accessOf, adoptSessionCookie } from './console-session.js';

/**
 * The console API of the Controls view (docs/console.md): the tenant's control rules, and
 * release/fail of one operation. Same authenticator as Graph; only a Global Administrator may
 * use it, and everything acts within the token's tenant.
 */
export function registerConsoleControlRoutes({ app, authenticator }: Pick<GraphServices, 'app' | 'authenticator'>): void {
  const { fastify, deps } = app;
  const { store, clock } = deps;

  const operator = async (request: FastifyRequest): Promise<Principal> => {
    adoptSessionCookie(request);
    const principal = await authenticator.authenticate(request);
    if (!accessOf(principal).controls) throw accessDenied('Only a Global Administrator may use the controls.');
    return principal;
  };

  fastify.get('/console/api/controls/rules', async (request) => {
    const { tenantId } = await operator(request);
    return { value: await listRules(store, tenantId) };
  });

  fastify.post('/console/api/controls/rules', async (request, reply) => {
    const { tenantId } = await operator(request);
    try {
      return reply.code(201).send(await addRule(store, tenantId, request.body, clock.now()));
    } catch (error) {
      // The message names the field (`respond.status: must be one of …`), as the control API's 400 does.
      if (error instanceof RuleValidationError) throw badRequest(error.message);
      throw error;
    }
  });

  fastify.delete('/console/api/controls/rules/:id', async (request, reply) => {
    const { tenantId } = await operator(request);
    const { id } = request.params as { id: string };
    if (!(await removeRule(store, tenantId, id))) throw itemNotFound('rule', id);
    return reply.code(204).send();
  });

  fastify.delete('/console/api/controls/rules', async (request, reply) => {
    const { tenantId } = await operator(request);
    await clearRules(store, tenantId);
    return reply.code(204).send();
  });

  fastify.post('/console/api/controls/operations/:id/release', async (request) => {
    await operator(request);
    return releaseOperation();
  });

  fastify.post('/console/api/controls/operations/:id/fail', async (request) => {
    await operator(request);
    return failOperation();
  });
}
