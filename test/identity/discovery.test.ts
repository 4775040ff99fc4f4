import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { CLOUDS } from '../../src/config/clouds.js';
import { DOMAIN, TENANT_ID, buildHarness, type Harness } from '../support/identity.js';

describe('discovery and JWKS', () => {
  let h: Harness;
  before(async () => {
    h = await buildHarness();
  });
  after(async () => {
    await h.close();
  });
  const get = async (url: string) => {
    const res = await h.app.fastify.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>(), type: res.headers['content-type'] };
  };

  it('v2.0 openid-configuration (by domain) names the tenant id everywhere', async () => {
    const { status, body, type } = await get(`/${DOMAIN}/v2.0/.well-known/openid-configuration`);
    assert.equal(status, 200);
    assert.equal(type, 'application/json; charset=utf-8');
    const base = `http://longrun.test/${TENANT_ID}`;
    assert.equal(body.issuer, `${base}/v2.0`);
    assert.equal(body.token_endpoint, `${base}/oauth2/v2.0/token`);
    assert.equal(body.jwks_uri, `${base}/discovery/v2.0/keys`);
    assert.equal(body.authorization_endpoint, `${base}/oauth2/v2.0/authorize`);
    assert.deepEqual(body.token_endpoint_auth_methods_supported, ['client_secret_post', 'private_key_jwt', 'client_secret_basic']);
    assert.deepEqual(body.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(body.subject_types_supported, ['pairwise']);
    assert.deepEqual(body.grant_types_supported, [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'password',
      'urn:ietf:params:oauth:grant-type:device_code',
    ]);
    assert.ok(Array.isArray(body.response_types_supported));
    assert.ok(Array.isArray(body.scopes_supported));
    assert.equal(body.msgraph_host, 'graph.microsoft.com');
    assert.equal(body.cloud_instance_name, 'microsoftonline.com');
    assert.equal(typeof body.tenant_region_scope, 'string');
  });

  it("v1.0 openid-configuration has the access tokens' issuer", async () => {
    const { status, body } = await get(`/${TENANT_ID}/.well-known/openid-configuration`);
    assert.equal(status, 200);
    assert.equal(body.issuer, `http://longrun.test/${TENANT_ID}/`);
    assert.equal(body.jwks_uri, `http://longrun.test/${TENANT_ID}/discovery/keys`);
  });

  it('msgraph_host follows the cloud', async () => {
    const china = await buildHarness({ config: { cloud: CLOUDS.china } });
    try {
      const res = await china.app.fastify.inject({ method: 'GET', url: `/${TENANT_ID}/v2.0/.well-known/openid-configuration` });
      assert.equal(res.json().msgraph_host, 'microsoftgraph.chinacloudapi.cn');
      assert.equal(res.json().cloud_instance_name, 'partner.microsoftonline.cn');
    } finally {
      await china.close();
    }
  });

  it('an unknown tenant is an Entra-shaped 400 AADSTS90002', async () => {
    for (const url of [
      '/nope.example/v2.0/.well-known/openid-configuration',
      '/nope.example/.well-known/openid-configuration',
      '/nope.example/discovery/v2.0/keys',
    ]) {
      const { status, body } = await get(url);
      assert.equal(status, 400, url);
      assert.equal(body.error, 'invalid_request');
      assert.deepEqual(body.error_codes, [90002]);
    }
  });

  it('JWKS publishes the public signing key only, with kid = thumbprint', async () => {
    for (const url of [
      `/${TENANT_ID}/discovery/v2.0/keys`,
      `/${DOMAIN}/discovery/keys`,
      '/common/discovery/v2.0/keys',
      '/common/discovery/keys',
    ]) {
      const { status, body } = await get(url);
      assert.equal(status, 200, url);
      const keys = body.keys as Array<Record<string, string>>;
      assert.equal(keys.length, 1);
      const key = keys[0]!;
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.equal(key.kty, 'RSA');
      assert.equal(key.use, 'sig');
      assert.equal(key.alg, 'RS256');
      assert.equal(key.e, 'AQAB');
      assert.ok(key.n!.length >= 342, '2048-bit modulus');
      assert.equal(key.kid, await calculateJwkThumbprint({ kty: 'RSA', n: key.n!, e: key.e }));
      assert.equal(key.kid, (await h.keys.signingKey()).kid);
    }
  });
});
