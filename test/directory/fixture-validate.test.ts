import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FixtureError, TenantFixture } from '../../src/directory/fixture.js';
import { formatFixtureErrors, parseFixture, validateFixture } from '../../src/directory/fixture-validate.js';
import { ROLE } from '../../src/directory/roles.js';

const TENANT_ID = '0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const ALEX = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const MEGAN = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';
const APP = '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f';

/** A small valid fixture; each test breaks one thing in its own copy. */
function validInput(): Record<string, any> {
  return {
    tenant: { id: TENANT_ID, displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com', licenses: ['AAD_PREMIUM_P2'] },
    users: [
      {
        id: ALEX,
        userPrincipalName: 'alex@contoso.onmicrosoft.com',
        displayName: 'Alex Wilber',
        password: 'Alex-Passw0rd!',
        createdDateTime: '2026-01-05T09:00:00Z',
        lastSignInDateTime: '2026-11-20T10:00:00.1234567Z',
      },
      {
        id: MEGAN,
        userPrincipalName: 'megan@contoso.onmicrosoft.com',
        displayName: 'Megan Bowen',
        createdDateTime: '2026-01-06T09:00:00+02:00',
      },
    ],
    applications: [{ appId: APP, displayName: 'Client', secret: 's3cret', delegatedPermissions: ['User.Read'] }],
    roleAssignments: [
      {
        id: 'ra-1',
        principalId: ALEX,
        roleTemplateId: ROLE.globalAdministrator,
        assignmentType: 'active',
        createdDateTime: '2026-02-01T00:00:00Z',
      },
    ],
    roleActivations: [{ principalId: ALEX, roleTemplateId: ROLE.globalAdministrator, activatedDateTime: '2026-03-01T00:00:00Z' }],
    roleSettings: [{ roleTemplateId: ROLE.globalAdministrator, requireMfaOnActivation: false }],
    alertConfigurations: [{ alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P30D' }],
  };
}

function expectValid(input: unknown): TenantFixture {
  const result = validateFixture(input);
  if (!result.ok) assert.fail(formatFixtureErrors(result.errors));
  return result.fixture;
}

function errorsOf(input: unknown): FixtureError[] {
  const result = validateFixture(input);
  assert.equal(result.ok, false, 'expected the fixture to be refused');
  return result.ok ? [] : result.errors;
}

/** Asserts the fixture is refused with exactly these error paths (in any order). */
function expectErrorPaths(input: unknown, paths: string[]): FixtureError[] {
  const errors = errorsOf(input);
  assert.deepEqual(errors.map((e) => e.path).sort(), [...paths].sort(), formatFixtureErrors(errors));
  return errors;
}

function breaking(change: (input: Record<string, any>) => void): Record<string, any> {
  const input = validInput();
  change(input);
  return input;
}

describe('validateFixture: normalisation', () => {
  it('applies defaults, converts dates to ms and keeps what was written', () => {
    const fixture = expectValid(validInput());
    const [alex, megan] = fixture.users;
    assert.equal(alex?.password, 'Alex-Passw0rd!');
    assert.equal(alex?.accountEnabled, true);
    assert.equal(alex?.accountType, 'member');
    assert.equal(alex?.lastSignInAt, Date.parse('2026-11-20T10:00:00.123Z'));
    assert.equal(megan?.createdAt, Date.parse('2026-01-06T07:00:00Z'));
    assert.equal(megan?.lastSignInAt, null);
    assert.equal('password' in (megan ?? {}), false, 'an absent password stays absent');

    const [assignment] = fixture.roleAssignments;
    assert.equal(assignment?.directoryScopeId, '/');
    assert.equal(assignment?.viaPim, true);
    assert.equal(assignment?.endAt, null);
    assert.deepEqual(fixture.applications[0]?.applicationPermissions, []);
    assert.equal(fixture.applications[0]?.secret, 's3cret');
    assert.deepEqual(fixture.alertConfigurations, [{ alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P30D' }]);
  });

  it('treats omitted arrays as empty', () => {
    const fixture = expectValid({ tenant: validInput()['tenant'] });
    assert.deepEqual(fixture.users, []);
    assert.deepEqual(fixture.roleAssignments, []);
    assert.deepEqual(fixture.alertConfigurations, []);
  });

  it('lower-cases GUIDs so references match however they were written', () => {
    const input = breaking((f) => {
      f.users[0].id = ALEX.toUpperCase();
    });
    const fixture = expectValid(input);
    assert.equal(fixture.users[0]?.id, ALEX);
    assert.equal(fixture.roleAssignments[0]?.principalId, ALEX);
  });

  it('gives activations without an id a stable GUID derived from the tenant and the index', () => {
    const first = expectValid(validInput()).roleActivations[0]?.id;
    const again = expectValid(validInput()).roleActivations[0]?.id;
    assert.match(first ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(first, again);
    const otherTenant = breaking((f) => {
      f.tenant.id = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    });
    assert.notEqual(expectValid(otherTenant).roleActivations[0]?.id, first);
    const named = breaking((f) => {
      f.roleActivations[0].id = 'act-1';
    });
    assert.equal(expectValid(named).roleActivations[0]?.id, 'act-1');
  });
});

describe('validateFixture: every bad field is reported with its path', () => {
  it('reports all the problems of a badly broken fixture at once', () => {
    const input = breaking((f) => {
      f.tenant.id = 'not-a-guid';
      f.users[1].userPrincipalName = 'megan';
      f.users[1].accountType = 'admin';
      f.applications[0].appId = 42;
      f.roleAssignments[0].assignmentType = 'permanent';
      f.roleSettings[0].requireMfaOnActivation = 'no';
    });
    const errors = expectErrorPaths(input, [
      'tenant.id',
      'users[1].userPrincipalName',
      'users[1].accountType',
      'applications[0].appId',
      'roleAssignments[0].assignmentType',
      'roleSettings[0].requireMfaOnActivation',
    ]);
    const report = formatFixtureErrors(errors);
    assert.match(report, /^The tenant fixture has 6 errors:$/m);
    assert.match(report, /^ {2}users\[1\]\.userPrincipalName: must be a user principal name local@domain.*got "megan"$/m);
    assert.match(report, /^ {2}users\[1\]\.accountType: must be one of "member", "guest", "personal"; got "admin"$/m);
  });

  it('says a required field is required, and what it must be', () => {
    const errors = expectErrorPaths(
      breaking((f) => {
        delete f.users[0].displayName;
      }),
      ['users[0].displayName'],
    );
    assert.equal(errors[0]?.message, 'is required: a non-empty string');
  });

  const cases: Array<[string, (f: Record<string, any>) => void, string]> = [
    ['tenant is missing', (f) => delete f.tenant, 'tenant'],
    ['tenant is not an object', (f) => (f.tenant = 'Contoso'), 'tenant'],
    ['tenant id is not a GUID', (f) => (f.tenant.id = '1234'), 'tenant.id'],
    ['tenant id is the consumer tenant', (f) => (f.tenant.id = '9188040d-6c67-4c5b-b112-36a304b66dad'), 'tenant.id'],
    ['tenant displayName is blank', (f) => (f.tenant.displayName = '   '), 'tenant.displayName'],
    ['defaultDomain is not a domain', (f) => (f.tenant.defaultDomain = 'contoso'), 'tenant.defaultDomain'],
    ['licenses is not an array', (f) => (f.tenant.licenses = 'AAD_PREMIUM_P2'), 'tenant.licenses'],
    ['a licence is not a SKU name', (f) => (f.tenant.licenses = ['AAD PREMIUM']), 'tenant.licenses[0]'],
    ['users is not an array', (f) => (f.users = {}), 'users'],
    ['a user is not an object', (f) => (f.users[1] = 'megan'), 'users[1]'],
    ['a user id is not a GUID', (f) => (f.users[1].id = 'megan'), 'users[1].id'],
    ['a UPN has no domain', (f) => (f.users[0].userPrincipalName = 'alex@'), 'users[0].userPrincipalName'],
    ['a UPN has a space', (f) => (f.users[0].userPrincipalName = 'alex w@contoso.com'), 'users[0].userPrincipalName'],
    ['a displayName is empty', (f) => (f.users[0].displayName = ''), 'users[0].displayName'],
    ['a password is empty', (f) => (f.users[0].password = ''), 'users[0].password'],
    ['accountEnabled is a string', (f) => (f.users[0].accountEnabled = 'true'), 'users[0].accountEnabled'],
    ['accountType is unknown', (f) => (f.users[0].accountType = 'Member'), 'users[0].accountType'],
    ['createdDateTime is missing', (f) => delete f.users[0].createdDateTime, 'users[0].createdDateTime'],
    ['createdDateTime is not a date', (f) => (f.users[0].createdDateTime = 'yesterday'), 'users[0].createdDateTime'],
    ['a date has no time zone', (f) => (f.users[0].createdDateTime = '2026-01-05T09:00:00'), 'users[0].createdDateTime'],
    ['a date does not exist', (f) => (f.users[0].createdDateTime = '2026-02-30T09:00:00Z'), 'users[0].createdDateTime'],
    ['a date is a number', (f) => (f.users[0].lastSignInDateTime = 1767600000000), 'users[0].lastSignInDateTime'],
    ['an unknown user property (typo)', (f) => (f.users[0].acountEnabled = false), 'users[0].acountEnabled'],
    ['an appId is not a GUID', (f) => (f.applications[0].appId = 'client'), 'applications[0].appId'],
    ['a secret is not a string', (f) => (f.applications[0].secret = 123), 'applications[0].secret'],
    [
      'a permission name is malformed',
      (f) => (f.applications[0].delegatedPermissions = ['User.Read', 'User Read']),
      'applications[0].delegatedPermissions[1]',
    ],
    [
      'permissions is not an array',
      (f) => (f.applications[0].applicationPermissions = 'User.Read.All'),
      'applications[0].applicationPermissions',
    ],
    ['an assignment id is missing', (f) => delete f.roleAssignments[0].id, 'roleAssignments[0].id'],
    [
      'a roleTemplateId is not a GUID',
      (f) => (f.roleAssignments[0].roleTemplateId = 'Global Administrator'),
      'roleAssignments[0].roleTemplateId',
    ],
    [
      'the implicit User role is assigned',
      (f) => (f.roleAssignments[0].roleTemplateId = 'b79fbf4d-3ef9-4689-8143-76b194e85509'),
      'roleAssignments[0].roleTemplateId',
    ],
    ['assignmentType is unknown', (f) => (f.roleAssignments[0].assignmentType = 'Active'), 'roleAssignments[0].assignmentType'],
    ['viaPim is a string', (f) => (f.roleAssignments[0].viaPim = 'false'), 'roleAssignments[0].viaPim'],
    [
      'an eligible assignment outside PIM',
      (f) => Object.assign(f.roleAssignments[0], { assignmentType: 'eligible', viaPim: false }),
      'roleAssignments[0].viaPim',
    ],
    ['a scope does not start with /', (f) => (f.roleAssignments[0].directoryScopeId = 'tenant'), 'roleAssignments[0].directoryScopeId'],
    [
      'an assignment ends before it starts',
      (f) => (f.roleAssignments[0].endDateTime = '2026-01-01T00:00:00Z'),
      'roleAssignments[0].endDateTime',
    ],
    [
      'an assignment names a missing user',
      (f) => (f.roleAssignments[0].principalId = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a'),
      'roleAssignments[0].principalId',
    ],
    [
      'an activation names a missing user',
      (f) => (f.roleActivations[0].principalId = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a'),
      'roleActivations[0].principalId',
    ],
    ['an activation has no date', (f) => delete f.roleActivations[0].activatedDateTime, 'roleActivations[0].activatedDateTime'],
    ['a role setting has no MFA flag', (f) => delete f.roleSettings[0].requireMfaOnActivation, 'roleSettings[0].requireMfaOnActivation'],
    ['an alert type is unknown', (f) => (f.alertConfigurations[0].alertType = 'StaleSignIn'), 'alertConfigurations[0].alertType'],
    ['an alert isEnabled is not boolean', (f) => (f.alertConfigurations[0].isEnabled = 1), 'alertConfigurations[0].isEnabled'],
    ['an unknown top-level key (typo)', (f) => (f.roleAsignments = []), 'roleAsignments'],
  ];
  for (const [name, change, path] of cases) {
    it(`refuses a fixture where ${name} (${path})`, () => {
      expectErrorPaths(breaking(change), [path]);
    });
  }

  it('refuses anything that is not an object', () => {
    expectErrorPaths([], ['(root)']);
    expectErrorPaths(null, ['(root)']);
  });
});

describe('validateFixture: uniqueness', () => {
  it('refuses duplicate user ids, naming the first holder', () => {
    const errors = expectErrorPaths(
      breaking((f) => {
        f.users[1].id = ALEX.toUpperCase();
      }),
      ['users[1].id'],
    );
    assert.match(errors[0]?.message ?? '', /already used by users\[0\]\.id/);
  });

  it('refuses user principal names that differ only in case', () => {
    expectErrorPaths(
      breaking((f) => {
        f.users[1].userPrincipalName = 'ALEX@contoso.onmicrosoft.com';
      }),
      ['users[1].userPrincipalName'],
    );
  });

  it('refuses duplicate appIds, assignment ids, activation ids, role settings and alert types', () => {
    const input = breaking((f) => {
      f.applications.push({ appId: APP, displayName: 'Again' });
      f.roleAssignments.push({ ...f.roleAssignments[0], roleTemplateId: ROLE.globalReader });
      f.roleActivations = [
        { ...f.roleActivations[0], id: 'act' },
        { ...f.roleActivations[0], id: 'act' },
      ];
      f.roleSettings.push({ roleTemplateId: ROLE.globalAdministrator, requireMfaOnActivation: true });
      f.alertConfigurations.push({ alertType: 'StaleSignInAlert', duration: 'P60D' });
    });
    expectErrorPaths(input, [
      'applications[1].appId',
      'roleAssignments[1].id',
      'roleActivations[1].id',
      'roleSettings[1].roleTemplateId',
      'alertConfigurations[1].alertType',
    ]);
  });

  it('still counts a user with another bad field as existing (one mistake, one error)', () => {
    expectErrorPaths(
      breaking((f) => {
        f.users[0].displayName = '';
      }),
      ['users[0].displayName'],
    );
  });
});

describe('parseFixture and formatFixtureErrors', () => {
  it('reports invalid JSON as an error at the root', () => {
    const result = parseFixture('{ "tenant": ');
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.errors[0]?.path, '(root)');
  });

  it('parses and validates JSON text', () => {
    const result = parseFixture(JSON.stringify(validInput()));
    assert.equal(result.ok, true);
  });

  it('cuts long reports short and says how many were left out', () => {
    const errors = Array.from({ length: 60 }, (_, i) => ({ path: `users[${i}].id`, message: 'must be a GUID' }));
    const lines = formatFixtureErrors(errors, 50).split('\n');
    assert.equal(lines.length, 52);
    assert.equal(lines[1], '  users[0].id: must be a GUID');
    assert.equal(lines.at(-1), '  … and 10 more');
  });
});
