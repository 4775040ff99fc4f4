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
    return { status: res.statusCode, body: res.json<Record<string, unknown>>(), type: res.headers['content-type'], headers: res.headers };
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
    assert.equal(body.grant_types_supported, undefined, 'Entra lists none');
    assert.equal(body.msgraph_host, 'graph.microsoft.com');
    assert.equal(body.cloud_instance_name, 'microsoftonline.com');
    assert.equal(body.cloud_graph_host_name, 'graph.windows.net');
    assert.equal(body.rbac_url, 'https://pas.windows.net');
    assert.equal(body.tenant_region_scope, 'WW');
  });

  it("v2.0 openid-configuration: Entra's fields in Entra's order, and its caching and CORS headers", async () => {
    const { body, headers } = await get(`/${TENANT_ID}/v2.0/.well-known/openid-configuration`);
    // The order of a recorded login.microsoftonline.com/{tid}/v2.0/.well-known/openid-configuration (Azure SDK recordings).
    assert.deepEqual(Object.keys(body), [
      'token_endpoint',
      'token_endpoint_auth_methods_supported',
      'jwks_uri',
      'response_modes_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
      'response_types_supported',
      'scopes_supported',
      'issuer',
      'request_uri_parameter_supported',
      'userinfo_endpoint',
      'authorization_endpoint',
      'device_authorization_endpoint',
      'http_logout_supported',
      'frontchannel_logout_supported',
      'end_session_endpoint',
      'claims_supported',
      'kerberos_endpoint',
      'tenant_region_scope',
      'cloud_instance_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'rbac_url',
    ]);
    assert.deepEqual(body.response_types_supported, ['code', 'id_token', 'code id_token', 'id_token token']);
    assert.deepEqual(body.scopes_supported, ['openid', 'profile', 'email', 'offline_access']);
    assert.equal(headers['cache-control'], 'max-age=86400, private');
    assert.equal(headers['access-control-allow-origin'], '*');
    assert.equal(headers['access-control-allow-methods'], 'GET, OPTIONS');
    assert.match(String(headers['x-ms-request-id']), /^[0-9a-f-]{36}$/);
    for (const url of [
      `/${TENANT_ID}/discovery/v2.0/keys`,
      '/common/discovery/instance',
      `/${TENANT_ID}/.well-known/openid-configuration`,
    ]) {
      const other = await get(url);
      assert.equal(other.headers['cache-control'], 'max-age=86400, private', url);
      assert.equal(other.headers['access-control-allow-origin'], '*', url);
    }
    const common = await get('/common/v2.0/.well-known/openid-configuration');
    assert.equal(common.body.issuer, 'http://longrun.test/{tenantid}/v2.0');
    assert.equal(common.body.tenant_region_scope, null, "Entra's tenant-less document has no region");
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
      assert.deepEqual(Object.keys(key), ['kty', 'use', 'alg', 'kid', 'x5t', 'n', 'e']);
      assert.equal(key.x5t, key.kid, "the access tokens' header x5t finds this key too");
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
