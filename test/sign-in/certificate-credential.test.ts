/**
 * Certificate credentials: @azure/identity's ClientCertificateCredential signs a client_assertion
 * with a key whose certificate the fixture registered on the app; the app token then calls Graph.
 * An assertion signed by an unregistered key, or naming the registered certificate but signed
 * by another key, is refused with AADSTS700027.
 */
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { agentPolicy } from '@azure/core-rest-pipeline';
import { ClientCertificateCredential } from '@azure/identity';
import { decodeJwt, SignJWT } from 'jose';
import { selfSignedRsa } from './support/certificates.js';
import { aadsts, tokenRequest } from './support/http-flows.js';
import { CERT_APP, graphGet, startSignInServer, TENANT_ID, USERS, type SignInServer } from './support/sign-in-harness.js';

const thumbprint = (pem: string) => createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url');

describe('certificate credentials (client_assertion)', { timeout: 60_000 }, () => {
  let server: SignInServer;
  let registered: { certPem: string; keyPem: string };
  let stranger: { certPem: string; keyPem: string };

  before(async () => {
    registered = await selfSignedRsa('daemon');
    stranger = await selfSignedRsa('stranger');
    server = await startSignInServer({ certificatePem: registered.certPem });
  });
  after(() => server.close());

  it('ClientCertificateCredential gets an app token that calls Graph', async () => {
    const credential = new ClientCertificateCredential(
      TENANT_ID,
      CERT_APP.id,
      { certificate: registered.certPem + registered.keyPem },
      {
        authorityHost: server.url,
        disableInstanceDiscovery: true,
        additionalPolicies: [{ policy: agentPolicy(new HttpsAgent({ ca: server.ca })), position: 'perCall' }],
      },
    );
    const token = await credential.getToken('https://graph.microsoft.com/.default');
    const claims = decodeJwt(token.token);
    assert.equal(claims.idtyp, 'app');
    assert.deepEqual(claims.roles, ['User.Read.All']);
    assert.equal((await graphGet(server, `/v1.0/users/${USERS.ada!.id}`, token.token)).status, 200);
  });

  const assertion = async (keyPem: string, certPem: string, claims: Record<string, unknown> = {}) =>
    new SignJWT({
      aud: `${server.url}/${TENANT_ID}/oauth2/v2.0/token`,
      iss: CERT_APP.id,
      sub: CERT_APP.id,
      jti: crypto.randomUUID(),
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': thumbprint(certPem) })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(createPrivateKey(keyPem));
  const clientCredentials = (clientAssertion: string) =>
    tokenRequest(server, {
      grant_type: 'client_credentials',
      client_id: CERT_APP.id,
      scope: 'https://graph.microsoft.com/.default',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
    });

  it('a hand-made assertion with the registered key works; signed by an unregistered key it gets AADSTS700027', async () => {
    assert.equal((await clientCredentials(await assertion(registered.keyPem, registered.certPem))).status, 200);
    const unknown = await clientCredentials(await assertion(stranger.keyPem, stranger.certPem));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_client');
    assert.equal(aadsts(unknown.body), 700027);
  });

  it('naming the registered certificate but signed by another key, or for another audience, is refused', async () => {
    const forged = await clientCredentials(await assertion(stranger.keyPem, registered.certPem));
    assert.equal(aadsts(forged.body), 700027);
    const elsewhere = await clientCredentials(
      await assertion(registered.keyPem, registered.certPem, { aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' }),
    );
    assert.equal(aadsts(elsewhere.body), 700027);
  });
});
