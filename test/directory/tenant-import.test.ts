import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { importTenant } from '../../src/directory/tenant-import.js';
import { TEST_BACKEND, tempStore, testStore } from '../support/store.js';
import { cheapHasher } from '../support/tenant.js';

const demo = () => JSON.parse(readFileSync(new URL('../../../fixtures/demo-tenant.json', import.meta.url), 'utf8'));

describe('tenant import', () => {
  it('refuses a fixture with several bad fields, names every path, and leaves the database unchanged', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const good = demo();
    assert.equal((await importTenant(store, good, cheapHasher, 0)).ok, true);
    const before = await store.directory.listUsers(good.tenant.id);

    const bad = demo();
    bad.tenant.displayName = 'Renamed';
    bad.users[3].userPrincipalName = 'no-at-sign';
    bad.users[1].accountType = 'robot';
    bad.roleAssignments[0].principalId = '00000000-0000-0000-0000-00000000dead';
    bad.alertConfigurations = [{ alertType: 'StaleSignInAlert', duration: 'P2Y' }];
    const result = await importTenant(store, bad, cheapHasher, 1);
    assert.equal(result.ok, false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    for (const p of ['users[3].userPrincipalName', 'users[1].accountType', 'roleAssignments[0].principalId']) {
      assert.ok(paths.includes(p), `reports ${p} (got ${paths.join(', ')})`);
    }
    assert.equal((await store.directory.findTenant(good.tenant.id))?.displayName, good.tenant.displayName);
    assert.deepEqual(await store.directory.listUsers(good.tenant.id), before);
  });

  it('reports a bad alert configuration value by its path', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const bad = demo();
    bad.alertConfigurations = [{ alertType: 'StaleSignInAlert', duration: 'P2Y' }];
    const result = await importTenant(store, bad, cheapHasher, 1);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.errors.map((e) => e.path), ['alertConfigurations[0].duration']);
    assert.equal(await store.directory.tenantCount(), 0);
  });

  it('re-import replaces the tenant atomically: removed users and roles are gone, others stay', async (t) => {
    const store = await testStore();
    t.after(() => store.close());
    const first = demo();
    await importTenant(store, first, cheapHasher, 0);
    const second = demo();
    const removed = second.users.pop();
    second.roleAssignments = second.roleAssignments.filter((r: { principalId: string }) => r.principalId !== removed.id);
    second.roleActivations = second.roleActivations.filter((r: { principalId: string }) => r.principalId !== removed.id);
    second.users[0].displayName = 'New Name';
    assert.equal((await importTenant(store, second, cheapHasher, 1)).ok, true);
    const users = await store.directory.listUsers(first.tenant.id);
    assert.equal(users.length, first.users.length - 1);
    assert.equal(await store.directory.findUser(first.tenant.id, removed.id), undefined);
    assert.equal((await store.directory.findUser(first.tenant.id, second.users[0].id))?.displayName, 'New Name');
  });

  it('stores no password or client secret in clear (every table read back; on SQLite the file and WAL too)', async () => {
    const db = await tempStore();
    try {
      const fixture = demo();
      await importTenant(db.store, fixture, cheapHasher, 0);
      let bytes = '';
      for (const table of [
        'tenants',
        'users',
        'applications',
        'role_assignments',
        'alert_configurations',
        'signing_keys',
        'operations',
        'audit_events',
      ]) {
        bytes += JSON.stringify(await db.store.sql.query(`SELECT * FROM ${table}`));
      }
      if (TEST_BACKEND === 'sqlite') {
        const path = db.url.slice('sqlite:'.length);
        for (const file of [path, `${path}-wal`]) if (existsSync(file)) bytes += readFileSync(file).toString('latin1');
      }
      assert.ok(bytes.includes(fixture.users[0].userPrincipalName), 'the grep sees the imported data');
      for (const secret of [
        ...fixture.users.map((u: { password?: string }) => u.password),
        ...fixture.applications.map((a: { secret?: string }) => a.secret),
      ]) {
        if (secret) assert.ok(!bytes.includes(secret), `clear secret found in the database: ${secret.slice(0, 3)}…`);
      }
      assert.match(bytes, /\$argon2id\$/);
    } finally {
      await db.cleanup();
    }
  });
});
