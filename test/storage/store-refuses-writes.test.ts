import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/storage/open.js';
import { TEST_DATABASE_URL } from '../support/backends.js';
import { serveArgs, startLongrun, type RunningChild } from '../support/child-service.js';
import { DEMO_CLIENT, DEMO_DOMAIN, fetchToken, GRAPH_DEFAULT_SCOPE, passwordGrantForm } from '../support/harness.js';
import { TEST_BACKEND } from '../support/store.js';
import { waitFor } from '../support/wait-for.js';

const nodeArgs = (db: string) => serveArgs(db, { concurrency: 4, leaseSeconds: 2, logLevel: 'fatal' });

/** Root on Linux, and allowed to mount (a container without CAP_SYS_ADMIN is not). */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'longrun-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const NEEDS_ROOT = !canMountTmpfs() && 'SKIPPED: needs root (Linux, allowed to mount) to mount a small tmpfs and fill it';
const skipUnless = (backend: 'sqlite' | 'postgres', extra: string | false = false) =>
  TEST_BACKEND !== backend ? `runs in the ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} pass` : extra;

const RESET = '/v1.0/users/alex@contoso.onmicrosoft.com/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword';
const ADMIN = ['authadmin@contoso.onmicrosoft.com', 'Demo-AuthAdm1n-Pass!'] as const;

interface Refusal {
  /** Makes the store refuse writes (fill the disk, make the database read-only). */
  refuse(): Promise<void>;
  /** Gives the space or the write access back. */
  restore(): Promise<void>;
}

/** A small tmpfs mounted at a fresh directory (root only), and a file that fills it. */
function smallTmpfs(sizeMb: number): { dir: string; fill(): void; free(): void; unmount(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0777`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      try {
        for (const chunk of [1 << 20, 4096, 512]) {
          const buffer = Buffer.alloc(chunk, 1);
          for (;;) {
            try {
              writeSync(fd, buffer);
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw e;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const resetRequest = (node: RunningChild, token: string, n: number) =>
  fetch(`${node.url}${RESET}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ newPassword: `Rf-${n}-Kx7!vQ2m-Tb9` }),
  });

/**
 * The bad day, end to end on a real `longrun serve`: resets acknowledged before; the store
 * refuses; writes answer 503 serviceNotAvailable with Retry-After in Graph's envelope (the token
 * endpoint in Entra's shape), reads still answer, /readyz says not ready, the process stays up;
 * the store comes back; without a restart the node is ready and takes resets again, and every
 * acknowledged reset succeeded with its effect exactly once.
 */
