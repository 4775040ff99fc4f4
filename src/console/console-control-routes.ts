import type { FastifyRequest } from 'fastify';
import { accessDenied, badRequest, conflict, itemNotFound } from '../graph/errors.js';
import type { GraphServices } from '../graph/services.js';
import type { Principal } from '../identity/principal.js';
import { RuleValidationError } from '../control/rules/rule-error.js';
import { describeOperation, failOperation, readFailure, releaseOperation } from '../control/operation-control.js';
import { addRule, clearRules, listRules, removeRule } from '../control/rules/rule-store.js';
import { accessOf, adoptSessionCookie } from './console-session.js';

/**
 * The console API of the Controls view (docs/console.md): the tenant's control rules, and
 * release/fail of one operation. Same authenticator as Graph; only a Global Administrator may
 * use it, and everything acts within the token's tenant.
 */
export function registerConsoleControlRoutes({
  app,
  authenticator,
  terminalHooks,
  terminalNotifier,
  notifyExecutor,
}: Pick<GraphServices, 'app' | 'authenticator' | 'terminalHooks' | 'terminalNotifier' | 'notifyExecutor'>): void {
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

  // The same use cases as POST /_longrun/v1/operations/{id}/release|fail (docs/controls.md).
  fastify.post('/console/api/controls/operations/:id/release', async (request) => {
    const { tenantId } = await operator(request);
    const { id } = request.params as { id: string };
    const refusal = await releaseOperation(store, clock, tenantId, id);
    if (refusal === 'notFound') throw itemNotFound('longRunningOperation', id);
    if (refusal) throw conflict(`The operation '${id}' is not waiting: it has no control plan, is being run by a worker, or has ended.`);
    notifyExecutor();
    return describeOperation(store, tenantId, id);
  });

  fastify.post('/console/api/controls/operations/:id/fail', async (request) => {
    const { tenantId } = await operator(request);
    const { id } = request.params as { id: string };
    let failure: { code: string; detail: string };
    try {
      failure = readFailure(request.body ?? { code: 'failedByOperator', detail: 'The operation was failed from the console.' });
    } catch (error) {
      if (error instanceof RuleValidationError) throw badRequest(error.message);
      throw error;
    }
    const refusal = await failOperation(store, clock, tenantId, id, failure, { hooks: terminalHooks, notifier: terminalNotifier });
    if (refusal === 'notFound') throw itemNotFound('longRunningOperation', id);
    if (refusal) throw conflict(`The operation '${id}' has already ended; a terminal operation never changes.`);
    return describeOperation(store, tenantId, id);
  });
}
