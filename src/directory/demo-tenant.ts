import { readFileSync } from 'node:fs';

/** The demo tenant shipped in fixtures/ (imported by `serve` into an empty database). */
export const DEMO_TENANT_FILE = new URL('../../../fixtures/demo-tenant.json', import.meta.url);

export function readDemoTenant(): unknown {
  return JSON.parse(readFileSync(DEMO_TENANT_FILE, 'utf8'));
}

/** What the start-up banner shows: a copy-pasteable way to get a first token. */
export const DEMO_SIGN_IN = {
  domain: 'contoso.onmicrosoft.com',
  clientId: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f',
  clientSecret: 'demo-client-secret',
  username: 'admin@contoso.onmicrosoft.com',
  password: 'Demo-Admin-Passw0rd!',
};
