import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../src/storage/open.js';
import { createTestDatabase } from '../support/backends.js';
import { startLongrun, type RunningChild } from '../support/child-service.js';
import { TEST_BACKEND } from '../support/store.js';
import { DEMO_CLIENT, DEMO_DOMAIN, fetchToken, GRAPH_DEFAULT_SCOPE, passwordGrantForm } from '../support/harness.js';

const NEEDS_POSTGRES = TEST_BACKEND !== 'postgres' && 'needs PostgreSQL (runs in the PostgreSQL pass)';

const TENANT = '56fae684-cfd4-48bc-8670-1a55a06f4031';
const RESETS = 1500;
const REFRESHES = 500;
const IN_FLIGHT = 16;
const RESET_TARGETS = ['alex', 'megan', 'helpdesk', 'johanna', 'grady', 'lidia', 'secreader', 'globalreader'];
const ALERT_TYPES = [
  'StaleSignInAlert',
  'RolesAssignedOutsidePimAlert',
  'TooManyGlobalAdminsAssignedToTenantAlert',
  'RedundantAssignmentAlert',
];

const token = (node: string, username: string, password: string): Promise<string> =>
  fetchToken(node, DEMO_DOMAIN, passwordGrantForm(DEMO_CLIENT, `${username}@${DEMO_DOMAIN}`, password, [GRAPH_DEFAULT_SCOPE]));

const pick = <T>(items: readonly T[], i: number): T => items[i % items.length]!;

// Scale-out is a PostgreSQL feature: this runs in the PostgreSQL pass of the suite.
describe('many nodes on one PostgreSQL database', () => {
  it(
    '3 serve + 2 worker processes, 2,000 mixed operations through random nodes, 2 workers killed: all terminal, effects exactly once, every node agrees',
    { skip: NEEDS_POSTGRES },
    async () => {
      const database = await createTestDatabase();
      const children: RunningChild[] = [];
      try {
        // Behind a load balancer every node has the same public URL (token issuer, Location).
        const common = [
          '--db',
          database.url,
          '--public-url',
          'http://longrun.example.test',
          '--lease-seconds',
          '2',
          '--log-level',
          'fatal',
        ];
        // The first node seeds the demo tenant; the others start on the migrated database at once.
        const serves = await Promise.all([0, 1, 2].map(() => startLongrun(['serve', '--port', '0', '--concurrency', '2', ...common])));
        const workers = await Promise.all([0, 1].map(() => startLongrun(['worker', '--concurrency', '8', ...common])));
        children.push(...serves, ...workers);
        const nodes = serves.map((s) => s.url);

        const resetter = await token(nodes[0]!, 'privauthadmin', 'Demo-PrivAuth-Passw0rd!');
        const roleAdmin = await token(nodes[1]!, 'pra', 'Demo-RoleAdm1n-Pass!');
        const userIds = new Map<string, string>();
        for (const name of RESET_TARGETS) {
          const r = await fetch(`${nodes[2]}/v1.0/users/${name}@contoso.onmicrosoft.com?$select=id`, {
            headers: { authorization: `Bearer ${resetter}` },
          });
          userIds.set(name, ((await r.json()) as { id: string }).id);
        }

        // Interleave resets and refreshes; send each through a node chosen at random.
        const requests: Array<() => Promise<string>> = [];
        for (let i = 0; i < RESETS + REFRESHES; i++) {
          const node = nodes[Math.floor(Math.random() * nodes.length)]!;
          if (i % 4 === 3) {
            const alert = `DirectoryRole_${TENANT}_${pick(ALERT_TYPES, i)}`;
            requests.push(() => post(`${node}/beta/identityGovernance/roleManagementAlerts/alerts/${alert}/refresh`, roleAdmin, undefined));
          } else {
            const user = userIds.get(pick(RESET_TARGETS, i))!;
            const url = `${node}/v1.0/users/${user}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`;
            requests.push(() => post(url, resetter, { newPassword: `Mn-${i}-Qz7!rWx4-Lk` }));
          }
        }
        const locations: string[] = [];
        let next = 0;
        let killed = false;
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < requests.length) {
              locations.push(await requests[next++]!());
              if (!killed && locations.length >= requests.length / 3) {
                killed = true;
                for (const w of workers) w.child.kill('SIGKILL');
              }
            }
          }),
        );
        for (const w of workers) assert.equal((await w.exited).signal, 'SIGKILL');

        const { store } = await openStore(database.url);
        try {
          const ids = [...new Set(locations.map((l) => decodeURIComponent(new URL(l).pathname.split('/').at(-1)!)))];
          const deadline = Date.now() + 120_000;
          for (;;) {
            const open = await store.sql.queryOne<{ n: number }>(
              `SELECT COUNT(*) AS n FROM operations WHERE status NOT IN ('succeeded', 'failed')`,
            );
            if (Number(open?.n) === 0) break;
            assert.ok(Date.now() < deadline, `${open?.n} operations never ended`);
            await new Promise((r) => setTimeout(r, 100));
          }
          const effects = await store.audit.countByOperation(TENANT);
          let resets = 0;
          for (const id of ids) {
            const op = await store.operations.get(id);
            assert.ok(op, `acknowledged operation ${id} exists`);
            assert.equal(op.status, 'succeeded', `${id}: ${op.statusDetail}`);
            // A reset applies once; an alert id applies once per run (later refreshes are new runs).
            assert.equal(effects.get(id), op.kind === 'passwordReset' ? 1 : op.run, `effects of ${id}`);
            if (op.kind === 'passwordReset') resets++;
          }
          assert.equal(resets, RESETS, 'every reset got its own operation');

          // Every node answers every GET the same way.
          for (const location of locations.filter((_, i) => i % 10 === 0)) {
            const path = new URL(location).pathname;
            const auth = path.includes('/users/') ? resetter : roleAdmin;
            const bodies = await Promise.all(
              nodes.map(async (n) => (await fetch(`${n}${path}`, { headers: { authorization: `Bearer ${auth}` } })).json()),
            );
            const [first, ...rest] = bodies.map((b) => ({ ...(b as Record<string, unknown>), '@odata.context': undefined }));
            for (const b of rest) assert.deepEqual(b, first);
          }
        } finally {
          await store.close();
        }
      } finally {
        for (const c of children) c.child.kill('SIGTERM');
        await Promise.all(children.map((c) => c.exited));
        await database.dispose();
      }
    },
  );
});

async function post(url: string, bearer: string, body: unknown): Promise<string> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.equal(r.status, 202, await r.clone().text());
  const location = r.headers.get('location');
  assert.ok(location);
  await r.arrayBuffer();
  return location;
}
