import type { FastifyRequest } from 'fastify';
import type { DirectoryUser } from '../directory/model.js';
import type { Principal } from '../identity/principal.js';
import type { Store } from '../storage/store.js';
import { accessDenied, badRequest, resourceNotFound } from './errors.js';

/**
 * Resolves the `{id | userPrincipalName}` of a /users/… path, or the caller for /me/…, within
 * the caller's tenant. A user of another tenant is simply not found there.
 */
export async function resolveTargetUser(
  store: Store,
  principal: Principal,
  request: FastifyRequest,
): Promise<{ user: DirectoryUser; key: string; isMe: boolean }> {
  // Personal accounts are refused by every user-scoped API here; their token's tenant (the
  // consumer tenant) would otherwise turn the refusal into a misleading 404.
  if (principal.personal) throw accessDenied();
  const params = request.params as { userKey?: string };
  if (params.userKey === undefined) {
    if (principal.kind !== 'user') throw badRequest('/me request is only valid with delegated authentication flow.');
    const me = await store.directory.findUser(principal.tenantId, principal.objectId);
    if (!me) throw resourceNotFound(principal.objectId);
    return { user: me, key: me.id, isMe: true };
  }
  const user = await store.directory.findUser(principal.tenantId, params.userKey);
  if (!user) throw resourceNotFound(params.userKey);
  return { user, key: params.userKey, isMe: false };
}
