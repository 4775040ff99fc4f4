/**
 * The real service for the control API tests: buildService on a fresh store of the backend under
 * test, the demo tenant (whose "Longrun Demo Client" holds Longrun.Control.All, application and
 * delegated) and a second small tenant, tokens from the real token endpoint. `realTime` listens
 * on a free port with the system clock and a running executor, for tests that watch timelines.
 */
import { testConfig, type Config } from '../../../src/config/config.js';
import { DEMO_SIGN_IN, readDemoTenant } from '../../../src/directory/demo-tenant.js';
import { importTenant } from '../../../src/directory/tenant-import.js';
import { buildService, type Service } from '../../../src/service.js';
import { ManualClock, systemClock, type Clock } from '../../../src/shared/clock.js';
import { createLogger, silentLogger } from '../../../src/shared/logger.js';
import type { Store } from '../../../src/storage/store.js';
import { testStore } from '../../support/store.js';
import { cheapHasher } from '../../support/tenant.js';

export const START = Date.UTC(2026, 6, 1, 8, 0, 0);
export const DEMO = { domain: DEMO_SIGN_IN.domain, tenantId: '56fae684-cfd4-48bc-8670-1a55a06f4031' };
export const CONTROL_APP = { id: DEMO_SIGN_IN.clientId, secret: DEMO_SIGN_IN.clientSecret };
/** In the demo tenant, without Longrun.Control.All. */
export const READER_APP = { id: 'bce1da10-dc01-4ff4-8659-fee94d832c16', secret: 'alert-reader-secret' };
export const USERS = {
  globalAdmin: { upn: 'admin@contoso.onmicrosoft.com', password: 'Demo-Admin-Passw0rd!', id: '20d8a00e-c9a7-4730-a5d8-68925ee6ebeb' },
  authAdmin: { upn: 'authadmin@contoso.onmicrosoft.com', password: 'Demo-AuthAdm1n-Pass!', id: '46561170-f0d6-4eb0-9d8f-e34901c9a7cc' },
  johanna: { upn: 'johanna@contoso.onmicrosoft.com', password: 'Demo-Johanna-Passw0rd!', id: '519488c2-6550-4d6e-b0c0-ae8194947bc8' },
  megan: { upn: 'megan@contoso.onmicrosoft.com', password: 'Demo-Megan-Passw0rd!', id: 'c6000304-9809-42e3-b7a4-ff84111e5910' },
} as const;

/** A second tenant whose own app holds the control permission: it must see nothing of the demo tenant. */
export const OTHER = {
  tenantId: 'f0000000-0000-4000-8000-00000000000b',
  domain: 'fabrikam.onmicrosoft.com',
  app: { id: 'f0000000-0000-4000-8000-0000000000a1', secret: 'fabrikam-control-secret' },
};
const otherTenant = {
  tenant: { id: OTHER.tenantId, displayName: 'Fabrikam', defaultDomain: OTHER.domain, licenses: ['AAD_PREMIUM_P2'] },
  users: [],
  applications: [
    {
      appId: OTHER.app.id,
      displayName: 'Fabrikam Control',
      secret: OTHER.app.secret,
      applicationPermissions: ['Longrun.Control.All'],
      delegatedPermissions: [],
    },
  ],
};

export interface ControlHarness {
  service: Service;
  store: Store;
  clock: Clock;
  /** The listening URL (realTime) or the inject base. */
  url: string;
  request(method: string, path: string, options?: { token?: string; body?: unknown; form?: Record<string, string> }): Promise<Res>;
  appToken(app?: { id: string; secret: string }, domain?: string): Promise<string>;
  userToken(user: { upn: string; password: string }, scope?: string): Promise<string>;
  /** The raw token endpoint answer of a password grant (200 or an Entra error). */
  passwordGrant(user: { upn: string }, password: string): Promise<Res>;
  close(): Promise<void>;
}

export interface Res {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export async function buildControlHarness(
  options: { realTime?: boolean; config?: Partial<Config>; fixture?: Record<string, unknown> } = {},
): Promise<ControlHarness> {
  const clock: Clock = options.realTime ? systemClock : new ManualClock(START);
  const store = await testStore(() => clock.now());
  for (const fixture of [options.fixture ?? demoWithoutLockout(), otherTenant]) {
    const result = await importTenant(store, fixture, cheapHasher, clock.now());
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
  const config = testConfig({ concurrency: options.realTime ? 4 : 0, ...options.config });
  let url = 'http://longrun.test';
  if (options.realTime) {
    // The public URL must be known before the app is built: listen on a free port first.
    const { freePort } = await import('./free-port.js');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
  }
  const service = await buildService({
    config,
    publicUrl: url,
    store,
    clock,
    logger: process.env.CONTROL_TEST_LOGS ? createLogger('debug', process.stderr) : silentLogger(),
  });
  const fastify = service.app.fastify;
  if (options.realTime) {
    await fastify.listen({ host: '127.0.0.1', port: Number(new URL(url).port) });
    service.executor?.start();
  }

  const request: ControlHarness['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let payload: string | undefined;
    if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(o.form).toString();
    } else if (o.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(o.body);
    }
    if (options.realTime) {
      const res = await fetch(`${url}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
      const text = await res.text();
      return { status: res.status, body: text ? safeJson(text) : undefined, headers: Object.fromEntries(res.headers) };
    }
    const res = await fastify.inject({ method: method as 'GET', url: path, headers, ...(payload === undefined ? {} : { payload }) });
    return { status: res.statusCode, body: res.body ? safeJson(res.body) : undefined, headers: res.headers };
  };

  const token = async (domain: string, form: Record<string, string>) => {
    const res = await request('POST', `/${domain}/oauth2/v2.0/token`, { form });
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`);
    return String(res.body.access_token);
  };

  return {
    service,
    store,
    clock,
    url,
    request,
    appToken: (app = CONTROL_APP, domain = DEMO.domain) =>
      token(domain, {
        grant_type: 'client_credentials',
        client_id: app.id,
        client_secret: app.secret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    userToken: (user, scope = 'Longrun.Control.All') =>
      token(DEMO.domain, {
        grant_type: 'password',
        client_id: CONTROL_APP.id,
        client_secret: CONTROL_APP.secret,
        username: user.upn,
        password: user.password,
        scope,
      }),
    passwordGrant: (user, password) =>
      request('POST', `/${DEMO.domain}/oauth2/v2.0/token`, {
        form: {
          grant_type: 'password',
          client_id: CONTROL_APP.id,
          client_secret: CONTROL_APP.secret,
          username: user.upn,
          password,
          scope: 'User.Read',
        },
      }),
    async close() {
      await service.executor?.stop(1000);
      await fastify.close();
      await store.close();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The demo tenant with smart lockout out of reach: the timeline tests try the new password on
 * every poll until the reset applies, and ten failures would lock the account (AADSTS50053).
 */
function demoWithoutLockout(): unknown {
  const demo = readDemoTenant() as { tenant: Record<string, unknown> };
  return { ...demo, tenant: { ...demo.tenant, passwordLockout: { threshold: 1000, durationSeconds: 1 } } };
}
