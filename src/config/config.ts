import { parseArgs } from 'node:util';
import { NO_EXTENSIONS, parseExtensions, type Extensions } from '../extensions.js';
import { CLOUDS, isCloudName, type Cloud } from './clouds.js';

/** Everything a Longrun process is told, parsed once from flags and environment (flags win). */
export interface Config {
  /** `sqlite:PATH`, `sqlite::memory:` or `postgres://…`. */
  db: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Base of every absolute URL written; undefined until the port is known (`http://HOST:PORT`). */
  publicUrl: string | undefined;
  cloud: Cloud;
  /** Operations one process runs at once; 0 serves the API only. */
  concurrency: number;
  /** How long a worker's claim on an operation holds without renewal (renewed at half). */
  leaseMs: number;
  /** Import the demo tenant: true, false, or undefined = only into an empty database. */
  demo: boolean | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** `--tls-dev`: serve HTTPS with a local development CA and certificate (src/tls/dev-certificates.ts). */
  tlsDev: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How long an ended operation stays readable after its last action, in tenant time (`--retention`). */
  retentionMs: number;
  /** Time between two background PIM alert scans of a tenant, in its time (`--alert-scan-interval`); undefined: off. */
  alertScanIntervalMs: number | undefined;
  /** Extension `wait`: requests one caller (user or app) may have waiting at once; more answer at once. */
  waitsPerCaller: number;
  /** Password and client-secret verifications (argon2id) run at once; more wait (docs/configuration.md, "Limits"). */
  passwordVerifications: number;
  /** Verifications that may wait for a slot; beyond them a sign-in is refused at once (429, AADSTS50196). */
  passwordQueue: number;
  /** Console event streams one caller (user or app) may have open at once; more are refused (429). */
  eventStreamsPerCaller: number;
  /** `--metrics-token`: when set, `/metrics` requires `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Opt-in extensions beyond Graph (`--extensions`, src/extensions.ts); none by default. */
  extensions: Extensions;
  /** `--controls on|off`: the control API under `/_longrun/v1` (docs/controls.md); off answers 404 there. */
  controls: boolean;
  /** `LONGRUN_KEY_ENCRYPTION_KEY` (environment only: never on a command line): encrypts signing keys at rest. */
  keyEncryptionKey?: string | undefined;
}

export class ConfigError extends Error {}

/** One flag of the command line, with its environment variable. */
interface FlagSpec {
  flag: string;
  env: string;
  type: 'string' | 'boolean';
  help: string;
  default?: string;
}

