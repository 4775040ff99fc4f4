/**
 * The subscription use cases behind `/subscriptions` (docs/subscriptions.md), free of HTTP: the
 * route has parsed the body and checked the caller's read permission on the resource.
 */
import type { Clock } from '../shared/clock.js';
import { newGuid } from '../shared/ids.js';
import type { Store } from '../storage/store.js';
import type { StoredSubscription, SubscriptionOwner } from '../storage/subscriptions-repository.js';
import type { NewSubscriptionRequest } from './subscription-request.js';
import { newValidationToken, validateNotificationEndpoint } from './validation-handshake.js';

export interface SubscriptionDeps {
  store: Store;
  clock: Clock;
  /** How long the notification endpoint has to answer the validation request (Graph: 10 s). */
  validationTimeoutMs: number;
}

/** Who creates a subscription. */
export interface SubscriptionCreator {
  tenantId: string;
  appId: string;
  kind: 'user' | 'app';
  /** The user's object id, or the app's service-principal id. */
  objectId: string;
}

/** The tenant's time: real time plus its clock offset (docs/architecture.md, "Time"). */
export async function tenantNow(deps: Pick<SubscriptionDeps, 'store' | 'clock'>, tenantId: string): Promise<number> {
  return deps.clock.now() + (await deps.store.tenantClocks.offsetMs(tenantId));
}

/** The subscriptions a caller sees: its application's, and for a signed-in user only that user's. */
export const ownerOf = (c: SubscriptionCreator): SubscriptionOwner => ({
  tenantId: c.tenantId,
  appId: c.appId,
  userId: c.kind === 'user' ? c.objectId : undefined,
});

/**
 * Validates the notification endpoint (the handshake), then stores the subscription. Nothing is
 * stored when the endpoint fails the handshake.
 */
export async function createSubscription(
  deps: SubscriptionDeps,
  creator: SubscriptionCreator,
  request: NewSubscriptionRequest,
  targetUserId: string | null,
  requestId: string,
): Promise<StoredSubscription> {
  await validateNotificationEndpoint(request.notificationUrl, newValidationToken(requestId), deps.validationTimeoutMs);
  return deps.store.subscriptions.insert({
    tenantId: creator.tenantId,
    id: newGuid(),
    resource: request.resource,
    resourceKind: request.target.kind,
    targetUserId,
    changeType: request.changeType,
    notificationUrl: request.notificationUrl,
    clientState: request.clientState,
    expiresAt: request.expiresAt,
    creatorAppId: creator.appId,
    creatorId: creator.objectId,
    creatorKind: creator.kind,
    createdAt: deps.clock.now(),
  });
}

export function findSubscription(
  deps: Pick<SubscriptionDeps, 'store'>,
  caller: SubscriptionCreator,
  id: string,
): Promise<StoredSubscription | undefined> {
  return deps.store.subscriptions.getOwned(ownerOf(caller), id);
}

export function listSubscriptions(deps: Pick<SubscriptionDeps, 'store'>, caller: SubscriptionCreator): Promise<StoredSubscription[]> {
  return deps.store.subscriptions.listOwned(ownerOf(caller));
}

/** Sets a new expiry (already checked against the limit); undefined when the subscription is gone. */
export async function renewSubscription(
  deps: Pick<SubscriptionDeps, 'store'>,
  subscription: StoredSubscription,
  expiresAt: number,
): Promise<StoredSubscription | undefined> {
  const renewed = await deps.store.subscriptions.renew(subscription.tenantId, subscription.id, expiresAt);
  return renewed ? { ...subscription, expiresAt } : undefined;
}

/** Deletes a subscription; its pending deliveries are dropped when they run. */
export function deleteSubscription(deps: Pick<SubscriptionDeps, 'store'>, subscription: StoredSubscription): Promise<boolean> {
  return deps.store.subscriptions.delete(subscription.tenantId, subscription.id);
}
