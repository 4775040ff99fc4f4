// A database holding the demo tenant and one password-reset operation, for benchmarks that run a
// real `longrun serve` against it: a SQLite file in a temp dir, or a fresh PostgreSQL schema.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../../dist/src/storage/open.js';
import { importTenant } from '../../dist/src/directory/tenant-import.js';
import { createPasswordHasher, LOW_HASH_COST_FOR_TESTS } from '../../dist/src/passwords/hashing.js';

export const DEMO = {
  clientId: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f',
  clientSecret: 'demo-client-secret',
  // A Privileged Authentication Administrator in fixtures/demo-tenant.json.
  username: 'privauthadmin@contoso.onmicrosoft.com',
  password: 'Demo-PrivAuth-Passw0rd!',
  // megan@, an ordinary member user: the operation's target.
  targetUserId: 'c6000304-9809-42e3-b7a4-ff84111e5910',
};

/**
 * Creates the database (backend 'sqlite' in `dir`, or 'postgres' as a fresh schema of `pgUrl`),
 * imports the demo tenant at the low test argon2 cost (set-up speed only: the measured requests
 * never verify a password) and inserts one queued passwordReset operation on megan@.
 * Resolves with { dbUrl, domain, operationId, drop() }.
 */
export async function createDemoDatabase(backend, { dir, pgUrl }) {
  let dbUrl;
  let drop = async () => undefined;
  if (backend === 'sqlite') {
    dbUrl = 'sqlite:' + join(dir, 'bench.db');
  } else {
    const schema = `lr_bench_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(pgUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    dbUrl = url.href;
    drop = async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    };
  }
  const { store } = await openStore(dbUrl);
  try {
    const fixture = JSON.parse(await readFile(new URL('../../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
    const imported = await importTenant(store, fixture, createPasswordHasher(LOW_HASH_COST_FOR_TESTS), Date.now());
    if (!imported.ok) throw new Error('tenant import failed: ' + JSON.stringify(imported.errors));
    const op = await store.operations.insert(
      { id: randomUUID(), tenantId: imported.tenantId, kind: 'passwordReset', targetId: DEMO.targetUserId, input: {}, maxAttempts: 3 },
      Date.now(),
    );
    return { dbUrl, domain: fixture.tenant.defaultDomain, operationId: op.id, drop };
  } finally {
    await store.close();
  }
}

/** A delegated Graph token for the demo's Privileged Authentication Administrator (password grant). */
export async function demoToken(baseUrl, domain) {
  const res = await fetch(`${baseUrl}/${domain}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret,
      username: DEMO.username,
      password: DEMO.password,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const body = await res.json();
  if (res.status !== 200 || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
