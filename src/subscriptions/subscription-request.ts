/**
 * The body of a subscription create or renew, checked as Graph checks it (docs/subscriptions.md):
 * required properties, `changeType: updated`, a supported resource, an https notification URL
 * (loopback excepted) and an expiry at most 4320 minutes (3 days) ahead.
 */
import { parseIsoTimestamp } from '../shared/timestamps.js';
import { checkNotificationUrl } from './notification-url.js';
import { invalidSubscription, SubscriptionError } from './subscription-error.js';

/** Graph's maximum lifetime for these resources: 3 days. */
export const MAX_SUBSCRIPTION_MINUTES = 4320;
export const CLIENT_STATE_MAX_LENGTH = 128;

export const ALERT_OPERATIONS_RESOURCE = 'identityGovernance/roleManagementAlerts/operations';

/** Where a resource path points: every alert operation of the tenant, or one user's (by id, UPN or `me`). */
/** A value as a message quotes it: strings as they are, anything else as JSON. */
const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export type SubscriptionResource =
  { kind: 'alertOperations' } | { kind: 'authenticationOperations'; userKey: string /* an id, a UPN, or 'me' */ };

export interface NewSubscriptionRequest {
  resource: string;
  target: SubscriptionResource;
  changeType: 'updated';
  notificationUrl: string;
  clientState: string | null;
  expiresAt: number;
}

/** Properties of Graph's subscription a client may send; the rest are refused by name. */
const CREATE_PROPERTIES = new Set([
  '@odata.type',
  'changeType',
  'notificationUrl',
  'resource',
  'expirationDateTime',
  'clientState',
  'latestSupportedTlsVersion',
  'includeResourceData',
  'lifecycleNotificationUrl',
  'notificationQueryOptions',
  'notificationUrlAppId',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function requiredString(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (v === undefined || v === null || v === '') throw invalidSubscription(`${name} is a required property for subscription creation.`);
  if (typeof v !== 'string') throw invalidSubscription(`${name} must be a string.`);
  return v;
}

/** `resource` as Graph accepts it here (a leading '/' is tolerated, as Graph does). */
export function parseResource(resource: string, version: 'v1.0' | 'beta'): SubscriptionResource {
  const path = resource.replace(/^\/+/, '');
  if (path === ALERT_OPERATIONS_RESOURCE) {
    // Role-management alerts exist on beta only.
    if (version !== 'beta') throw invalidSubscription(`Resource '${resource}' is not supported on v1.0; subscribe on beta.`);
    return { kind: 'alertOperations' };
  }
  if (path === 'me/authentication/operations') return { kind: 'authenticationOperations', userKey: 'me' };
  // users/{key} or the OData key form users('{key}').
  const user = /^users(?:\('([^']+)'\)|\/([^/]+))\/authentication\/operations$/.exec(path);
  if (user) return { kind: 'authenticationOperations', userKey: safeDecode(user[1] ?? user[2]!) };
  throw invalidSubscription(
    `Resource '${resource}' is not supported for change notifications; use '${ALERT_OPERATIONS_RESOURCE}' (beta) or 'users/{id}/authentication/operations'.`,
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** An `expirationDateTime` in the future and at most 4320 minutes after `now` (the tenant's time). */
export function parseExpiration(value: unknown, now: number): number {
  if (value === undefined || value === null || value === '') {
    throw invalidSubscription('expirationDateTime is a required property for subscription creation.');
  }
  const at = typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
  if (at === undefined) throw invalidSubscription(`expirationDateTime '${shown(value)}' is not a valid ISO 8601 date and time.`);
  if (at <= now)
    throw new SubscriptionError(
      'ExtensionError',
      `Subscription expiration can only be in the future (expirationDateTime '${shown(value)}').`,
    );
  if (at > now + MAX_SUBSCRIPTION_MINUTES * 60_000) {
    throw new SubscriptionError(
      'ExtensionError',
      `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future (expirationDateTime '${shown(value)}').`,
    );
  }
  return at;
}

export function parseNewSubscription(body: unknown, version: 'v1.0' | 'beta', now: number): NewSubscriptionRequest {
  if (!isObject(body)) throw invalidSubscription('The request body must be a JSON object (a microsoft.graph.subscription).');
  for (const name of Object.keys(body)) {
    if (!CREATE_PROPERTIES.has(name))
      throw invalidSubscription(`The property '${name}' does not exist on type 'microsoft.graph.subscription'.`);
  }
  const changeType = requiredString(body, 'changeType');
  const notificationUrl = requiredString(body, 'notificationUrl');
  const resource = requiredString(body, 'resource');
  const target = parseResource(resource, version);
  if (changeType !== 'updated') {
    throw invalidSubscription(
      `changeType '${changeType}' is not supported for resource '${resource}'; the only supported value is 'updated'.`,
    );
  }
  checkNotificationUrl(notificationUrl);
  const expiresAt = parseExpiration(body.expirationDateTime, now);
  const clientState = body.clientState ?? null;
  if (clientState !== null && typeof clientState !== 'string') throw invalidSubscription('clientState must be a string.');
  if (typeof clientState === 'string' && clientState.length > CLIENT_STATE_MAX_LENGTH) {
    throw invalidSubscription(`clientState must be at most ${CLIENT_STATE_MAX_LENGTH} characters.`);
  }
  if (body.includeResourceData === true) throw invalidSubscription('includeResourceData is not supported for this resource.');
  for (const name of ['lifecycleNotificationUrl', 'notificationQueryOptions', 'notificationUrlAppId']) {
    if (body[name] !== undefined && body[name] !== null) throw invalidSubscription(`${name} is not supported for this resource.`);
  }
  return { resource, target, changeType: 'updated', notificationUrl, clientState, expiresAt };
}

/** A renewal (PATCH) may change `expirationDateTime` only. */
export function parseRenewal(body: unknown, now: number): number {
  if (!isObject(body)) throw invalidSubscription('The request body must be a JSON object (a microsoft.graph.subscription).');
  for (const name of Object.keys(body)) {
    if (name === 'expirationDateTime' || name === '@odata.type') continue;
    if (CREATE_PROPERTIES.has(name)) throw invalidSubscription(`${name} cannot be changed; only expirationDateTime can be updated.`);
    throw invalidSubscription(`The property '${name}' does not exist on type 'microsoft.graph.subscription'.`);
  }
  return parseExpiration(body.expirationDateTime, now);
}
