/** Reading alerts, incidents, definitions and configurations over HTTP. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  alertIdOf,
  buildHarness,
  OTHER_TENANT,
  PUBLIC_URL,
  READ,
  ROOT,
  SCOPE_FILTER,
  userToken,
  WRITE,
  type Harness,
} from '../support/alerts.js';

const STALE = alertIdOf('StaleSignInAlert');
const META = `${PUBLIC_URL}/beta/$metadata#identityGovernance/roleManagementAlerts`;

describe('alert resources', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await buildHarness();
    token = await userToken(h, 'secReader', [READ]);
    // One scanned alert (StaleSignIn); the other six stay never scanned.
    const writer = await userToken(h, 'pra', [WRITE]);
    await h.request('POST', `${ROOT}/alerts/${STALE}/refresh`, writer);
    await h.runQueued();
  });
  after(() => h.close());

  it('lists the seven alerts in live order with Graph key order and no @odata.type', async () => {
    const res = await h.request('GET', `${ROOT}/alerts?${SCOPE_FILTER}`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${META}/alerts`);
    assert.deepEqual(
      res.body.value.map((a: { id: string }) => a.id),
      [
        'InvalidLicenseAlert',
        'NoMfaOnRoleActivationAlert',
        'RedundantAssignmentAlert',
        'RolesAssignedOutsidePimAlert',
        'SequentialActivationRenewalsAlert',
        'TooManyGlobalAdminsAssignedToTenantAlert',
        'StaleSignInAlert',
      ].map((t) => alertIdOf(t)),
    );
    const first = res.body.value[0];
    assert.deepEqual(Object.keys(first), [
      'id',
      'alertDefinitionId',
      'scopeId',
      'scopeType',
      'incidentCount',
      'isActive',
      'lastModifiedDateTime',
      'lastScannedDateTime',
    ]);
    assert.equal(first.alertDefinitionId, first.id);
  });

  it('a never-scanned alert: 0 incidents, inactive, .NET zero lastModified, null lastScanned', async () => {
    const res = await h.request('GET', `${ROOT}/alerts/${alertIdOf('InvalidLicenseAlert')}`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${META}/alerts/$entity`);
    assert.equal(res.body.incidentCount, 0);
    assert.equal(res.body.isActive, false);
    assert.equal(res.body.lastModifiedDateTime, '0001-01-01T08:00:00Z');
    assert.equal(res.body.lastScannedDateTime, null);
  });

  it('lists without the scope filter, or with a wrong one, are 400 naming the expected filter', async () => {
    for (const set of ['alerts', 'alertDefinitions', 'alertConfigurations']) {
      for (const query of [
        '',
        "?$filter=scopeId eq '/'",
        "?$filter=scopeId eq '/x' and scopeType eq 'DirectoryRole'",
        "?$filter=scopeId eq '/' or scopeType eq 'DirectoryRole'",
      ]) {
        const res = await h.request('GET', `${ROOT}/${set}${query}`, token);
        assert.equal(res.status, 400, `${set}${query}`);
        assert.equal(res.body.error.code, 'BadRequest');
        assert.match(res.body.error.message, /scopeId eq '\/' and scopeType eq 'DirectoryRole'|'and'/);
      }
    }
  });

  it('$filter beyond the scope and $select narrow the list; the context names the selection', async () => {
    const res = await h.request('GET', `${ROOT}/alerts?${SCOPE_FILTER} and isActive eq true&$select=id,incidentCount`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${META}/alerts(id,incidentCount)`);
    assert.deepEqual(res.body.value, [{ id: STALE, incidentCount: 2 }]);
  });

  it('$expand=* on one alert: configuration, definition and incidents, with Graph contexts', async () => {
    const res = await h.request('GET', `${ROOT}/alerts/${STALE}?$expand=*`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${META}/alerts(alertConfiguration(),alertDefinition(),alertIncidents())/$entity`);
    assert.equal(res.body.alertConfiguration['@odata.type'], '#microsoft.graph.staleSignInAlertConfiguration');
    assert.equal(res.body.alertDefinition.id, STALE);
    assert.equal(
      res.body.alertDefinition.description,
      '2 account(s) in privileged roles that have not signed in to Azure AD in the past 30 day(s)',
    );
    assert.equal(res.body['alertIncidents@odata.context'], `${META}/alerts('${STALE}')/alertIncidents`);
    assert.equal(res.body.alertIncidents.length, 2);
    assert.equal(res.body.alertIncidents[0]['@odata.type'], '#microsoft.graph.staleSignInAlertIncident');
  });

  it('incidents: list and get one, with their context URLs; unknown incident is 404', async () => {
    const list = await h.request('GET', `${ROOT}/alerts/${STALE}/alertIncidents`, token);
    assert.equal(list.status, 200);
    assert.equal(list.body['@odata.context'], `${META}/alerts('${STALE}')/alertIncidents`);
    const id = list.body.value[0].id as string;
    const one = await h.request('GET', `${ROOT}/alerts/${STALE}/alertIncidents/${id}`, token);
    assert.equal(one.status, 200);
    assert.equal(one.body['@odata.context'], `${META}/alerts('${STALE}')/alertIncidents/$entity`);
    assert.equal(one.body.id, id);
    assert.match(one.body.lastSignInDateTime, /^2026-02-01T10:00:00\.0000000Z$/);
    const missing = await h.request('GET', `${ROOT}/alerts/${STALE}/alertIncidents/nope`, token);
    assert.equal(missing.status, 404);
  });

  it('an unknown alert id and an alert of another tenant get the same 404 body', async () => {
    const unknownId = alertIdOf('NotAnAlert');
    const foreignId = alertIdOf('StaleSignInAlert', OTHER_TENANT);
    const unknown = await h.request('GET', `${ROOT}/alerts/${unknownId}`, token);
    const foreign = await h.request('GET', `${ROOT}/alerts/${foreignId}`, token);
    assert.equal(unknown.status, 404);
    assert.equal(foreign.status, 404);
    assert.equal(unknown.body.error.code, 'itemNotFound');
    // Identical apart from the id the caller sent: nothing reveals that the other tenant exists.
    assert.equal(foreign.body.error.code, unknown.body.error.code);
    assert.equal(foreign.body.error.message.replace(foreignId, '{id}'), unknown.body.error.message.replace(unknownId, '{id}'));
  });

  it('definitions: seven, Graph key order, description with the current count', async () => {
    const res = await h.request('GET', `${ROOT}/alertDefinitions?${SCOPE_FILTER}`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${META}/alertDefinitions`);
    assert.equal(res.body.value.length, 7);
    assert.deepEqual(Object.keys(res.body.value[0]), [
      'id',
      'displayName',
      'scopeType',
      'scopeId',
      'description',
      'severityLevel',
      'securityImpact',
      'mitigationSteps',
      'howToPrevent',
      'isRemediatable',
      'isConfigurable',
    ]);
    const one = await h.request('GET', `${ROOT}/alertDefinitions/${STALE}?$select=displayName`, token);
    assert.equal(one.body['@odata.context'], `${META}/alertDefinitions(displayName)/$entity`);
    assert.deepEqual(Object.keys(one.body), ['@odata.context', 'displayName']);
  });

  it('configurations: @odata.type first, $expand=alertDefinition, get one', async () => {
    const res = await h.request('GET', `${ROOT}/alertConfigurations?${SCOPE_FILTER}&$expand=alertDefinition`, token);
    assert.equal(res.status, 200);
    assert.equal(res.body['@odata.context'], `${META}/alertConfigurations(alertDefinition())`);
    assert.equal(res.body.value.length, 7);
    assert.equal(Object.keys(res.body.value[0])[0], '@odata.type');
    assert.equal(res.body.value[0].alertDefinition.id, res.body.value[0].id);
    const one = await h.request('GET', `${ROOT}/alertConfigurations/${STALE}`, token);
    assert.equal(one.body['@odata.context'], `${META}/alertConfigurations/$entity`);
    assert.equal(one.body.duration, 'P30D');
  });

  it('an unknown $select or $expand property is a 400', async () => {
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}?$select=nope`, token)).status, 400);
    assert.equal((await h.request('GET', `${ROOT}/alerts/${STALE}?$expand=nope`, token)).status, 400);
  });
});
