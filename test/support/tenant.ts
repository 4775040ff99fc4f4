import argon2 from 'argon2';
import { generateTenantFixture } from '../../src/directory/fixture-generate.js';
import { importTenant } from '../../src/directory/tenant-import.js';
import type { Store } from '../../src/storage/store.js';

/** argon2id at a cost small enough for tests (the stored hash records its own parameters). */
export const cheapHasher = { hash: (clear: string) => argon2.hash(clear, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };

/** Imports tenant fixtures (the JSON format of fixtures/demo-tenant.json); fails on the first refused one. */
export async function importFixtures(store: Store, fixtures: readonly unknown[], now: number): Promise<void> {
  for (const fixture of fixtures) {
    const result = await importTenant(store, fixture, cheapHasher, now);
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
}

/** Imports a generated tenant; returns its fixture JSON (with the clear passwords, for sign-in). */
export async function importGeneratedTenant(store: Store, users: number, seed: string, now: number) {
  const json = generateTenantFixture({ users, seed, now });
  const result = await importTenant(store, json, cheapHasher, now);
  if (!result.ok) throw new Error(`generated tenant was refused: ${JSON.stringify(result.errors)}`);
  return json;
}
