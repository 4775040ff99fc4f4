import type { DirectoryUser, Tenant } from '../directory/model.js';
import type { StoredApplication } from './client-authentication.js';
import { EntraError, entraErrors } from './entra-errors.js';
import { changePasswordAtSignIn, checkPasswordSignIn, PasswordChangeRefused } from './password-sign-in.js';
import { upnDomain, type SignInContext } from './sign-in-context.js';

export interface InteractiveSignInInput {
  /** The tenant named by the authority; undefined on `common` / `organizations` (found from the UPN). */
  tenant: Tenant | undefined;
  clientId: string;
  username: string;
  password: string;
  /** Present on the "Update your password" step. */
  newPassword?: string | undefined;
  confirmPassword?: string | undefined;
}

export type InteractiveSignIn =
  | { kind: 'signedIn'; tenant: Tenant; user: DirectoryUser; app: StoredApplication }
  /** The user must choose a new password (an administrator reset it); `error` when the last try was refused. */
  | { kind: 'changePassword'; error?: string }
  | { kind: 'failed'; aadsts: number; message: string };

/** What the sign-in page says for each refusal: Entra's own texts. */
const PAGE_TEXT: Record<number, string> = {
  50126: "Your account or password is incorrect. If you don't remember your password, reset it now.",
  50053: 'Your account is locked. Contact your support person to unlock it, then try again.',
  50057: 'Your account has been disabled. Contact your administrator.',
  50196: 'Too many sign-ins are being checked right now. Wait a moment, then try again.',
};

/**
 * One interactive sign-in step (the authorization page and the device login page): finds the
 * user's tenant, the application there, then runs the shared password check. A user whose
 * password an administrator reset is asked for a new one, checked against the password policy.
 */
export async function signInInteractively(ctx: SignInContext, input: InteractiveSignInInput): Promise<InteractiveSignIn> {
  const tenant = input.tenant ?? (await ctx.store.directory.findTenant(upnDomain(input.username)));
  if (!tenant) return { kind: 'failed', aadsts: 50126, message: PAGE_TEXT[50126]! };
  const app = await ctx.store.directory.findApplication(tenant.id, input.clientId);
  if (!app) {
    const e = entraErrors.unknownClient(input.clientId, tenant.displayName);
    return { kind: 'failed', aadsts: e.aadsts, message: e.message };
  }
  try {
    let user: DirectoryUser;
    if (input.newPassword !== undefined) {
      try {
        user = await changePasswordAtSignIn(ctx, tenant, {
          username: input.username,
          currentPassword: input.password,
          newPassword: input.newPassword,
          confirmPassword: input.confirmPassword ?? '',
        });
      } catch (e) {
        if (e instanceof PasswordChangeRefused) return { kind: 'changePassword', error: e.message };
        throw e;
      }
    } else {
      const signIn = await checkPasswordSignIn(ctx, tenant, input.username, input.password);
      if (signIn.mustChangePassword) return { kind: 'changePassword' };
      user = signIn.user;
    }
    await ctx.store.directory.recordSignIn(tenant.id, user.id, await ctx.tenantTime.now(tenant.id));
    return { kind: 'signedIn', tenant, user, app };
  } catch (e) {
    if (e instanceof EntraError) return { kind: 'failed', aadsts: e.aadsts, message: PAGE_TEXT[e.aadsts] ?? e.message };
    throw e;
  }
}
