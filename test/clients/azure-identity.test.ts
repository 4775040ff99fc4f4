/**
 * Conformance: @azure/identity's ClientSecretCredential with `authorityHost` set to Longrun over
 * HTTPS (MSAL refuses http authorities), obtaining an app token the Graph SDK then uses through
 * its Azure Identity authentication provider.
 *
 * `disableInstanceDiscovery: true` is required: MSAL asks login.microsoftonline.com (not the
 * authority) whether an unknown host is a Microsoft cloud, so no server-side endpoint can answer
 * it, and without internet access the credential fails (docs/compatibility.md).
 */
import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { agentPolicy } from '@azure/core-rest-pipeline';
import { ClientSecretCredential } from '@azure/identity';
import { createGraphServiceClient, GraphRequestAdapter } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { GraphAzureIdentityAuthenticationProvider } from '@microsoft/msgraph-sdk-core';
import { decodeJwt } from 'jose';
import { APP, DOMAIN, GRAPH_SCOPE, PEOPLE, startClientServer, TENANT_ID, type ClientServer } from '../support/clients.js';
import { graphHttpClient } from '../support/kiota.js';

describe('@azure/identity ClientSecretCredential against the Longrun authority (HTTPS, dev CA)', () => {
  let server: ClientServer;
  let credential: ClientSecretCredential;

  before(async () => {
    server = await startClientServer({ tls: true });
    credential = new ClientSecretCredential(DOMAIN, APP.id, APP.secret, {
      authorityHost: server.url,
      disableInstanceDiscovery: true,
      // The development CA, for this credential only (NODE_EXTRA_CA_CERTS does it process-wide).
      additionalPolicies: [{ policy: agentPolicy(new HttpsAgent({ ca: server.certificates!.ca })), position: 'perCall' }],
    });
  });
  after(() => server.close());

  it('gets an app token for Graph', async () => {
    const token = await credential.getToken(GRAPH_SCOPE);
    assert.ok(token.token);
    assert.ok(token.expiresOnTimestamp > Date.now());
    const claims = decodeJwt(token.token);
    assert.equal(claims.tid, TENANT_ID);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.iss, `${server.url}/${TENANT_ID}/`);
    assert.deepEqual([...(claims.roles as string[])].sort(), [
      'RoleManagementAlert.ReadWrite.Directory',
      'User.Read.All',
      'UserAuthenticationMethod.ReadWrite.All',
    ]);
  });

  it("the Graph SDK uses it (allowedHosts includes Longrun): lists a user's authentication operations", async () => {
    const auth = new GraphAzureIdentityAuthenticationProvider(credential, [GRAPH_SCOPE], undefined, new Set(['127.0.0.1']));
    const adapter = new GraphRequestAdapter(auth, undefined, undefined, graphHttpClient(server, 'v1.0'));
    adapter.baseUrl = `${server.url}/v1.0`;
    const client = createGraphServiceClient(adapter);
    const list = await client.users.byUserId(PEOPLE[0]!.id).authentication.operations.get();
    assert.ok(Array.isArray(list?.value));
    const user = await client.users.byUserId(PEOPLE[0]!.upn).get();
    assert.equal(user?.id, PEOPLE[0]!.id);
  });

  it('a wrong secret surfaces as an AuthenticationError carrying the AADSTS code', async () => {
    const bad = new ClientSecretCredential(TENANT_ID, APP.id, 'not-the-secret', {
      authorityHost: server.url,
      disableInstanceDiscovery: true,
      additionalPolicies: [{ policy: agentPolicy(new HttpsAgent({ ca: server.certificates!.ca })), position: 'perCall' }],
    });
    await assert.rejects(bad.getToken(GRAPH_SCOPE), (e: Error) => {
      assert.match(e.message, /AADSTS7000215/);
      return true;
    });
  });
});
