// Why SQLite connections set `temp_store = MEMORY` (issue #16): one claim-round statement, on a
// migrated database, with temporary tables in files (SQLite's build default here) and in memory.
//
//   npm run build && node bench/sqlite-temp-store.mjs
//
// The statements of a claim round materialize a CTE and an IN list: each is an ephemeral table.
// With the file default, and one connection to the file in the process (as `longrun serve` has),
// every execution spends most of its time in system calls, even when the queue is empty.
// (A second connection to the same file in the process hides the cost; so the bench opens one.)
// Prints CPU (user + system) and wall time per execution, in one run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../dist/src/storage/open.js';
import { claimSql, runningPhaseSql } from '../dist/src/storage/operation-sql.js';
import { SQLITE_DIALECT } from '../dist/src/storage/sqlite/sqlite-database.js';
import { fmt, intEnv, printTable } from './lib/common.mjs';

const RUNS = intEnv('BENCH_RUNS', 3000);
const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-temp-store-'));
const path = join(dir, 'bench.db');
{
  const { store } = await openStore('sqlite:' + path); // migrates
  await store.close();
}

const phase = runningPhaseSql(SQLITE_DIALECT);
const claim = claimSql(SQLITE_DIALECT);
const statements = [
  ['planned runs due (empty queue)', `WITH ${phase.due} ${phase.update}`, (now) => [now, 1000, now]],
  ['claim (empty queue)', `WITH ${claim.candidates} ${claim.update}`, (now) => [now, 8, 'token', 'owner', now + 30_000, now]],
];
const rows = [['statement', 'temp_store', 'CPU µs', 'of which system', 'wall µs']];
for (const [name, sql, params] of statements) {
  for (const mode of ['FILE', 'MEMORY']) {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`temp_store = ${mode}`);
    const stmt = db.prepare(sql);
    for (let i = 0; i < 200; i++) stmt.all(...params(Date.now())); // warm-up
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < RUNS; i++) stmt.all(...params(Date.now()));
    const used = process.cpuUsage(cpu);
    rows.push([
      name,
      mode,
      fmt((used.user + used.system) / RUNS, 1),
      fmt(used.system / RUNS, 1),
      fmt(((performance.now() - t0) / RUNS) * 1000, 1),
    ]);
    db.close();
  }
}
await rm(dir, { recursive: true, force: true });
console.log(`SQLite statements of a claim round, ${RUNS} executions each, autocommit, temp dir ${tmpdir()}`);
printTable(rows);
