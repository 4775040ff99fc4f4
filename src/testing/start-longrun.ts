/**
 * `startLongrun()`: a whole Longrun inside the caller's process, for tests (docs/testing.md).
 * The same assembly as `longrun serve` (src/server.ts) on `sqlite::memory:` and a free port on
 * 127.0.0.1 by default, with helpers for tokens and the control API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseCommandLine, type Config } from '../config/config.js';
import { readDemoTenant } from '../directory/demo-tenant.js';
import type { TenantFixtureJson } from '../directory/fixture.js';
import { createPasswordHasher, LOW_HASH_COST_FOR_TESTS } from '../passwords/hashing.js';
import { startServer, type RunningServer } from '../server.js';
import { createLogger, silentLogger } from '../shared/logger.js';
import { controlClient, type ControlApi } from './control-client.js';
import type { TenantBuilder } from './tenant-builder.js';

/** The permission that opens the control API (`/_longrun/v1`). */
export const CONTROL_PERMISSION = 'Longrun.Control.All';

export interface StartLongrunOptions {
  /** The tenant to serve: fixture JSON (docs/fixtures) or a `tenant()` builder. Default: the demo tenant. */
  fixture?: TenantFixtureJson | TenantBuilder;
  /** Default `sqlite::memory:`. Also `sqlite:PATH` or `postgres://…`. */
  db?: string;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Base of every absolute URL Longrun writes. Default `http://HOST:PORT`. */
  publicUrl?: string;
  cloud?: 'global' | 'usgovl4' | 'usgovl5' | 'china';
  /** Operations run at once (0: API only). Default as `longrun serve`. */
  concurrency?: number;
  /** Opt-in extensions beyond Graph (`--extensions`), e.g. `['wait']`. */
  extensions?: string[];
  /** Any other `longrun serve` flag, as on the command line: `['--lease-seconds', '5']`. */
  args?: string[];
  /**
   * How the fixture's passwords and secrets are hashed. `'standard'` (default): argon2id at the
   * production cost. `'fast'`: a weak cost that makes start-up quick. For tests only.
   */
  passwordHashing?: 'standard' | 'fast';
  /**
   * Adds an application granted `Longrun.Control.All` to a fixture that has none, so `rules`,
   * `clock` and `operations` work. Default true; the demo tenant is used as it is.
   */
  controlApp?: boolean;
  /** Log level of the embedded server's JSON logs (to stdout). Default `silent`. */
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

/** Who a token is for: a user (password grant) or an application (client credentials). */
export type TokenRequest =
  | {
      /** UPN or object id of a fixture user. */
      user: string;
      /** Default: the fixture's password for that user. */
      password?: string;
      /** The client app's appId. Default: the fixture's first app that may request delegated permissions. */
      app?: string;
      /** Default: `{graph}/.default` (every delegated permission the app may request). */
      scopes?: string[];
    }
  | { app: string; user?: undefined };

export interface Longrun extends ControlApi {
  /** Longrun's base URL: `http://127.0.0.1:PORT` (or `publicUrl` when given). Graph is under `/v1.0` and `/beta`. */
  url: string;
  /** The served tenant's id. */
  tenantId: string;
  /** The fixture that was imported (with its clear passwords and secrets). */
  fixture: TenantFixtureJson;
  /** An access token from Longrun's login authority. */
  token(request: TokenRequest): Promise<string>;
  /** Stops the server and the executor and closes the database; nothing is left running. */
  stop(): Promise<void>;
}

/** Starts Longrun in this process. Every option is optional. */
export async function startLongrun(options: StartLongrunOptions = {}): Promise<Longrun> {
  const ownFixture = options.fixture !== undefined;
  const fixture: TenantFixtureJson = ownFixture
    ? structuredClone(isBuilder(options.fixture) ? options.fixture.build() : options.fixture!)
    : (readDemoTenant() as TenantFixtureJson);
  if (ownFixture && options.controlApp !== false) addControlApp(fixture);

  const config = configOf(options, ownFixture);
  const logger = options.logLevel && options.logLevel !== 'silent' ? createLogger(options.logLevel) : silentLogger();
  const server: RunningServer = await startServer(config, {
    logger,
    ...(ownFixture ? { fixture } : {}),
    ...(options.passwordHashing === 'fast' ? { hasher: createPasswordHasher(LOW_HASH_COST_FOR_TESTS) } : {}),
  });
  // The helpers talk to the address listened on: a `publicUrl` may name a proxy the test does not run.
  const local = server.listenUrl;
  const tenantId = fixture.tenant.id;
  const tokenUrl = `${local}/${tenantId}/oauth2/v2.0/token`;
  const defaultScope = `${config.cloud.graphRoot}/.default`;

  const requestToken = async (form: Record<string, string>, who: string): Promise<string> => {
    const res = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams(form) });
    const body = (await res.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!res.ok || !body.access_token)
      throw new Error(`token for ${who}: ${res.status} ${body.error ?? ''}: ${body.error_description ?? ''}`);
    return body.access_token;
  };
  const appOf = (appId: string) => {
    const app = fixture.applications?.find((a) => a.appId.toLowerCase() === appId.toLowerCase());
    if (!app) throw new Error(`no application ${appId} in the tenant ${tenantId}`);
    return app;
  };
  const clientFields = (app: { appId: string; secret?: string }) => ({
    client_id: app.appId,
    ...(app.secret ? { client_secret: app.secret } : {}),
  });

  const token = async (request: TokenRequest): Promise<string> => {
    if (request.user === undefined) {
      return requestToken(
        { grant_type: 'client_credentials', scope: defaultScope, ...clientFields(appOf(request.app)) },
        `app ${request.app}`,
      );
    }
    const wanted = request.user.toLowerCase();
    const user = fixture.users?.find((u) => u.userPrincipalName.toLowerCase() === wanted || u.id.toLowerCase() === wanted);
    if (!user) throw new Error(`no user ${request.user} in the tenant ${tenantId}`);
    const password = request.password ?? user.password;
    if (password === undefined) throw new Error(`user ${request.user} has no password in the fixture; pass one`);
    const app = request.app ? appOf(request.app) : fixture.applications?.find((a) => (a.delegatedPermissions ?? []).length > 0);
    if (!app) throw new Error(`no application in the tenant ${tenantId} may request delegated permissions; name one with { app }`);
    return requestToken(
      {
        grant_type: 'password',
        username: user.userPrincipalName,
        password,
        scope: request.scopes?.join(' ') ?? defaultScope,
        ...clientFields(app),
      },
      user.userPrincipalName,
    );
  };

  const controlApp = fixture.applications?.find((a) => a.secret && (a.applicationPermissions ?? []).includes(CONTROL_PERMISSION));
  let controlToken: Promise<string> | undefined;
  const control = controlClient(local, (fresh) => {
    if (!controlApp) {
      return Promise.reject(
        new Error(`no application in the tenant ${tenantId} is granted ${CONTROL_PERMISSION} (with a secret); add one to the fixture`),
      );
    }
    if (fresh || !controlToken) {
      controlToken = token({ app: controlApp.appId });
      controlToken.catch(() => (controlToken = undefined));
    }
    return controlToken;
  });

  return { url: server.publicUrl, tenantId, fixture, token, ...control, stop: () => server.stop(5_000) };
}

