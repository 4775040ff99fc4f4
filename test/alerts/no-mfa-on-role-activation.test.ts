import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { evaluateNoMfaOnRoleActivation } from '../../src/alerts/evaluators/no-mfa-on-role-activation.js';
import { ROLE } from '../../src/directory/roles.js';
import { NOW, assignment, setting, snapshot } from './snapshot-builder.js';

const config = defaultConfiguration('NoMfaOnRoleActivationAlert');
const eligible = { assignmentType: 'eligible' as const };

describe('NoMfaOnRoleActivationAlert', () => {
  it('reports each privileged, PIM-activated role whose setting does not require MFA, once', () => {
    const incidents = evaluateNoMfaOnRoleActivation(
      snapshot({
        roleAssignments: [
          assignment('a1', 'u1', ROLE.globalAdministrator, eligible),
          assignment('a2', 'u2', ROLE.globalAdministrator, eligible),
          assignment('a3', 'u1', ROLE.userAdministrator, eligible),
        ],
        roleSettings: [setting(ROLE.globalAdministrator, false), setting(ROLE.userAdministrator, true)],
      }),
      config,
      NOW,
    );
    assert.deepEqual(incidents, [
      {
        '@odata.type': '#microsoft.graph.noMfaOnRoleActivationAlertIncident',
        id: ROLE.globalAdministrator,
        roleTemplateId: ROLE.globalAdministrator,
        roleDisplayName: 'Global Administrator',
      },
    ]);
  });

  it('treats a role without a setting as requiring MFA (Entra default)', () => {
    const directory = snapshot({ roleAssignments: [assignment('a1', 'u1', ROLE.globalAdministrator, eligible)] });
    assert.deepEqual(evaluateNoMfaOnRoleActivation(directory, config, NOW), []);
  });

  it('needs an unexpired eligible assignment of a privileged role', () => {
    const directory = snapshot({
      roleAssignments: [
        assignment('active-only', 'u1', ROLE.globalAdministrator),
        assignment('expired', 'u1', ROLE.securityAdministrator, { ...eligible, endAt: NOW }),
        assignment('not-privileged', 'u1', ROLE.exchangeAdministrator, eligible),
      ],
      roleSettings: [
        setting(ROLE.globalAdministrator, false),
        setting(ROLE.securityAdministrator, false),
        setting(ROLE.exchangeAdministrator, false),
      ],
    });
    assert.deepEqual(evaluateNoMfaOnRoleActivation(directory, config, NOW), []);
  });
});
