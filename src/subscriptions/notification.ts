/**
 * What a change notification for an operation says (docs/subscriptions.md): Graph's
 * changeNotificationCollection with one changeNotification whose resourceData is the operation.
 */
import { toGraphTimestamp } from '../shared/timestamps.js';
import type { StoredSubscription } from '../storage/subscriptions-repository.js';

/** A queued delivery: which subscription hears of which operation's terminal status. */
export interface NotificationDeliveryInput {
  tenantId: string;
  subscriptionId: string;
  operationId: string;
  /** The operation's path, e.g. `users/{id}/authentication/operations/{opId}`. */
  resource: string;
  status: 'succeeded' | 'failed';
}

export function notificationBody(subscription: StoredSubscription, d: NotificationDeliveryInput): { value: unknown[] } {
  return {
    value: [
      {
        subscriptionId: subscription.id,
        subscriptionExpirationDateTime: toGraphTimestamp(subscription.expiresAt),
        clientState: subscription.clientState,
        changeType: 'updated',
        resource: d.resource,
        tenantId: d.tenantId,
        resourceData: {
          '@odata.type': '#microsoft.graph.longRunningOperation',
          '@odata.id': d.resource,
          id: d.operationId,
          status: d.status,
        },
      },
    ],
  };
}
