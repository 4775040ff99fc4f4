import { ROLE } from '../../directory/roles.js';

/**
 * One authorization rule: what a Graph endpoint requires, copied from its docs page
 * (Microsoft Learn: longrunningoperation-get, rolemanagementalert, authenticationmethod-resetpassword). See docs/authentication.md,
 * "Permission and role policy", for the sources and the choices made.
 */
export interface PolicyRule {
  /** Delegated scopes; any one suffices (least privileged first). */
  delegated: readonly string[];
  /** Further delegated scopes that suffice when the caller acts on themself. */
  delegatedSelf?: readonly string[];
  /** Application permissions; any one suffices. Empty: application tokens are refused. */
  application: readonly string[];
  /** Directory-role template ids; a delegated caller needs one. Empty: no role needed. */
  roles: readonly string[];
  /** Roles are only required when the target user is not the caller. */
  rolesOnlyForOthers?: boolean;
  /** Personal Microsoft accounts: never supported by the emulated APIs. */
  personalAccounts: false;
}

const RMA_READ = 'RoleManagementAlert.Read.Directory';
const RMA_WRITE = 'RoleManagementAlert.ReadWrite.Directory';
const UAM_READ = 'UserAuthenticationMethod.Read';
const UAM_READWRITE = 'UserAuthenticationMethod.ReadWrite';
const UAM_READ_ALL = 'UserAuthenticationMethod.Read.All';
const UAM_READWRITE_ALL = 'UserAuthenticationMethod.ReadWrite.All';
/** Longrun's own permission for its control API; not a Graph permission. */
export const LONGRUN_CONTROL = 'Longrun.Control.All';

/**
 * Global Administrator is in every role list: in Entra it holds every directory permission, so
 * it passes wherever a listed role would (the docs list least-privileged roles only; older
 * versions of the auth-methods and resetPassword pages named it explicitly).
 */
const GA = ROLE.globalAdministrator;

const ALERT_READERS = [ROLE.privilegedRoleAdministrator, ROLE.globalReader, ROLE.securityAdministrator, ROLE.securityReader, GA];
const AUTH_METHOD_READERS = [ROLE.globalReader, ROLE.authenticationAdministrator, ROLE.privilegedAuthenticationAdministrator, GA];

/** Every rule a Graph route may name. */
export const POLICY_RULES = Object.freeze({
  /** GET /identityGovernance/roleManagementAlerts/operations/{id} (seed, §1.5). */
  'operations.alerts.read': {
    delegated: [RMA_READ, RMA_WRITE],
    application: [RMA_READ, RMA_WRITE],
    roles: ALERT_READERS,
    personalAccounts: false,
  },
  /**
   * GET /users/{id}/authentication/operations[/{id}] (seed, §1.5): the current page's
   * *.All permissions and roles-for-others, plus the older page's self-only scopes.
   */
  'operations.authentication.read': {
    delegated: [UAM_READ_ALL, UAM_READWRITE_ALL],
    delegatedSelf: [UAM_READ, UAM_READWRITE],
    application: [UAM_READ_ALL, UAM_READWRITE_ALL],
    roles: AUTH_METHOD_READERS,
    rolesOnlyForOthers: true,
    personalAccounts: false,
  },
  /** The PIM alert reads: lists and GETs of alerts, definitions, configurations, incidents (§2.6). */
  'alerts.read': {
    delegated: [RMA_READ, RMA_WRITE],
    application: [RMA_READ, RMA_WRITE],
    roles: ALERT_READERS,
    personalAccounts: false,
  },
  /** The PIM alert writes: update alert/configuration, refresh, remediate (§2.6). */
  'alerts.write': {
    delegated: [RMA_WRITE],
    application: [RMA_WRITE],
    roles: [ROLE.privilegedRoleAdministrator, GA],
    personalAccounts: false,
  },
  /** GET authentication/methods, passwordMethods, passwordMethods/{id} (§3.4). */
  'authenticationMethods.read': {
    delegated: [UAM_READ_ALL, UAM_READWRITE_ALL],
    delegatedSelf: [UAM_READ, UAM_READWRITE],
    application: [UAM_READ_ALL, UAM_READWRITE_ALL],
    roles: AUTH_METHOD_READERS,
    rolesOnlyForOthers: true,
    personalAccounts: false,
  },
  /**
   * POST …/methods/{id}/resetPassword (§3.3): delegated only. Whose password a caller may
   * reset, and "never your own", are decided by the passwords module.
   */
  'authenticationMethods.resetPassword': {
    delegated: [UAM_READWRITE_ALL],
    application: [],
    roles: [ROLE.authenticationAdministrator, ROLE.privilegedAuthenticationAdministrator, GA],
    personalAccounts: false,
  },
  /** GET /users/{id | upn} (user-get page): User.Read covers only the signed-in user. */
  'users.read': {
    delegated: [
      'User.ReadBasic.All',
      'User.Read.All',
      'User.ReadWrite.All',
      'Directory.Read.All',
      'Directory.ReadWrite.All',
      'Directory.AccessAsUser.All',
    ],
    delegatedSelf: ['User.Read', 'User.ReadWrite'],
    application: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    roles: [],
    personalAccounts: false,
  },
  /**
   * POST /users/{id}/revokeSignInSessions (user-revokesigninsessions page): User.RevokeSessions.All
   * (least), or the broader write permissions; for another user, a role that manages users.
   */
  'users.revokeSignInSessions': {
    delegated: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
    application: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
    roles: [ROLE.helpdeskAdministrator, ROLE.userAdministrator, ROLE.privilegedAuthenticationAdministrator, GA],
    rolesOnlyForOthers: true,
    personalAccounts: false,
  },
  /**
   * The control API under /_longrun/v1 (docs/controls.md): Longrun's own permission, granted by
   * fixtures like a Graph one. Delegated callers must also hold Global Administrator.
   */
  'control.all': {
    delegated: [LONGRUN_CONTROL],
    application: [LONGRUN_CONTROL],
    roles: [GA],
    personalAccounts: false,
  },
  /**
   * /subscriptions (extension `subscriptions`, docs/subscriptions.md): the read permission of some
   * subscribable resource. The handler then checks the one a subscription is for, with its roles
   * and target user ('operations.alerts.read' or 'operations.authentication.read').
   */
  'subscriptions.any': {
    delegated: [RMA_READ, RMA_WRITE, UAM_READ, UAM_READWRITE, UAM_READ_ALL, UAM_READWRITE_ALL],
    application: [RMA_READ, RMA_WRITE, UAM_READ_ALL, UAM_READWRITE_ALL],
    roles: [],
    personalAccounts: false,
  },
} satisfies Record<string, PolicyRule>);

export type PolicyRuleName = keyof typeof POLICY_RULES;

export function isPolicyRuleName(name: string): name is PolicyRuleName {
  return Object.hasOwn(POLICY_RULES, name);
}

/** For the startup check that every route names a real rule: throws on an unknown name. */
export function assertRuleExists(name: string): asserts name is PolicyRuleName {
  if (!isPolicyRuleName(name)) {
    throw new Error(`unknown policy rule '${name}'; known rules: ${Object.keys(POLICY_RULES).join(', ')}`);
  }
}
