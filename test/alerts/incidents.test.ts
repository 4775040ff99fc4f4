import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertTypeOfIncident, formatGraphDateTime, toWireIncident } from '../../src/alerts/incidents.js';
import type { StaleSignInAlertIncident } from '../../src/alerts/incidents.js';

const incident: StaleSignInAlertIncident = {
  '@odata.type': '#microsoft.graph.staleSignInAlertIncident',
  id: 'a1',
  roleTemplateId: 'r',
  roleDisplayName: 'Role',
  roleDefinitionId: 'r',
  assigneeId: 'u1',
  assigneeDisplayName: 'Ann',
  assigneeUserPrincipalName: 'ann@contoso.test',
  assignmentCreatedDateTime: Date.UTC(2023, 5, 9, 22, 50, 41, 541),
  lastSignInDateTime: null,
};

describe('incident wire form', () => {
  it('formats timestamps with 7 fractional digits in UTC', () => {
    assert.equal(formatGraphDateTime(Date.UTC(2023, 5, 9, 22, 50, 41, 541)), '2023-06-09T22:50:41.5410000Z');
    assert.equal(formatGraphDateTime(0), '1970-01-01T00:00:00.0000000Z');
  });

  it('converts timestamps, keeps nulls and the key order', () => {
    const wire = toWireIncident(incident);
    assert.deepEqual(Object.keys(wire), Object.keys(incident));
    assert.equal(wire.assignmentCreatedDateTime, '2023-06-09T22:50:41.5410000Z');
    assert.equal(wire.lastSignInDateTime, null);
    assert.equal(wire.assigneeDisplayName, 'Ann');
  });

  it('tells which alert an incident belongs to', () => {
    assert.equal(alertTypeOfIncident(incident), 'StaleSignInAlert');
  });
});
