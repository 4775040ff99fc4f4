import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/store.js';
import { TEST_DATABASE_URL } from '../support/backends.js';
import { runLongrun, serveArgs, startLongrun, type RunningChild } from '../support/child-service.js';
import { clientCredentialsForm, DEMO_CLIENT, DEMO_DOMAIN, fetchToken, GRAPH_DEFAULT_SCOPE, passwordGrantForm } from '../support/harness.js';
import { TEST_BACKEND } from '../support/store.js';
import { waitFor } from '../support/wait-for.js';

const nodeArgs = (db: string) => serveArgs(db, { concurrency: 4, leaseSeconds: 2, logLevel: 'error' });

const ONLY_SQLITE = TEST_BACKEND !== 'sqlite' && 'runs in the SQLite pass';
const PG_DUMP = ['pg_dump', 'pg_restore'].every((tool) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
});
const ONLY_POSTGRES_WITH_PG_DUMP =
  TEST_BACKEND !== 'postgres' ? 'runs in the PostgreSQL pass' : !PG_DUMP && 'SKIPPED: pg_dump/pg_restore not installed (CI has them)';

const ALEX = 'alex@contoso.onmicrosoft.com';
const RESET = `/v1.0/users/${ALEX}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`;
const RESETS = 200;

async function stop(node: RunningChild): Promise<void> {
  node.child.kill('SIGTERM');
  await node.exited;
}

/**
 * Sends RESETS password resets (8 at a time) to a serving node; `during` runs once a quarter of
 * them were acknowledged, while the rest keep coming. A control rule shapes every reset (queued
 * 1 s, then running 3 s: a real handler and effect at the end) so the backup surely catches
 * operations queued, running and succeeded, whatever the machine's speed.
 */
async function resetsDuringBackup(node: RunningChild, during: () => Promise<void>): Promise<{ before: number; after: number }> {
  const control = await fetchToken(node.url, DEMO_DOMAIN, clientCredentialsForm(DEMO_CLIENT));
  const rule = await fetch(`${node.url}/_longrun/v1/rules`, {
    method: 'POST',
    headers: { authorization: `Bearer ${control}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'operation',
      match: { kind: 'passwordReset' },
      timeline: { notStartedSeconds: 1, runningSeconds: 3 },
    }),
  });
  assert.equal(rule.status, 201, await rule.text());
  const admin = await fetchToken(
    node.url,
    DEMO_DOMAIN,
    passwordGrantForm(DEMO_CLIENT, 'authadmin@contoso.onmicrosoft.com', 'Demo-AuthAdm1n-Pass!', [GRAPH_DEFAULT_SCOPE]),
  );
  let sent = 0;
  let acknowledged = 0;
  let backup: Promise<void> | undefined;
  const seen = { before: 0, after: 0 };
  const client = async () => {
    while (sent < RESETS) {
      const n = sent++;
      const r = await fetch(`${node.url}${RESET}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ newPassword: `Bk-${n}-Qx7!vZ2m-Lp4` }),
      });
      assert.equal(r.status, 202, await r.text());
      acknowledged++;
      if (!backup && acknowledged >= RESETS / 4) {
        seen.before = acknowledged;
        backup = during().then(() => void (seen.after = acknowledged));
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
  await backup;
  return seen;
}

interface CopyState {
  ids: string[];
  unfinished: string[];
}

/**
 * The copy's invariants: every reset is succeeded with exactly one audit entry, or not yet
 * finished with none; nothing failed; the user's password hash is one a succeeded reset set.
 */
