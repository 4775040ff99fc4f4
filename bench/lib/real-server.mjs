// Child process: the real Longrun service (token verification + SQLite read) on an ephemeral port.
// Sends { url, path, token } to the parent over IPC once it is ready; exits when the parent disconnects.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore } from '../../dist/src/storage/open.js';
import { importTenant } from '../../dist/src/directory/tenant-import.js';
import { createPasswordHasher, LOW_HASH_COST_FOR_TESTS } from '../../dist/src/passwords/hashing.js';
import { buildService } from '../../dist/src/service.js';
import { testConfig } from '../../dist/src/config/config.js';
import { systemClock } from '../../dist/src/shared/clock.js';
import { silentLogger } from '../../dist/src/shared/logger.js';
import { freePort } from './common.mjs';

const CLIENT_ID = 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f';
const CLIENT_SECRET = 'demo-client-secret';
// Privileged Authentication Administrator (role 7be44c8a-…) in fixtures/demo-tenant.json.
const USERNAME = 'privauthadmin@contoso.onmicrosoft.com';
const PASSWORD = 'Demo-PrivAuth-Passw0rd!';
// The operation's target: an ordinary member user of the demo tenant (megan@).
const TARGET_USER_ID = 'c6000304-9809-42e3-b7a4-ff84111e5910';

const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-'));
const { store } = await openStore('sqlite:' + join(dir, 'bench.db'));
const fixture = JSON.parse(await readFile(new URL('../../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
// Low argon2 cost only to make set-up fast: the benchmark never verifies a password (one token, reused).
const imported = await importTenant(store, fixture, createPasswordHasher(LOW_HASH_COST_FOR_TESTS), Date.now());
if (!imported.ok) throw new Error('tenant import failed: ' + JSON.stringify(imported.errors));
const tenantId = imported.tenantId;
const domain = fixture.tenant.defaultDomain;

const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
const service = await buildService({
  config: testConfig({ concurrency: 0, publicUrl }),
  publicUrl,
  store,
  clock: systemClock,
  logger: silentLogger(),
});
await service.app.fastify.listen({ port, host: '127.0.0.1' });

const tokenRes = await fetch(`${publicUrl}/${domain}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'password',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    username: USERNAME,
    password: PASSWORD,
    scope: 'https://graph.microsoft.com/.default',
  }),
});
const tokenBody = await tokenRes.json();
if (tokenRes.status !== 200 || !tokenBody.access_token) {
  throw new Error(`token request failed: ${tokenRes.status} ${JSON.stringify(tokenBody)}`);
}

const op = await store.operations.insert(
  { id: randomUUID(), tenantId, kind: 'passwordReset', targetId: TARGET_USER_ID, input: {}, maxAttempts: 3 },
  Date.now(),
);
const path = `/v1.0/users/${TARGET_USER_ID}/authentication/operations/${op.id}`;

const shutdown = async () => {
  await service.app.fastify.close().catch(() => undefined);
  await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
process.send({ url: publicUrl, path, token: tokenBody.access_token });
