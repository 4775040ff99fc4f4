/**
 * A small tenant and an app wired with the login authority and a `/test/whoami` route that
 * authenticates its caller, for the identity tests.
 */
import argon2 from 'argon2';
import { decodeJwt } from 'jose';
import { buildApp, type App, type AppDeps } from '../../src/app.js';
import { testConfig, type Config } from '../../src/config/config.js';
import type { DirectoryUser, RoleAssignment } from '../../src/directory/model.js';
import { ROLE } from '../../src/directory/roles.js';
import { registerAuthorityRoutes } from '../../src/identity/authority-routes.js';
import type { VerifySecret } from '../../src/identity/password-sign-in.js';
import { SigningKeys } from '../../src/identity/signing-keys.js';
import { createAuthenticator, type Authenticator } from '../../src/identity/token-verifier.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { testStore } from './store.js';
import { cheapHasher } from './tenant.js';
import {
  clientCredentialsForm,
  GRAPH_DEFAULT_SCOPE,
  passwordGrantForm,
  PUBLIC_URL,
  tokenRequest as postTokenForm,
  type Client,
  type Res,
} from './harness.js';
import { trackClosable } from './leak-guard.js';
import type { Store } from '../../src/storage/store.js';

export { PUBLIC_URL };
export const TENANT_ID = '3b0e753b-22fa-4c16-9bf2-470b80be80d6';
export const DOMAIN = 'contoso.onmicrosoft.com';
export const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const DAY = 86_400_000;

export const USERS = {
  admin: '00000000-0000-4000-8000-000000000001',
  alice: '00000000-0000-4000-8000-000000000002',
  bob: '00000000-0000-4000-8000-000000000003',
  guest: '00000000-0000-4000-8000-000000000004',
  disabled: '00000000-0000-4000-8000-000000000005',
  personal: '00000000-0000-4000-8000-000000000006',
} as const;

export const PASSWORD = 'Correct-Horse-7';
export const APP_SECRET = 'app-secret-value';

/** Confidential client with a secret. */
export const CONFIDENTIAL_APP = 'aaaaaaaa-0000-4000-8000-000000000001';
/** Public client (no secret). */
export const PUBLIC_APP = 'aaaaaaaa-0000-4000-8000-000000000002';
/** Confidential client with no application permissions. */
export const BARE_APP = 'aaaaaaaa-0000-4000-8000-000000000003';

export const upn = (name: keyof typeof USERS): string => `${name}@${DOMAIN}`;

function user(name: keyof typeof USERS, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    tenantId: TENANT_ID,
    id: USERS[name],
    userPrincipalName: upn(name),
    displayName: name[0]!.toUpperCase() + name.slice(1),
    accountEnabled: true,
    accountType: 'member',
    createdAt: START - 100 * DAY,
    lastSignInAt: null,
    forceChangePasswordNextSignIn: false,
    ...extra,
  };
}

function assignment(id: string, principalId: string, roleTemplateId: string, extra: Partial<RoleAssignment> = {}): RoleAssignment {
  return {
    tenantId: TENANT_ID,
    id,
    principalId,
    roleTemplateId,
    directoryScopeId: '/',
    assignmentType: 'active',
    viaPim: true,
    createdAt: START - 10 * DAY,
    endAt: null,
    ...extra,
  };
}

export async function seedTenant(store: Store, now: number): Promise<void> {
  const passwordHash = await cheapHasher.hash(PASSWORD);
  const secretHash = await cheapHasher.hash(APP_SECRET);
  await store.transaction((tx) =>
    tx.directory.replaceTenant(
      {
        tenant: { id: TENANT_ID, displayName: 'Contoso', defaultDomain: DOMAIN, licenses: ['AAD_PREMIUM_P2'] },
        users: [
          { ...user('admin'), passwordHash },
          { ...user('alice'), passwordHash },
          { ...user('bob'), passwordHash },
          { ...user('guest', { accountType: 'guest' }), passwordHash },
          { ...user('disabled', { accountEnabled: false }), passwordHash },
          { ...user('personal', { accountType: 'personal' }), passwordHash },
        ],
        applications: [
          {
            tenantId: TENANT_ID,
            appId: CONFIDENTIAL_APP,
            displayName: 'Alert Dashboard',
            hasSecret: true,
            secretHash,
            applicationPermissions: ['RoleManagementAlert.Read.Directory', 'UserAuthenticationMethod.Read.All'],
            delegatedPermissions: ['RoleManagementAlert.Read.Directory', 'UserAuthenticationMethod.ReadWrite.All', 'User.Read'],
          },
          {
            tenantId: TENANT_ID,
            appId: PUBLIC_APP,
            displayName: 'Helpdesk CLI',
            hasSecret: false,
            secretHash: null,
            applicationPermissions: [],
            delegatedPermissions: ['User.Read', 'UserAuthenticationMethod.Read'],
          },
          {
            tenantId: TENANT_ID,
            appId: BARE_APP,
            displayName: 'Bare',
            hasSecret: true,
            secretHash,
            applicationPermissions: [],
            delegatedPermissions: [],
          },
        ],
        roleAssignments: [
          assignment('ra-admin-ga', USERS.admin, ROLE.globalAdministrator),
          assignment('ra-alice-pra', USERS.alice, ROLE.privilegedRoleAdministrator),
          assignment('ra-alice-aa', USERS.alice, ROLE.authenticationAdministrator, { endAt: START + DAY }),
          assignment('ra-alice-gr-eligible', USERS.alice, ROLE.globalReader, { assignmentType: 'eligible' }),
          assignment('ra-alice-sr-expired', USERS.alice, ROLE.securityReader, { endAt: START - DAY }),
          assignment('ra-alice-ua-scoped', USERS.alice, ROLE.userAdministrator, { directoryScopeId: '/administrativeUnits/x' }),
          assignment('ra-guest-gr', USERS.guest, ROLE.globalReader),
          assignment('ra-personal-ga', USERS.personal, ROLE.globalAdministrator),
        ],
        roleActivations: [],
        roleSettings: [],
        alertConfigurations: [],
      },
      now,
    ),
  );
}

