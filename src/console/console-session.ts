import type { FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { DEMO_SIGN_IN } from '../directory/demo-tenant.js';
import { ROLE } from '../directory/roles.js';
import { isAllowed } from '../identity/policy/authorize.js';
import { POLICY_RULES } from '../identity/policy/rules.js';
import type { Principal } from '../identity/principal.js';
import { OPERATION_KINDS } from '../operations/kinds.js';

/**
 * The console's sign-in model (docs/console.md): the browser never holds a client secret. It
 * posts the user's name and password to `POST /console/api/sign-in`; the server performs the
 * password grant at its own token endpoint with the demo client (or a public client the user
 * names), and hands the browser the resulting delegated access token. The page calls Graph with
 * it like any client. The same token is also set as an HttpOnly cookie scoped to
 * `/console/api/`, because `EventSource` cannot send an Authorization header.
 */
export const SESSION_COOKIE = 'longrun_console';
export const COOKIE_PATH = '/console/api/';

/** The client the sign-in route uses unless the form names another (public) one. */
export const CONSOLE_CLIENT = { id: DEMO_SIGN_IN.clientId, secret: DEMO_SIGN_IN.clientSecret };

export const ALERT_OPERATION_KINDS = [OPERATION_KINDS.alertRefresh, OPERATION_KINDS.alertRefreshAll] as const;
export const RESET_OPERATION_KINDS = [OPERATION_KINDS.passwordReset] as const;

/** What a principal may do in the console; each flag is the Graph rule the page's calls meet. */
export interface ConsoleAccess {
  /** operations.alerts.read: alert refresh operations. */
  alertOperations: boolean;
  /** operations.authentication.read (on other users): password reset operations. */
  resetOperations: boolean;
  /** alerts.read */
  readAlerts: boolean;
  /** alerts.write: refresh from the page. */
  refreshAlerts: boolean;
  /** authenticationMethods.resetPassword (on other users). */
  resetPasswords: boolean;
  /** The Controls view (control rules, release/fail an operation): a Global Administrator (docs/console.md). */
  controls: boolean;
}

export function accessOf(principal: Principal): ConsoleAccess {
  const allowed = (rule: keyof typeof POLICY_RULES) => isAllowed(principal, POLICY_RULES[rule]);
  return {
    alertOperations: allowed('operations.alerts.read'),
    resetOperations: allowed('operations.authentication.read'),
    readAlerts: allowed('alerts.read'),
    refreshAlerts: allowed('alerts.write'),
    resetPasswords: allowed('authenticationMethods.resetPassword'),
    controls: principal.kind === 'user' && principal.roleTemplateIds.has(ROLE.globalAdministrator),
  };
}

/** The operation kinds the principal may list; empty when the console has nothing to show. */
export function visibleKinds(access: ConsoleAccess): string[] {
  return [...(access.alertOperations ? ALERT_OPERATION_KINDS : []), ...(access.resetOperations ? RESET_OPERATION_KINDS : [])];
}

export const hasConsoleAccess = (access: ConsoleAccess): boolean => Object.values(access).some(Boolean);

/** Reads one cookie from the request; no cookie library needed for one value. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Console API routes accept `Authorization: Bearer …` or the session cookie. The cookie is
 * copied into the header so the shared authenticator verifies it exactly like a Graph call.
 */
export function adoptSessionCookie(request: FastifyRequest): void {
  if (request.headers.authorization) return;
  const token = readCookie(request, SESSION_COOKIE);
  if (token) request.headers.authorization = `Bearer ${token}`;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, maxAgeSeconds)}${secure ? '; Secure' : ''}`;
}

export const clearedSessionCookie = (secure: boolean): string => sessionCookie('', 0, secure);

/** The `exp` (seconds) of a token that was already verified, and who it names (display only). */
export function tokenFacts(token: string): { exp: number; upn: string; name: string } {
  const claims = decodeJwt(token);
  return {
    exp: typeof claims.exp === 'number' ? claims.exp : 0,
    upn: typeof claims.upn === 'string' ? claims.upn : '',
    name: typeof claims.name === 'string' ? claims.name : '',
  };
}

export function bearerOf(request: FastifyRequest): string {
  const h = request.headers.authorization ?? '';
  return h.toLowerCase().startsWith('bearer ') ? h.slice(7).trim() : '';
}

/** A short, user-facing sentence for the token endpoint's Entra error. */
export function signInMessage(error: { error?: string; error_codes?: number[]; error_description?: string }, clientId: string): string {
  const code = error.error_codes?.[0];
  switch (code) {
    case 50126:
      return 'Wrong user name or password.';
    case 50057:
      return 'This account is disabled.';
    case 50053:
      return 'This account is locked after too many failed sign-ins. Try again later.';
    case 50055:
      return 'An administrator reset this password: sign in once through the sign-in page (/{tenant}/oauth2/v2.0/authorize) to choose a new one.';
    case 90002:
      return 'No tenant has that domain. Check the part after "@", or enter the tenant id or domain.';
    case 700016:
      return `The tenant has no application ${clientId}. Import it with the tenant (the demo tenant has it), or enter the id of a public client of the tenant.`;
    case 7000218:
    case 7000215:
      return `Application ${clientId} has a secret; the console can only use the demo client or a public client (no secret).`;
    case 70011:
      return 'The application may not request any Graph permission for users.';
    default:
      return (error.error_description ?? error.error ?? 'Sign-in failed.').split('\r\n')[0]!;
  }
}
