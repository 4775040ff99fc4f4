/**
 * The tenant the password-reset HTTP tests run against (format: src/directory/fixture.ts): one caller per role that
 * matters to resetPassword, and one target per row of the "who can reset whose password" table
 * that a tenant-scoped role assignment can express.
 */
import { ROLE } from '../../../src/directory/roles.js';

export const TENANT_ID = '7b2f1c00-0000-4000-8000-00000000a001';
export const DOMAIN = 'resettest.onmicrosoft.com';
export const OTHER_TENANT_ID = '7b2f1c00-0000-4000-8000-00000000b002';
export const OTHER_DOMAIN = 'othertenant.onmicrosoft.com';

export const APP = {
  id: 'c0000000-0000-4000-8000-000000000001',
  secret: 'Reset-App-Secret-9f3K!',
};

export const UAM_READ = 'UserAuthenticationMethod.Read';
export const UAM_READ_ALL = 'UserAuthenticationMethod.Read.All';
export const UAM_READWRITE_ALL = 'UserAuthenticationMethod.ReadWrite.All';

export interface FixtureUser {
  name: string;
  id: string;
  userPrincipalName: string;
  displayName: string;
  password: string;
  accountType: 'member' | 'personal';
  role: string | undefined;
}

let n = 0;
function user(name: string, displayName: string, role?: string, accountType: 'member' | 'personal' = 'member'): FixtureUser {
  n += 1;
  return {
    name,
    id: `7b2f1c00-0000-4000-8000-${String(n).padStart(12, '0')}`,
    userPrincipalName: `${name.toLowerCase()}@${DOMAIN}`,
    displayName,
    // Passes the policy and shares nothing with any user's name.
    password: `Old-Pw-${n}-x7Q!`,
    accountType,
    role,
  };
}

/** Callers, by the role they hold. */
export const CALLERS = {
  authAdmin: user('authadmin', 'Quinn Vale', ROLE.authenticationAdministrator),
  privAuthAdmin: user('privauthadmin', 'Rory Wynn', ROLE.privilegedAuthenticationAdministrator),
  globalAdmin: user('globaladmin', 'Sasha Yule', ROLE.globalAdministrator),
  helpdeskAdmin: user('helpdeskadmin', 'Tobi Zane', ROLE.helpdeskAdministrator),
  passwordAdmin: user('passwordadmin', 'Uma Xeno', ROLE.passwordAdministrator),
  userAdmin: user('useradmin', 'Vic Ward', ROLE.userAdministrator),
  globalReader: user('globalreader', 'Wes Tarn', ROLE.globalReader),
  noRole: user('norole', 'Xan Soto'),
  personal: user('personal', 'Yul Reno', undefined, 'personal'),
};

/** Targets, by the role they hold (rows of https://learn.microsoft.com/graph/api/resources/users#who-can-reset-passwords). */
export const TARGETS = {
  noRole: user('t-norole', 'Alma Birch'),
  globalAdmin: user('t-globaladmin', 'Bran Cedar', ROLE.globalAdministrator),
  authAdmin: user('t-authadmin', 'Cleo Dune', ROLE.authenticationAdministrator),
  privAuthAdmin: user('t-privauthadmin', 'Dara Elm', ROLE.privilegedAuthenticationAdministrator),
  helpdeskAdmin: user('t-helpdeskadmin', 'Ezra Fern', ROLE.helpdeskAdministrator),
  passwordAdmin: user('t-passwordadmin', 'Faye Glen', ROLE.passwordAdministrator),
  privRoleAdmin: user('t-privroleadmin', 'Gus Heath', ROLE.privilegedRoleAdministrator),
  reportsReader: user('t-reportsreader', 'Hana Iris', ROLE.reportsReader),
  securityReader: user('t-securityreader', 'Ivo Juno', ROLE.securityReader),
  userAdmin: user('t-useradmin', 'Jade Kite', ROLE.userAdministrator),
  groupsAdmin: user('t-groupsadmin', 'Kai Lark', ROLE.groupsAdministrator),
  directoryReaders: user('t-directoryreaders', 'Lena Moss', ROLE.directoryReaders),
  messageCenterReader: user('t-messagecenterreader', 'Milo Nash', ROLE.messageCenterReader),
  guestInviter: user('t-guestinviter', 'Nora Oak', ROLE.guestInviter),
};

/** Plain users the end-to-end, policy, idempotency and secrecy tests reset. */
export const PEOPLE = {
  alice: user('alice', 'Alice Anders'),
  bob: user('bob', 'Bobby Brandt'),
  carol: user('carol', 'Carol Castell'),
  dave: user('dave', 'David Dorsey'),
  erin: user('erin', 'Erin Eastwood'),
};

export const OTHER_TENANT_USER = {
  id: '7b2f1c00-0000-4000-8000-0000000000b1',
  userPrincipalName: `stranger@${OTHER_DOMAIN}`,
};

const ALL_USERS = [...Object.values(CALLERS), ...Object.values(TARGETS), ...Object.values(PEOPLE)];

const DELEGATED = [UAM_READ, 'UserAuthenticationMethod.ReadWrite', UAM_READ_ALL, UAM_READWRITE_ALL, 'User.Read'];

function wire(u: FixtureUser) {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    password: u.password,
    accountEnabled: true,
    createdDateTime: '2026-01-01T00:00:00Z',
    lastSignInDateTime: null,
    accountType: u.accountType,
  };
}

export const resetTenantFixture = {
  tenant: { id: TENANT_ID, displayName: 'Reset Test', defaultDomain: DOMAIN, licenses: ['AAD_PREMIUM_P2'] },
  users: ALL_USERS.map(wire),
  applications: [
    {
      appId: APP.id,
      displayName: 'Reset test app',
      secret: APP.secret,
      applicationPermissions: [UAM_READWRITE_ALL],
      delegatedPermissions: DELEGATED,
    },
  ],
  roleAssignments: ALL_USERS.filter((u) => u.role !== undefined).map((u, i) => ({
    id: `ra-${i + 1}`,
    principalId: u.id,
    roleTemplateId: u.role,
    directoryScopeId: '/',
    assignmentType: 'active',
    viaPim: true,
    createdDateTime: '2026-01-02T00:00:00Z',
    endDateTime: null,
  })),
};

export const otherTenantFixture = {
  tenant: { id: OTHER_TENANT_ID, displayName: 'Other', defaultDomain: OTHER_DOMAIN, licenses: [] },
  users: [
    {
      id: OTHER_TENANT_USER.id,
      userPrincipalName: OTHER_TENANT_USER.userPrincipalName,
      displayName: 'Stranger Person',
      password: 'Other-Pw-1-x7Q!',
      accountEnabled: true,
      createdDateTime: '2026-01-01T00:00:00Z',
      lastSignInDateTime: null,
      accountType: 'member',
    },
  ],
};