export interface Harness {
  app: App;
  store: Store;
  clock: ManualClock;
  keys: SigningKeys;
  authenticator: Authenticator;
  config: Config;
  close(): Promise<void>;
}

/** Builds the app on a fresh in-memory database, or on `shared.store` to act as a second node. */
export async function buildHarness(
  options: { store?: Store; clock?: ManualClock; config?: Partial<Config>; verifySecret?: VerifySecret } = {},
): Promise<Harness> {
  const clock = options.clock ?? new ManualClock(START);
  let store = options.store;
  const ownsStore = !store;
  if (!store) {
    store = await testStore();
    await seedTenant(store, clock.now());
  }
  const config = testConfig(options.config ?? {});
  const keys = new SigningKeys(store, clock);
  const deps: AppDeps = { config, publicUrl: PUBLIC_URL, store, clock, logger: silentLogger() };
  const authenticator = createAuthenticator({ store, clock, config, publicUrl: PUBLIC_URL, keys });
  const app = await buildApp(deps, [
    (a) => registerAuthorityRoutes(a, { keys, verifySecret: options.verifySecret ?? ((h, c) => argon2.verify(h, c)) }),
    (a) => {
      a.fastify.get('/test/whoami', async (request) => {
        const p = await authenticator.authenticate(request);
        const sorted = (s: ReadonlySet<string>) => [...s].sort();
        return { ...p, scopes: sorted(p.scopes), appPermissions: sorted(p.appPermissions), roleTemplateIds: sorted(p.roleTemplateIds) };
      });
    },
  ]);
  trackClosable('identity app (fastify)', app.fastify);
  const theStore = store;
  return {
    app,
    store: theStore,
    clock,
    keys,
    authenticator,
    config,
    async close() {
      await app.fastify.close();
      if (ownsStore) await theStore.close();
    },
  };
}

/** POSTs a form to the token endpoint. */
export async function tokenRequest(
  h: Harness,
  form: Record<string, string>,
  options: { tenant?: string; headers?: Record<string, string> } = {},
): Promise<Omit<Res, 'body'> & { body: Record<string, unknown> }> {
  return postTokenForm(h.app.fastify, options.tenant ?? TENANT_ID, form, options.headers);
}

const CONFIDENTIAL: Client = { id: CONFIDENTIAL_APP, secret: APP_SECRET };

export const appTokenForm = (overrides: Record<string, string> = {}): Record<string, string> => ({
  ...clientCredentialsForm(CONFIDENTIAL),
  ...overrides,
});

export const passwordForm = (name: keyof typeof USERS, overrides: Record<string, string> = {}): Record<string, string> => ({
  ...passwordGrantForm(CONFIDENTIAL, upn(name), PASSWORD, [GRAPH_DEFAULT_SCOPE]),
  ...overrides,
});

/** Gets a token and returns it with its decoded claims; fails the test on an error response. */
export async function getToken(h: Harness, form: Record<string, string>): Promise<{ token: string; claims: Record<string, unknown> }> {
  const res = await tokenRequest(h, form);
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = String(res.body.access_token);
  return { token, claims: decodeJwt(token) };
}

/** Calls the authenticated test route. */
export async function whoami(h: Harness, authorization?: string) {
  const res = await h.app.fastify.inject({
    method: 'GET',
    url: '/test/whoami',
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>(), headers: res.headers };
}
