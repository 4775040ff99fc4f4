/**
 * The `subscriptions` extension's parts for an executor (docs/subscriptions.md): the delivery
 * handler and the terminal-status hook that queues deliveries. Every node that runs operations
 * needs both when the extension is on (serve and worker alike).
 */
import type { OperationHandler, TerminalHook } from '../operations/handler.js';
import { DEFAULT_DELIVERY_SETTINGS, notificationDeliveryHandler, type DeliverySettings } from './notification-delivery-handler.js';
import { queueNotifications } from './queue-notifications.js';

export interface SubscriptionSettings extends DeliverySettings {
  /** How long a notification endpoint has to answer the validation request. */
  validationTimeoutMs: number;
}

/** Graph's figures: 10 s to validate, 10 s per POST, retries for 4 hours. */
export const DEFAULT_SUBSCRIPTION_SETTINGS: SubscriptionSettings = { ...DEFAULT_DELIVERY_SETTINGS, validationTimeoutMs: 10_000 };

export function subscriptionExecutorParts(settings: DeliverySettings = DEFAULT_DELIVERY_SETTINGS): {
  handlers: OperationHandler[];
  onTerminal: TerminalHook[];
} {
  return { handlers: [notificationDeliveryHandler(settings)], onTerminal: [queueNotifications] };
}
