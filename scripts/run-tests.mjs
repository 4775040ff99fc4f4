#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's test runner, once per
// storage backend: SQLite always; PostgreSQL when a server answers at LONGRUN_TEST_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres). Under CI=true PostgreSQL is required.
// Both passes run even when the first fails (a SQLite failure must not hide a PostgreSQL one);
// a summary line per backend is printed at the end and the exit code is non-zero if either failed.
// Listing files explicitly keeps helper modules in test/ from being run as tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const DATABASE_URL = process.env.LONGRUN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : [],
  );
}

/** Drops the per-test schemas a PostgreSQL run leaves behind. */
async function dropTestSchemas() {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lr\\_test\\_%'`);
  for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  await client.end();
}

async function postgresReachable() {
  try {
    await dropTestSchemas();
    return true;
  } catch (e) {
    return e;
  }
}

/**
 * One pass of Node's test runner. Its usual reporter writes to the terminal; a second TAP
 * reporter writes to a file whose closing `# pass N` / `# fail N` lines give the counts.
 */
function run(backend, files, extensions = '') {
  console.log(`\n# ── storage backend: ${backend}${extensions ? `, extensions: ${extensions}` : ''} ──`);
  const dir = mkdtempSync(join(tmpdir(), 'longrun-run-tests-'));
  const tap = join(dir, 'report.tap');
  const reporter = process.stdout.isTTY ? 'spec' : 'tap';
  const result = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-concurrency=2',
      `--test-reporter=${reporter}`,
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, LONGRUN_TEST_BACKEND: backend, LONGRUN_TEST_EXTENSIONS: extensions } },
  );
  const counts = { pass: 0, fail: 0, skipped: 0, cancelled: 0 };
  try {
    const text = readFileSync(tap, 'utf8');
    for (const key of Object.keys(counts)) {
      const match = [...text.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].at(-1);
      if (match) counts[key] = Number(match[1]);
    }
  } catch {
    // no report: the runner died before writing one; the exit status says so
  }
  rmSync(dir, { recursive: true, force: true });
  return { backend: extensions ? `${backend} (${extensions})` : backend, ok: (result.status ?? 1) === 0, ...counts };
}

/** `backend: N passed, N failed, N skipped`: the plain closing line any CI reads. */
const line = (label, r) => `${label}: ${r.pass} passed, ${r.fail + r.cancelled} failed, ${r.skipped} skipped`;

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--backend='))?.slice('--backend='.length);
const filter = args.filter((a) => !a.startsWith('--'));
const files = find('dist/test')
  .filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/test (did the build run?)');
  process.exit(1);
}

// The client conformance suite runs twice: on Graph's own surface, and with the azure-lro
// extension (test/support/clients.ts reads LONGRUN_TEST_EXTENSIONS).
const CLIENT_SUITE = join('dist', 'test', 'clients') + '/';
const runBackend = (backend) => {
  results.push(run(backend, files));
  const clientFiles = files.filter((f) => f.startsWith(CLIENT_SUITE));
  if (clientFiles.length > 0) results.push(run(backend, clientFiles, 'azure-lro'));
};

const results = [];
if (!only || only === 'sqlite') runBackend('sqlite');
if (!only || only === 'postgres') {
  const reachable = await postgresReachable();
  if (reachable === true) {
    runBackend('postgres');
    await dropTestSchemas().catch(() => undefined);
  } else if (process.env.CI === 'true' || only === 'postgres') {
    console.error(`run-tests: PostgreSQL at ${DATABASE_URL} is required here but did not answer: ${reachable.message}`);
    results.push({ backend: 'postgres', ok: false, pass: 0, fail: 1, skipped: 0, cancelled: 0 });
  } else {
    console.log(`\n# NOTICE: PostgreSQL tests skipped: no server answered at ${DATABASE_URL} (${reachable.message}).`);
    console.log('# Start one (or set LONGRUN_TEST_DATABASE_URL) to run the suite on the PostgreSQL backend too.');
  }
}

console.log('\n# ── run-tests summary ──');
for (const r of results) console.log(`${line(r.backend, r)}${r.ok ? '' : ' (FAILED)'}`);
const total = results.reduce(
  (t, r) => ({ pass: t.pass + r.pass, fail: t.fail + r.fail, skipped: t.skipped + r.skipped, cancelled: t.cancelled + r.cancelled }),
  {
    pass: 0,
    fail: 0,
    skipped: 0,
    cancelled: 0,
  },
);
// A pass that failed without a failed test (a crash, an unreachable server) still counts as one failure.
if (results.some((r) => !r.ok) && total.fail + total.cancelled === 0) total.fail = 1;
console.log(line('total', total));
process.exit(results.every((r) => r.ok) ? 0 : 1);
