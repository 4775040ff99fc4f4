#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with Node's test runner, once per
// storage backend: SQLite always; PostgreSQL when a server answers at LONGRUN_TEST_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres). Under CI=true PostgreSQL is required.
// Listing files explicitly keeps helper modules in test/ from being run as tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
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

function run(backend, files, extensions = '') {
  if (files.length === 0) return 0;
  console.log(`\n# ── storage backend: ${backend}${extensions ? `, extensions: ${extensions}` : ''} ──`);
  const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], {
    stdio: 'inherit',
    env: { ...process.env, LONGRUN_TEST_BACKEND: backend, LONGRUN_TEST_EXTENSIONS: extensions },
  });
  return result.status ?? 1;
}

// The client conformance suite runs twice: on Graph's own surface, and with the azure-lro
// extension (test/clients/support/client-harness.ts reads LONGRUN_TEST_EXTENSIONS).
const CLIENT_SUITE = join('dist', 'test', 'clients') + '/';
const runBackend = (backend, files) => run(backend, files) || run(backend, files.filter((f) => f.startsWith(CLIENT_SUITE)), 'azure-lro');

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

let status = 0;
if (!only || only === 'sqlite') status ||= runBackend('sqlite', files);
if (!only || only === 'postgres') {
  const reachable = await postgresReachable();
  if (reachable === true) {
    status ||= runBackend('postgres', files);
    await dropTestSchemas().catch(() => undefined);
  } else if (process.env.CI === 'true' || only === 'postgres') {
    console.error(`run-tests: PostgreSQL at ${DATABASE_URL} is required here but did not answer: ${reachable.message}`);
    status ||= 1;
  } else {
    console.log(`\n# NOTICE: PostgreSQL tests skipped: no server answered at ${DATABASE_URL} (${reachable.message}).`);
    console.log('# Start one (or set LONGRUN_TEST_DATABASE_URL) to run the suite on the PostgreSQL backend too.');
  }
}
process.exit(status);
