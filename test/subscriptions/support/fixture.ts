/**
 * Two tenants for the subscription tests: in each, an app, an authentication administrator who
 * resets passwords, plain users, and (tenant A) a privileged role administrator for alerts.
 */
import { ROLE } from '../../../src/directory/roles.js';

export const UAM_READ = 'UserAuthenticationMethod.Read';
export const UAM_READ_ALL = 'UserAuthenticationMethod.Read.All';
export const UAM_READWRITE_ALL = 'UserAuthenticationMethod.ReadWrite.All';
export const RMA_READ = 'RoleManagementAlert.Read.Directory';
export const RMA_WRITE = 'RoleManagementAlert.ReadWrite.Directory';

export interface FixtureUser {
  id: string;
  userPrincipalName: string;
  password: string;
  role?: string;
}

export interface FixtureTenant {
  id: string;
  domain: string;
  app: { id: string; secret: string };
  /** An app of the tenant with no application permission at all. */
  bareApp: { id: string; secret: string };
  users: Record<'admin' | 'alice' | 'bob' | 'pra', FixtureUser>;
}

function tenant(letter: 'a' | 'b'): FixtureTenant {
  const hex = letter === 'a' ? 'a' : 'b';
  const domain = `subs${letter}.onmicrosoft.com`;
  const u = (n: number, name: string, role?: string): FixtureUser => ({
    id: `5ab5c000-0000-4000-8000-${hex}${String(n).padStart(11, '0')}`,
    userPrincipalName: `${name}@${domain}`,
    password: `Subs-${letter}${n}-Pw!x9`,
    ...(role ? { role } : {}),
  });
  return {
    id: `5ab5c000-0000-4000-8000-${hex}00000000000`,
    domain,
    app: { id: `5ab5c0a0-0000-4000-8000-${hex}00000000001`, secret: `subs-app-secret-${letter}` },
    bareApp: { id: `5ab5c0a0-0000-4000-8000-${hex}00000000002`, secret: `subs-bare-secret-${letter}` },
    users: {
      admin: u(1, 'admin', ROLE.authenticationAdministrator),
      alice: u(2, 'alice'),
      bob: u(3, 'bob'),
      pra: u(4, 'pra', ROLE.privilegedRoleAdministrator),
    },
  };
}

export const TENANT_A = tenant('a');
export const TENANT_B = tenant('b');

export function fixtureOf(t: FixtureTenant): Record<string, unknown> {
  const users = Object.values(t.users);
  return {
    tenant: { id: t.id, displayName: `Subscriptions ${t.domain}`, defaultDomain: t.domain, licenses: ['AAD_PREMIUM_P2'] },
    users: users.map((x) => ({
      id: x.id,
      userPrincipalName: x.userPrincipalName,
      displayName: x.userPrincipalName.split('@')[0],
      password: x.password,
      accountEnabled: true,
      createdDateTime: '2026-01-01T00:00:00Z',
      lastSignInDateTime: null,
      accountType: 'member',
    })),
    applications: [
      {
        appId: t.app.id,
        displayName: 'Subscriber app',
        secret: t.app.secret,
        applicationPermissions: [UAM_READWRITE_ALL, RMA_WRITE],
        delegatedPermissions: [UAM_READ, UAM_READ_ALL, UAM_READWRITE_ALL, RMA_READ, RMA_WRITE, 'User.Read'],
      },
      {
        appId: t.bareApp.id,
        displayName: 'Bare app',
        secret: t.bareApp.secret,
        applicationPermissions: [],
        delegatedPermissions: ['User.Read'],
      },
    ],
    roleAssignments: users
      .filter((x) => x.role)
      .map((x, i) => ({
        id: `subs-ra-${i + 1}`,
        principalId: x.id,
        roleTemplateId: x.role,
        directoryScopeId: '/',
        assignmentType: 'active',
        viaPim: true,
        createdDateTime: '2026-01-02T00:00:00Z',
        endDateTime: null,
      })),
  };
}
