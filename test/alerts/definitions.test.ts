import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERT_TYPES, alertId } from '../../src/alerts/alert-types.js';
import { definitionFor, definitionsFor } from '../../src/alerts/definitions.js';
import { TENANT_ID } from './snapshot-builder.js';

/** https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementalertdefinition?view=graph-rest-beta: display name, severity, isRemediatable, isConfigurable. */
const EXPECTED = {
  InvalidLicenseAlert: ["The organization doesn't have Azure AD Premium P2", 'high', false, false],
  NoMfaOnRoleActivationAlert: ["Roles don't require multi-factor authentication for activation", 'medium', true, false],
  RedundantAssignmentAlert: ["Eligible administrators aren't activating their privileged role", 'low', true, true],
  RolesAssignedOutsidePimAlert: ['Roles are being assigned outside of Privileged Identity Management', 'high', true, false],
  SequentialActivationRenewalsAlert: ['Roles are being activated too frequently', 'medium', false, true],
  StaleSignInAlert: ['Potential stale accounts in a privileged role', 'medium', true, true],
  TooManyGlobalAdminsAssignedToTenantAlert: ['There are too many global administrators', 'low', true, true],
} as const;

/**
 * Graph's texts: the beta "List alertDefinitions" example response, with the live tenant's
 * answer where the two differ (CRLF between bullets; the RolesAssignedOutsidePim wording).
 */
const FIXED_TEXTS = {
  InvalidLicenseAlert: {
    description:
      "Azure AD Privileged Identity Management requires a license, but the tenant either doesn't have an Azure AD Premium P2 license, or a trial license has expired.  If you do not obtain a license, Azure AD Privileged Identity Management and its configuration will be removed from the tenant.",
  },
  NoMfaOnRoleActivationAlert: {
    description: 'Roles are configured for activation without requiring multifactor authentication. This is highly discouraged.',
  },
  TooManyGlobalAdminsAssignedToTenantAlert: {
    description:
      'The percentage of global administrators is high, relative to other privileged roles. It is recommended to use least privileged roles, with just enough privileges to perform the required tasks.',
  },
} as const;

const TEXTS = {
  InvalidLicenseAlert: {
    securityImpact:
      'Administrators in the tenant will not be able to use Azure AD Privileged Identity Management for role activation, access reviews or other management tasks unless a license is present.',
    mitigationSteps:
      'Purchase a license plan which includes Azure AD Premium P2 for all users who will be interacting with Azure AD PIM or with Azure AD Identity Protection.  More information on pricing and purchase options is at https://azure.microsoft.com/en-us/pricing/details/active-directory/',
    howToPrevent: 'To dismiss this alert, ensure there is a license on the tenant for Azure AD Premium P2.',
  },
  NoMfaOnRoleActivationAlert: {
    securityImpact: 'Without multi-factor authentication, compromised users can activate privileged roles.',
    mitigationSteps: 'Review the list of roles and require multi-factor authentication for every role.',
    howToPrevent: 'Every privileged role should be configured to require MFA for activation.',
  },
  RedundantAssignmentAlert: {
    securityImpact:
      "Users that have been assigned privileged roles they don't need increases the chance of an attack. It is also easier for attackers to remain unnoticed in accounts that are not actively being used.",
    mitigationSteps: 'Review the users in the list and remove them from privileged roles they do not need.',
    howToPrevent:
      '·Assign privileged roles to users that have a business justification.\r\n·Schedule regular access reviews to verify that users still need their access.',
  },
  RolesAssignedOutsidePimAlert: {
    securityImpact:
      'Privileged role assignments made outside of Privileged Identity Management are not properly monitored and may indicate an active attack.',
    mitigationSteps: 'Review the users in the list and remove them from privileged roles assigned outside of PIM.',
    howToPrevent:
      'Investigate where users are being assigned privileged roles outside of Privileged Identity Management and prohibit future assignments from there.',
  },
  SequentialActivationRenewalsAlert: {
    securityImpact: 'Multiple activations to the same privileged role by the same user is a sign of an attack.',
    mitigationSteps:
      'Review the users in the list and ensure that the activation duration for their privileged role is set long enough for them to perform their tasks.',
    howToPrevent:
      '·Ensure that the activation duration for privileged roles is set long enough for users to perform their tasks.\r\n·Require multi-factor authentication for privileged roles that have accounts shared by multiple administrators.',
  },
  TooManyGlobalAdminsAssignedToTenantAlert: {
    securityImpact:
      'Global administrator is the highest privileged role. If a Global Administrator is compromised, the attacker gains access to all of their permissions, which puts your whole system at risk.',
    mitigationSteps:
      '·Review the users in the list and remove any that do not absolutely need the Global Administrator role.\r\n·Assign lower privileged roles to these users instead.',
    howToPrevent: 'Assign users the least privileged role they need.',
  },
  StaleSignInAlert: {
    securityImpact:
      "Accounts in a privileged role have not signed in recently. These accounts might be service or shared accounts that aren't being maintained and are vulnerable to attackers.",
    mitigationSteps: 'Review the accounts in the list. If they no longer need access, remove them from their privileged roles.',
    howToPrevent:
      'Regularly review accounts with privileged roles using <a href="https://docs.microsoft.com/en-us/azure/active-directory/governance/access-reviews-overview" target="_blank" >access reviews</a> and remove role assignments which are no longer needed.',
  },
} as const;

