/**
 * GET /{v}/$metadata (docs/odata.md, "$metadata"): served without a token as Graph
 * serves it, XML that the OASIS CSDL reader accepts in strict mode, Graph's own declarations
 * byte for byte, and every property of every response of every Graph route declared on its type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CLOUDS } from '../../src/config/clouds.js';
import { extensionsOf } from '../../src/extensions.js';
import { toWireSubscription } from '../../src/graph/resources/subscription.js';
import * as alerts from '../support/alerts.js';
import { CsdlModel } from '../support/csdl.js';
import {
  appToken,
  buildHarness,
  claimAll,
  get,
  guid,
  insertAlertRefresh,
  insertPasswordReset,
  succeed,
  TENANT_A,
  userA,
  userToken,
  type Harness,
} from '../support/graph.js';

/** Graph's v1.0 CSDL (msgraph-metadata, schemas/v1.0-Prod.csdl), byte for byte. */
const GRAPH_LRO_STATUS = `      <EnumType Name="longRunningOperationStatus">
        <Member Name="notStarted" Value="0" />
        <Member Name="running" Value="1" />
        <Member Name="succeeded" Value="2" />
        <Member Name="failed" Value="3" />
        <Member Name="unknownFutureValue" Value="4" />
      </EnumType>`;
const GRAPH_LRO = `      <EntityType Name="longRunningOperation" BaseType="graph.entity">
        <Property Name="createdDateTime" Type="Edm.DateTimeOffset" />
        <Property Name="lastActionDateTime" Type="Edm.DateTimeOffset" />
        <Property Name="resourceLocation" Type="Edm.String" />
        <Property Name="status" Type="graph.longRunningOperationStatus" />
        <Property Name="statusDetail" Type="Edm.String" />
      </EntityType>`;
const GRAPH_RESET_PASSWORD = `      <Action Name="resetPassword" IsBound="true">
        <Parameter Name="bindingParameter" Type="graph.authenticationMethod" />
        <Parameter Name="newPassword" Type="Edm.String" Unicode="false" />
        <ReturnType Type="graph.passwordResetResponse" />
      </Action>`;

async function metadataOf(h: { get: Harness['get'] }, version: string): Promise<CsdlModel> {
  const res = await h.get(`/${version}/$metadata`);
  assert.equal(res.status, 200, res.raw);
  return new CsdlModel(res.raw);
}

