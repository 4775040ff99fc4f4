/**
 * The role half of a synthetic tenant: who holds which directory role and how (eligible,
 * active through PIM, active outside PIM), PIM activations, and role settings. It also ages
 * some privileged holders' sign-ins, since staleness only matters for them.
 */
import type { AccountType, AssignmentType } from './model.js';
import { ROLE, isPrivilegedRole } from './roles.js';
import type { SeededRandom } from './fixture-random.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A user as the generator holds it, before dates become ISO strings. */
export interface GeneratedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  password: string;
  accountEnabled: boolean;
  accountType: AccountType;
  createdAt: number;
  lastSignInAt: number | null;
}

interface GeneratedAssignment {
  id: string;
  principalId: string;
  roleTemplateId: string;
  assignmentType: AssignmentType;
  viaPim: boolean;
  createdAt: number;
  endAt: number | null;
}

interface GeneratedActivation {
  id: string;
  principalId: string;
  roleTemplateId: string;
  activatedAt: number;
}

/** Role data of a synthetic tenant. */
export interface GeneratedRoleData {
  assignments: GeneratedAssignment[];
  activations: GeneratedActivation[];
  settings: Array<{ roleTemplateId: string; requireMfaOnActivation: boolean }>;
}

/** Share of the users holding each privileged role, and the least holders once there are users to spare. */
const PRIVILEGED_MIX: ReadonlyArray<{ role: string; share: number; atLeast: number }> = [
  { role: ROLE.privilegedRoleAdministrator, share: 0.01, atLeast: 1 },
  { role: ROLE.securityAdministrator, share: 0.01, atLeast: 1 },
  { role: ROLE.securityReader, share: 0.015, atLeast: 1 },
  { role: ROLE.globalReader, share: 0.015, atLeast: 1 },
  { role: ROLE.authenticationAdministrator, share: 0.01, atLeast: 1 },
  { role: ROLE.privilegedAuthenticationAdministrator, share: 0.005, atLeast: 1 },
  { role: ROLE.helpdeskAdministrator, share: 0.02, atLeast: 1 },
  { role: ROLE.userAdministrator, share: 0.01, atLeast: 1 },
  { role: ROLE.passwordAdministrator, share: 0.005, atLeast: 1 },
];

/** Everyday roles; how many there are (by seed) moves the Global Administrator percentage across 10%. */
const EVERYDAY_ROLES = [
  ROLE.directoryReaders,
  ROLE.reportsReader,
  ROLE.groupsAdministrator,
  ROLE.messageCenterReader,
  ROLE.usageSummaryReportsReader,
  ROLE.exchangeAdministrator,
  ROLE.sharePointAdministrator,
  ROLE.guestInviter,
  ROLE.applicationAdministrator,
  ROLE.intuneAdministrator,
];

/** From this many users on, each privileged role of the mix has at least one holder. */
const MINIMUMS_FROM_USERS = 20;

type AssignmentMode = 'eligible' | 'activeTimeBound' | 'activePermanent' | 'outsidePim';

/**
 * Assigns roles to `users` (user 0 is the outside-PIM Global Administrator), then ages some
 * privileged sign-ins in place and derives activations and role settings.
 */
export function generateRoleData(random: SeededRandom, users: GeneratedUser[], now: number): GeneratedRoleData {
  const assignments: GeneratedAssignment[] = [];
  const held = new Set<string>();
  const assign = (user: GeneratedUser, roleTemplateId: string, mode: AssignmentMode): void => {
    const key = `${user.id}|${roleTemplateId}`;
    if (held.has(key)) return;
    held.add(key);
    assignments.push(buildAssignment(random, user, roleTemplateId, mode, now));
  };

  const [admin, ...others] = users;
  if (admin === undefined) return { assignments, activations: [], settings: [] };
  assign(admin, ROLE.globalAdministrator, 'outsidePim');

  // Guests rarely hold privileged roles; keep them to everyday ones.
  const candidates = random.shuffle(others.filter((user) => user.accountType === 'member'));
  const take = (count: number): GeneratedUser[] => candidates.splice(0, count);
  const globalAdmins = Math.max(1, Math.round(users.length * (0.03 + random.next() * 0.02)));
  for (const user of take(globalAdmins - 1)) assign(user, ROLE.globalAdministrator, privilegedMode(random));
  // Tiny tenants skip the minimums, or every user would be an administrator.
  const minimumsApply = users.length >= MINIMUMS_FROM_USERS;
  for (const { role, share, atLeast } of PRIVILEGED_MIX) {
    const holders = Math.max(minimumsApply ? atLeast : 0, Math.round(users.length * share));
    for (const user of take(holders)) assign(user, role, privilegedMode(random));
  }
  const everydayAssignments = Math.round(others.length * (0.05 + random.next() * 0.55));
  for (let i = 0; i < everydayAssignments; i++) {
    assign(random.pick(others), random.pick(EVERYDAY_ROLES), everydayMode(random));
  }
  ensureAnEligibleAssignment(assignments, admin, others[0], assign);

  ageSomePrivilegedSignIns(random, users, assignments, now);
  return {
    assignments,
    activations: generateActivations(random, users, assignments, now),
    settings: generateSettings(random, assignments),
  };
}

