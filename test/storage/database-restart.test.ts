import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../src/storage/open.js';
import { startLongrun } from '../support/child-service.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { TEST_BACKEND } from '../support/store.js';

const RESET = '/v1.0/users/alex@contoso.onmicrosoft.com/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword';

async function demoToken(url: string, username: string, password: string): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f',
    client_secret: 'demo-client-secret',
    username,
    password,
    scope: 'https://graph.microsoft.com/.default',
  });
  const r = await fetch(`${url}/contoso.onmicrosoft.com/oauth2/v2.0/token`, { method: 'POST', body: form });
  return ((await r.json()) as { access_token: string }).access_token;
}

// Runs in the PostgreSQL pass of the suite only: it restarts a private PostgreSQL server.
if (TEST_BACKEND === 'postgres') {
  describe('PostgreSQL restarted under load (private server)', () => {
    it('requests during the outage get 503 serviceNotAvailable, the node recovers by itself, nothing acknowledged is lost', async () => {
      const pg = await PrivatePostgres.create();
      try {
        const node = await startLongrun(['serve', '--db', pg.url, '--port', '0', '--concurrency', '4', '--lease-seconds', '2', '--log-level', 'error']);
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
              const id = location.split('/').at(-1)!;
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
    });
  });
}