describe('$metadata', () => {
  let h: Harness;
  before(async () => {
    h = await buildHarness();
  });
  after(() => h.close());

  it('answers without a token: XML, OData-Version 4.0, the edmx envelope and microsoft.graph namespace', async () => {
    for (const version of ['v1.0', 'beta']) {
      const res = await get(h, `/${version}/$metadata`);
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.headers['content-type'], 'application/xml');
      assert.equal(res.headers['odata-version'], '4.0');
      assert.ok(
        res.raw.startsWith(
          '<?xml version="1.0" encoding="utf-8"?>\n<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">\n' +
            '  <edmx:DataServices>\n    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">\n',
        ),
        res.raw.slice(0, 300),
      );
      assert.ok(res.raw.endsWith('    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n'));
      for (const block of [GRAPH_LRO_STATUS, GRAPH_LRO, GRAPH_RESET_PASSWORD]) assert.ok(res.raw.includes(`\n${block}\n`), block);
    }
  });

  it('a token changes nothing, and another method is 405', async () => {
    const token = await appToken(h, 'least');
    const anonymous = await get(h, '/v1.0/$metadata');
    const signedIn = await get(h, '/v1.0/$metadata', token);
    assert.equal(signedIn.raw, anonymous.raw);
    const post = await h.request('POST', '/v1.0/$metadata', { body: {} });
    assert.equal(post.status, 405);
  });

  it('is served for a percent-encoded dollar sign too (/v1.0/%24metadata), as Graph serves it', async () => {
    for (const version of ['v1.0', 'beta']) {
      const plain = await get(h, `/${version}/$metadata`);
      const encoded = await get(h, `/${version}/%24metadata?%24format=xml`);
      assert.equal(encoded.status, 200, encoded.raw.slice(0, 300));
      assert.equal(encoded.raw, plain.raw);
    }
    // Only the path: an encoded dollar sign in the query string is left to the query parser.
    const unknown = await get(h, '/v1.0/%24nothing?x=%24metadata');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.message, "Resource not found for the segment '$nothing'.");
  });

  it('is per version: beta has the alert types and the identityGovernance singleton, v1.0 has neither', async () => {
    const v1 = await metadataOf(h, 'v1.0');
    const beta = await metadataOf(h, 'beta');
    assert.equal(v1.type('unifiedRoleManagementAlert'), undefined);
    assert.equal((v1.json['microsoft.graph']!.GraphService as Record<string, unknown>).identityGovernance, undefined);
    assert.deepEqual(
      [...beta.members('unifiedRoleManagementAlert').navigation.keys()],
      ['alertConfiguration', 'alertDefinition', 'alertIncidents'],
    );
    assert.equal(beta.type('alertSeverity')!.unknownFutureValue, 127);
    assert.equal(v1.type('longRunningOperationStatus')!.unknownFutureValue, 4);
    // Without the extensions, nothing of theirs: no `error`, no subscriptions.
    assert.equal(v1.members('longRunningOperation').properties.has('error'), false);
    assert.equal(v1.type('subscription'), undefined);
  });

  it('follows the cloud: China has no v1.0 resetPassword and no alert refresh', async () => {
    const china = await buildHarness({ config: { cloud: CLOUDS.china } });
    try {
      const v1 = (await get(china, '/v1.0/$metadata')).raw;
      const beta = (await get(china, '/beta/$metadata')).raw;
      assert.equal(v1.includes('Name="resetPassword"'), false);
      assert.equal(v1.includes('Name="operations"'), false, 'no v1.0 GET longRunningOperation in China');
      assert.equal(beta.includes('Name="refresh"'), false);
      assert.ok(beta.includes('Name="resetPassword"') && beta.includes('Name="remediate"'));
    } finally {
      await china.close();
    }
  });
});

