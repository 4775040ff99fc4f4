/** The fixture's sign-in fields: redirect URIs, public clients, certificates, lockout settings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateFixture } from '../../src/directory/fixture-validate.js';
import { importTenant } from '../../src/directory/tenant-import.js';
import { testStore } from '../support/store.js';
import { selfSignedRsa } from '../sign-in/support/certificates.js';

const TENANT_ID = '0b7c1f2e-3d4a-4b5c-8d6e-7f8091a2b3c5';
const APP = '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e70';

function fixture(app: Record<string, unknown>, tenant: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    tenant: { id: TENANT_ID, displayName: 'Fabrikam', defaultDomain: 'fabrikam.onmicrosoft.com', ...tenant },
    applications: [{ appId: APP, displayName: 'App', ...app }],
  };
}

const errorsOf = (input: unknown) => {
  const result = validateFixture(input);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('fixture sign-in fields', () => {
  it('accepts redirect URIs, a public client, a certificate and lockout settings, and imports them', async () => {
    const { certPem } = await selfSignedRsa('fixture');
    const input = fixture(
      {
        publicClient: true,
        redirectUris: ['http://localhost:3000/callback', 'https://app.example.com/cb', 'myapp://auth'],
        certificates: [{ certificatePem: certPem }],
      },
      { passwordLockout: { threshold: 5, durationSeconds: 120 } },
    );
    assert.deepEqual(errorsOf(input), []);
    const store = await testStore();
    try {
      const result = await importTenant(store, input, { hash: async (s) => `h:${s}` }, Date.now());
      assert.ok(result.ok);
      const app = await store.directory.findApplication(TENANT_ID, APP);
      assert.equal(app?.publicClient, true);
      assert.deepEqual(app?.redirectUris, ['http://localhost:3000/callback', 'https://app.example.com/cb', 'myapp://auth']);
      assert.equal(app?.certificates.length, 1);
      assert.match(app.certificates[0]!.x5tS256, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(await store.directory.passwordLockout(TENANT_ID), { threshold: 5, durationSeconds: 120 });
    } finally {
      await store.close();
    }
  });

  it('names the path of each bad field', () => {
    assert.deepEqual(errorsOf(fixture({ redirectUris: ['not a uri', 'http://app.example.com/cb', 'https://a.example/x#frag'] })), [
      'applications[0].redirectUris[0]: must be an absolute URI like https://app.example.com/callback; got "not a uri"',
      'applications[0].redirectUris[1]: http is allowed only for localhost or 127.0.0.1; use https',
      'applications[0].redirectUris[2]: must not have a fragment (#…)',
    ]);
    assert.deepEqual(errorsOf(fixture({ publicClient: true, secret: 's3cret' })), [
      'applications[0].secret: must be absent on a public client (publicClient: true)',
    ]);
    assert.deepEqual(errorsOf(fixture({ certificates: [{ certificatePem: 'nope' }] })), [
      'applications[0].certificates[0].certificatePem: must be a PEM certificate (-----BEGIN CERTIFICATE-----…); got "nope"',
    ]);
    assert.deepEqual(errorsOf(fixture({}, { passwordLockout: { threshold: 0, durationSeconds: 'x' } })), [
      'tenant.passwordLockout.threshold: must be a whole number from 1 to 1000; got number 0',
      'tenant.passwordLockout.durationSeconds: must be a whole number from 1 to 86400; got "x"',
    ]);
  });
});
