import type { Clock } from '../shared/clock.js';
import type { TenantTime } from '../shared/tenant-time.js';
import type { Store } from '../storage/store.js';
import type { IdTokenIssuer } from './id-token.js';
import type { VerifySecret } from './password-sign-in.js';
import type { TokenIssuer } from './token-issuer.js';

/** What the token endpoint and the sign-in pages share: transport-free, built once per node. */
export interface SignInContext {
  store: Store;
  clock: Clock;
  tenantTime: TenantTime;
  issuer: TokenIssuer;
  idTokens: IdTokenIssuer;
  graphRoot: string;
  publicUrl: string;
  verifySecret: VerifySecret;
}

/** The authorities that stand for "the user's own tenant" (found from the UPN's domain). */
export const MULTI_TENANT_AUTHORITIES = new Set(['common', 'organizations']);

export const isMultiTenantAuthority = (segment: string): boolean => MULTI_TENANT_AUTHORITIES.has(segment.toLowerCase());

/** The domain part of a user principal name, lower-cased ('' when there is none). */
export const upnDomain = (upn: string): string => {
  const at = upn.lastIndexOf('@');
  return at < 0 ? '' : upn.slice(at + 1).toLowerCase();
};
