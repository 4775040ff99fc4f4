import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/storage/open.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/migrations/index.js';
import { runLongrun, startLongrun } from '../support/child-service.js';
import { waitFor } from '../support/wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'longrun-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('longrun command line (child process)', () => {
  it('prints help that lists every command and flag with its environment variable', async () => {
    const r = await runLongrun(['help']);
    assert.equal(r.code, 0);
    for (const word of [
      'serve',
      'worker',
      'migrate',
      'tenant import',
      'tenant generate',
      '--db',
      'LONGRUN_DB',
      '--public-url',
      'LONGRUN_CLOUD',
      '--concurrency',
      '--tls-cert',
    ]) {
      assert.ok(r.stdout.includes(word), `help mentions ${word}`);
    }
  });

  it('exits 2 with one line on a bad flag', async () => {
    const r = await runLongrun(['serve', '--port', 'eighty']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "longrun: --port: expected a port number from 0 to 65535, got 'eighty'\n");
  });

  it('exits 2 on an unknown command', async () => {
    const r = await runLongrun(['launch']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^longrun: unknown command 'launch'/);
  });

  it('serve prints the listening line first, with the real port for --port 0, and serves the demo tenant', async () => {
    const s = await startLongrun(['serve', '--db', `sqlite:${join(dir, 'serve.db')}`, '--port', '0', '--log-level', 'warn']);
    try {
      assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(!s.url.endsWith(':0'));
      // The banner's curl: a password-grant token for the demo admin, then GET /v1.0/me.
      const banner = await waitFor(() => (s.stdout().includes('/v1.0/me') ? s.stdout() : undefined), { message: 'the banner printed' });
      const form = new URLSearchParams();
      for (const m of banner.matchAll(/-d '?([a-z_]+)=([^' \\\n]+)'?/g)) form.set(m[1]!, m[2]!);
      assert.equal(form.get('grant_type'), 'password');
      const tokenUrl = /curl -s (\S+\/oauth2\/v2\.0\/token)/.exec(banner)?.[1];
      assert.ok(tokenUrl, banner);
      const token = (await (await fetch(tokenUrl, { method: 'POST', body: form })).json()) as { access_token: string };
      const me = await fetch(`${s.url}/v1.0/me`, { headers: { authorization: `Bearer ${token.access_token}` } });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { userPrincipalName: string }).userPrincipalName, form.get('username'));
    } finally {
      s.child.kill('SIGTERM');
      assert.equal((await s.exited).code, 0);
    }
  });

  it('serve exits non-zero with one line when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runLongrun(['serve', '--db', 'sqlite::memory:', '--port', String(port), '--log-level', 'silent']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`^longrun: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
      assert.equal(r.stderr.trim().split('\n').length, 1);
    } finally {
      blocker.close();
    }
  });

  it('serve exits non-zero with one line when the database cannot be opened', async () => {
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const r = await runLongrun(['serve', '--db', `sqlite:${join(dir, 'not-a-dir', 'x.db')}`, '--port', '0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^longrun: cannot open the database sqlite:/);
  });

  it('migrate creates the schema, then reports it up to date', async () => {
    const db = `sqlite:${join(dir, 'migrate.db')}`;
    const first = await runLongrun(['migrate', '--db', db]);
    assert.equal(first.code, 0, first.stderr);
    const latest = SQLITE_MIGRATIONS.at(-1)!.version;
    assert.match(
      first.stdout,
      new RegExp(`^migrated to schema version ${latest} \\(applied ${SQLITE_MIGRATIONS.map((m) => m.version).join(', ')}\\)`),
    );
    const second = await runLongrun(['migrate', '--db', db]);
    assert.match(second.stdout, new RegExp(`^schema is up to date \\(version ${latest}\\)`));
  });

  it('tenant generate is deterministic and tenant import accepts what it writes', async () => {
    const out = join(dir, 'gen.json');
    const a = await runLongrun(['tenant', 'generate', '--users', '25', '--seed', '9']);
    const b = await runLongrun(['tenant', 'generate', '--users', '25', '--seed', '9', '--out', out]);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    assert.equal(a.stdout, readFileSync(out, 'utf8'));
    const db = `sqlite:${join(dir, 'gen.db')}`;
    const imported = await runLongrun(['tenant', 'import', out, '--db', db]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^imported tenant [0-9a-f-]{36}: 25 users/);
    const { store } = await openStore(db);
    try {
      assert.equal((await store.directory.listUsers(JSON.parse(a.stdout).tenant.id)).length, 25);
    } finally {
      await store.close();
    }
  });

  it('tenant generate without --users is a usage error', async () => {
    const r = await runLongrun(['tenant', 'generate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--users N is required/);
  });
});