function privilegedMode(random: SeededRandom): AssignmentMode {
  const draw = random.next();
  if (draw < 0.45) return 'eligible';
  if (draw < 0.7) return 'activeTimeBound';
  if (draw < 0.8) return 'activePermanent';
  return 'outsidePim';
}

function everydayMode(random: SeededRandom): AssignmentMode {
  const draw = random.next();
  if (draw < 0.25) return 'eligible';
  if (draw < 0.4) return 'activeTimeBound';
  if (draw < 0.8) return 'activePermanent';
  return 'outsidePim';
}

function buildAssignment(
  random: SeededRandom,
  user: GeneratedUser,
  roleTemplateId: string,
  mode: AssignmentMode,
  now: number,
): GeneratedAssignment {
  const createdAt = user.createdAt + Math.floor(random.next() * (now - DAY - user.createdAt));
  const endAt =
    mode === 'activeTimeBound'
      ? now + random.int(1, 180) * DAY
      : mode === 'eligible' && random.chance(0.5)
        ? now + random.int(30, 365) * DAY
        : null;
  return {
    id: random.guid(),
    principalId: user.id,
    roleTemplateId,
    assignmentType: mode === 'eligible' ? 'eligible' : 'active',
    viaPim: mode !== 'outsidePim',
    createdAt,
    endAt,
  };
}

/** Guarantees every tenant of two or more users has an eligible assignment to evaluate. */
function ensureAnEligibleAssignment(
  assignments: GeneratedAssignment[],
  admin: GeneratedUser,
  someoneElse: GeneratedUser | undefined,
  assign: (user: GeneratedUser, roleTemplateId: string, mode: AssignmentMode) => void,
): void {
  if (assignments.some((a) => a.assignmentType === 'eligible')) return;
  const existing = assignments.find((a) => a.principalId !== admin.id);
  if (existing !== undefined) {
    existing.assignmentType = 'eligible';
    existing.viaPim = true;
  } else if (someoneElse !== undefined) {
    assign(someoneElse, ROLE.securityReader, 'eligible');
  }
}

/** About 12% of privileged holders last signed in 60–200 days ago, 4% never did. */
function ageSomePrivilegedSignIns(random: SeededRandom, users: GeneratedUser[], assignments: GeneratedAssignment[], now: number): void {
  const privilegedHolders = new Set(assignments.filter((a) => isPrivilegedRole(a.roleTemplateId)).map((a) => a.principalId));
  for (const user of users.slice(1)) {
    if (!privilegedHolders.has(user.id)) continue;
    const draw = random.next();
    if (draw < 0.04) {
      user.lastSignInAt = null;
    } else if (draw < 0.16) {
      user.lastSignInAt = now - random.int(60, 200) * DAY - random.int(0, DAY - 1);
      user.createdAt = Math.min(user.createdAt, user.lastSignInAt - random.int(10, 400) * DAY);
    }
  }
}

/**
 * About half the eligible holders activated recently (within the 25 days before their last
 * sign-in); the rest never did. One of them activated the same role four times within eight
 * seconds, which the default sequential-activation threshold (3 within PT10S) reports.
 */
function generateActivations(
  random: SeededRandom,
  users: GeneratedUser[],
  assignments: GeneratedAssignment[],
  now: number,
): GeneratedActivation[] {
  const lastSignIn = new Map(users.map((user) => [user.id, user.lastSignInAt]));
  const activations: GeneratedActivation[] = [];
  const activate = (assignment: GeneratedAssignment, activatedAt: number): void => {
    activations.push({
      id: random.guid(),
      principalId: assignment.principalId,
      roleTemplateId: assignment.roleTemplateId,
      activatedAt,
    });
  };
  let sequentialDone = false;
  for (const assignment of assignments) {
    if (assignment.assignmentType !== 'eligible') continue;
    const windowEnd = lastSignIn.get(assignment.principalId) ?? null;
    const windowStart = Math.max(assignment.createdAt, now - 25 * DAY);
    if (windowEnd === null || windowEnd - windowStart < HOUR) continue;
    const pickTime = (): number => windowStart + Math.floor(random.next() * (windowEnd - windowStart - 10_000));
    if (!sequentialDone) {
      const start = pickTime();
      for (const offset of [0, 2_000, 5_000, 8_000]) activate(assignment, start + offset);
      sequentialDone = true;
    } else if (random.chance(0.55)) {
      const count = random.int(1, 3);
      for (let i = 0; i < count; i++) activate(assignment, pickTime());
    }
  }
  return activations;
}

/** PIM settings for every privileged role in use; about a third do not require MFA on activation. */
function generateSettings(
  random: SeededRandom,
  assignments: GeneratedAssignment[],
): Array<{ roleTemplateId: string; requireMfaOnActivation: boolean }> {
  const roles = [...new Set(assignments.map((a) => a.roleTemplateId))].filter(isPrivilegedRole);
  return roles.map((roleTemplateId) => ({ roleTemplateId, requireMfaOnActivation: random.chance(0.7) }));
}
