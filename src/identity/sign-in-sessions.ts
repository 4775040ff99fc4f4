import type { Store } from '../storage/store.js';

/**
 * Ends every sign-in session of a user (revokeSignInSessions, and what a password reset and a
 * disabled account imply): refresh tokens issued before now are refused with AADSTS50173.
 * Access tokens already issued stay valid until they expire, as in Entra without CAE.
 */
export async function revokeSignInSessions(store: Store, tenantId: string, userId: string, now: number): Promise<void> {
  await store.signInSecurity.revokeSessions(tenantId, userId, now);
}
