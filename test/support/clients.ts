/**
 * A real Longrun listening on 127.0.0.1 (plain HTTP, or HTTPS with a development CA made in a
 * temporary folder) for the client-conformance tests: buildService on the suite's backend, a
 * small tenant imported through the real importer, the service's own executor started so
 * operations progress on their own, and the system clock (real SDKs send real time).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { ROLE } from '../../src/directory/roles.js';
import type { Service } from '../../src/service.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Store } from '../../src/storage/store.js';
import { ensureDevCertificates, type DevCertificates } from '../../src/tls/dev-certificates.js';
import { fetchToken, passwordGrantForm, startTestService } from './harness.js';
import { waitFor } from './wait-for.js';
import { parseExtensions, type Extensions } from '../../src/extensions.js';

export const TENANT_ID = 'c11e7700-0000-4000-8000-00000000c001';
export const DOMAIN = 'clients.onmicrosoft.com';
export const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

export const APP = { id: 'c11e7700-0000-4000-8000-0000000a0001', secret: 'Clients-App-Secret-4u!' };
const PERMISSIONS = ['UserAuthenticationMethod.ReadWrite.All', 'RoleManagementAlert.ReadWrite.Directory', 'User.Read.All'];

export const ADMIN = {
  id: 'c11e7700-0000-4000-8000-000000000001',
  upn: `admin@${DOMAIN}`,
  password: 'Admin-Passw0rd!-clients',
};

/** Plain users, one per test that resets a password (so tests stay independent). */
export const PEOPLE = Array.from({ length: 12 }, (_, i) => ({
  id: `c11e7700-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
  upn: `person${i}@${DOMAIN}`,
  password: `Person-${i}-Passw0rd!`,
}));

export const alertId = (type: string): string => `DirectoryRole_${TENANT_ID}_${type}`;

function fixture(): Record<string, unknown> {
  const user = (u: { id: string; upn: string; password: string }, name: string) => ({
    id: u.id,
    userPrincipalName: u.upn,
    displayName: name,
    password: u.password,
    accountEnabled: true,
    createdDateTime: '2026-01-01T00:00:00Z',
    lastSignInDateTime: new Date(Date.now() - 86_400_000).toISOString(),
    accountType: 'member',
  });
  return {
    tenant: { id: TENANT_ID, displayName: 'Clients', defaultDomain: DOMAIN, licenses: ['AAD_PREMIUM_P2'] },
    users: [user(ADMIN, 'Ada Admin'), ...PEOPLE.map((p, i) => user(p, `Person ${i}`))],
    applications: [
      {
        appId: APP.id,
        displayName: 'Conformance client',
        secret: APP.secret,
        applicationPermissions: PERMISSIONS,
        delegatedPermissions: PERMISSIONS,
      },
    ],
    roleAssignments: [
      {
        id: 'assign-admin-ga',
        principalId: ADMIN.id,
        roleTemplateId: ROLE.globalAdministrator,
        directoryScopeId: '/',
        assignmentType: 'active',
        viaPim: false,
        createdDateTime: '2026-01-02T00:00:00Z',
        endDateTime: null,
      },
    ],
    roleActivations: [],
    roleSettings: [],
    alertConfigurations: [],
  };
}

export interface ClientServer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`: the public URL too. */
  url: string;
  tls: boolean;
  /** The development certificates (HTTPS only). */
  certificates: DevCertificates | undefined;
  /** A fetch that trusts the development CA (plain fetch over HTTP). */
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** The undici dispatcher that trusts the development CA (HTTPS only). */
  dispatcher: Agent | undefined;
  service: Service;
  store: Store;
  /** Starts the executor (started by default; `start: false` leaves it to the test). */
  startExecutor(): void;
  /** A delegated token for a user of the tenant (password grant, over the wire). */
  userToken(upn: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The extensions the conformance suite's servers run with: none (Graph's own surface) by
 * default; `scripts/run-tests.mjs` runs test/clients a second time with
 * LONGRUN_TEST_EXTENSIONS=azure-lro. A test that needs one names it in `extensions`.
 */
export const SUITE_EXTENSIONS: Extensions = parseExtensions(process.env.LONGRUN_TEST_EXTENSIONS ?? '');

export async function startClientServer(options: {
  tls: boolean;
  startExecutor?: boolean;
  extensions?: Extensions;
}): Promise<ClientServer> {
  let certificates: DevCertificates | undefined;
  let certDir: string | undefined;
  if (options.tls) {
    certDir = await mkdtemp(join(tmpdir(), 'longrun-tls-'));
    certificates = await ensureDevCertificates({ dir: certDir, hosts: ['localhost', '127.0.0.1', '::1'] });
  }
  const port = await freePort();
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const t = await startTestService({
    clock: systemClock,
    fixtures: [fixture()],
    config: { concurrency: 4, leaseMs: 10_000, extensions: options.extensions ?? SUITE_EXTENSIONS },
    publicUrl: url,
    listen: true,
    port,
    ...(certificates ? { tls: { cert: certificates.cert, key: certificates.key } } : {}),
  });
  const { service, store } = t;
  const dispatcher = certificates ? new Agent({ connect: { ca: certificates.ca } }) : undefined;
  const trustedFetch = (input: string, init: RequestInit = {}) => fetch(input, dispatcher ? { ...init, dispatcher } : init);
  let started = false;
  const startExecutor = () => {
    if (started) return;
    started = true;
    service.executor?.start();
  };
  if (options.startExecutor !== false) startExecutor();

  return {
    url,
    tls: options.tls,
    certificates,
    fetch: trustedFetch,
    dispatcher,
    service,
    store,
    startExecutor,
    userToken: (upn, password) => fetchToken(url, DOMAIN, passwordGrantForm(APP, upn, password, PERMISSIONS), trustedFetch),
    async close() {
      await t.close();
      await dispatcher?.close();
      if (certDir) await rm(certDir, { recursive: true, force: true });
    },
  };
}

/** Asks the OS for a free port, so the public URL is known before the service is built. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Waits until `check` returns a value (polling every 20 ms), or fails after `ms`. */
export function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  return waitFor(check, { timeoutMs: ms });
}

/** Both transports, for `for (const tls of TRANSPORTS) describe(...)`. */
export const TRANSPORTS = [false, true] as const;
export const transportName = (tls: boolean): string => (tls ? 'HTTPS (dev CA)' : 'HTTP');
