/**
 * In-process harness for the alert routes: the real service on the suite's backend, a small
 * tenant whose alerts are known in advance, tokens from the real token endpoint, and an
 * executor the test drives by hand (claimOnce + drain) whose handler runs are counted.
 */
import argon2 from 'argon2';
import { testConfig } from '../../../src/config/config.js';
import { CLOUDS } from '../../../src/config/clouds.js';
import { importTenant } from '../../../src/directory/tenant-import.js';
import { Executor } from '../../../src/operations/executor.js';
import { HandlerRegistry, type OperationHandler } from '../../../src/operations/handler.js';
import { buildService, operationHandlers, type Service } from '../../../src/service.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { openStore } from '../../../src/storage/open.js';
import type { Store } from '../../../src/storage/store.js';
import { createTestDatabase } from '../../support/backends.js';

export const PUBLIC_URL = 'http://longrun.test';
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
    tenant: { id: overrides.id ?? TENANT, displayName: 'Fabrikam', defaultDomain: overrides.domain ?? DOMAIN, licenses: ['ENTERPRISEPACK'] },
    users: [
      user(USERS.pra, 'Patti Admin', '2026-05-31T08:00:00Z'),
      user(USERS.secReader, 'Lee Reader', '2026-05-31T09:00:00Z'),
      user(USERS.stale, 'Stan Stale', '2026-02-01T10:00:00Z'),
    ],
    applications: [{ appId: APP.id, displayName: 'Alerts test client', secret: APP.secret, applicationPermissions: RMA, delegatedPermissions: RMA }],
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

const hasher = { hash: (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };

export interface Res {
  status: number;
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface Harness {
  service: Service;
  store: Store;
  clock: ManualClock;
  executor: Executor;
  /** Handler runs (evaluations) by operation kind. */
  runs: Map<string, number>;
  request(method: 'GET' | 'POST' | 'PATCH', url: string, token: string | undefined, body?: unknown): Promise<Res>;
  /** Claims and runs everything queued, until nothing is left. */
  runQueued(): Promise<void>;
  close(): Promise<void>;
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
  // The suite's backend (SQLite by default, PostgreSQL with LONGRUN_TEST_BACKEND=postgres).
  const database = await createTestDatabase();
  const { store } = await openStore(database.url, () => clock.now());
  for (const fixture of [tenantFixture(), tenantFixture({ id: OTHER_TENANT, domain: 'other.onmicrosoft.com' })]) {
    const result = await importTenant(store, fixture, hasher, clock.now());
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
  const service = await buildService({
    config: testConfig({ concurrency: 0, cloud: CLOUDS[options.cloud ?? 'global'] }),
    publicUrl: PUBLIC_URL,
    store,
    clock,
    logger: silentLogger(),
  });
  const runs = new Map<string, number>();
  const executor = new Executor({
    store,
    clock,
    logger: silentLogger(),
    handlers: new HandlerRegistry(counted(operationHandlers(), runs)),
    concurrency: 4,
  });
  const fastify = service.app.fastify;
  return {
    service,
    store,
    clock,
    executor,
    runs,
    async request(method, url, token, body) {
      const res = await fastify.inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      let parsed: unknown;
      try {
        parsed = res.body === '' ? undefined : res.json();
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async runQueued() {
      while ((await executor.claimOnce()) > 0) await executor.drain();
    },
    async close() {
      await fastify.close();
      await store.close();
      await database.dispose();
    },
  };
}

/** A delegated token for one of the tenant's users, with the given scopes. */
export async function userToken(h: Harness, user: keyof typeof USERS, scopes: string[]): Promise<string> {
  const res = await h.service.app.fastify.inject({
    method: 'POST',
    url: `/${DOMAIN}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'password',
      client_id: APP.id,
      client_secret: APP.secret,
      username: USERS[user].upn,
      password: USERS[user].password,
      scope: scopes.join(' '),
    }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return String(res.json<{ access_token: string }>().access_token);
}

export const READ = 'RoleManagementAlert.Read.Directory';
export const WRITE = 'RoleManagementAlert.ReadWrite.Directory';
