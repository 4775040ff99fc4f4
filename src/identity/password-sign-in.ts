import type { DirectoryUser, Tenant } from '../directory/model.js';
import { hashPassword } from '../passwords/hashing.js';
import { checkPasswordPolicy, describePolicyFailure } from '../passwords/policy.js';
import type { TenantTime } from '../shared/tenant-time.js';
import type { Store } from '../storage/store.js';
import { entraErrors } from './entra-errors.js';
import { SmartLockout } from './lockout.js';

/** Checks a clear secret against an argon2id hash (the passwords module's `verify`). */
export type VerifySecret = (hash: string, clear: string) => Promise<boolean>;

export interface PasswordSignInDeps {
  store: Store;
  tenantTime: TenantTime;
  verifySecret: VerifySecret;
}

/** Who signed in, and whether an administrator's reset obliges them to choose a new password first. */
export interface PasswordSignIn {
  user: DirectoryUser;
  mustChangePassword: boolean;
}

/**
 * Hashed at the service's default argon2id cost: verified against when the user does not
 * exist, so a wrong username costs as long as a wrong password and AADSTS50126 reveals nothing.
 */
const NO_SUCH_USER_HASH = '$argon2id$v=19$m=19456,p=1,t=2$TAfCd3Ni7BMCrXdTIT1x4Q$8ajIOGkDdFx/gZSdLe/4SrqEHnszv6es/hkRqbE5V9I';

/**
 * The one password check behind every sign-in: the password grant, the sign-in page, the device
 * login page and the console (through the password grant). In order: smart lockout (AADSTS50053,
 * whatever the password), the password (AADSTS50126, counted towards lockout), a disabled account
 * (AADSTS50057, only after the right password so it tells a guesser nothing). The caller decides
 * what `mustChangePassword` means: the grant refuses (AADSTS50055), the pages ask for a new one.
 */
export async function checkPasswordSignIn(
  deps: PasswordSignInDeps,
  tenant: Tenant,
  username: string,
  password: string,
): Promise<PasswordSignIn> {
  const lockout = new SmartLockout(deps.store);
  const credentials = await deps.store.directory.findUserCredentials(tenant.id, username);
  const now = await deps.tenantTime.now(tenant.id);
  if (credentials && (await lockout.isLocked(tenant.id, credentials.user.id, now))) throw entraErrors.accountLocked();
  const passwordOk = await deps.verifySecret(credentials?.passwordHash ?? NO_SUCH_USER_HASH, password);
  if (!credentials || credentials.passwordHash === null || !passwordOk) {
    if (credentials) await lockout.recordFailure(tenant.id, credentials.user.id, now);
    throw entraErrors.invalidCredentials();
  }
  await lockout.recordSuccess(tenant.id, credentials.user.id);
  const { user } = credentials;
  if (!user.accountEnabled) throw entraErrors.accountDisabled();
  return { user, mustChangePassword: user.forceChangePasswordNextSignIn };
}

/** Why a new password chosen at sign-in was refused (shown on the page). */
export class PasswordChangeRefused extends Error {}

/**
 * The "Update your password" step after an administrator's reset: the current password is
 * checked again (through `checkPasswordSignIn`, so lockout applies), the new one must differ and
 * pass the password policy (docs/passwords.md); then it replaces the old one and the
 * must-change flag is cleared.
 */
export async function changePasswordAtSignIn(
  deps: PasswordSignInDeps,
  tenant: Tenant,
  input: { username: string; currentPassword: string; newPassword: string; confirmPassword: string },
): Promise<DirectoryUser> {
  const { user } = await checkPasswordSignIn(deps, tenant, input.username, input.currentPassword);
  if (input.newPassword !== input.confirmPassword) throw new PasswordChangeRefused('The passwords you entered do not match.');
  if (input.newPassword === input.currentPassword)
    throw new PasswordChangeRefused("You can't reuse the password you have now. Choose a new one.");
  const verdict = checkPasswordPolicy(input.newPassword, user);
  if (!verdict.ok) throw new PasswordChangeRefused(describePolicyFailure(verdict.reasons));
  const hash = await hashPassword(input.newPassword);
  await deps.store.directory.setPassword(tenant.id, user.id, hash, false, await deps.tenantTime.now(tenant.id));
  return { ...user, forceChangePasswordNextSignIn: false };
}
