// Plain member users added to the demo tenant, for benchmarks that reset many passwords.
import { readFile } from 'node:fs/promises';
import { importTenant } from '../../dist/src/directory/tenant-import.js';
import { createPasswordHasher, LOW_HASH_COST_FOR_TESTS } from '../../dist/src/passwords/hashing.js';

/** The id of load user `i` (1-based). */
export const loadUserId = (i) => `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A new password for load user `i`: passes the policy and shares nothing with its names ("Load Target", loadN@). */
export const freshPassword = (i) => `Fresh-${i}-Qz7!wx`;

/**
 * Imports fixtures/demo-tenant.json plus load users 1..`count` into `store`, at the low test
 * argon2 cost (set-up speed only: what a bench measures hashes at the deployment cost).
 * Resolves with { fixture, tenantId }.
 */
export async function importDemoWithLoadUsers(store, count) {
  const fixture = JSON.parse(await readFile(new URL('../../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
  for (let i = 1; i <= count; i++) {
    fixture.users.push({
      id: loadUserId(i),
      userPrincipalName: `load${i}@${fixture.tenant.defaultDomain}`,
      displayName: 'Load Target',
      password: `Initial-${i}-Qz7!wx`,
      accountEnabled: true,
      createdDateTime: '2026-01-01T00:00:00Z',
      lastSignInDateTime: null,
      accountType: 'member',
    });
  }
  const imported = await importTenant(store, fixture, createPasswordHasher(LOW_HASH_COST_FOR_TESTS), Date.now());
  if (!imported.ok) throw new Error('tenant import failed: ' + JSON.stringify(imported.errors));
  return { fixture, tenantId: imported.tenantId };
}
