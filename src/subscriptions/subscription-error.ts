/**
 * A subscription request Longrun refuses, with Graph's error code for it: `InvalidRequest` for
 * the body and the validation handshake, `ExtensionError` for the expiry limit (the codes Graph
 * answers change-notification subscriptions with). The Graph layer renders it as a 400.
 */
export class SubscriptionError extends Error {
  constructor(
    readonly code: 'InvalidRequest' | 'ExtensionError',
    message: string,
  ) {
    super(message);
    this.name = 'SubscriptionError';
  }
}

export const invalidSubscription = (message: string): SubscriptionError => new SubscriptionError('InvalidRequest', message);
