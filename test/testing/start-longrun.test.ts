/**
 * startLongrun(): the whole service in the test's process, on the suite's backend, with token
 * helpers; stop() leaves nothing behind (a child process that starts and stops it exits alone).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { FLAGS } from '../../src/config/config.js';
import { DEMO_SIGN_IN } from '../../src/directory/demo-tenant.js';
import { ServerStartError, startLongrun, tenant, type Longrun } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../support/backends.js';

const INDEX = new URL('../../src/index.js', import.meta.url).href;

describe('startLongrun() with the demo tenant', () => {
  let db: TestDatabase;
  let lr: Longrun;
  before(async () => {
    db = await createTestDatabase();
    lr = await startLongrun({ db: db.url, passwordHashing: 'fast' });
  });
  after(async () => {
    await lr.stop();
    await db.dispose();
  });

  it('listens on a free port of 127.0.0.1 and serves the demo tenant', () => {
    assert.match(lr.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(lr.url).port, '0');
    assert.equal(lr.tenantId, '56fae684-cfd4-48bc-8670-1a55a06f4031');
    assert.equal(lr.fixture.tenant.defaultDomain, DEMO_SIGN_IN.domain);
  });

  it('token({ user }) signs the user in with the fixture password through the first delegated client', async () => {
    const token = await lr.token({ user: DEMO_SIGN_IN.username });
    const me = await fetch(`${lr.url}/v1.0/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { userPrincipalName: string }).userPrincipalName, DEMO_SIGN_IN.username);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { appid: string; idtyp: string };
    assert.equal(claims.appid, DEMO_SIGN_IN.clientId);
    assert.equal(claims.idtyp, 'user');
  });

  it('token({ app }) is a client-credentials token carrying the app permissions', async () => {
    const token = await lr.token({ app: DEMO_SIGN_IN.clientId });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { idtyp: string; roles: string[] };
    assert.equal(claims.idtyp, 'app');
    assert.ok(claims.roles.includes('User.Read.All'));
    const user = await fetch(`${lr.url}/v1.0/users/${DEMO_SIGN_IN.username}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(user.status, 200);
  });

  it('token() names what is wrong: an unknown user, a wrong password', async () => {
    await assert.rejects(lr.token({ user: 'nobody@contoso.onmicrosoft.com' }), /no user nobody@contoso\.onmicrosoft\.com/);
    await assert.rejects(
      lr.token({ user: DEMO_SIGN_IN.username, password: 'not-it' }),
      /token for admin@contoso\.onmicrosoft\.com: 400 invalid_grant/,
    );
  });
});

describe('startLongrun() with a built tenant', () => {
  it('serves the builder tenant only, and a user signs in by object id', async () => {
    const built = tenant({ domain: 'fabrikam.onmicrosoft.com' })
      .user('ana', { roles: ['Global Administrator'] })
      .user('bob');
    const lr = await startLongrun({ fixture: built, passwordHashing: 'fast' });
    try {
      assert.equal(lr.tenantId, built.tenantId);
      const token = await lr.token({ user: built.userId('ana') });
      const bob = await fetch(`${lr.url}/v1.0/users/bob@fabrikam.onmicrosoft.com`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(bob.status, 200);
      // No demo tenant next to it.
      const demo = await fetch(`${lr.url}/${DEMO_SIGN_IN.domain}/v2.0/.well-known/openid-configuration`);
      assert.notEqual(demo.status, 200);
    } finally {
      await lr.stop();
    }
  });

  it('refuses an invalid fixture with the bad field named, and leaves nothing open', async () => {
    const fixture = tenant().user('ana').build();
    fixture.users![0]!.userPrincipalName = 'not-an-upn';
    await assert.rejects(startLongrun({ fixture, passwordHashing: 'fast' }), (e: unknown) => {
      assert.ok(e instanceof ServerStartError);
      assert.match(e.message, /users\[0\]\.userPrincipalName/);
      return true;
    });
  });

  it('with a publicUrl, lr.url is it, tokens are issued for it, and the helpers still reach the listening address', async () => {
    const lr = await startLongrun({ fixture: tenant().user('ana'), publicUrl: 'https://graph.longrun.example', passwordHashing: 'fast' });
    try {
      assert.equal(lr.url, 'https://graph.longrun.example');
      const token = await lr.token({ user: 'ana@contoso.onmicrosoft.com' });
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string };
      assert.ok(claims.iss.startsWith('https://graph.longrun.example/'), claims.iss);
    } finally {
      await lr.stop();
    }
  });

  it(
    'passes extensions through as --extensions',
    { skip: !FLAGS.some((f) => f.flag === 'extensions') && 'needs the --extensions flag (extensions are not on this branch yet)' },
    async () => {
      const lr = await startLongrun({ extensions: ['wait'], passwordHashing: 'fast' });
      await lr.stop();
    },
  );
});

describe('startLongrun().stop()', () => {
  it('leaves nothing running: a process that starts, uses and stops Longrun exits on its own', async () => {
    // No process.exit in the script: it ends only if no server, timer, pool or worker is left.
    const script = `
      const { startLongrun } = await import(${JSON.stringify(INDEX)});
      const lr = await startLongrun({ passwordHashing: 'fast', db: process.env.LR_DB });
      console.log('started');
      const token = await lr.token({ user: 'admin@contoso.onmicrosoft.com' });
      const r = await fetch(lr.url + '/v1.0/me', { headers: { authorization: 'Bearer ' + token } });
      await lr.stop();
      console.log('stopped');
      let refused = false;
      try { await fetch(lr.url + '/healthz'); } catch { refused = true; }
      console.log(JSON.stringify({ status: r.status, refused }));
    `;
    const db = await createTestDatabase();
    try {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LR_DB: db.url },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
      // Start-up may be slow on a loaded machine; what is measured is the exit once stop() returned.
      const startDeadline = Date.now() + 120_000;
      while (!out.includes('stopped\n') && child.exitCode === null && child.signalCode === null) {
        if (Date.now() > startDeadline) child.kill('SIGKILL');
        await new Promise((r) => setTimeout(r, 20));
      }
      const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code, signal] = await exited;
      clearTimeout(deadline);
      assert.equal(signal, null, `the process did not exit on its own within 15 s of stop() (killed); stdout: ${out}; stderr: ${err}`);
      assert.equal(code, 0, err);
      assert.deepEqual(out.trim().split('\n'), ['started', 'stopped', JSON.stringify({ status: 200, refused: true })]);
    } finally {
      await db.dispose();
    }
  });
});
