/**
 * The alert-route suites: a small tenant whose alerts are known in advance on the shared
 * harness, and an executor the test drives by hand (claimOnce + drain) whose handler runs are
 * counted.
 */
import { CLOUDS } from '../../src/config/clouds.js';
import type { Executor } from '../../src/operations/executor.js';
import type { OperationHandler } from '../../src/operations/handler.js';
import { ManualClock } from '../../src/shared/clock.js';
import {
  manualExecutor,
  PUBLIC_URL,
  runQueued,
  startTestService,
  userToken as userTokenFor,
  type Res,
  type TestService,
} from './harness.js';

export { PUBLIC_URL, type Res };
export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
export const TENANT = 'a1e7a1e7-0000-4000-8000-000000000001';
export const OTHER_TENANT = 'b2e7b2e7-0000-4000-8000-000000000002';
export const DOMAIN = 'fabrikam.onmicrosoft.com';
export const ROOT = '/beta/identityGovernance/roleManagementAlerts';
export const SCOPE_FILTER = "$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'";

const ROLE = {
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
};

export const USERS = {
  pra: { id: '10000000-0000-4000-8000-000000000001', upn: `pra@${DOMAIN}`, password: 'Pra-Passw0rd!-long' },
  secReader: { id: '10000000-0000-4000-8000-000000000002', upn: `secreader@${DOMAIN}`, password: 'SecReader-Passw0rd!' },
  /** Signed in last in February: stale in June, with one role via PIM and one outside it. */
  stale: { id: '10000000-0000-4000-8000-000000000003', upn: `stale@${DOMAIN}`, password: 'Stale-Passw0rd!-long' },
} as const;

export const APP = { id: 'c0000000-0000-4000-8000-000000000001', secret: 'alerts-app-secret' };
export const STALE_VIA_PIM = 'assign-stale-user-admin';
export const STALE_OUTSIDE_PIM = 'assign-stale-helpdesk';
export const alertIdOf = (type: string, tenant = TENANT): string => `DirectoryRole_${tenant}_${type}`;

const RMA = ['RoleManagementAlert.Read.Directory', 'RoleManagementAlert.ReadWrite.Directory'];

/** No P2 licence (InvalidLicense fires); a stale privileged user (StaleSignIn, and RolesAssignedOutsidePim once). */
export function tenantFixture(overrides: { id?: string; domain?: string } = {}): Record<string, unknown> {
  const user = (u: { id: string; upn: string; password: string }, name: string, lastSignIn: string) => ({
    id: u.id,
    userPrincipalName: overrides.domain ? u.upn.replace(DOMAIN, overrides.domain) : u.upn,
    displayName: name,
    password: u.password,
    accountEnabled: true,
    createdDateTime: '2026-01-01T00:00:00Z',
    lastSignInDateTime: lastSignIn,
    accountType: 'member',
  });
  const assignment = (id: string, principalId: string, roleTemplateId: string, viaPim: boolean) => ({
    id,
    principalId,
    roleTemplateId,
    directoryScopeId: '/',
    assignmentType: 'active',
    viaPim,
    createdDateTime: '2026-01-02T00:00:00Z',
    endDateTime: null,
  });
  return {
    tenant: {
      id: overrides.id ?? TENANT,
      displayName: 'Fabrikam',
      defaultDomain: overrides.domain ?? DOMAIN,
      licenses: ['ENTERPRISEPACK'],
    },
    users: [
      user(USERS.pra, 'Patti Admin', '2026-05-31T08:00:00Z'),
      user(USERS.secReader, 'Lee Reader', '2026-05-31T09:00:00Z'),
      user(USERS.stale, 'Stan Stale', '2026-02-01T10:00:00Z'),
    ],
    applications: [
      { appId: APP.id, displayName: 'Alerts test client', secret: APP.secret, applicationPermissions: RMA, delegatedPermissions: RMA },
    ],
    roleAssignments: [
      assignment('assign-pra', USERS.pra.id, ROLE.privilegedRoleAdministrator, true),
      assignment('assign-secreader', USERS.secReader.id, ROLE.securityReader, true),
      assignment(STALE_VIA_PIM, USERS.stale.id, ROLE.userAdministrator, true),
      assignment(STALE_OUTSIDE_PIM, USERS.stale.id, ROLE.helpdeskAdministrator, false),
    ],
    roleActivations: [],
    roleSettings: [],
    alertConfigurations: [],
  };
}

export interface Harness extends Omit<TestService, 'request'> {
  clock: ManualClock;
  executor: Executor;
  /** Handler runs (evaluations) by operation kind. */
  runs: Map<string, number>;
  request(method: 'GET' | 'POST' | 'PATCH', url: string, token: string | undefined, body?: unknown): Promise<Res>;
  /** Claims and runs everything queued, until nothing is left. */
  runQueued(): Promise<void>;
}

/** Counts each handler's runs, so tests can prove a refresh was evaluated once. */
function counted(handlers: OperationHandler[], runs: Map<string, number>): OperationHandler[] {
  return handlers.map((h) => ({
    ...h,
    run: (ctx) => {
      runs.set(h.kind, (runs.get(h.kind) ?? 0) + 1);
      return h.run(ctx);
    },
  }));
}

export async function buildHarness(options: { cloud?: keyof typeof CLOUDS } = {}): Promise<Harness> {
  const clock = new ManualClock(NOW);
  const t = await startTestService({
    clock,
    fixtures: [tenantFixture(), tenantFixture({ id: OTHER_TENANT, domain: 'other.onmicrosoft.com' })],
    config: { cloud: CLOUDS[options.cloud ?? 'global'] },
  });
  const runs = new Map<string, number>();
  const executor = manualExecutor(t, { handlers: (handlers) => counted(handlers, runs) });
  return {
    ...t,
    clock,
    executor,
    runs,
    request: (method, url, token, body) => t.request(method, url, { token, body }),
    runQueued: () => runQueued(executor),
  };
}

/** A delegated token for one of the tenant's users, with the given scopes. */
export function userToken(h: Harness, user: keyof typeof USERS, scopes: string[]): Promise<string> {
  return userTokenFor(h.service.app.fastify, DOMAIN, APP, USERS[user], scopes);
}

export const READ = 'RoleManagementAlert.Read.Directory';
export const WRITE = 'RoleManagementAlert.ReadWrite.Directory';
