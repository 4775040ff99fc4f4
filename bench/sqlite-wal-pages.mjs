// The pages (WAL frames) each transaction of a password reset writes on SQLite, by table and
// index (issue #16). On a loaded 2-CPU machine every page costs two `pwrite64` calls at commit;
// this says which b-trees they belong to, to weigh a schema change before making it.
//
//   npm run build && node bench/sqlite-wal-pages.mjs
//
// A migrated SQLite file with the demo tenant plus BENCH_RESETS (default 50) plain users. For
// each user, the three write transactions of a reset run one by one through the product's own
// code: the request's (startPasswordReset: the operation and its `created` event), the
// executor's claim round, and the finish (the handler's outcome through GroupCommit: the status,
// the new hash, the session cut-off and the audit entry). After each, the WAL's frame headers
// are read (each names the page it holds), the pages are mapped to their b-tree with SQLite's
// `dbstat` table, and the WAL is checkpointed and truncated for the next transaction.
// Prints the mean pages per transaction by b-tree. Exits 1 unless every reset succeeded.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROLE } from '../dist/src/directory/roles.js';
import { GroupCommit } from '../dist/src/operations/group-commit.js';
import { passwordResetHandler } from '../dist/src/passwords/password-reset-handler.js';
import { startPasswordReset } from '../dist/src/passwords/start-password-reset.js';
import { TenantTime } from '../dist/src/shared/tenant-time.js';
import { openStore } from '../dist/src/storage/open.js';
import { fmt, intEnv, printTable } from './lib/common.mjs';
import { DEMO } from './lib/demo-database.mjs';
import { freshPassword, importDemoWithLoadUsers, loadUserId } from './lib/load-users.mjs';

const RESETS = Math.max(1, intEnv('BENCH_RESETS', 50));

const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-wal-pages-'));
const path = join(dir, 'bench.db');
const { store } = await openStore('sqlite:' + path);
const { fixture, tenantId } = await importDemoWithLoadUsers(store, RESETS);
const admin = fixture.users.find((u) => u.userPrincipalName === DEMO.username);

// A second connection reads the WAL's page map and checkpoints between transactions.
const observer = new Database(path);
/** page number → the table or index it belongs to (SQLite's dbstat). */
const btreeOf = () =>
  new Map(
    observer
      .prepare('SELECT pageno, name FROM dbstat')
      .all()
      .map((r) => [r.pageno, r.name]),
  );
const pages = { request: {}, claim: {}, finish: {} };
function countWal(transaction) {
  const wal = readFileSync(path + '-wal');
  const pageSize = wal.readUInt32BE(8);
  const names = btreeOf();
  // A 32-byte WAL header, then frames: a 24-byte header (page number first) and the page.
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    const name = names.get(wal.readUInt32BE(at)) ?? 'other';
    pages[transaction][name] = (pages[transaction][name] ?? 0) + 1;
  }
  observer.pragma('wal_checkpoint(TRUNCATE)');
}

const clock = { now: () => Date.now() };
const tenantTime = new TenantTime(clock, store.tenantClocks);
const commits = new GroupCommit({ store, clock, onTerminal: [] });
const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };
observer.pragma('wal_checkpoint(TRUNCATE)');
for (let i = 1; i <= RESETS; i++) {
  const target = await store.directoryReads.findUser(tenantId, loadUserId(i));
  await startPasswordReset(
    { store, clock },
    {
      caller: { tenantId: tenantId, objectId: admin.id, roleTemplateIds: [ROLE.privilegedAuthenticationAdministrator] },
      target,
      newPassword: freshPassword(i),
      retryKey: undefined,
      operationUrl: (id) => `https://graph.invalid/operations/${id}`,
      resourceLocation: 'https://graph.invalid/method',
    },
  );
  countWal('request');
  const { claimed } = await store.transaction((tx) => tx.timelines.claimRound('bench', Date.now(), 60_000, 1, 0));
  countWal('claim');
  const [op] = claimed;
  const outcome = await passwordResetHandler.run({
    operation: op,
    store,
    clock,
    signal: new AbortController().signal,
    logger: silent,
    tenantTime,
  });
  await commits.commit(op, outcome);
  countWal('finish');
}
const succeeded = Number(
  observer.prepare(`SELECT COUNT(*) AS n FROM operations WHERE kind = 'passwordReset' AND status = 'succeeded'`).get().n,
);
observer.close();
await store.close();
await rm(dir, { recursive: true, force: true });

const btrees = [...new Set(Object.values(pages).flatMap((p) => Object.keys(p)))].sort();
const mean = (n) => fmt((n ?? 0) / RESETS, 2);
console.log(`pages (WAL frames) written per transaction of a password reset, mean of ${RESETS} resets, SQLite`);
printTable([
  ['table or index', 'request', 'claim', 'finish'],
  ...btrees.map((b) => [b, mean(pages.request[b]), mean(pages.claim[b]), mean(pages.finish[b])]),
  ...[['total'].concat(['request', 'claim', 'finish'].map((t) => mean(Object.values(pages[t]).reduce((a, b) => a + b, 0))))],
]);
console.log(`check: ${succeeded}/${RESETS} succeeded ${succeeded === RESETS ? '(ok)' : '(MISMATCH)'}`);
if (succeeded !== RESETS) process.exit(1);
