/**
 * `/subscriptions` of the `subscriptions` extension (docs/subscriptions.md): Graph's change
 * notifications for operations. Registered only when the extension is on; otherwise the path
 * answers Graph's unknown-segment 400 like any other.
 */
import type { FastifyRequest } from 'fastify';
import { authorize } from '../../identity/policy/authorize.js';
import type { Principal } from '../../identity/principal.js';
import { SubscriptionError } from '../../subscriptions/subscription-error.js';
import { parseNewSubscription, parseRenewal } from '../../subscriptions/subscription-request.js';
import {
  createSubscription,
  deleteSubscription,
  findSubscription,
  listSubscriptions,
  renewSubscription,
  tenantNow,
  type SubscriptionCreator,
} from '../../subscriptions/subscription-use-cases.js';
import type { StoredSubscription } from '../../storage/subscriptions-repository.js';
import { accessDenied, badRequest, GraphError, itemNotFound, resourceNotFound, segmentNotFound } from '../errors.js';
import { contextUrl } from '../odata/context.js';
import { toWireSubscription } from '../resources/subscription.js';
import type { GraphHandler } from '../route-table.js';
import type { GraphServices } from '../services.js';
import { GRAPH_VERSIONS, sendOData, type GraphVersion } from '../wire.js';

export interface SubscriptionRouteOptions {
  /** How long a notification endpoint has to answer the validation request (Graph: 10 s). */
  validationTimeoutMs: number;
}

const creatorOf = (p: Principal): SubscriptionCreator => ({ tenantId: p.tenantId, appId: p.appId, kind: p.kind, objectId: p.objectId });

/** Domain refusals are Graph 400s with the code Graph uses. */
async function graphErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof SubscriptionError) throw new GraphError(400, e.code, e.message);
    throw e;
  }
}

export function registerSubscriptionRoutes({ app, authenticator }: GraphServices, options: SubscriptionRouteOptions): void {
  const { store, clock, publicUrl, config } = app.deps;
  const deps = { store, clock, validationTimeoutMs: options.validationTimeoutMs };

  /** The read permission of the subscribed resource (the same as polling its operations). */
  const authorizeResource = (principal: Principal, s: Pick<StoredSubscription, 'resourceKind' | 'targetUserId'>): void => {
    if (s.resourceKind === 'alertOperations') authorize(principal, 'operations.alerts.read');
    else authorize(principal, 'operations.authentication.read', { targetUserId: s.targetUserId! });
  };

  /** A subscription the caller owns and may still read; the same 404 otherwise. */
  const findVisible = async (request: FastifyRequest): Promise<{ principal: Principal; subscription: StoredSubscription }> => {
    const principal = await authenticator.authenticate(request);
    if (principal.personal) throw accessDenied();
    const { subscriptionId } = request.params as { subscriptionId: string };
    const subscription = await findSubscription(deps, creatorOf(principal), subscriptionId);
    if (!subscription) throw itemNotFound('subscription', subscriptionId);
    authorizeResource(principal, subscription);
    return { principal, subscription };
  };

  for (const version of GRAPH_VERSIONS) {
    const entityContext = contextUrl(publicUrl, version, 'subscriptions', { entity: true });

    const create: GraphHandler = async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      if (principal.personal) throw accessDenied();
      const now = await tenantNow(deps, principal.tenantId);
      const parsed = await graphErrors(async () => parseNewSubscription(request.body, version, now));
      let targetUserId: string | null = null;
      if (parsed.target.kind === 'authenticationOperations') {
        if (!authenticationOperationsAvailable(config.cloud.features, version)) throw segmentNotFound('operations');
        targetUserId = await resolveUserId(principal, parsed.target.userKey);
      }
      authorizeResource(principal, { resourceKind: parsed.target.kind, targetUserId });
      const created = await graphErrors(() => createSubscription(deps, creatorOf(principal), parsed, targetUserId, request.id));
      return sendOData(reply, { '@odata.context': entityContext, ...toWireSubscription(created) }, 201);
    };

    const list: GraphHandler = async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      if (principal.personal) throw accessDenied();
      const all = await listSubscriptions(deps, creatorOf(principal));
      return sendOData(reply, { '@odata.context': contextUrl(publicUrl, version, 'subscriptions'), value: all.map(toWireSubscription) });
    };

    const getOne: GraphHandler = async (request, reply) => {
      const { subscription } = await findVisible(request);
      return sendOData(reply, { '@odata.context': entityContext, ...toWireSubscription(subscription) });
    };

    const renew: GraphHandler = async (request, reply) => {
      const { principal, subscription } = await findVisible(request);
      const now = await tenantNow(deps, principal.tenantId);
      const expiresAt = await graphErrors(async () => parseRenewal(request.body, now));
      const renewed = await renewSubscription(deps, subscription, expiresAt);
      if (!renewed) throw itemNotFound('subscription', subscription.id);
      return sendOData(reply, { '@odata.context': entityContext, ...toWireSubscription(renewed) });
    };

    const remove: GraphHandler = async (request, reply) => {
      const { subscription } = await findVisible(request);
      if (!(await deleteSubscription(deps, subscription))) throw itemNotFound('subscription', subscription.id);
      return reply.code(204).send();
    };

    app.routes.add(`/${version}/subscriptions`, { GET: list, POST: create });
    app.routes.add(`/${version}/subscriptions/:subscriptionId`, { GET: getOne, PATCH: renew, DELETE: remove });
  }

  /** The object id of `users/{id | upn}` or `me` in the caller's tenant. */
  async function resolveUserId(principal: Principal, key: string): Promise<string> {
    if (key === 'me') {
      if (principal.kind !== 'user') throw badRequest('/me request is only valid with delegated authentication flow.');
      return principal.objectId;
    }
    const user = await store.directory.findUser(principal.tenantId, key);
    if (!user) throw resourceNotFound(key);
    return user.id;
  }
}

/** Per the national-cloud tables, as for polling these operations (China has no v1.0 one). */
function authenticationOperationsAvailable(features: ReadonlySet<string>, version: GraphVersion): boolean {
  return features.has(version === 'v1.0' ? 'operations.authentication.v1' : 'operations.authentication.beta');
}