async function assertConsistent(store: Store, expectAllDone: boolean): Promise<CopyState> {
  const rows = await store.db.query<{ id: string; status: string; input: string }>(
    `SELECT id, status, input FROM operations WHERE kind = 'passwordReset' ORDER BY created_at`,
  );
  const audits = await store.db.query<{ operation_id: string; n: number }>(
    `SELECT operation_id, COUNT(*) AS n FROM audit_events WHERE operation_id IS NOT NULL GROUP BY operation_id`,
  );
  const auditCount = new Map(audits.map((a) => [a.operation_id, Number(a.n)]));
  const succeededHashes = new Set<string>();
  const unfinished: string[] = [];
  for (const row of rows) {
    const audited = auditCount.get(row.id) ?? 0;
    assert.notEqual(row.status, 'failed', `operation ${row.id} failed`);
    if (row.status === 'succeeded') {
      assert.equal(audited, 1, `succeeded operation ${row.id} has exactly one audit entry`);
      succeededHashes.add((JSON.parse(row.input) as { passwordHash: string }).passwordHash);
    } else {
      assert.equal(audited, 0, `unfinished operation ${row.id} (${row.status}) applied nothing`);
      unfinished.push(row.id);
    }
  }
  if (expectAllDone) assert.deepEqual(unfinished, [], 'every operation of the copy completed on it');
  if (succeededHashes.size > 0) {
    const tenant = await store.directory.findTenant(DEMO_DOMAIN);
    const alex = await store.directory.findUserCredentials(tenant!.id, ALEX);
    assert.ok(succeededHashes.has(alex!.passwordHash!), "the user's password is the one a succeeded reset set");
  }
  return { ids: rows.map((r) => r.id), unfinished };
}

/** Serves from the restored copy until every operation it holds has ended, then checks it again. */
async function serveCopyToCompletion(copyUrl: string, atSnapshot: CopyState): Promise<void> {
  const node = await startLongrun(nodeArgs(copyUrl));
  try {
    const { store } = await openStore(copyUrl);
    try {
      await waitFor(async () => (await store.operations.endedAmong(atSnapshot.ids)).length === atSnapshot.ids.length || undefined, {
        timeoutMs: 60_000,
        intervalMs: 200,
        message: 'every operation of the copy ended',
      });
      await assertConsistent(store, true);
    } finally {
      await store.close();
    }
  } finally {
    await stop(node);
  }
}

