import { Type } from '@sinclair/typebox';
import { describeOperation, failOperation, readFailure, releaseOperation } from '../control/operation-control.js';
import { RuleValidationError } from '../control/rules/rule-error.js';
import { addRule, clearRules, listRules, removeRule } from '../control/rules/rule-store.js';
import { accessDenied, badRequest, conflict, itemNotFound } from '../graph/errors.js';
import type { GraphServices } from '../graph/services.js';
import { registerRoutes, type RouteWire } from '../http/register-routes.js';
import { declareRoute } from '../http/route-declaration.js';
import type { Principal } from '../identity/principal.js';
import { accessOf } from './console-session.js';

const ID_PARAMS = Type.Object({ id: Type.String({ minLength: 1 }) });

/** A refusal in the control API's words, as the console shows it. */
const readOr400 = <T>(read: () => T): T => {
  try {
    return read();
  } catch (error) {
    // The message names the field (`respond.status: must be one of …`), as the control API's 400 does.
    if (error instanceof RuleValidationError) throw badRequest(error.message);
    throw error;
  }
};

/**
 * The console API of the Controls view (docs/console.md): the tenant's control rules, and
 * release/fail of one operation, through the same use cases as the control API
 * (docs/controls.md). Declared on the console's wire (bearer token or session cookie); only a
 * Global Administrator may use it, and everything acts within the token's tenant.
 */
export function registerConsoleControlRoutes(
  {
    app,
    terminalHooks,
    terminalNotifier,
    notifyExecutor,
  }: Pick<GraphServices, 'app' | 'terminalHooks' | 'terminalNotifier' | 'notifyExecutor'>,
  wire: RouteWire,
): void {
  const { store, clock } = app.deps;

  /** The operator's tenant; anyone but a Global Administrator is refused. */
  const tenantOf = (principal: Principal | undefined): string => {
    if (!principal || !accessOf(principal).controls) throw accessDenied('Only a Global Administrator may use the controls.');
    return principal.tenantId;
  };

  registerRoutes(wire, [
    declareRoute({
      method: 'GET',
      url: '/console/api/controls/rules',
      auth: 'authenticated',
      summary: "the tenant's control rules with their hits (Global Administrator)",
      handler: async ({ principal }) => ({ value: await listRules(store, tenantOf(principal)) }),
    }),
    declareRoute({
      method: 'POST',
      url: '/console/api/controls/rules',
      auth: 'authenticated',
      summary: 'adds a control rule (the control API body)',
      handler: async ({ principal, request, reply }) => {
        const tenantId = tenantOf(principal);
        const rule = await readOr400Async(() => addRule(store, tenantId, request.body, clock.now()));
        return reply.code(201).send(rule);
      },
    }),
    declareRoute({
      method: 'DELETE',
      url: '/console/api/controls/rules/:id',
      schema: { params: ID_PARAMS },
      auth: 'authenticated',
      summary: 'deletes one control rule',
      handler: async ({ principal, params, reply }) => {
        if (!(await removeRule(store, tenantOf(principal), params.id))) throw itemNotFound('rule', params.id);
        return reply.code(204).send();
      },
    }),
    declareRoute({
      method: 'DELETE',
      url: '/console/api/controls/rules',
      auth: 'authenticated',
      summary: "deletes all the tenant's control rules",
      handler: async ({ principal, reply }) => {
        await clearRules(store, tenantOf(principal));
        return reply.code(204).send();
      },
    }),
    declareRoute({
      method: 'POST',
      url: '/console/api/controls/operations/:id/release',
      schema: { params: ID_PARAMS },
      auth: 'authenticated',
      summary: 'a stuck or waiting operation goes on now',
      handler: async ({ principal, params }) => {
        const tenantId = tenantOf(principal);
        const refusal = await releaseOperation(store, clock, tenantId, params.id);
        if (refusal === 'notFound') throw itemNotFound('longRunningOperation', params.id);
        if (refusal)
          throw conflict(`The operation '${params.id}' is not waiting: it has no control plan, is being run by a worker, or has ended.`);
        notifyExecutor();
        return describeOperation(store, tenantId, params.id);
      },
    }),
    declareRoute({
      method: 'POST',
      url: '/console/api/controls/operations/:id/fail',
      schema: { params: ID_PARAMS },
      auth: 'authenticated',
      summary: 'body {code, detail}: a non-terminal operation fails now, no effect applies',
      handler: async ({ principal, params, request }) => {
        const tenantId = tenantOf(principal);
        const failure = readOr400(() => readFailure(request.body));
        const refusal = await failOperation(store, clock, tenantId, params.id, failure, {
          hooks: terminalHooks,
          notifier: terminalNotifier,
        });
        if (refusal === 'notFound') throw itemNotFound('longRunningOperation', params.id);
        if (refusal) throw conflict(`The operation '${params.id}' has already ended; a terminal operation never changes.`);
        return describeOperation(store, tenantId, params.id);
      },
    }),
  ]);
}

/** readOr400 for an asynchronous read. */
async function readOr400Async<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof RuleValidationError) throw badRequest(error.message);
    throw error;
  }
}
