/** scanAlert: what one refresh does to one alert, without storage. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { neverScanned } from '../../src/alerts/alert-state.js';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { scanAlert } from '../../src/alerts/refresh/alert-scan.js';
import { assignment, DAY, NOW, snapshot, user } from './snapshot-builder.js';

const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const staleDirectory = snapshot({
  users: [user('u1', { lastSignInAt: NOW - 90 * DAY })],
  roleAssignments: [assignment('a1', 'u1', USER_ADMIN)],
});

describe('scanAlert', () => {
  it('a disabled configuration is skipped', () => {
    const scan = scanAlert(
      staleDirectory,
      { ...defaultConfiguration('StaleSignInAlert'), isEnabled: false },
      { state: neverScanned('StaleSignInAlert'), incidentBodies: [] },
      NOW,
    );
    assert.deepEqual(scan, { kind: 'skipped' });
  });

  it('new incidents: active, counted, modified and scanned now', () => {
    const scan = scanAlert(
      staleDirectory,
      defaultConfiguration('StaleSignInAlert'),
      { state: neverScanned('StaleSignInAlert'), incidentBodies: [] },
      NOW,
    );
    assert.equal(scan.kind, 'scanned');
    if (scan.kind !== 'scanned') return;
    assert.deepEqual(scan.state, {
      alertType: 'StaleSignInAlert',
      isActive: true,
      incidentCount: 1,
      lastModifiedAt: NOW,
      lastScannedAt: NOW,
    });
    assert.equal(scan.incidentsChanged, true);
  });

  it('same incidents as before: a dismissed alert is reactivated, lastModified is kept', () => {
    const first = scanAlert(
      staleDirectory,
      defaultConfiguration('StaleSignInAlert'),
      { state: neverScanned('StaleSignInAlert'), incidentBodies: [] },
      NOW,
    );
    if (first.kind !== 'scanned') throw new Error('expected a scan');
    const dismissed = { ...first.state, isActive: false };
    const second = scanAlert(
      staleDirectory,
      defaultConfiguration('StaleSignInAlert'),
      { state: dismissed, incidentBodies: first.incidents.map((incident) => JSON.stringify(incident)) },
      NOW + DAY,
    );
    if (second.kind !== 'scanned') throw new Error('expected a scan');
    assert.equal(second.incidentsChanged, false);
    assert.deepEqual(second.state, {
      alertType: 'StaleSignInAlert',
      isActive: true,
      incidentCount: 1,
      lastModifiedAt: NOW,
      lastScannedAt: NOW + DAY,
    });
  });

  it('an incident whose stored JSON differs in one value counts as changed', () => {
    const first = scanAlert(
      staleDirectory,
      defaultConfiguration('StaleSignInAlert'),
      { state: neverScanned('StaleSignInAlert'), incidentBodies: [] },
      NOW,
    );
    if (first.kind !== 'scanned') throw new Error('expected a scan');
    const stored = first.incidents.map((incident) => JSON.stringify({ ...incident, lastSignInDateTime: NOW - 91 * DAY }));
    const second = scanAlert(
      staleDirectory,
      defaultConfiguration('StaleSignInAlert'),
      { state: first.state, incidentBodies: stored },
      NOW + DAY,
    );
    if (second.kind !== 'scanned') throw new Error('expected a scan');
    assert.equal(second.incidentsChanged, true);
    assert.equal(second.state.lastModifiedAt, NOW + DAY);
    assert.deepEqual(second.incidents, first.incidents, 'the new incidents are what will be stored');
  });

  it('no incidents on a never-fired alert: inactive and still never modified', () => {
    const scan = scanAlert(
      snapshot(),
      defaultConfiguration('StaleSignInAlert'),
      { state: neverScanned('StaleSignInAlert'), incidentBodies: [] },
      NOW,
    );
    if (scan.kind !== 'scanned') throw new Error('expected a scan');
    assert.deepEqual(scan.state, {
      alertType: 'StaleSignInAlert',
      isActive: false,
      incidentCount: 0,
      lastModifiedAt: null,
      lastScannedAt: NOW,
    });
  });
});