describe('backup of a live SQLite database (longrun backup)', () => {
  it(
    `a copy taken during ${RESETS} password resets holds no half-applied operation, and a node on it completes the rest`,
    { skip: ONLY_SQLITE },
    async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'longrun-backup-'));
      try {
        const live = `sqlite:${join(dir, 'live.db')}`;
        const out = join(dir, 'copy.db');
        const node = await startLongrun(nodeArgs(live));
        let backupOutput = '';
        try {
          const seen = await resetsDuringBackup(node, async () => {
            const r = await runLongrun(['backup', '--db', live, '--out', out]);
            assert.equal(r.code, 0, r.stderr);
            backupOutput = r.stdout;
          });
          assert.ok(seen.after > seen.before || seen.after < RESETS, 'resets were acknowledged while the backup ran');
        } finally {
          await stop(node);
        }
        assert.match(backupOutput, /^backed up sqlite:.* to .*copy\.db: \d+ pages, \d+ bytes, schema version \d+\n$/);
        assert.equal(statSync(out).mode & 0o777, 0o600, 'the copy is owner-only, like the database');
        assert.deepEqual(
          readdirSync(dir).filter((f) => f.includes('.partial-')),
          [],
          'no temporary file is left behind',
        );

        const copyUrl = `sqlite:${out}`;
        const { store } = await openStore(copyUrl);
        let atSnapshot: CopyState;
        try {
          atSnapshot = await assertConsistent(store, false);
        } finally {
          await store.close();
        }
        assert.ok(atSnapshot.ids.length >= RESETS / 4, `the copy holds the resets acknowledged before it (${atSnapshot.ids.length})`);
        assert.ok(atSnapshot.unfinished.length > 0, 'the copy caught some resets before they finished');
        t.diagnostic(`copy holds ${atSnapshot.ids.length} resets, ${atSnapshot.unfinished.length} unfinished`);
        await serveCopyToCompletion(copyUrl, atSnapshot);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    'refuses an existing out file without --force, replaces it with --force, explains pg_dump for PostgreSQL',
    { skip: ONLY_SQLITE },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'longrun-backup-'));
      try {
        const db = `sqlite:${join(dir, 'live.db')}`;
        assert.equal((await runLongrun(['migrate', '--db', db])).code, 0);
        const out = join(dir, 'copy.db');
        writeFileSync(out, 'precious');
        const refused = await runLongrun(['backup', '--db', db, '--out', out]);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /copy\.db exists; choose another file or pass --force/);
        const forced = await runLongrun(['backup', '--db', db, '--out', out, '--force']);
        assert.equal(forced.code, 0, forced.stderr);
        const { store } = await openStore(`sqlite:${out}`);
        assert.ok((await store.schema.version()) > 0, 'the replaced file is a database');
        await store.close();

        const postgres = await runLongrun(['backup', '--db', 'postgres://u@127.0.0.1:1/x', '--out', join(dir, 'pg.db')]);
        assert.equal(postgres.code, 2);
        assert.match(postgres.stderr, /pg_dump --format=custom/);
        assert.match(postgres.stderr, /pg_restore --dbname=/);
        const noOut = await runLongrun(['backup', '--db', db]);
        assert.equal(noOut.code, 2);
        assert.match(noOut.stderr, /--out FILE is required/);
        const missing = await runLongrun(['backup', '--db', `sqlite:${join(dir, 'none.db')}`, '--out', join(dir, 'x.db')]);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /no database at/);
        assert.equal(existsSync(join(dir, 'x.db')), false);
        const help = await runLongrun(['backup', '--help']);
        assert.equal(help.code, 0);
        assert.match(help.stdout, /^longrun backup --db sqlite:PATH --out FILE \[--force\]/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('backup of a live PostgreSQL database (pg_dump, the documented recipe)', () => {
  it(
    `a dump taken during ${RESETS} password resets restores into a new database with no half-applied operation; a node on it completes the rest`,
    { skip: ONLY_POSTGRES_WITH_PG_DUMP },
    async (t) => {
      const suffix = randomBytes(4).toString('hex');
      const [liveDb, copyDb] = [`lr_bk_live_${suffix}`, `lr_bk_copy_${suffix}`];
      const urlOf = (name: string) => {
        const u = new URL(TEST_DATABASE_URL);
        u.pathname = `/${name}`;
        return u.href;
      };
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      const dir = mkdtempSync(join(tmpdir(), 'longrun-pgdump-'));
      try {
        await admin.query(`CREATE DATABASE ${liveDb}`);
        await admin.query(`CREATE DATABASE ${copyDb}`);
        const dump = join(dir, 'longrun.dump');
        const node = await startLongrun(nodeArgs(urlOf(liveDb)));
        try {
          await resetsDuringBackup(node, async () => {
            execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, urlOf(liveDb)], { stdio: 'pipe' });
          });
        } finally {
          await stop(node);
        }
        execFileSync('pg_restore', [`--dbname=${urlOf(copyDb)}`, '--no-owner', dump], { stdio: 'pipe' });

        const { store } = await openStore(urlOf(copyDb));
        let atSnapshot: CopyState;
        try {
          atSnapshot = await assertConsistent(store, false);
        } finally {
          await store.close();
        }
        assert.ok(atSnapshot.ids.length >= RESETS / 4, `the copy holds the resets acknowledged before it (${atSnapshot.ids.length})`);
        assert.ok(atSnapshot.unfinished.length > 0, 'the copy caught some resets before they finished');
        t.diagnostic(`dump holds ${atSnapshot.ids.length} resets, ${atSnapshot.unfinished.length} unfinished`);
        await serveCopyToCompletion(urlOf(copyDb), atSnapshot);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await admin.query(`DROP DATABASE IF EXISTS ${liveDb} WITH (FORCE)`);
        await admin.query(`DROP DATABASE IF EXISTS ${copyDb} WITH (FORCE)`);
        await admin.end();
      }
    },
  );
});
