/**
 * No clear secret is ever written down: after resets with a given and a generated password (one
 * of them with a retry key, so the idempotency table is exercised too), neither password nor
 * the client secret appears in the SQLite database file, its -wal file or the debug logs.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TEST_BACKEND } from '../support/backends.js';
import { APP, CALLERS, PEOPLE } from '../support/fixtures/reset-tenant.js';
import {
  buildHarness,
  createLogger,
  LogSink,
  passwordGrant,
  pollLocation,
  resetPassword,
  runOperations,
  userToken,
  type Harness,
} from '../support/passwords.js';

describe('resetPassword: no clear password in the database, its WAL or the logs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-secrecy-'));
  const dbFile = join(dir, 'longrun.db');
  const sink = new LogSink();
  let h: Harness;
  const given = 'Given-Hush-Kq81-Zt!w';
  let generated = '';
  let dbUrl = '';

  before(async () => {
    dbUrl = TEST_BACKEND === 'postgres' ? (await createTestDatabase()).url : `sqlite:${dbFile}`;
    h = await buildHarness({ dbUrl, logger: createLogger('debug', sink) });
    const admin = await userToken(h, CALLERS.authAdmin);
    const first = await resetPassword(
      h,
      admin,
      PEOPLE.erin.id,
      { newPassword: given },
      { headers: { 'Repeatability-Request-ID': 'secrecy-1' } },
    );
    assert.equal(first.status, 202);
    const retry = await resetPassword(
      h,
      admin,
      PEOPLE.erin.id,
      { newPassword: given },
      { headers: { 'Repeatability-Request-ID': 'secrecy-1' } },
    );
    assert.equal(retry.headers.location, first.headers.location);
    const second = await resetPassword(h, admin, PEOPLE.alice.id, {}, { headers: { 'client-request-id': 'secrecy-2' } });
    generated = second.body.newPassword;
    assert.equal(typeof generated, 'string');
    await runOperations(h);
    for (const res of [first, second]) {
      const op = (await pollLocation(h, admin, res.headers.location)).body;
      assert.equal(op.status, 'succeeded', op.statusDetail);
    }
    // The resets took effect, so the secrets were really handled by the service.
    // The new password is right, and must now be changed at sign-in (AADSTS50055, not 50126).
    assert.deepEqual((await passwordGrant(h, PEOPLE.erin.userPrincipalName, given)).body.error_codes, [50055]);
    // The new password is right, and must now be changed at sign-in (AADSTS50055, not 50126).
    assert.deepEqual((await passwordGrant(h, PEOPLE.alice.userPrincipalName, generated)).body.error_codes, [50055]);
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const secrets = () =>
    [
      ['the given password', given],
      ['the generated password', generated],
      ['the client secret', APP.secret],
    ] as const;

  it('every table of the database, read back through SQL', async () => {
    let dump = '';
    for (const table of ['users', 'operations', 'operation_events', 'idempotency_keys', 'audit_events', 'applications']) {
      dump += JSON.stringify(await h.store.sql.query(`SELECT * FROM ${table}`));
    }
    assert.ok(dump.includes(PEOPLE.erin.id), 'the dump holds the reset rows');
    for (const [label, secret] of secrets()) assert.ok(!dump.includes(secret), `${label} found in the database`);
  });

  // The raw file and WAL exist only on SQLite; the PostgreSQL pass checks the tables above.
  it(
    'the SQLite database file and its -wal file (read while the service is open)',
    { skip: TEST_BACKEND !== 'sqlite' && 'the raw file exists only on SQLite' },
    () => {
      const files = [dbFile, `${dbFile}-wal`].filter((f) => existsSync(f));
      assert.ok(files.includes(`${dbFile}-wal`), 'the WAL file exists while the database is open');
      const walBytes = readFileSync(`${dbFile}-wal`);
      assert.ok(walBytes.length > 0, 'the WAL holds the recent writes');
      // Positive control: plain text written by the service is findable this way.
      const all = Buffer.concat(files.map((f) => readFileSync(f)));
      assert.notEqual(all.indexOf(Buffer.from(PEOPLE.erin.userPrincipalName)), -1, 'a UPN is findable in the raw bytes');
      for (const file of files) {
        const bytes = readFileSync(file);
        for (const [label, secret] of secrets()) {
          assert.equal(bytes.indexOf(Buffer.from(secret, 'utf8')), -1, `${label} found in ${file}`);
        }
      }
    },
  );

  it('the logs (debug level)', () => {
    const logs = sink.bytes();
    assert.ok(logs.length > 0, 'something was logged');
    assert.ok(logs.includes(Buffer.from('resetPassword')), 'the reset requests were logged');
    for (const [label, secret] of secrets()) {
      assert.equal(logs.indexOf(Buffer.from(secret, 'utf8')), -1, `${label} found in the logs`);
    }
  });
});