describe('alert definitions', () => {
  it('match the Graph table for every type', () => {
    for (const type of ALERT_TYPES) {
      const definition = definitionFor(TENANT_ID, type);
      const [displayName, severityLevel, isRemediatable, isConfigurable] = EXPECTED[type];
      assert.equal(definition.displayName, displayName, type);
      assert.equal(definition.severityLevel, severityLevel, type);
      assert.equal(definition.isRemediatable, isRemediatable, type);
      assert.equal(definition.isConfigurable, isConfigurable, type);
      assert.equal(definition.id, alertId(TENANT_ID, type));
      assert.equal(definition.scopeId, '/');
      assert.equal(definition.scopeType, 'DirectoryRole');
    }
  });

  it("use Graph's key order and no @odata.type", () => {
    assert.deepEqual(Object.keys(definitionFor(TENANT_ID, 'StaleSignInAlert')), [
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
  });

  it("fill Graph's {0}/{1} templates with 0 and the default days before any scan", () => {
    // Byte for byte as a live tenant answers with 0 findings and P30D (docs/alerts.md, "Definition texts").
    assert.equal(
      definitionFor(TENANT_ID, 'StaleSignInAlert').description,
      '0 account(s) in privileged roles that have not signed in to Azure AD in the past 30 day(s)',
    );
    assert.equal(
      definitionFor(TENANT_ID, 'RedundantAssignmentAlert').description,
      "0 user(s) haven't activated their privileged roles in the past 30 days",
    );
    assert.equal(
      definitionFor(TENANT_ID, 'SequentialActivationRenewalsAlert').description,
      '0 multiple activations for a privileged role were made by the same user',
    );
  });

  it('fill in the incident count and the configured days', () => {
    const definition = definitionFor(TENANT_ID, 'StaleSignInAlert', {
      incidentCount: 2,
      configuration: { alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P90D' },
    });
    assert.equal(definition.description, '2 account(s) in privileged roles that have not signed in to Azure AD in the past 90 day(s)');
    assert.equal(
      definitionFor(TENANT_ID, 'RolesAssignedOutsidePimAlert', { incidentCount: 5 }).description,
      '5 privileged assignment(s) were made outside of Microsoft Entra Privileged Identity Management (PIM)',
    );
    assert.equal(
      definitionFor(TENANT_ID, 'RedundantAssignmentAlert', {
        incidentCount: 7,
        configuration: { alertType: 'RedundantAssignmentAlert', isEnabled: true, duration: 'P14D' },
      }).description,
      "7 user(s) haven't activated their privileged roles in the past 14 days",
    );
  });

  it("keep Graph's fixed descriptions whatever the scan found", () => {
    for (const type of ['InvalidLicenseAlert', 'NoMfaOnRoleActivationAlert', 'TooManyGlobalAdminsAssignedToTenantAlert'] as const) {
      assert.equal(definitionFor(TENANT_ID, type, { incidentCount: 11 }).description, FIXED_TEXTS[type].description, type);
    }
  });

  it("use Graph's texts byte for byte", () => {
    for (const type of ALERT_TYPES) {
      const { securityImpact, mitigationSteps, howToPrevent } = definitionFor(TENANT_ID, type);
      assert.deepEqual({ securityImpact, mitigationSteps, howToPrevent }, TEXTS[type], type);
    }
  });

  it('refuse a configuration of another alert type', () => {
    const type: 'StaleSignInAlert' | 'RedundantAssignmentAlert' = 'RedundantAssignmentAlert';
    assert.throws(
      () =>
        definitionFor(TENANT_ID, type as 'StaleSignInAlert' | 'RedundantAssignmentAlert', {
          configuration: { alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P5D' },
        }),
      /was given a StaleSignInAlert configuration/,
    );
  });

  it('write multi-bullet fields as ·-bullets joined by CRLF, as live answers do', () => {
    const { howToPrevent } = definitionFor(TENANT_ID, 'RedundantAssignmentAlert');
    assert.equal(howToPrevent.split('\r\n').length, 2);
    for (const line of howToPrevent.split('\r\n')) assert.ok(line.startsWith('·'), line);
  });

  it('lists the seven definitions in alert-type order', () => {
    assert.deepEqual(
      definitionsFor(TENANT_ID).map((d) => d.id),
      ALERT_TYPES.map((type) => alertId(TENANT_ID, type)),
    );
  });
});
