/**
 * Who is calling: the verified content of a bearer token, in the shape the policy and the
 * route handlers need. Built only by the token verifier.
 */
export interface Principal {
  /** `app` for client-credentials tokens (`idtyp: app`), `user` for delegated tokens. */
  kind: 'user' | 'app';
  /** The token's `tid`: the tenant acted in (the consumer tenant for personal accounts). */
  tenantId: string;
  /** The token's `oid`: the user's object id, or the app's service-principal id. */
  objectId: string;
  /** The client application (`appid`). */
  appId: string;
  /** Delegated permissions (`scp`); empty for app tokens. */
  scopes: ReadonlySet<string>;
  /** Application permissions (`roles`); empty for user tokens. */
  appPermissions: ReadonlySet<string>;
  /** Directory-role template ids (`wids`); empty for app tokens. */
  roleTemplateIds: ReadonlySet<string>;
  /** A personal Microsoft account (consumer tenant): every Graph API here refuses it. */
  personal: boolean;
  /** The token's `exp` (epoch seconds): answers kept for it (graph/poll-replay.ts) end with it. */
  expiresAt?: number;
}

/** The tenant id that personal Microsoft accounts' tokens carry (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference, `tid`). */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** Microsoft Graph's application id, also accepted as a token audience. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Whose share a per-caller limit counts against: the signed-in user (delegated tokens), or the application (app tokens). */
export function callerKey(principal: Principal): string {
  return `${principal.tenantId}/${principal.kind === 'user' ? `user:${principal.objectId}` : `app:${principal.appId}`}`;
}
