import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../src/storage/open.js';
import { startLongrun } from '../support/child-service.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { TEST_BACKEND } from '../support/store.js';
import { DEMO_CLIENT, DEMO_DOMAIN, fetchToken, GRAPH_DEFAULT_SCOPE, passwordGrantForm } from '../support/harness.js';

const NEEDS_POSTGRES = TEST_BACKEND !== 'postgres' && 'needs PostgreSQL (runs in the PostgreSQL pass)';

const RESET = '/v1.0/users/alex@contoso.onmicrosoft.com/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword';

const demoToken = (url: string, username: string, password: string): Promise<string> =>
  fetchToken(url, DEMO_DOMAIN, passwordGrantForm(DEMO_CLIENT, username, password, [GRAPH_DEFAULT_SCOPE]));

// Runs in the PostgreSQL pass of the suite only: it restarts a private PostgreSQL server.
describe('PostgreSQL restarted under load (private server)', () => {
  it(
    'requests during the outage get 503 serviceNotAvailable, the node recovers by itself, nothing acknowledged is lost',
    { skip: NEEDS_POSTGRES },
    async () => {
      const pg = await PrivatePostgres.create();
      try {
        const node = await startLongrun([
          'serve',
          '--db',
          pg.url,
          '--port',
          '0',
          '--concurrency',
          '4',
          '--lease-seconds',
          '2',
          '--log-level',
          'error',
        ]);
        try {
          const token = await demoToken(node.url, 'authadmin@contoso.onmicrosoft.com', 'Demo-AuthAdm1n-Pass!');
          const accepted: string[] = [];
          const unavailable: Array<{ status: number; code: string; retryAfter: string | null }> = [];
          let phase = 'before' as 'before' | 'outage' | 'after';
          const counts = { before: 0, outage: 0, after: 0 };
          const load = (async () => {
            while (phase !== 'after' || counts.after < 10) {
              const r = await fetch(`${node.url}${RESET}`, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ newPassword: `Rs-${accepted.length}-Kx7!vQ2m-Tb9` }),
              }).catch(() => undefined);
              if (!r) {
                // The node must survive the outage; a refused connection means it died.
                assert.equal(node.child.exitCode, null, `longrun serve exited during the outage: ${node.stderr()}`);
                await new Promise((res) => setTimeout(res, 50));
                continue;
              }
              if (r.status === 202) {
                accepted.push(r.headers.get('location')!);
                counts[phase]++;
              } else {
                const body = (await r.json()) as { error: { code: string } };
                unavailable.push({ status: r.status, code: body.error.code, retryAfter: r.headers.get('retry-after') });
                await new Promise((res) => setTimeout(res, 50));
              }
            }
          })();
          while (counts.before < 10) await new Promise((r) => setTimeout(r, 20));
          phase = 'outage';
          pg.stop();
          await new Promise((r) => setTimeout(r, 1500));
          pg.start();
          phase = 'after';
          await load;

          assert.ok(unavailable.length > 0, 'some requests met the outage');
          for (const u of unavailable) {
            assert.equal(u.status, 503);
            assert.equal(u.code, 'serviceNotAvailable');
            assert.match(u.retryAfter ?? '', /^\d+$/);
          }
          assert.ok(counts.after >= 10, 'the node serves again without a restart');

          const { store } = await openStore(pg.url);
          try {
            const deadline = Date.now() + 30_000;
            for (const location of accepted) {
              const id = new URL(location).pathname.split('/').at(-1)!;
              let op = await store.operations.get(id);
              while (op?.status !== 'succeeded' && Date.now() < deadline) {
                await new Promise((r) => setTimeout(r, 50));
                op = await store.operations.get(id);
              }
              assert.equal(op?.status, 'succeeded', `acknowledged operation ${id} ended succeeded (${op?.statusDetail})`);
              assert.equal((await store.audit.forOperation(id)).length, 1, `operation ${id} applied its effect once`);
            }
          } finally {
            await store.close();
          }
        } finally {
          node.child.kill('SIGTERM');
          await node.exited;
        }
      } finally {
        pg.destroy();
      }
    },
  );
});