describe('$metadata declares every property Longrun writes', () => {
  let h: Harness;
  let v1: CsdlModel;
  let beta: CsdlModel;
  const target = userA('target').id;
  const RESET = guid(81);
  const FAILED = guid(82);
  before(async () => {
    h = await buildHarness({ config: { extensions: extensionsOf(['azure-lro', 'subscriptions', 'wait']) } });
    v1 = await metadataOf(h, 'v1.0');
    beta = await metadataOf(h, 'beta');
    await insertPasswordReset(h, RESET, target, TENANT_A);
    await insertPasswordReset(h, FAILED, target, TENANT_A);
    await insertAlertRefresh(h);
    const leases = await claimAll(h);
    await succeed(h, RESET, leases.get(RESET)!, 'x');
    await h.store.operations.finish(FAILED, leases.get(FAILED)!, { status: 'failed', statusDetail: 'no', errorCode: 'e' }, h.clock.now());
  });
  after(() => h.close());

  it('users, methods, operations and resetPassword, on both versions', async () => {
    const admin = await userToken(h, 'privAuthAdmin', ['UserAuthenticationMethod.ReadWrite.All']);
    const me = await userToken(h, 'target', ['User.Read', 'UserAuthenticationMethod.Read']);
    const app = await appToken(h, 'least');
    let checked = 0;
    for (const version of ['v1.0', 'beta'] as const) {
      const model = version === 'v1.0' ? v1 : beta;
      const user = `/${version}/users/${target}`;
      const reads: Array<[string, string]> = [
        [user, app],
        [`${user}?$select=*`, app],
        [`/${version}/me`, me],
        [`${user}/authentication/methods`, app],
        [`${user}/authentication/methods/28c10230-6103-485e-b985-444c60001490`, app],
        [`${user}/authentication/passwordMethods`, app],
        [`${user}/authentication/passwordMethods/28c10230-6103-485e-b985-444c60001490`, app],
        [`${user}/authentication/operations`, app],
        [`${user}/authentication/operations/${RESET}`, app],
        [`${user}/authentication/operations/${FAILED}`, app],
      ];
      for (const [url, token] of reads) {
        const res = await get(h, url, token);
        assert.equal(res.status, 200, `${url}: ${res.raw}`);
        checked += model.checkResponse(res.body, url);
      }
      const reset = await h.request('POST', `${user}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`, {
        token: admin,
        body: {},
      });
      assert.equal(reset.status, 202, reset.raw);
      checked += model.checkResponse(reset.body, 'resetPassword');
    }
    const failed = await get(h, `/v1.0/users/${target}/authentication/operations/${FAILED}`, app);
    assert.ok(failed.body.error, 'the azure-lro error is among the checked properties');
    assert.ok(checked >= 20, `checked ${checked} instances`);
  });

  it('the alert-refresh operation and the subscription shape', async () => {
    const token = await appToken(h, 'least');
    const res = await get(
      h,
      `/beta/identityGovernance/roleManagementAlerts/operations/refresh:DirectoryRole_${TENANT_A}_StaleSignInAlert`,
      token,
    );
    assert.equal(res.status, 200, res.raw);
    beta.checkResponse(res.body, 'alert operation');
    const subscription = toWireSubscription({
      id: 's',
      resource: 'r',
      creatorAppId: 'a',
      changeType: 'updated',
      clientState: null,
      notificationUrl: 'https://x',
      expiresAt: 0,
      creatorId: 'c',
    } as unknown as Parameters<typeof toWireSubscription>[0]);
    for (const model of [v1, beta]) model.checkInstance(subscription, 'subscription', 'subscription');
  });
});

describe('$metadata declares every property of the alert resources', () => {
  let h: alerts.Harness;
  let beta: CsdlModel;
  before(async () => {
    h = await alerts.buildHarness();
    beta = await metadataOf(h, 'beta');
  });
  after(() => h.close());

  it('alerts expanded, definitions, configurations, incidents of every fired type, the root', async () => {
    const token = await alerts.userToken(h, 'pra', [alerts.WRITE]);
    const refresh = await h.request('POST', `${alerts.ROOT}/alerts/refresh`, token, { scopeId: '/', scopeType: 'DirectoryRole' });
    assert.equal(refresh.status, 202, refresh.raw);
    await h.runQueued();
    const listed = await h.request('GET', `${alerts.ROOT}/alerts?${alerts.SCOPE_FILTER}&$expand=*`, token);
    assert.equal(listed.status, 200, listed.raw);
    const fired = (listed.body.value as Array<{ id: string; incidentCount: number }>).filter((a) => a.incidentCount > 0);
    assert.ok(fired.length >= 2, 'some alerts fired');
    const urls = [
      `${alerts.ROOT}`,
      `${alerts.ROOT}/alerts/${fired[0]!.id}?$expand=*`,
      `${alerts.ROOT}/alertDefinitions?${alerts.SCOPE_FILTER}`,
      `${alerts.ROOT}/alertConfigurations?${alerts.SCOPE_FILTER}&$expand=alertDefinition`,
      ...fired.map((a) => `${alerts.ROOT}/alerts/${a.id}/alertIncidents`),
    ];
    let checked = beta.checkResponse(listed.body, 'alerts');
    for (const url of urls) {
      const res = await h.request('GET', url, token);
      assert.equal(res.status, 200, `${url}: ${res.raw}`);
      checked += beta.checkResponse(res.body, url);
    }
    assert.ok(checked >= 20, `checked ${checked} instances`);
  });
});