async function refuseAndRecover(db: string, refusal: Refusal): Promise<void> {
  const node = await startLongrun(nodeArgs(db));
  try {
    const token = await fetchToken(node.url, DEMO_DOMAIN, passwordGrantForm(DEMO_CLIENT, ...ADMIN, [GRAPH_DEFAULT_SCOPE]));
    const acknowledged: string[] = [];
    let n = 0;
    for (; n < 5; n++) {
      const r = await resetRequest(node, token, n);
      assert.equal(r.status, 202, await r.text());
      acknowledged.push(r.headers.get('location')!);
    }

    await refusal.refuse();
    // A store may still take a few writes (SQLite reuses its WAL's space): go on until it refuses.
    const refused = await waitFor(
      async () => {
        const r = await resetRequest(node, token, n++);
        if (r.status === 202) {
          acknowledged.push(r.headers.get('location')!);
          return undefined;
        }
        return r;
      },
      { timeoutMs: 30_000, intervalMs: 50, message: 'a reset is refused' },
    );
    assert.equal(refused.status, 503);
    assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
    const body = (await refused.json()) as { error: { code: string; innerError: { 'request-id': string } } };
    assert.equal(body.error.code, 'serviceNotAvailable');
    assert.equal(body.error.innerError['request-id'], refused.headers.get('request-id'));

    const ready = await waitFor(
      async () => {
        const r = await fetch(`${node.url}/readyz`);
        return r.status === 503 ? r : undefined;
      },
      { timeoutMs: 10_000, message: '/readyz reports not ready' },
    );
    assert.match(ready.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(((await ready.json()) as { status: string }).status, 'unavailable');
    assert.equal((await fetch(`${node.url}/healthz`)).status, 200, 'the process is alive');
    const read = await fetch(acknowledged[0]!, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 200, 'an acknowledged operation can still be read');
    const grant = await fetch(`${node.url}/${DEMO_DOMAIN}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams(passwordGrantForm(DEMO_CLIENT, ...ADMIN, [GRAPH_DEFAULT_SCOPE])),
    });
    if (grant.status !== 200) {
      assert.equal(grant.status, 503, 'a token request is served or refused as transient, never a 500');
      assert.equal(((await grant.json()) as { error: string }).error, 'temporarily_unavailable');
      assert.match(grant.headers.get('retry-after') ?? '', /^\d+$/);
    }

    await refusal.restore();
    await waitFor(async () => (await fetch(`${node.url}/readyz`)).status === 200, {
      timeoutMs: 20_000,
      message: '/readyz is ready again',
    });
    const after = await waitFor(
      async () => {
        const r = await resetRequest(node, token, n++);
        return r.status === 202 ? r : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, message: 'a reset is accepted again' },
    );
    acknowledged.push(after.headers.get('location')!);
    assert.equal(node.child.exitCode, null, 'served without a restart');

    const { store } = await openStore(db);
    try {
      const ids = acknowledged.map((l) => new URL(l).pathname.split('/').at(-1)!);
      await waitFor(async () => (await store.operations.endedAmong(ids)).length === ids.length, {
        timeoutMs: 30_000,
        intervalMs: 200,
        message: 'every acknowledged reset ended',
      });
      for (const id of ids) {
        const op = await store.operations.get(id);
        assert.equal(op?.status, 'succeeded', `acknowledged reset ${id} succeeded (${op?.statusDetail})`);
        assert.equal((await store.audit.forOperation(id)).length, 1, `reset ${id} applied its effect once`);
      }
    } finally {
      await store.close();
    }
  } finally {
    node.child.kill('SIGTERM');
    await node.exited;
  }
}

describe('a store that refuses writes answers 503 and recovers without a restart', () => {
  it('SQLite on a full disk (a filled tmpfs)', { skip: skipUnless('sqlite', NEEDS_ROOT) }, async () => {
    const disk = smallTmpfs(32);
    try {
      await refuseAndRecover(`sqlite:${join(disk.dir, 'longrun.db')}`, {
        refuse: async () => disk.fill(),
        restore: async () => disk.free(),
      });
    } finally {
      disk.unmount();
    }
  });

  it('PostgreSQL in read-only mode (default_transaction_read_only, sessions reconnected)', { skip: skipUnless('postgres') }, async () => {
    await withFreshDatabase(async (url, name, admin) => {
      const dropSessions = () =>
        admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
      await refuseAndRecover(url, {
        refuse: async () => {
          // What a failover to a standby, or an operator's switch, looks like to the node.
          await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
          await dropSessions();
        },
        // Only the setting is lifted: the node's read-only sessions must be replaced by the node itself.
        restore: async () => void (await admin.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`)),
      });
    });
  });

  it(
    'PostgreSQL on a full disk (a tablespace on a filled tmpfs: 53100 disk_full)',
    { skip: skipUnless('postgres', NEEDS_ROOT) },
    async () => {
      const disk = smallTmpfs(16);
      const space = `lr_full_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        const location = join(disk.dir, 'pg');
        execFileSync('mkdir', [location]);
        chownSync(location, uid('postgres'), gid('postgres'));
        await admin.query(`CREATE TABLESPACE ${space} LOCATION '${location}'`);
        await withFreshDatabase(
          (url) =>
            refuseAndRecover(url, {
              refuse: async () => disk.fill(),
              restore: async () => disk.free(),
            }),
          space,
        );
      } finally {
        await admin.query(`DROP TABLESPACE IF EXISTS ${space}`).catch(() => undefined);
        await admin.end();
        disk.unmount();
      }
    },
  );
});

/** A database of its own on the test server (settings such as read-only apply per database). */
async function withFreshDatabase(fn: (url: string, name: string, admin: pg.Client) => Promise<void>, tablespace?: string): Promise<void> {
  const name = `lr_refuse_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${tablespace ? ` TABLESPACE ${tablespace}` : ''}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    await fn(url.href, name, admin);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const uid = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gid = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());
