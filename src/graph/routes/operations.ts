import type { FastifyReply } from 'fastify';
import { declareRoute, type AnyRouteDeclaration } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { isTerminal } from '../../operations/model.js';
import type { ShownOperation } from '../../storage/operation-rows.js';
import { OPERATION_KINDS } from '../../operations/kinds.js';
import { parseExpand } from '../odata/expand.js';
import { applySelect } from '../odata/select.js';
import { contextUrl } from '../odata/context.js';
import { parseOperationListOptions } from '../odata/list-options.js';
import { itemNotFound } from '../errors.js';
import { OPERATION_TYPE, POLL_AFTER_SECONDS, operationShape } from '../resources/long-running-operation.js';
import { KEY, odataQuery, userPaths } from '../route-schemas.js';
import type { GraphServices } from '../services.js';
import { targetUser, type TargetUser } from '../target-user.js';
import { afterPreferredWait } from '../wait-preference.js';
import { encodeKeySegment, GRAPH_VERSIONS, sendOData, type GraphVersion } from '../wire.js';
import { Type } from '@sinclair/typebox';

const ALERT_KINDS = new Set<string>([OPERATION_KINDS.alertRefresh, OPERATION_KINDS.alertRefreshAll]);
const AUTH_KINDS = new Set<string>([OPERATION_KINDS.passwordReset]);
const OPERATION_ID = { operationId: KEY };

/**
 * The seed (https://learn.microsoft.com/graph/api/longrunningoperation-get): GET one operation on the role-management-alert and the
 * authentication-method paths, and the list on the authentication path. One operation's body
 * (a few short properties and the context URL) stays below the compression threshold for any
 * real user key, so the polling routes skip the compression hooks (`compressed: false`); the
 * list is compressed as usual.
 */
export function registerOperationRoutes(services: GraphServices): void {
  registerRoutes(services.wire, operationRoutes(services));
}

function operationRoutes({ app, operationWaiter }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl, config } = app.deps;
  // Which properties exist depends on the extensions: `error` only with azure-lro (docs/extensions.md).
  const shape = operationShape(config.extensions);
  const OPERATION_SELECT = { properties: shape.properties, type: OPERATION_TYPE };
  // longRunningOperation has no navigation property: `$expand=*` expands nothing, a name is refused as Graph refuses it.
  const OPERATION_EXPAND = { navigation: [], properties: shape.properties, type: OPERATION_TYPE };

  /** The same 404 whether the id is unknown, of another tenant, or of another user. */
  const findVisible = async (id: string, tenantId: string, kinds: Set<string>, targetId?: string): Promise<ShownOperation> => {
    const op = await store.operationReads.getShown(id);
    if (!op || op.tenantId !== tenantId || !kinds.has(op.kind) || (targetId !== undefined && op.targetId !== targetId)) {
      throw itemNotFound('longRunningOperation', id);
    }
    return op;
  };

  const sendOperation = (reply: FastifyReply, op: ShownOperation, context: string, select: string[] | undefined) => {
    if (!isTerminal(op.status)) reply.header('Retry-After', String(POLL_AFTER_SECONDS));
    return sendOData(reply, { '@odata.context': context, ...applySelect(shape.toWire(op), select) });
  };

  const routes: AnyRouteDeclaration[] = [
    declareRoute({
      method: 'GET',
      url: '/beta/identityGovernance/roleManagementAlerts/operations/:operationId',
      schema: { params: Type.Object(OPERATION_ID), querystring: odataQuery('select', 'expand') },
      auth: 'operations.alerts.read',
      select: OPERATION_SELECT,
      compressed: false,
      replayable: true,
      handler: async ({ params, query, principal, select, request, reply }) => {
        parseExpand(query, OPERATION_EXPAND);
        const found = await findVisible(params.operationId, principal.tenantId, ALERT_KINDS);
        const op = await afterPreferredWait(operationWaiter, store, request, reply, principal, found);
        const context = contextUrl(publicUrl, 'beta', 'identityGovernance/roleManagementAlerts/operations', { entity: true, select });
        return sendOperation(reply, op, context, select);
      },
    }),
  ];

  const auth = { rule: 'operations.authentication.read', target: targetUser(store) } as const;
  for (const version of GRAPH_VERSIONS) {
    // Per the national-cloud tables: China has no v1.0 GET longRunningOperation.
    const available = config.cloud.features.has(version === 'v1.0' ? 'operations.authentication.v1' : 'operations.authentication.beta');
    for (const { url, params } of userPaths(version, '/authentication/operations')) {
      routes.push(
        declareRoute({
          method: 'GET',
          url: `${url}/:operationId`,
          available,
          schema: { params: Type.Composite([params, Type.Object(OPERATION_ID)]), querystring: odataQuery('select', 'expand') },
          auth,
          select: OPERATION_SELECT,
          compressed: false,
          replayable: true,
          handler: async ({ params, query, principal, target, select, request, reply }) => {
            parseExpand(query, OPERATION_EXPAND);
            const found = await findVisible(params.operationId, principal.tenantId, AUTH_KINDS, target.user.id);
            const op = await afterPreferredWait(operationWaiter, store, request, reply, principal, found);
            return sendOperation(reply, op, authContext(publicUrl, version, target, select, true), select);
          },
        }),
        declareRoute({
          method: 'GET',
          url,
          available,
          schema: { params, querystring: odataQuery('select', 'expand', 'top', 'skip', 'count', 'filter') },
          auth,
          select: OPERATION_SELECT,
          handler: async ({ query, principal, target, select, request, reply }) => {
            parseExpand(query, OPERATION_EXPAND);
            const options = parseOperationListOptions(query);
            const where = {
              tenantId: principal.tenantId,
              kind: OPERATION_KINDS.passwordReset,
              targetId: target.user.id,
              status: options.status,
            };
            const page = await store.operations.list({ ...where, top: options.top + 1, skip: options.skip });
            const body: Record<string, unknown> = { '@odata.context': authContext(publicUrl, version, target, select, false) };
            if (options.count) body['@odata.count'] = await store.operations.count(where);
            body.value = page.slice(0, options.top).map((op) => applySelect(shape.toWire(op), select));
            if (page.length > options.top) {
              body['@odata.nextLink'] = nextLink(publicUrl, request.url, query, options.top, options.skip + options.top);
            }
            return sendOData(reply, body);
          },
        }),
      );
    }
  }
  return routes;
}

function authContext(publicUrl: string, version: GraphVersion, target: TargetUser, select: string[] | undefined, entity: boolean): string {
  const base = target.isMe ? 'me/authentication/operations' : `users('${encodeKeySegment(target.key)}')/authentication/operations`;
  return contextUrl(publicUrl, version, base, { entity, select });
}

/** The same request with `$skip` moved on; other options kept as the client sent them. */
function nextLink(publicUrl: string, url: string, query: Record<string, unknown>, top: number, skip: number): string {
  const path = url.split('?')[0]!;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (['$top', 'top', '$skip', 'skip'].includes(k) || typeof v !== 'string') continue;
    params.set(k, v);
  }
  params.set('$top', String(top));
  params.set('$skip', String(skip));
  return `${publicUrl}${path}?${params.toString().replace(/%24/g, '$')}`;
}
