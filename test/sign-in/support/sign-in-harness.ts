/**
 * A Longrun over HTTPS (development CA) for the sign-in flow tests: a tenant with a confidential
 * web app, a public client, a certificate app, users for each test, and smart lockout at 3
 * failures. MSAL talks to it through `msalNetwork` (fetch trusting the CA); Chromium through a
 * context that accepts the development certificate.
 */
import argon2 from 'argon2';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { testConfig } from '../../../src/config/config.js';
import { ROLE } from '../../../src/directory/roles.js';
import { importTenant } from '../../../src/directory/tenant-import.js';
import { buildService, type Service } from '../../../src/service.js';
import { systemClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import type { Store } from '../../../src/storage/store.js';
import { ensureDevCertificates } from '../../../src/tls/dev-certificates.js';
import { testStore } from '../../support/store.js';

export const TENANT_ID = '5191e100-0000-4000-8000-00000000a001';
export const DOMAIN = 'signin.onmicrosoft.com';

export const WEB_APP = {
  id: '5191e100-0000-4000-8000-0000000b0001',
  secret: 'Web-App-Secret-7q!',
  redirectUri: 'http://localhost/web/callback',
};
export const PUBLIC_APP = { id: '5191e100-0000-4000-8000-0000000b0002', redirectUri: 'http://localhost/public/callback' };
export const CERT_APP = { id: '5191e100-0000-4000-8000-0000000b0003' };
export const DELEGATED = ['User.Read', 'User.Read.All', 'UserAuthenticationMethod.ReadWrite.All', 'User.RevokeSessions.All'];

export const LOCKOUT = { threshold: 3, durationSeconds: 60 };

/** One user per test that changes state (lockout, password change, revocation). */
export const USERS = Object.fromEntries(
  ['ada', 'ben', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kim', 'lu', 'max', 'ned', 'ola'].map((name, i) => [
    name,
    {
      id: `5191e100-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
      upn: `${name}@${DOMAIN}`,
      password: `${name[0]!.toUpperCase()}${name.slice(1)}-Passw0rd!-${i}`,
      name: `${name[0]!.toUpperCase()}${name.slice(1)} Tester`,
    },
  ]),
) as Record<string, { id: string; upn: string; password: string; name: string }>;

export function fixture(options: { certificatePem?: string } = {}): Record<string, unknown> {
  return {
    tenant: { id: TENANT_ID, displayName: 'Sign-in Tests', defaultDomain: DOMAIN, licenses: ['AAD_PREMIUM_P2'], passwordLockout: LOCKOUT },
    users: Object.values(USERS).map((u) => ({
      id: u.id,
      userPrincipalName: u.upn,
      displayName: u.name,
      password: u.password,
      accountEnabled: true,
      createdDateTime: '2026-01-01T00:00:00Z',
    })),
    applications: [
      {
        appId: WEB_APP.id,
        displayName: 'Web App',
        secret: WEB_APP.secret,
        delegatedPermissions: DELEGATED,
        redirectUris: [WEB_APP.redirectUri],
      },
      {
        appId: PUBLIC_APP.id,
        displayName: 'Public CLI',
        publicClient: true,
        delegatedPermissions: DELEGATED,
        redirectUris: [PUBLIC_APP.redirectUri],
      },
      {
        appId: CERT_APP.id,
        displayName: 'Daemon',
        applicationPermissions: ['User.Read.All'],
        certificates: options.certificatePem ? [{ certificatePem: options.certificatePem }] : [],
      },
    ],
    roleAssignments: [
      // hal holds Global Administrator (lockout of a privileged account); ivy is only eligible for it.
      {
        id: 'ra-hal-ga',
        principalId: USERS.hal!.id,
        roleTemplateId: ROLE.globalAdministrator,
        assignmentType: 'active',
        createdDateTime: '2026-01-01T00:00:00Z',
      },
      {
        id: 'ra-ivy-ga',
        principalId: USERS.ivy!.id,
        roleTemplateId: ROLE.globalAdministrator,
        assignmentType: 'eligible',
        createdDateTime: '2026-01-01T00:00:00Z',
      },
      // lu resets passwords (Authentication Administrator); max manages users (User Administrator);
      // ola is a User Administrator only within an administrative unit.
      {
        id: 'ra-lu-aa',
        principalId: USERS.lu!.id,
        roleTemplateId: ROLE.authenticationAdministrator,
        assignmentType: 'active',
        createdDateTime: '2026-01-01T00:00:00Z',
      },
      {
        id: 'ra-max-ua',
        principalId: USERS.max!.id,
        roleTemplateId: ROLE.userAdministrator,
        assignmentType: 'active',
        createdDateTime: '2026-01-01T00:00:00Z',
      },
      {
        id: 'ra-ola-ua-au',
        principalId: USERS.ola!.id,
        roleTemplateId: ROLE.userAdministrator,
        directoryScopeId: '/administrativeUnits/5191e100-0000-4000-8000-0000000a0u01',
        assignmentType: 'active',
        createdDateTime: '2026-01-01T00:00:00Z',
      },
    ],
  };
}

export interface SignInServer {
  url: string;
  ca: Buffer;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  /** MSAL's network module over the CA-trusting fetch. */
  msalNetwork: INetworkModule;
  service: Service;
  store: Store;
  close(): Promise<void>;
}

const hasher = { hash: (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };

export async function startSignInServer(
  options: { accessTokenLifetimeSeconds?: number; certificatePem?: string; store?: Store; importFixture?: boolean } = {},
): Promise<SignInServer> {
  const store = options.store ?? (await testStore());
  if (options.importFixture !== false) {
    const result = await importTenant(store, fixture(options), hasher, Date.now());
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
  const certDir = await mkdtemp(join(tmpdir(), 'longrun-signin-tls-'));
  const certificates = await ensureDevCertificates({ dir: certDir, hosts: ['localhost', '127.0.0.1'] });
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const service = await buildService(
    {
      config: testConfig({ concurrency: 2, leaseMs: 10_000 }),
      publicUrl: url,
      store,
      clock: systemClock,
      logger: silentLogger(),
      tls: { cert: certificates.cert, key: certificates.key },
    },
    options.accessTokenLifetimeSeconds ? { accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds } : {},
  );
  await service.app.fastify.listen({ port, host: '127.0.0.1' });
  service.executor?.start();
  const dispatcher = new Agent({ connect: { ca: certificates.ca } });
  const trustedFetch = (input: string, init: RequestInit = {}) => fetch(input, { ...init, dispatcher });
  const send = async <T>(method: 'GET' | 'POST', target: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await trustedFetch(target, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    const text = await res.text();
    return { status: res.status, headers, body: (text ? JSON.parse(text) : {}) as T };
  };
  return {
    url,
    ca: certificates.ca,
    fetch: trustedFetch,
    msalNetwork: {
      sendGetRequestAsync: (target, opts) => send('GET', target, opts),
      sendPostRequestAsync: (target, opts) => send('POST', target, opts),
    },
    service,
    store,
    async close() {
      await service.executor?.stop(5_000);
      await service.app.fastify.close();
      await dispatcher.close();
      if (!options.store) await store.close();
      await rm(certDir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A form POST to the token endpoint (or any authority endpoint); returns status and JSON. */
export async function postForm(
  server: SignInServer,
  path: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await server.fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** Calls a Graph route with a bearer token; returns status and JSON. */
export async function graphGet(
  server: SignInServer,
  path: string,
  token: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await server.fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Waits until `check` returns a value (polling every 20 ms), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