/** The flags `longrun serve` would get: options win over nothing else (the environment is not read). */
function configOf(options: StartLongrunOptions, ownFixture: boolean): Config {
  const argv = ['--db', options.db ?? 'sqlite::memory:', '--host', options.host ?? '127.0.0.1', '--port', String(options.port ?? 0)];
  if (options.publicUrl !== undefined) argv.push('--public-url', options.publicUrl);
  if (options.cloud !== undefined) argv.push('--cloud', options.cloud);
  if (options.concurrency !== undefined) argv.push('--concurrency', String(options.concurrency));
  if (options.extensions !== undefined) argv.push('--extensions', options.extensions.join(','));
  argv.push(ownFixture ? '--no-demo' : '--demo', '--log-level', options.logLevel ?? 'silent', ...(options.args ?? []));
  return parseCommandLine(argv, {}).config;
}

/** A `tenant()` builder, also from another copy of this package (so not `instanceof`). */
function isBuilder(value: unknown): value is TenantBuilder {
  return typeof (value as { build?: unknown } | undefined)?.build === 'function';
}

/** Grants the control API to a new application of the fixture, unless one already has it. */
function addControlApp(fixture: TenantFixtureJson): void {
  const apps = (fixture.applications ??= []);
  if (apps.some((a) => a.secret && (a.applicationPermissions ?? []).includes(CONTROL_PERMISSION))) return;
  apps.push({
    appId: randomUUID(),
    displayName: 'Longrun test control',
    secret: randomBytes(24).toString('base64url'),
    applicationPermissions: [CONTROL_PERMISSION],
    delegatedPermissions: [],
  });
}
