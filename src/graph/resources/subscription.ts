import type { StoredSubscription } from '../../storage/subscriptions-repository.js';
import { toGraphTimestamp } from '../../shared/timestamps.js';

/** A subscription in Graph's shape (microsoft.graph.subscription); unsupported options are their defaults. */
export function toWireSubscription(s: StoredSubscription): Record<string, unknown> {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: s.creatorAppId,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: null,
    expirationDateTime: toGraphTimestamp(s.expiresAt),
    creatorId: s.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}
