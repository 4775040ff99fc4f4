/** A store holding the demo tenant, for use-case tests that need no HTTP. */
import argon2 from 'argon2';
import { readDemoTenant } from '../../src/directory/demo-tenant.js';
import { importTenant } from '../../src/directory/tenant-import.js';
import type { Store } from '../../src/storage/store.js';
import { testStore } from '../support/store.js';

export const DEMO_TENANT = '56fae684-cfd4-48bc-8670-1a55a06f4031';
/** Users of fixtures/demo-tenant.json. */
export const DEMO = {
  admin: { id: '20d8a00e-c9a7-4730-a5d8-68925ee6ebeb', upn: 'admin@contoso.onmicrosoft.com', password: 'Demo-Admin-Passw0rd!' },
  authAdmin: { id: '46561170-f0d6-4eb0-9d8f-e34901c9a7cc', upn: 'authadmin@contoso.onmicrosoft.com', password: 'Demo-AuthAdm1n-Pass!' },
  privAuthAdmin: {
    id: '2ce8578c-fbe2-4711-b016-93c4314bab7e',
    upn: 'privauthadmin@contoso.onmicrosoft.com',
    password: 'Demo-PrivAuth-Passw0rd!',
  },
  grady: {
    id: 'd779daaf-88a6-4528-a566-9c03338c64f8',
    upn: 'grady@contoso.onmicrosoft.com',
    gaAssignment: '4b70e8d2-93cf-4a16-a5e9-0f28d6c1b743',
  },
  megan: { id: 'c6000304-9809-42e3-b7a4-ff84111e5910', upn: 'megan@contoso.onmicrosoft.com', password: 'Demo-Megan-Passw0rd!' },
} as const;
/** Role template ids held by the callers above. */
export const ROLES = {
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
} as const;

export const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

export async function demoStore(): Promise<Store> {
  const store = await testStore();
  const hasher = { hash: (clear: string) => argon2.hash(clear, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };
  const result = await importTenant(store, readDemoTenant(), hasher, NOW);
  if (!result.ok) throw new Error(`demo tenant refused: ${JSON.stringify(result.errors)}`);
  return store;
}
