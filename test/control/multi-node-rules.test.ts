import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../src/storage/open.js';
import { createTestDatabase } from '../support/backends.js';
import { startLongrun, type RunningChild } from '../support/child-service.js';
import { TEST_BACKEND } from '../support/store.js';
import { addRule, hitsOf } from './support/rules.js';

const TENANT = '56fae684-cfd4-48bc-8670-1a55a06f4031';
const DOMAIN = 'contoso.onmicrosoft.com';

async function token(node: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f',
    client_secret: 'demo-client-secret',
    username: `privauthadmin@${DOMAIN}`,
    password: 'Demo-PrivAuth-Passw0rd!',
    scope: 'https://graph.microsoft.com/.default',
  });
  const r = await fetch(`${node}/${DOMAIN}/oauth2/v2.0/token`, { method: 'POST', body: form });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { access_token: string }).access_token;
}

describe('control rules across nodes', () => {
  it(
    'three serve processes on one PostgreSQL database: times 3 faults exactly three requests; one throttle bucket for all',
    { skip: TEST_BACKEND !== 'postgres' && 'needs PostgreSQL' },
    async () => {
      const database = await createTestDatabase();
      const children: RunningChild[] = [];
      const { store } = await openStore(database.url);
      try {
        const common = ['--db', database.url, '--public-url', 'http://longrun.example.test', '--concurrency', '0', '--log-level', 'fatal'];
        children.push(...(await Promise.all([0, 1, 2].map(() => startLongrun(['serve', '--port', '0', ...common])))));
        const nodes = children.map((c) => c.url);
        const bearer = await token(nodes[0]!);
        const getStatus = async (node: string, path: string) => {
          const r = await fetch(`${node}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
          await r.arrayBuffer();
          return r.status;
        };

        // Rules are inserted in the database behind the nodes' backs: each node sees them within its cache period.
        const faults = await addRule(store, TENANT, {
          type: 'http',
          match: { method: 'GET', path: '/v1.0/users/*' },
          times: 3,
          respond: { status: 503 },
        });
        const bucket = await addRule(store, TENANT, {
          type: 'throttle',
          match: { path: `/beta/users/alex@${DOMAIN}` },
          requests: 5,
          perSeconds: 3600,
        });
        // A probe rule inserted last: once a node answers the probe with 500, it has loaded the rules above too.
        await addRule(store, TENANT, { type: 'http', match: { method: 'GET', path: '/beta/users/probe' }, respond: { status: 500 } });
        for (const node of nodes) {
          const deadline = Date.now() + 15_000;
          while ((await getStatus(node, '/beta/users/probe')) !== 500) {
            assert.ok(Date.now() < deadline, `${node} never saw the rules`);
            await new Promise((r) => setTimeout(r, 50));
          }
        }

        // 30 requests, round-robin over the three nodes, 10 at a time.
        const statuses = await inBatches(30, 10, (i) => getStatus(nodes[i % 3]!, `/v1.0/users/alex@${DOMAIN}?$select=id`));
        assert.equal(statuses.filter((s) => s === 503).length, 3, `statuses: ${statuses.join(',')}`);
        assert.equal(statuses.filter((s) => s === 200).length, 27);
        assert.equal(await hitsOf(store, TENANT, faults.id), 3);

        const throttled = await inBatches(21, 7, (i) => getStatus(nodes[i % 3]!, `/beta/users/alex@${DOMAIN}`));
        assert.equal(throttled.filter((s) => s === 200).length, 5, `statuses: ${throttled.join(',')}`);
        assert.equal(throttled.filter((s) => s === 429).length, 16);
        assert.equal(await hitsOf(store, TENANT, bucket.id), 16);
      } finally {
        for (const c of children) c.child.kill('SIGTERM');
        await Promise.all(children.map((c) => c.exited));
        await store.close();
        await database.dispose();
      }
    },
  );
});

async function inBatches<T>(count: number, inFlight: number, request: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += inFlight) {
    const batch = Array.from({ length: Math.min(inFlight, count - start) }, (_, k) => request(start + k));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}
