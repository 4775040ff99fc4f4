/**
 * One running Longrun: the assembly `longrun serve` and `startLongrun()` share. Opens the store,
 * imports the tenant it is given (or the demo tenant), builds the service, listens, starts the
 * executor, and knows how to stop all of it again. Nothing here touches `process.*`: printing,
 * signals and exit codes belong to the CLI (src/cli/commands/serve.ts).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Config } from './config/config.js';
import { DEMO_SIGN_IN, readDemoTenant } from './directory/demo-tenant.js';
import { formatFixtureErrors } from './directory/fixture-validate.js';
import { importTenant, type SecretHasher } from './directory/tenant-import.js';
import { KeyEncryptionError, parseKeyEncryptionKey, prepareSigningKeyCustody } from './identity/key-encryption.js';
import { hashPassword } from './passwords/hashing.js';
import { buildService, type Service } from './service.js';
import { systemClock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import { ServerStartError } from './server-start-error.js';
import { openStore } from './storage/open.js';
import type { Store } from './storage/store.js';

export { ServerStartError };

export interface StartServerOptions {
  logger: Logger;
  /** A tenant fixture (parsed JSON) to import before serving; refused whole when invalid. */
  fixture?: unknown;
  /** Hashes the imported fixtures' passwords and secrets. Default: argon2id at the real cost. */
  hasher?: SecretHasher;
}

export interface RunningServer {
  /** The address actually listened on (the real port with port 0). */
  listenUrl: string;
  /** Base of every absolute URL the service writes (`--public-url`, else `listenUrl`). */
  publicUrl: string;
  /** The development CA file with `--tls-dev`. */
  devCa: string | undefined;
  /** True when the demo tenant is in the database. */
  demoTenant: boolean;
  /** The tenant imported from `options.fixture`, if one was given. */
  importedTenantId: string | undefined;
  service: Service;
  store: Store;
  /** Stops taking requests, lets running operations finish for up to `graceMs` (then hands them back), closes the store. */
  stop(graceMs?: number): Promise<void>;
}

/** Opens, imports, builds, listens and starts the executor; on any failure releases what it opened. */
export async function startServer(config: Config, options: StartServerOptions): Promise<RunningServer> {
  const port = config.port === 0 ? await freePort(config.host) : config.port;
  const scheme = config.tlsCert || config.tlsDev ? 'https' : 'http';
  const listenUrl = `${scheme}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const publicUrl = config.publicUrl ?? listenUrl;
  const { tls, devCa } = await loadTls(config, publicUrl);
  const hasher = options.hasher ?? { hash: hashPassword };
  const store = await open(config);
  let service: Service | undefined;
  try {
    // Signing keys encrypted at rest under LONGRUN_KEY_ENCRYPTION_KEY (docs/authentication.md#key-custody).
    try {
      await prepareSigningKeyCustody(store, config.keyEncryptionKey ? parseKeyEncryptionKey(config.keyEncryptionKey) : undefined);
    } catch (e) {
      if (e instanceof KeyEncryptionError) throw new ServerStartError(e.message);
      throw e;
    }
    const importedTenantId = options.fixture === undefined ? undefined : await importFixture(store, options.fixture, hasher, 'the fixture');
    const demoTenant = await importDemoIfWanted(store, config, hasher);
    service = await buildService({ config, publicUrl, store, clock: systemClock, logger: options.logger, tls });
    try {
      await service.app.fastify.listen({ host: config.host, port });
    } catch (e) {
      throw new ServerStartError(`cannot listen on ${config.host}:${port}: ${(e as Error).message}`);
    }
    service.executor?.start();
    const running = service;
    let stopped: Promise<void> | undefined;
    return {
      listenUrl,
      publicUrl,
      devCa,
      demoTenant,
      importedTenantId,
      service,
      store,
      stop: (graceMs = 10_000) =>
        (stopped ??= (async () => {
          await running.app.fastify.close(); // stop taking requests
          await running.executor?.stop(graceMs); // finish or hand back running operations
          await store.close();
        })()),
    };
  } catch (e) {
    await service?.app.fastify.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw e;
  }
}

/** The certificate and key to serve HTTPS with: the given files, the development CA's (`--tls-dev`), or none. */
async function loadTls(
  config: Config,
  publicUrl: string,
): Promise<{ tls: { cert: Buffer; key: Buffer } | undefined; devCa: string | undefined }> {
  if (config.tlsDev) {
    // Loaded only here: the certificate library is not needed by any other command.
    const { devCertificateDir, devCertificateHosts, ensureDevCertificates } = await import('./tls/dev-certificates.js');
    const dir = devCertificateDir(config.db);
    try {
      const dev = await ensureDevCertificates({ dir, hosts: devCertificateHosts(publicUrl, [config.host]) });
      return { tls: { cert: dev.cert, key: dev.key }, devCa: dev.caPath };
    } catch (e) {
      throw new ServerStartError(`--tls-dev: cannot prepare the development certificates in ${dir}: ${(e as Error).message}`);
    }
  }
  if (config.tlsCert && config.tlsKey) {
    try {
      return { tls: { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }, devCa: undefined };
    } catch (e) {
      throw new ServerStartError(`--tls-cert/--tls-key: ${(e as Error).message}`);
    }
  }
  return { tls: undefined, devCa: undefined };
}

async function open(config: Config): Promise<Store> {
  try {
    return (await openStore(config.db)).store;
  } catch (e) {
    throw new ServerStartError(`cannot open the database ${redactDbUrl(config.db)}: ${(e as Error).message}`);
  }
}

async function importFixture(store: Store, fixture: unknown, hasher: SecretHasher, name: string): Promise<string> {
  const result = await importTenant(store, fixture, hasher, systemClock.now());
  if (!result.ok) throw new ServerStartError(`${name} is invalid; nothing was imported:\n${formatFixtureErrors(result.errors)}`);
  return result.tenantId;
}

/**
 * Whether to import the demo tenant: always with --demo, never with --no-demo; otherwise only
 * into an empty database served on a loopback host, because its credentials are published in
 * the README (docs/configuration.md).
 */
export function shouldImportDemo(demo: boolean | undefined, host: string, tenantCount: number): boolean {
  if (demo !== undefined) return demo;
  return tenantCount === 0 && isLoopbackHost(host);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Imports the demo tenant when shouldImportDemo says so; tells whether it is in the database. */
async function importDemoIfWanted(store: Store, config: Config, hasher: SecretHasher): Promise<boolean> {
  if (config.demo !== false && shouldImportDemo(config.demo, config.host, await store.directory.tenantCount())) {
    await importFixture(store, readDemoTenant(), hasher, 'the demo tenant fixture');
  }
  return (await store.directory.findTenant(DEMO_SIGN_IN.domain)) !== undefined;
}

/** Asks the OS for a free port, so the public URL is known before the app is built. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function redactDbUrl(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
