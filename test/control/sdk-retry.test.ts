/**
 * A real client against faults: @microsoft/msgraph-sdk's retry handler (Kiota's RetryHandler in
 * the Graph middleware chain) meets 429 and 503 answers from control rules, honours Retry-After,
 * and the call succeeds. The rule's hits are the retries the SDK made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGraphServiceClient, GraphRequestAdapter, type GraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { ADMIN, PEOPLE, startClientServer, TENANT_ID, type ClientServer } from '../clients/support/client-harness.js';
import { graphHttpClient, staticTokenProvider } from '../clients/support/kiota.js';
import { addRule, hitsOf } from './support/rules.js';

describe('@microsoft/msgraph-sdk retries the faults of http rules', () => {
  let server: ClientServer;
  let client: GraphServiceClient;
  const person = PEOPLE[11]!;
  const operationId = '0c0c0c0c-0000-4000-8000-000000000001';

  before(async () => {
    server = await startClientServer({ tls: false, startExecutor: false });
    await server.store.operations.insert(
      { id: operationId, tenantId: TENANT_ID, kind: 'passwordReset', targetId: person.id, input: {}, maxAttempts: 3 },
      Date.now(),
    );
    const token = await server.userToken(ADMIN.upn, ADMIN.password);
    const adapter = new GraphRequestAdapter(staticTokenProvider(token), undefined, undefined, graphHttpClient(server, 'v1.0'));
    adapter.baseUrl = `${server.url}/v1.0`;
    client = createGraphServiceClient(adapter);
  });
  after(() => server.close());

  const readOperation = () => client.users.byUserId(person.id).authentication.operations.byLongRunningOperationId(operationId).get();

  for (const status of [429, 503]) {
    it(`${status} with Retry-After, twice: the SDK waits, retries, and the GET succeeds; hits = 2`, async () => {
      const rule = await addRule(server.store, TENANT_ID, {
        type: 'http',
        match: { method: 'GET', path: '/v1.0/users/*/authentication/operations/*' },
        times: 2,
        respond: { status, retryAfterSeconds: 1 },
      });
      const started = Date.now();
      const op = await readOperation();
      assert.equal(op?.id, operationId);
      assert.equal(op?.status, 'notStarted');
      assert.equal(await hitsOf(server.store, TENANT_ID, rule.id), 2, 'two faults, two retries');
      assert.ok(Date.now() - started >= 1900, 'the SDK honoured Retry-After: 1 twice');
    });
  }
});
