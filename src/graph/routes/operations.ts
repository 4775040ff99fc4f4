import { authorize } from '../../identity/policy/authorize.js';
import { isTerminal, type OperationRecord } from '../../operations/model.js';
import { OPERATION_KINDS } from '../../operations/kinds.js';
import { applySelect, parseSelect } from '../odata/select.js';
import { contextUrl } from '../odata/context.js';
import { parseOperationListOptions } from '../odata/list-options.js';
import { itemNotFound, segmentNotFound } from '../errors.js';
import { OPERATION_PROPERTIES, OPERATION_TYPE, POLL_AFTER_SECONDS, toWireOperation } from '../resources/long-running-operation.js';
import type { GraphHandler } from '../route-table.js';
import type { GraphServices } from '../services.js';
import { resolveTargetUser } from '../target-user.js';
import { encodeKeySegment, GRAPH_VERSIONS, sendOData, type GraphVersion } from '../wire.js';

const ALERT_KINDS = new Set<string>([OPERATION_KINDS.alertRefresh, OPERATION_KINDS.alertRefreshAll]);
const AUTH_KINDS = new Set<string>([OPERATION_KINDS.passwordReset]);

/**
 * The seed (https://learn.microsoft.com/graph/api/longrunningoperation-get): GET one operation on the role-management-alert and the
 * authentication-method paths, and the list on the authentication path.
 */
export function registerOperationRoutes({ app, authenticator }: GraphServices): void {
  const { store, publicUrl } = app.deps;

  /** The same 404 whether the id is unknown, of another tenant, or of another user. */
  const findVisible = async (id: string, tenantId: string, kinds: Set<string>, targetId?: string): Promise<OperationRecord> => {
    const op = await store.operations.get(id);
    if (!op || op.tenantId !== tenantId || !kinds.has(op.kind) || (targetId !== undefined && op.targetId !== targetId)) {
      throw itemNotFound('longRunningOperation', id);
    }
    return op;
  };

  const sendOperation = (reply: Parameters<GraphHandler>[1], op: OperationRecord, context: string, select: string[] | undefined) => {
    if (!isTerminal(op.status)) reply.header('Retry-After', String(POLL_AFTER_SECONDS));
    return sendOData(reply, { '@odata.context': context, ...applySelect(toWireOperation(op), select) });
  };

  const selectOf = (query: unknown) => parseSelect(query as Record<string, unknown>, OPERATION_PROPERTIES, OPERATION_TYPE);

  app.routes.add('/beta/identityGovernance/roleManagementAlerts/operations/:operationId', {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'operations.alerts.read');
      const select = selectOf(request.query);
      const { operationId } = request.params as { operationId: string };
      const op = await findVisible(operationId, principal.tenantId, ALERT_KINDS);
      const context = contextUrl(publicUrl, 'beta', 'identityGovernance/roleManagementAlerts/operations', { entity: true, select });
      return sendOperation(reply, op, context, select);
    },
  });

  for (const version of GRAPH_VERSIONS) {
    // Per the national-cloud tables: China has no v1.0 GET longRunningOperation.
    const available = app.deps.config.cloud.features.has(version === 'v1.0' ? 'operations.authentication.v1' : 'operations.authentication.beta');
    const one: GraphHandler = async (request, reply) => {
      if (!available) throw segmentNotFound('operations');
      const principal = await authenticator.authenticate(request);
      const select = selectOf(request.query);
      const { user, key } = await resolveTargetUser(store, principal, request);
      authorize(principal, 'operations.authentication.read', { targetUserId: user.id });
      const { operationId } = request.params as { operationId: string };
      const op = await findVisible(operationId, principal.tenantId, AUTH_KINDS, user.id);
      return sendOperation(reply, op, authContext(publicUrl, version, request.params, key, select, true), select);
    };
    const list: GraphHandler = async (request, reply) => {
      if (!available) throw segmentNotFound('operations');
      const principal = await authenticator.authenticate(request);
      const query = request.query as Record<string, unknown>;
      const select = selectOf(query);
      const options = parseOperationListOptions(query);
      const { user, key } = await resolveTargetUser(store, principal, request);
      authorize(principal, 'operations.authentication.read', { targetUserId: user.id });
      const where = { tenantId: principal.tenantId, kind: OPERATION_KINDS.passwordReset, targetId: user.id, status: options.status };
      const page = await store.operations.list({ ...where, top: options.top + 1, skip: options.skip });
      const body: Record<string, unknown> = { '@odata.context': authContext(publicUrl, version, request.params, key, select, false) };
      if (options.count) body['@odata.count'] = await store.operations.count(where);
      body.value = page.slice(0, options.top).map((op) => applySelect(toWireOperation(op), select));
      if (page.length > options.top) {
        body['@odata.nextLink'] = nextLink(publicUrl, request.url, query, options.top, options.skip + options.top);
      }
      return sendOData(reply, body);
    };
    app.routes.add(`/${version}/users/:userKey/authentication/operations/:operationId`, { GET: one });
    app.routes.add(`/${version}/me/authentication/operations/:operationId`, { GET: one });
    app.routes.add(`/${version}/users/:userKey/authentication/operations`, { GET: list });
    app.routes.add(`/${version}/me/authentication/operations`, { GET: list });
  }
}

function authContext(publicUrl: string, version: GraphVersion, params: unknown, key: string, select: string[] | undefined, entity: boolean): string {
  const isMe = (params as { userKey?: string }).userKey === undefined;
  const base = isMe ? 'me/authentication/operations' : `users('${encodeKeySegment(key)}')/authentication/operations`;
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
