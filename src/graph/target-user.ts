import type { DirectoryUser } from '../directory/model.js';
import type { AuthorizationSubject, TargetResolver } from '../http/route-declaration.js';
import type { Principal } from '../identity/principal.js';
import type { Store } from '../storage/store.js';
import { accessDenied, badRequest, resourceNotFound } from './errors.js';

/** The user a /users/{key}/… or /me/… path names, as a declaration's `auth.target` gives it to the handler. */
export interface TargetUser extends AuthorizationSubject {
  user: DirectoryUser;
  /** The key as the client wrote it (id or UPN), for context URLs. */
  key: string;
  isMe: boolean;
}

/** For a declaration's `auth: { rule, target: targetUser(store) }`. */
export function targetUser(store: Store): TargetResolver<TargetUser> {
  return async (principal, params) => {
    const resolved = await resolveTargetUser(store, principal, params);
    return { ...resolved, targetUserId: resolved.user.id };
  };
}

/**
 * Resolves the `{id | userPrincipalName}` of a /users/… path, or the caller for /me/…, within
 * the caller's tenant. A user of another tenant is simply not found there.
 */
export async function resolveTargetUser(
  store: Store,
  principal: Principal,
  from: { userKey?: string | undefined } | { params: unknown },
): Promise<{ user: DirectoryUser; key: string; isMe: boolean }> {
  // Route declarations pass their validated params; older handlers pass the request itself.
  const params = ('params' in from ? from.params : from) as { userKey?: string | undefined };
  // Personal accounts are refused by every user-scoped API here; their token's tenant (the
  // consumer tenant) would otherwise turn the refusal into a misleading 404.
  if (principal.personal) throw accessDenied();
  if (params.userKey === undefined) {
    if (principal.kind !== 'user') throw badRequest('/me request is only valid with delegated authentication flow.');
    const me = await store.directoryReads.findUser(principal.tenantId, principal.objectId);
    if (!me) throw resourceNotFound(principal.objectId);
    return { user: me, key: me.id, isMe: true };
  }
  const user = await store.directoryReads.findUser(principal.tenantId, params.userKey);
  if (!user) throw resourceNotFound(params.userKey);
  return { user, key: params.userKey, isMe: false };
}
