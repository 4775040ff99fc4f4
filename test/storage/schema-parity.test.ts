/**
 * The SQLite and PostgreSQL schemas cannot drift: a fresh database of each backend is migrated
 * to its latest version (so every future migration is covered without touching this test) and
 * their catalogues are compared: tables, columns (type family, nullability), primary keys,
 * indexes (columns, uniqueness, partial WHERE), CHECK counts, foreign keys and triggers.
 * Needs both backends, so it runs in the PostgreSQL pass (and reads its own fresh SQLite).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/storage/open.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/migrations/index.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/migrations/index.js';
import { createTestDatabase, TEST_BACKEND, type TestDatabase } from '../support/backends.js';
import { normaliseSql, parseIndexSql, postgresShape, sqliteShape, typeFamily, type SchemaShape } from '../support/schema-shape.js';

const NEEDS_POSTGRES = TEST_BACKEND !== 'postgres' && 'needs PostgreSQL (runs in the PostgreSQL pass)';

/**
 * Triggers one backend has by design: PostgreSQL wakes idle workers and waiting `Prefer: wait`
 * requests on other nodes with LISTEN/NOTIFY (docs/architecture.md, docs/extensions.md).
 */
const POSTGRES_ONLY_TRIGGERS = ['operations_notify_work', 'operations_notify_done'];

describe('schema parity: SQLite and PostgreSQL migrated to their latest versions', () => {
  let sqlite: SchemaShape;
  let postgres: SchemaShape;
  let dir: string | undefined;
  let database: TestDatabase | undefined;

  before(async () => {
    if (TEST_BACKEND !== 'postgres') return;
    dir = mkdtempSync(join(tmpdir(), 'longrun-parity-'));
    const path = join(dir, 'parity.db');
    await (await openStore(`sqlite:${path}`)).store.close();
    sqlite = sqliteShape(path);
    database = await createTestDatabase();
    await (await openStore(database.url)).store.close();
    postgres = await postgresShape(database.url);
  });

  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await database?.dispose();
  });

  it('both backends have the same number of migrations', () => {
    assert.deepEqual(
      SQLITE_MIGRATIONS.map((m) => `${m.version} ${m.name}`),
      POSTGRES_MIGRATIONS.map((m) => `${m.version} ${m.name}`),
    );
  });

  it('the same tables', { skip: NEEDS_POSTGRES }, () => {
    assert.deepEqual(Object.keys(postgres.tables).sort(), Object.keys(sqlite.tables).sort());
    assert.ok(Object.keys(sqlite.tables).length > 5, 'the catalogue was read');
  });

  it('the same columns, in order, with the same type family and nullability', { skip: NEEDS_POSTGRES }, () => {
    for (const [name, table] of Object.entries(sqlite.tables))
      assert.deepEqual(postgres.tables[name]?.columns, table.columns, `table ${name}`);
  });

  it('the same primary keys', { skip: NEEDS_POSTGRES }, () => {
    for (const [name, table] of Object.entries(sqlite.tables))
      assert.deepEqual(postgres.tables[name]?.primaryKey, table.primaryKey, `table ${name}`);
  });

  it('the same indexes: names, columns, uniqueness and partial WHERE', { skip: NEEDS_POSTGRES }, () => {
    for (const [name, table] of Object.entries(sqlite.tables))
      assert.deepEqual(postgres.tables[name]?.indexes, table.indexes, `table ${name}`);
  });

  it('the same CHECK constraints (by count) and foreign keys', { skip: NEEDS_POSTGRES }, () => {
    for (const [name, table] of Object.entries(sqlite.tables)) {
      assert.equal(postgres.tables[name]?.checks, table.checks, `CHECKs of ${name}`);
      assert.deepEqual(postgres.tables[name]?.foreignKeys, table.foreignKeys, `foreign keys of ${name}`);
    }
  });

  it('the same triggers, apart from PostgreSQL’s work notification', { skip: NEEDS_POSTGRES }, () => {
    assert.deepEqual(
      postgres.triggers.filter((t) => !POSTGRES_ONLY_TRIGGERS.includes(t)),
      sqlite.triggers,
    );
  });
});

describe('schema parity: the normalisation itself', () => {
  it('reads INTEGER and BIGINT alike but tells text from integers', () => {
    assert.equal(typeFamily('INTEGER'), typeFamily('bigint'));
    assert.equal(typeFamily('TEXT'), typeFamily('character varying(20)'));
    assert.notEqual(typeFamily('TEXT'), typeFamily('INTEGER'));
  });

  it("reads PostgreSQL's = ANY (ARRAY[…]) as IN (…) and a different predicate as different", () => {
    const pg = `CREATE INDEX x ON s.operations USING btree (available_at) WHERE ((lease_token IS NULL) AND (status = ANY (ARRAY['notStarted'::text, 'running'::text])))`;
    const lite = `CREATE INDEX x ON operations (available_at)\n  WHERE lease_token IS NULL AND status IN ('notStarted', 'running')`;
    assert.deepEqual(parseIndexSql(pg), parseIndexSql(lite));
    assert.notEqual(normaliseSql(`status IN ('running')`), normaliseSql(`status IN ('notStarted')`));
    assert.equal(parseIndexSql(`CREATE UNIQUE INDEX k ON t ((retired_at IS NULL)) WHERE retired_at IS NULL`).unique, true);
  });
});
