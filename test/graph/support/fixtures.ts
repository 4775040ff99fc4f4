/** Small tenant fixtures (format: src/directory/fixture.ts) for the Graph operation tests: one user per relevant role. */

const DIRECTORY_ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
};

export const TENANT_A_ID = '6a1e0c55-7d0f-4c36-9a55-2b0d7f3a0001';
export const TENANT_B_ID = '6a1e0c55-7d0f-4c36-9a55-2b0d7f3b0002';

const user = (domain: string, n: number, name: string, accountType = 'member') => ({
  id: `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`.replace(/^11111111/, domain.startsWith('fabrikam') ? '22222222' : '11111111'),
  userPrincipalName: `${name.toLowerCase()}@${domain}`,
  displayName: `${name} Person`,
  password: `Pw-${name}-7x!Q`,
  accountEnabled: true,
  createdDateTime: '2025-06-01T00:00:00Z',
  lastSignInDateTime: null,
  accountType,
});

const DOMAIN_A = 'opstest.onmicrosoft.com';
const usersA = [
  user(DOMAIN_A, 1, 'pra'),
  user(DOMAIN_A, 2, 'globalReader'),
  user(DOMAIN_A, 3, 'secAdmin'),
  user(DOMAIN_A, 4, 'secReader'),
  user(DOMAIN_A, 5, 'authAdmin'),
  user(DOMAIN_A, 6, 'privAuthAdmin'),
  user(DOMAIN_A, 7, 'globalAdmin'),
  user(DOMAIN_A, 8, 'noRole'),
  user(DOMAIN_A, 9, 'personal', 'personal'),
  user(DOMAIN_A, 10, 'target'),
];

const assign = (n: number, principalId: string, roleTemplateId: string) => ({
  id: `ra-${n}`,
  principalId,
  roleTemplateId,
  directoryScopeId: '/',
  assignmentType: 'active',
  viaPim: true,
  createdDateTime: '2025-06-02T00:00:00Z',
  endDateTime: null,
});

const ALL_DELEGATED = [
  'RoleManagementAlert.Read.Directory',
  'RoleManagementAlert.ReadWrite.Directory',
  'UserAuthenticationMethod.Read',
  'UserAuthenticationMethod.ReadWrite',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'User.Read',
  'User.Read.All',
];

export const tenantAFixture = {
  tenant: { id: TENANT_A_ID, displayName: 'Ops Test A', defaultDomain: DOMAIN_A, licenses: ['AAD_PREMIUM_P2'] },
  users: usersA,
  applications: [
    {
      appId: 'a0000000-0000-4000-8000-000000000001',
      displayName: 'Least app',
      secret: 'least-app-secret-1',
      applicationPermissions: ['RoleManagementAlert.Read.Directory', 'UserAuthenticationMethod.Read.All', 'User.Read.All'],
      delegatedPermissions: ALL_DELEGATED,
    },
    {
      appId: 'a0000000-0000-4000-8000-000000000002',
      displayName: 'Higher app',
      secret: 'higher-app-secret-2',
      applicationPermissions: ['RoleManagementAlert.ReadWrite.Directory', 'UserAuthenticationMethod.ReadWrite.All'],
      delegatedPermissions: ALL_DELEGATED,
    },
    {
      appId: 'a0000000-0000-4000-8000-000000000003',
      displayName: 'No application permissions',
      secret: 'none-app-secret-3',
      applicationPermissions: [],
      delegatedPermissions: ALL_DELEGATED,
    },
  ],
  roleAssignments: [
    assign(1, usersA[0]!.id, DIRECTORY_ROLE.privilegedRoleAdministrator),
    assign(2, usersA[1]!.id, DIRECTORY_ROLE.globalReader),
    assign(3, usersA[2]!.id, DIRECTORY_ROLE.securityAdministrator),
    assign(4, usersA[3]!.id, DIRECTORY_ROLE.securityReader),
    assign(5, usersA[4]!.id, DIRECTORY_ROLE.authenticationAdministrator),
    assign(6, usersA[5]!.id, DIRECTORY_ROLE.privilegedAuthenticationAdministrator),
    assign(7, usersA[6]!.id, DIRECTORY_ROLE.globalAdministrator),
  ],
};

const DOMAIN_B = 'fabrikam-ops.onmicrosoft.com';
const usersB = [user(DOMAIN_B, 1, 'bReader')];

export const tenantBFixture = {
  tenant: { id: TENANT_B_ID, displayName: 'Ops Test B', defaultDomain: DOMAIN_B, licenses: ['AAD_PREMIUM_P2'] },
  users: usersB,
  applications: [
    {
      appId: 'b0000000-0000-4000-8000-000000000001',
      displayName: 'B app',
      secret: 'tenant-b-secret',
      applicationPermissions: ['RoleManagementAlert.Read.Directory', 'UserAuthenticationMethod.Read.All'],
      delegatedPermissions: ALL_DELEGATED,
    },
  ],
  roleAssignments: [assign(1, usersB[0]!.id, DIRECTORY_ROLE.globalAdministrator)],
};
