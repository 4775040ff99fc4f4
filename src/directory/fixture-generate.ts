/**
 * `longrun tenant generate`: a synthetic tenant of N users in the fixture format (TenantFixtureJson, src/directory/fixture.ts),
 * deterministic for a given seed and `now`. The mix is shaped so that every PIM alert has
 * something to find in most tenants: too many or few Global Administrators depending on the
 * seed, assignments outside PIM, stale and never-used accounts, eligible users who never
 * activate, and one user who activates the same role several times within seconds.
 */
import type { TenantFixtureJson } from './fixture.js';
import { SeededRandom } from './fixture-random.js';
import { FIRST_NAMES, LAST_NAMES, ORGANISATIONS, PARTNER_DOMAINS } from './fixture-names.js';
import { generateRoleData, type GeneratedUser } from './fixture-generate-roles.js';

/** Options of `generateTenantFixture`. */
export interface GenerateTenantOptions {
  /** Number of users, at least 1. User 0 is always `admin@`, a Global Administrator outside PIM. */
  users: number;
  /** Same seed (and `now`) → byte-identical fixture. */
  seed: string | number;
  /** Epoch ms that dates are relative to. Default: the start of the current UTC day. */
  now?: number;
  /** The tenant's default domain. Default: an organisation name from the seed, `.onmicrosoft.com`. */
  domain?: string;
  /** Called as users are made (every 1,000 and at the end); does not change the output. */
  onProgress?: (done: number, total: number) => void;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#$%&*+-=?@^_~';
const SECRET_ALPHABET = `${LOWER}${UPPER}${DIGITS}~._-`;

/** What the generated client application may do: everything the emulator serves. */
const CLIENT_DELEGATED_PERMISSIONS = [
  'RoleManagementAlert.Read.Directory',
  'RoleManagementAlert.ReadWrite.Directory',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'User.Read',
  'User.Read.All',
];
const CLIENT_APPLICATION_PERMISSIONS = CLIENT_DELEGATED_PERMISSIONS.filter((name) => name !== 'User.Read');

/** Generates a synthetic tenant fixture as plain JSON (dates as ISO strings). */
export function generateTenantFixture(options: GenerateTenantOptions): TenantFixtureJson {
  if (!Number.isInteger(options.users) || options.users < 1) {
    throw new RangeError(`users must be a whole number of at least 1; got ${options.users}`);
  }
  const random = new SeededRandom(options.seed);
  const now = options.now ?? startOfUtcDay(Date.now());
  const organisation = random.pick(ORGANISATIONS);
  const domain = options.domain ?? `${organisation.toLowerCase().replace(/[^a-z]/g, '')}${random.int(1000, 9999)}.onmicrosoft.com`;

  const tenant = {
    id: random.guid(),
    displayName: organisation,
    defaultDomain: domain,
    licenses: pickLicenses(random),
  };
  const users = generateUsers(random, options.users, domain, now, options.onProgress);
  const roles = generateRoleData(random, users, now);

  return {
    tenant,
    users: users.map((user) => ({
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName,
      password: user.password,
      accountEnabled: user.accountEnabled,
      createdDateTime: iso(user.createdAt),
      lastSignInDateTime: user.lastSignInAt === null ? null : iso(user.lastSignInAt),
      accountType: user.accountType,
    })),
    applications: [
      {
        appId: random.guid(),
        displayName: `${organisation} Longrun Client`,
        secret: random.text(40, SECRET_ALPHABET),
        applicationPermissions: CLIENT_APPLICATION_PERMISSIONS,
        delegatedPermissions: CLIENT_DELEGATED_PERMISSIONS,
      },
    ],
    roleAssignments: roles.assignments.map((assignment) => ({
      id: assignment.id,
      principalId: assignment.principalId,
      roleTemplateId: assignment.roleTemplateId,
      directoryScopeId: '/',
      assignmentType: assignment.assignmentType,
      viaPim: assignment.viaPim,
      createdDateTime: iso(assignment.createdAt),
      endDateTime: assignment.endAt === null ? null : iso(assignment.endAt),
    })),
    roleActivations: roles.activations.map((activation) => ({
      id: activation.id,
      principalId: activation.principalId,
      roleTemplateId: activation.roleTemplateId,
      activatedDateTime: iso(activation.activatedAt),
    })),
    roleSettings: roles.settings,
    // Omitted configurations take Graph's observed defaults.
    alertConfigurations: [],
  };
}

/** Most tenants hold Entra ID P2; some only P1 or none, which InvalidLicenseAlert reports. */
function pickLicenses(random: SeededRandom): string[] {
  const draw = random.next();
  if (draw < 0.85) return ['AAD_PREMIUM_P2', 'ENTERPRISEPACK'];
  if (draw < 0.93) return ['AAD_PREMIUM', 'ENTERPRISEPACK'];
  return ['ENTERPRISEPACK'];
}

function generateUsers(
  random: SeededRandom,
  count: number,
  domain: string,
  now: number,
  onProgress: (done: number, total: number) => void = () => undefined,
): GeneratedUser[] {
  const users: GeneratedUser[] = [];
  const takenNames = new Set<string>();
  for (let index = 0; index < count; index++) {
    if (index % 1000 === 0) onProgress(index, count);
    const createdAt = now - random.int(30, 1500) * DAY - random.int(0, DAY - 1);
    const lastSignInAt = random.chance(0.03) ? null : Math.max(createdAt + HOUR, now - random.int(0, 21) * DAY - random.int(0, DAY - 1));
    const base = {
      id: random.guid(),
      password: generatePassword(random),
      accountEnabled: index === 0 || random.chance(0.97),
      createdAt,
      lastSignInAt,
    };
    if (index === 0) {
      const userPrincipalName = `admin@${domain}`;
      users.push({ ...base, userPrincipalName, displayName: 'Tenant Administrator', accountType: 'member' });
      continue;
    }
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const isGuest = random.chance(0.02);
    // Pool names end in letters, so suffixing the (unique) index cannot collide with another name.
    let name = `${first}.${last}`.toLowerCase();
    if (takenNames.has(name)) name = `${name}${index}`;
    takenNames.add(name);
    const local = isGuest ? `${name}_${random.pick(PARTNER_DOMAINS)}#EXT#` : name;
    users.push({
      ...base,
      userPrincipalName: `${local}@${domain}`,
      displayName: isGuest ? `${first} ${last} (Guest)` : `${first} ${last}`,
      accountType: isGuest ? 'guest' : 'member',
    });
  }
  onProgress(count, count);
  return users;
}

/** 16 characters with at least one lower, upper, digit and symbol: passes a usual complexity policy. */
function generatePassword(random: SeededRandom): string {
  const required = [random.text(1, LOWER), random.text(1, UPPER), random.text(1, DIGITS), random.text(1, SYMBOLS)];
  const rest = random.text(12, `${LOWER}${UPPER}${DIGITS}${SYMBOLS}`).split('');
  return random.shuffle([...required, ...rest]).join('');
}

function startOfUtcDay(ms: number): number {
  return ms - (ms % DAY);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