export const FLAGS: FlagSpec[] = [
  {
    flag: 'db',
    env: 'LONGRUN_DB',
    type: 'string',
    default: 'sqlite:./data/longrun.db',
    help: 'database: sqlite:PATH, sqlite::memory: or postgres://…',
  },
  { flag: 'host', env: 'LONGRUN_HOST', type: 'string', default: '127.0.0.1', help: 'listen address' },
  { flag: 'port', env: 'LONGRUN_PORT', type: 'string', default: '8080', help: 'listen port (0 picks a free one)' },
  {
    flag: 'public-url',
    env: 'LONGRUN_PUBLIC_URL',
    type: 'string',
    help: 'base of every absolute URL written (default http://HOST:PORT, https:// with TLS)',
  },
  { flag: 'cloud', env: 'LONGRUN_CLOUD', type: 'string', default: 'global', help: 'global | usgovl4 | usgovl5 | china' },
  { flag: 'concurrency', env: 'LONGRUN_CONCURRENCY', type: 'string', default: '8', help: 'operations run at once (0: API only)' },
  {
    flag: 'lease-seconds',
    env: 'LONGRUN_LEASE_SECONDS',
    type: 'string',
    default: '30',
    help: "how long a claim on an operation holds without renewal; a dead worker's operations are retried after it",
  },
  { flag: 'demo', env: 'LONGRUN_DEMO', type: 'boolean', help: 'import the demo tenant (default: only into an empty database)' },
  { flag: 'tls-cert', env: 'LONGRUN_TLS_CERT', type: 'string', help: 'PEM certificate file: serve HTTPS' },
  { flag: 'tls-key', env: 'LONGRUN_TLS_KEY', type: 'string', help: 'PEM private key file for --tls-cert' },
  {
    flag: 'tls-dev',
    env: 'LONGRUN_TLS_DEV',
    type: 'boolean',
    help: 'serve HTTPS with a local development CA made once in the data folder (tls/); trust it with NODE_EXTRA_CA_CERTS',
  },
  {
    flag: 'retention',
    env: 'LONGRUN_RETENTION',
    type: 'string',
    default: '7d',
    help: 'how long an ended operation stays readable after its last action (tenant time): 90s, 24h, 30d, … (docs/retention.md)',
  },
  {
    flag: 'alert-scan-interval',
    env: 'LONGRUN_ALERT_SCAN_INTERVAL',
    type: 'string',
    default: '1h',
    help: 'how often each tenant is scanned for PIM alerts in the background (tenant time), and once at import: 30m, 1h, 1d, … or off (docs/alerts.md)',
  },
  {
    flag: 'extensions',
    env: 'LONGRUN_EXTENSIONS',
    type: 'string',
    default: '',
    help: 'opt-in extensions beyond Graph, comma list: azure-lro, wait, subscriptions, or all (default none; docs/extensions.md)',
  },
  {
    flag: 'controls',
    env: 'LONGRUN_CONTROLS',
    type: 'string',
    default: 'on',
    help: 'on | off: the control API under /_longrun/v1 (docs/controls.md)',
  },
  {
    flag: 'wait-per-caller',
    env: 'LONGRUN_WAIT_PER_CALLER',
    type: 'string',
    default: '50',
    help: 'extension wait: requests one user or app may have waiting at once; more answer at once without waiting',
  },
  {
    flag: 'password-verifications',
    env: 'LONGRUN_PASSWORD_VERIFICATIONS',
    type: 'string',
    default: '4',
    help: 'password and client-secret checks (argon2id) run at once; more wait in a queue',
  },
  {
    flag: 'password-queue',
    env: 'LONGRUN_PASSWORD_QUEUE',
    type: 'string',
    default: '32',
    help: 'password checks that may wait; beyond it a sign-in gets 429 + Retry-After (AADSTS50196)',
  },
  {
    flag: 'event-streams-per-caller',
    env: 'LONGRUN_EVENT_STREAMS_PER_CALLER',
    type: 'string',
    default: '10',
    help: 'console event streams one user or app may have open; more get 429 TooManyRequests',
  },
  {
    flag: 'metrics-token',
    env: 'LONGRUN_METRICS_TOKEN',
    type: 'string',
    help: '/metrics requires Authorization: Bearer <token> (prefer the environment variable: a command line is visible to ps)',
  },
  {
    flag: 'log-level',
    env: 'LONGRUN_LOG_LEVEL',
    type: 'string',
    default: 'info',
    help: 'fatal | error | warn | info | debug | trace | silent',
  },
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface ParsedCommandLine {
  config: Config;
  positionals: string[];
  /** Flags that are not configuration (command-specific, e.g. --users). */
  extra: Record<string, string | boolean | undefined>;
}

/**
 * Parses argv and env into a frozen Config. Throws ConfigError with a one-line reason naming
 * the flag on any bad value.
 */
export function parseCommandLine(
  argv: string[],
  env: NodeJS.ProcessEnv,
  extraOptions: Record<string, { type: 'string' | 'boolean'; short?: string }> = {},
): ParsedCommandLine {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { ...extraOptions };
  for (const f of FLAGS) options[f.flag] = { type: f.type };
  options['no-demo'] = { type: 'boolean' };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ConfigError((e as Error).message.replace(/\. To specify a positional.*$/s, ''));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;

  const raw = (f: FlagSpec): { value: string | undefined; source: string } => {
    const v = values[f.flag];
    if (typeof v === 'string') return { value: v, source: `--${f.flag}` };
    const e = env[f.env];
    if (e !== undefined && e !== '') return { value: e, source: f.env };
    return { value: f.default, source: `--${f.flag}` };
  };
  const spec = (name: string): FlagSpec => FLAGS.find((f) => f.flag === name)!;

  const db = raw(spec('db'));
  if (!db.value || !/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(db.value)) {
    throw new ConfigError(`${db.source}: expected sqlite:PATH, sqlite::memory: or postgres://…, got '${db.value ?? ''}'`);
  }
  const host = raw(spec('host'));
  const port = raw(spec('port'));
  const portNumber = Number(port.value);
  if (!/^\d+$/.test(port.value ?? '') || portNumber > 65535) {
    throw new ConfigError(`${port.source}: expected a port number from 0 to 65535, got '${port.value}'`);
  }
  const publicUrl = raw(spec('public-url'));
  let normalizedPublicUrl: string | undefined;
  if (publicUrl.value !== undefined) {
    let u: URL;
    try {
      u = new URL(publicUrl.value);
    } catch {
      throw new ConfigError(`${publicUrl.source}: expected an absolute http(s) URL, got '${publicUrl.value}'`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new ConfigError(`${publicUrl.source}: expected an http or https URL, got '${publicUrl.value}'`);
    }
    if (u.search || u.hash) throw new ConfigError(`${publicUrl.source}: must not have a query or fragment`);
    normalizedPublicUrl = u.href.replace(/\/+$/, '');
  }
  const cloud = raw(spec('cloud'));
  if (!cloud.value || !isCloudName(cloud.value)) {
    throw new ConfigError(`${cloud.source}: expected one of global, usgovl4, usgovl5, china, got '${cloud.value}'`);
  }
  const concurrency = raw(spec('concurrency'));
  if (!/^\d+$/.test(concurrency.value ?? '') || Number(concurrency.value) > 1024) {
    throw new ConfigError(`${concurrency.source}: expected a whole number from 0 to 1024, got '${concurrency.value}'`);
  }
  const lease = raw(spec('lease-seconds'));
  if (!/^\d+(\.\d+)?$/.test(lease.value ?? '') || Number(lease.value) < 0.5 || Number(lease.value) > 3600) {
    throw new ConfigError(`${lease.source}: expected a number of seconds from 0.5 to 3600, got '${lease.value}'`);
  }
  let demo: boolean | undefined;
  if (values['no-demo'] === true) demo = false;
  else if (values.demo === true) demo = true;
  else if (env.LONGRUN_DEMO !== undefined && env.LONGRUN_DEMO !== '') {
    if (!/^(true|false|1|0)$/.test(env.LONGRUN_DEMO)) {
      throw new ConfigError(`LONGRUN_DEMO: expected true or false, got '${env.LONGRUN_DEMO}'`);
    }
    demo = env.LONGRUN_DEMO === 'true' || env.LONGRUN_DEMO === '1';
  }
  const tlsCert = raw(spec('tls-cert')).value;
  const tlsKey = raw(spec('tls-key')).value;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(`--tls-cert and --tls-key: give both or neither`);
  }
  let tlsDev = values['tls-dev'] === true;
  if (values['tls-dev'] === undefined && env.LONGRUN_TLS_DEV !== undefined && env.LONGRUN_TLS_DEV !== '') {
    if (!/^(true|false|1|0)$/.test(env.LONGRUN_TLS_DEV)) {
      throw new ConfigError(`LONGRUN_TLS_DEV: expected true or false, got '${env.LONGRUN_TLS_DEV}'`);
    }
    tlsDev = env.LONGRUN_TLS_DEV === 'true' || env.LONGRUN_TLS_DEV === '1';
  }
  if (tlsDev && tlsCert !== undefined) {
    throw new ConfigError(`--tls-dev and --tls-cert: give one or the other`);
  }
  const logLevel = raw(spec('log-level'));
  if (!LOG_LEVELS.includes(logLevel.value as (typeof LOG_LEVELS)[number])) {
    throw new ConfigError(`${logLevel.source}: expected one of ${LOG_LEVELS.join(', ')}, got '${logLevel.value}'`);
  }
  const retention = raw(spec('retention'));
  const retentionMs = parseRetention(retention.value ?? '');
  if (retentionMs === undefined) {
    throw new ConfigError(
      `${retention.source}: expected a duration from 1s to 3650d such as 90s, 30m, 24h or 7d, got '${retention.value}'`,
    );
  }
  const scanInterval = raw(spec('alert-scan-interval'));
  const alertScanIntervalMs = scanInterval.value === 'off' ? undefined : parseRetention(scanInterval.value ?? '');
  if (scanInterval.value !== 'off' && alertScanIntervalMs === undefined) {
    throw new ConfigError(
      `${scanInterval.source}: expected off or a duration from 1s to 3650d such as 30m, 1h or 1d, got '${scanInterval.value}'`,
    );
  }
  const waits = raw(spec('wait-per-caller'));
  if (!/^\d+$/.test(waits.value ?? '') || Number(waits.value) < 1 || Number(waits.value) > 100_000) {
    throw new ConfigError(`${waits.source}: expected a whole number from 1 to 100000, got '${waits.value}'`);
  }
  const wholeNumber = (name: string, min: number, max: number): number => {
    const v = raw(spec(name));
    if (!/^\d+$/.test(v.value ?? '') || Number(v.value) < min || Number(v.value) > max) {
      throw new ConfigError(`${v.source}: expected a whole number from ${min} to ${max}, got '${v.value}'`);
    }
    return Number(v.value);
  };
  const passwordVerifications = wholeNumber('password-verifications', 1, 1024);
  const passwordQueue = wholeNumber('password-queue', 0, 100_000);
  const eventStreamsPerCaller = wholeNumber('event-streams-per-caller', 1, 10_000);
  const { value: metricsToken, source: metricsTokenSource } = raw(spec('metrics-token'));
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError(`${metricsTokenSource}: expected at least 16 characters (a random secret)`);
  }
  const extensionList = raw(spec('extensions'));
  let extensions: Extensions;
  try {
    extensions = parseExtensions(extensionList.value ?? '');
  } catch (e) {
    throw new ConfigError(`${extensionList.source}: ${(e as Error).message}`);
  }
  const controls = raw(spec('controls'));
  if (controls.value !== 'on' && controls.value !== 'off') {
    throw new ConfigError(`${controls.source}: expected on or off, got '${controls.value}'`);
  }

  const extra: Record<string, string | boolean | undefined> = {};
  for (const k of Object.keys(extraOptions)) extra[k] = values[k];

  const config: Config = Object.freeze({
    db: db.value,
    host: host.value ?? '127.0.0.1',
    port: portNumber,
    publicUrl: normalizedPublicUrl,
    cloud: CLOUDS[cloud.value],
    concurrency: Number(concurrency.value),
    leaseMs: Math.round(Number(lease.value) * 1000),
    demo,
    tlsCert,
    tlsKey,
    tlsDev,
    logLevel: logLevel.value as Config['logLevel'],
    retentionMs,
    alertScanIntervalMs,
    waitsPerCaller: Number(waits.value),
    passwordVerifications,
    passwordQueue,
    eventStreamsPerCaller,
    metricsToken,
    extensions,
    controls: controls.value === 'on',
    ...(env.LONGRUN_KEY_ENCRYPTION_KEY ? { keyEncryptionKey: env.LONGRUN_KEY_ENCRYPTION_KEY } : {}),
  });
  return { config, positionals: parsed.positionals, extra };
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `24h`, `7d` in milliseconds; undefined when malformed or outside 1s–3650d (--retention, --alert-scan-interval). */
export function parseRetention(text: string): number | undefined {
  const m = /^(\d{1,7})(s|m|h|d)$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * DURATION_UNITS_MS[m[2]!]!;
  return ms >= 1000 && ms <= 3650 * 86_400_000 ? ms : undefined;
}

/** A Config for tests and embedding, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return Object.freeze({
    db: 'sqlite::memory:',
    host: '127.0.0.1',
    port: 0,
    publicUrl: 'http://longrun.test',
    cloud: CLOUDS.global,
    concurrency: 4,
    leaseMs: 30_000,
    demo: false,
    tlsCert: undefined,
    tlsKey: undefined,
    tlsDev: false,
    logLevel: 'silent',
    retentionMs: 7 * 86_400_000,
    // Off in tests unless asked for: scans would move lastScannedDateTime behind a test's back.
    alertScanIntervalMs: undefined,
    waitsPerCaller: 50,
    passwordVerifications: 4,
    passwordQueue: 32,
    eventStreamsPerCaller: 10,
    metricsToken: undefined,
    extensions: NO_EXTENSIONS,
    controls: true,
    ...overrides,
  });
}
