import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Config } from '../../config/config.js';
import { DEMO_SIGN_IN, readDemoTenant } from '../../directory/demo-tenant.js';
import { formatFixtureErrors } from '../../directory/fixture-validate.js';
import { importTenant } from '../../directory/tenant-import.js';
import { KeyEncryptionError, parseKeyEncryptionKey, prepareSigningKeyCustody } from '../../identity/key-encryption.js';
import { hashPassword } from '../../passwords/hashing.js';
import { buildService } from '../../service.js';
import { systemClock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { openStore } from '../../storage/open.js';
import type { Store } from '../../storage/store.js';
import { CliError } from '../exit.js';
import { onShutdownSignal } from '../signals.js';

/** `longrun serve`: Graph API, login authority and (by default) the executor, in one process. */
export async function serve(config: Config, logger: Logger): Promise<void> {
  const port = config.port === 0 ? await freePort(config.host) : config.port;
  const scheme = config.tlsCert || config.tlsDev ? 'https' : 'http';
  const listenUrl = `${scheme}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const publicUrl = config.publicUrl ?? listenUrl;
  const { tls, devCa } = await loadTls(config, publicUrl);
  const store = await open(config);
  try {
    const kek = config.keyEncryptionKey ? parseKeyEncryptionKey(config.keyEncryptionKey) : undefined;
    await prepareSigningKeyCustody(store, kek);
  } catch (e) {
    await store.close();
    if (e instanceof KeyEncryptionError) throw new CliError(e.message);
    throw e;
  }
  const demo = await importDemoIfWanted(store, config);
  const service = await buildService({ config, publicUrl, store, clock: systemClock, logger, tls });
  try {
    await service.app.fastify.listen({ host: config.host, port });
  } catch (e) {
    await store.close();
    throw new CliError(`cannot listen on ${config.host}:${port}: ${(e as Error).message}`);
  }
  // The address actually listened on (the real port with --port 0); the public URL, when it
  // differs (behind a proxy or load balancer), on the next line.
  process.stdout.write(`longrun listening on ${listenUrl}\n`);
  if (publicUrl !== listenUrl) process.stdout.write(`public URL: ${publicUrl}\n`);
  if (devCa) process.stdout.write(`TLS development CA: ${devCa} (trust it with NODE_EXTRA_CA_CERTS=${devCa})\n`);
  if (demo) process.stdout.write(demoBanner(publicUrl));
  service.executor?.start();
  logger.info({ publicUrl, concurrency: config.concurrency, db: redactDbUrl(config.db) }, 'started');

  onShutdownSignal(logger, async () => {
    await service.app.fastify.close(); // stop taking requests
    await service.executor?.stop(10_000); // finish or hand back running operations
    await store.close();
  });
}

/** The certificate and key to serve HTTPS with: the given files, the development CA's (`--tls-dev`), or none. */
async function loadTls(config: Config, publicUrl: string): Promise<{ tls: { cert: Buffer; key: Buffer } | undefined; devCa: string | undefined }> {
  if (config.tlsDev) {
    // Loaded only here: the certificate library is not needed by any other command.
    const { devCertificateDir, devCertificateHosts, ensureDevCertificates } = await import('../../tls/dev-certificates.js');
    const dir = devCertificateDir(config.db);
    try {
      const dev = await ensureDevCertificates({ dir, hosts: devCertificateHosts(publicUrl, [config.host]) });
      return { tls: { cert: dev.cert, key: dev.key }, devCa: dev.caPath };
    } catch (e) {
      throw new CliError(`--tls-dev: cannot prepare the development certificates in ${dir}: ${(e as Error).message}`);
    }
  }
  if (config.tlsCert && config.tlsKey) {
    try {
      return { tls: { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }, devCa: undefined };
    } catch (e) {
      throw new CliError(`--tls-cert/--tls-key: ${(e as Error).message}`);
    }
  }
  return { tls: undefined, devCa: undefined };
}

async function open(config: Config): Promise<Store> {
  try {
    return (await openStore(config.db)).store;
  } catch (e) {
    throw new CliError(`cannot open the database ${redactDbUrl(config.db)}: ${(e as Error).message}`);
  }
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

async function importDemoIfWanted(store: Store, config: Config): Promise<boolean> {
  if (config.demo === false) return (await store.directory.findTenant(DEMO_SIGN_IN.domain)) !== undefined;
  if (shouldImportDemo(config.demo, config.host, await store.directory.tenantCount())) {
    const result = await importTenant(store, readDemoTenant(), { hash: hashPassword }, systemClock.now());
    if (!result.ok) throw new CliError(`the demo tenant fixture is invalid:\n${formatFixtureErrors(result.errors)}`);
  }
  return (await store.directory.findTenant(DEMO_SIGN_IN.domain)) !== undefined;
}

function demoBanner(url: string): string {
  const d = DEMO_SIGN_IN;
  return `
Demo tenant: ${d.domain}. Get a token for ${d.username} and call Graph:

  TOKEN=$(curl -s ${url}/${d.domain}/oauth2/v2.0/token \\
    -d grant_type=password -d client_id=${d.clientId} -d client_secret=${d.clientSecret} \\
    -d username=${d.username} -d 'password=${d.password}' \\
    -d scope=https://graph.microsoft.com/.default | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
  curl -s ${url}/v1.0/me -H "Authorization: Bearer $TOKEN"

`;
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
