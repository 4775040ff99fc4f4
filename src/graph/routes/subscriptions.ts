/**
 * `/subscriptions` of the `subscriptions` extension (docs/subscriptions.md): Graph's change
 * notifications for operations. Registered only when the extension is on; otherwise the path
 * answers Graph's unknown-segment 400 like any other. The permission is the read permission of
 * the subscribed resource, which only the body (create) or the stored subscription names: the
 * declarations require the read permission of some resource ('subscriptions.any') and the
 * handlers check the one the subscription is for.
 */
import { Type } from '@sinclair/typebox';
import { declareRoute, type AnyRouteDeclaration } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { authorize } from '../../identity/policy/authorize.js';
import type { Principal } from '../../identity/principal.js';
import type { StoredSubscription } from '../../storage/subscriptions-repository.js';
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
import { accessDenied, badRequest, GraphError, itemNotFound, resourceNotFound, segmentNotFound } from '../errors.js';
import { contextUrl } from '../odata/context.js';
import { toWireSubscription } from '../resources/subscription.js';
import { KEY } from '../route-schemas.js';
import type { GraphServices } from '../services.js';
import { GRAPH_VERSIONS, sendOData, type GraphVersion } from '../wire.js';

export interface SubscriptionRouteOptions {
  /** How long a notification endpoint has to answer the validation request (Graph: 10 s). */
  validationTimeoutMs: number;
}

const SUBSCRIPTION_ID = Type.Object({ subscriptionId: KEY });

/** Personal accounts are refused by every API here; the rest subscribe as themselves. */
function creatorOf(p: Principal): SubscriptionCreator {
  if (p.personal) throw accessDenied();
  return { tenantId: p.tenantId, appId: p.appId, kind: p.kind, objectId: p.objectId };
}

/** Domain refusals are Graph 400s with the code Graph uses. */
async function graphErrors<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof SubscriptionError) throw new GraphError(400, e.code, e.message);
    throw e;
  }
}

/** The read permission of the subscribed resource (the same as polling its operations). */
function authorizeResource(principal: Principal, s: Pick<StoredSubscription, 'resourceKind' | 'targetUserId'>): void {
  if (s.resourceKind === 'alertOperations') authorize(principal, 'operations.alerts.read');
  else authorize(principal, 'operations.authentication.read', { targetUserId: s.targetUserId! });
}

export function registerSubscriptionRoutes(services: GraphServices, options: SubscriptionRouteOptions): void {
  registerRoutes(services.wire, subscriptionRoutes(services, options));
}

function subscriptionRoutes({ app }: GraphServices, options: SubscriptionRouteOptions): AnyRouteDeclaration[] {
  const { store, clock, publicUrl, config } = app.deps;
  const deps = { store, clock, validationTimeoutMs: options.validationTimeoutMs };

  /** A subscription the caller owns and may still read; the same 404 otherwise. */
  const findVisible = async (principal: Principal, id: string): Promise<StoredSubscription> => {
    const subscription = await findSubscription(deps, creatorOf(principal), id);
    if (!subscription) throw itemNotFound('subscription', id);
    authorizeResource(principal, subscription);
    return subscription;
  };

  /** The object id of `users/{id | upn}` or `me` in the caller's tenant. */
  const resolveUserId = async (principal: Principal, key: string): Promise<string> => {
    if (key === 'me') {
      if (principal.kind !== 'user') throw badRequest('/me request is only valid with delegated authentication flow.');
      return principal.objectId;
    }
    const user = await store.directory.findUser(principal.tenantId, key);
    if (!user) throw resourceNotFound(key);
    return user.id;
  };

  const routes: AnyRouteDeclaration[] = [];
  for (const version of GRAPH_VERSIONS) {
    const entityContext = contextUrl(publicUrl, version, 'subscriptions', { entity: true });
    const send = (reply: Parameters<typeof sendOData>[0], s: StoredSubscription, status = 200) =>
      sendOData(reply, { '@odata.context': entityContext, ...toWireSubscription(s) }, status);

    routes.push(
      declareRoute({
        method: 'POST',
        url: `/${version}/subscriptions`,
        auth: 'subscriptions.any',
        summary: 'subscriptions extension: create (validation handshake); then the read permission of the resource',
        handler: async ({ principal, body, request, reply }) => {
          const creator = creatorOf(principal);
          const now = await tenantNow(deps, principal.tenantId);
          const parsed = await graphErrors(() => parseNewSubscription(body, version, now));
          let targetUserId: string | null = null;
          if (parsed.target.kind === 'authenticationOperations') {
            if (!authenticationOperationsAvailable(config.cloud.features, version)) throw segmentNotFound('operations');
            targetUserId = await resolveUserId(principal, parsed.target.userKey);
          }
          authorizeResource(principal, { resourceKind: parsed.target.kind, targetUserId });
          const created = await graphErrors(() => createSubscription(deps, creator, parsed, targetUserId, request.id));
          return send(reply, created, 201);
        },
      }),
      declareRoute({
        method: 'GET',
        url: `/${version}/subscriptions`,
        auth: 'subscriptions.any',
        summary: "subscriptions extension: the caller app's subscriptions (a signed-in user's own)",
        handler: async ({ principal, reply }) => {
          const all = await listSubscriptions(deps, creatorOf(principal));
          return sendOData(reply, {
            '@odata.context': contextUrl(publicUrl, version, 'subscriptions'),
            value: all.map(toWireSubscription),
          });
        },
      }),
      declareRoute({
        method: 'GET',
        url: `/${version}/subscriptions/:subscriptionId`,
        schema: { params: SUBSCRIPTION_ID },
        auth: 'subscriptions.any',
        summary: 'subscriptions extension: then the read permission of its resource',
        handler: async ({ principal, params, reply }) => send(reply, await findVisible(principal, params.subscriptionId)),
      }),
      declareRoute({
        method: 'PATCH',
        url: `/${version}/subscriptions/:subscriptionId`,
        schema: { params: SUBSCRIPTION_ID },
        auth: 'subscriptions.any',
        summary: 'subscriptions extension: renew expirationDateTime; then the read permission of its resource',
        handler: async ({ principal, params, body, reply }) => {
          const subscription = await findVisible(principal, params.subscriptionId);
          const now = await tenantNow(deps, principal.tenantId);
          const expiresAt = await graphErrors(() => parseRenewal(body, now));
          const renewed = await renewSubscription(deps, subscription, expiresAt);
          if (!renewed) throw itemNotFound('subscription', subscription.id);
          return send(reply, renewed);
        },
      }),
      declareRoute({
        method: 'DELETE',
        url: `/${version}/subscriptions/:subscriptionId`,
        schema: { params: SUBSCRIPTION_ID },
        auth: 'subscriptions.any',
        summary: 'subscriptions extension: then the read permission of its resource',
        handler: async ({ principal, params, reply }) => {
          const subscription = await findVisible(principal, params.subscriptionId);
          if (!(await deleteSubscription(deps, subscription))) throw itemNotFound('subscription', subscription.id);
          return reply.code(204).send();
        },
      }),
    );
  }
  return routes;
}

/** Per the national-cloud tables, as for polling these operations (China has no v1.0 one). */
function authenticationOperationsAvailable(features: ReadonlySet<string>, version: GraphVersion): boolean {
  return features.has(version === 'v1.0' ? 'operations.authentication.v1' : 'operations.authentication.beta');
}
