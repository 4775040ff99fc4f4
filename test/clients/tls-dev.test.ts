/**
 * `--tls-dev`: the development CA and server certificate (src/tls/dev-certificates.ts), the
 * `serve --tls-dev` command line (child process), and trust through NODE_EXTRA_CA_CERTS.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCommandLine } from '../../src/config/config.js';
import { devCertificateDir, devCertificateHosts, ensureDevCertificates } from '../../src/tls/dev-certificates.js';
import { startLongrun } from '../support/child-service.js';
import { startClientServer } from '../support/clients.js';

const dir = mkdtempSync(join(tmpdir(), 'longrun-tls-dev-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('development certificates', () => {
  it('makes a CA and a server certificate for localhost, 127.0.0.1, ::1 and the public host, once', async () => {
    const certDir = join(dir, 'once');
    const first = await ensureDevCertificates({ dir: certDir, hosts: devCertificateHosts('https://longrun.example:8443') });
    assert.deepEqual(first.created, { ca: true, server: true });
    const ca = new X509Certificate(first.ca);
    const cert = new X509Certificate(first.cert);
    assert.ok(ca.ca, 'the CA is a CA');
    assert.ok(!cert.ca);
    assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), 'the server certificate is signed by the CA');
    for (const host of ['localhost', 'longrun.example']) assert.equal(cert.checkHost(host), host);
    for (const ip of ['127.0.0.1', '::1']) assert.ok(cert.checkIP(ip), ip);
    assert.equal(statSync(join(certDir, 'longrun-dev-ca-key.pem')).mode & 0o777, 0o600);
    assert.equal(statSync(first.keyPath).mode & 0o777, 0o600);

    const again = await ensureDevCertificates({ dir: certDir, hosts: devCertificateHosts('https://longrun.example:8443') });
    assert.deepEqual(again.created, { ca: false, server: false });
    assert.ok(again.cert.equals(first.cert) && again.ca.equals(first.ca), 'files are reused on restart');

    // A new public host re-issues the server certificate with the same CA: clients keep trusting it.
    const moved = await ensureDevCertificates({ dir: certDir, hosts: devCertificateHosts('https://elsewhere.test') });
    assert.deepEqual(moved.created, { ca: false, server: true });
    assert.ok(moved.ca.equals(first.ca));
    assert.equal(new X509Certificate(moved.cert).checkHost('elsewhere.test'), 'elsewhere.test');
  });

  it('lives next to the SQLite file, or in ./data/tls', () => {
    assert.equal(devCertificateDir('sqlite:/var/lib/longrun/longrun.db'), '/var/lib/longrun/tls');
    assert.equal(devCertificateDir('sqlite:./data/longrun.db', '/srv'), '/srv/data/tls');
    assert.equal(devCertificateDir('sqlite::memory:', '/srv'), '/srv/data/tls');
    assert.equal(devCertificateDir('postgres://u@h/db', '/srv'), '/srv/data/tls');
  });

  it('--tls-dev / LONGRUN_TLS_DEV parse, and exclude --tls-cert', () => {
    assert.equal(parseCommandLine(['--tls-dev'], {}).config.tlsDev, true);
    assert.equal(parseCommandLine([], { LONGRUN_TLS_DEV: 'true' }).config.tlsDev, true);
    assert.equal(parseCommandLine([], {}).config.tlsDev, false);
    assert.throws(() => parseCommandLine([], { LONGRUN_TLS_DEV: 'yes' }), /LONGRUN_TLS_DEV: expected true or false/);
    assert.throws(() => parseCommandLine(['--tls-dev', '--tls-cert', 'a', '--tls-key', 'b'], {}), /--tls-dev and --tls-cert/);
  });
});

describe('longrun serve --tls-dev (child process)', () => {
  it('serves https, prints the CA path, and reuses the CA on restart', async () => {
    const db = join(dir, 'serve', 'longrun.db');
    const caPath = join(dir, 'serve', 'tls', 'longrun-dev-ca.pem');
    const run = async () => {
      const child = await startLongrun([
        'serve',
        '--tls-dev',
        '--db',
        `sqlite:${db}`,
        '--port',
        '0',
        '--no-demo',
        '--concurrency',
        '0',
        '--log-level',
        'silent',
      ]);
      try {
        assert.match(child.url, /^https:\/\/127\.0\.0\.1:\d+$/);
        await waitFor(() => child.stdout().includes('TLS development CA: '));
        assert.ok(child.stdout().includes(`NODE_EXTRA_CA_CERTS=${caPath}`), child.stdout());
        const res = await fetchWithCa(`${child.url}/healthz`, caPath);
        assert.equal(res, '{"status":"ok"}');
        return readFileSync(caPath);
      } finally {
        child.child.kill('SIGTERM');
        await child.exited;
      }
    };
    const firstCa = await run();
    const secondCa = await run();
    assert.ok(secondCa.equals(firstCa), 'the same CA after a restart');
  });
});

describe('trust through NODE_EXTRA_CA_CERTS', () => {
  it("Node's fetch in a process started with NODE_EXTRA_CA_CERTS trusts the dev CA; without it, it does not", async () => {
    const server = await startClientServer({ tls: true, startExecutor: false });
    try {
      const caPath = server.certificates!.caPath;
      assert.equal(await fetchWithCa(`${server.url}/healthz`, caPath), '{"status":"ok"}');
      await assert.rejects(fetchWithCa(`${server.url}/healthz`, undefined), /fetch failed|certificate/);
    } finally {
      await server.close();
    }
  });
});

/** GETs `url` from a child Node process, trusting `caPath` through NODE_EXTRA_CA_CERTS. */
function fetchWithCa(url: string, caPath: string | undefined): Promise<string> {
  const script = `fetch(${JSON.stringify(url)}).then(r => r.text()).then(t => process.stdout.write(t), e => { process.stderr.write(String(e.cause ?? e)); process.exit(1); })`;
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  if (caPath) env.NODE_EXTRA_CA_CERTS = caPath;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`fetch failed: ${err}`))));
  });
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
