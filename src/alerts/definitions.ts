/**
 * Alert definitions: what each alert means, how bad it is and what to do about it.
 *
 * Display names, severities and the two flags are Graph's values (https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementalertdefinition?view=graph-rest-beta). The longer
 * texts are Longrun's own wording; they keep Graph's conventions: `·` bullets separated by
 * `\r\n`, and descriptions with the current count and configured days substituted.
 */
import { ALERT_SCOPE_ID, ALERT_SCOPE_TYPE, ALERT_TYPES, alertId } from './alert-types.js';
import type { AlertType } from './alert-types.js';
import { defaultConfiguration } from './configuration.js';
import type { AlertConfigurationOf } from './configuration.js';
import { durationMs, formatDays } from './duration.js';

/** Graph's `alertSeverity` values that these alerts use. */
export type AlertSeverity = 'unknown' | 'informational' | 'low' | 'medium' | 'high';

/** A definition as Graph sends it, in Graph's key order (no `@odata.type`). */
export interface WireAlertDefinition {
  id: string;
  displayName: string;
  scopeType: string;
  scopeId: string;
  description: string;
  severityLevel: AlertSeverity;
  securityImpact: string;
  mitigationSteps: string;
  howToPrevent: string;
  isRemediatable: boolean;
  isConfigurable: boolean;
}

/** What the description may mention: the incident count and the configured settings. */
export interface DefinitionContext<T extends AlertType> {
  /** Incidents found by the last scan; 0 before any scan. */
  incidentCount?: number;
  /** The tenant's configuration; the default one when omitted. */
  configuration?: AlertConfigurationOf<T>;
}

interface DefinitionText<T extends AlertType> {
  displayName: string;
  severityLevel: AlertSeverity;
  isRemediatable: boolean;
  isConfigurable: boolean;
  description: (count: number, configuration: AlertConfigurationOf<T>) => string;
  securityImpact: string;
  mitigationSteps: string;
  howToPrevent: string;
}

const bullets = (...lines: string[]): string => lines.map((line) => `·${line}`).join('\r\n');

const DEFINITIONS: { readonly [T in AlertType]: DefinitionText<T> } = {
  InvalidLicenseAlert: {
    displayName: "The organization doesn't have Azure AD Premium P2",
    severityLevel: 'high',
    isRemediatable: false,
    isConfigurable: false,
    description: () =>
      'The tenant has no licence that includes Microsoft Entra ID P2 or Microsoft Entra ID Governance, which Privileged Identity Management needs.',
    securityImpact:
      'Without a qualifying licence, just-in-time activation, approvals and these alerts can stop working, leaving privileged access unmanaged.',
    mitigationSteps: bullets(
      'Buy or renew Microsoft Entra ID P2 or Microsoft Entra ID Governance licences.',
      'Assign them to the people who use or manage Privileged Identity Management.',
    ),
    howToPrevent: 'Track licence expiry dates and renew the subscription before it lapses.',
  },
  NoMfaOnRoleActivationAlert: {
    displayName: "Roles don't require multi-factor authentication for activation",
    severityLevel: 'medium',
    isRemediatable: true,
    isConfigurable: false,
    description: (count) => `${count} privileged role(s) can be activated without multi-factor authentication`,
    securityImpact:
      "If activation doesn't ask for a second factor, whoever has stolen an eligible user's password can activate the role and use all of its permissions.",
    mitigationSteps: bullets(
      'Open the settings of each role in the list.',
      'Turn on the multi-factor authentication requirement for activation.',
    ),
    howToPrevent: bullets(
      'Require multi-factor authentication on activation for every privileged role.',
      'Review role settings whenever a role is added to or changed in Privileged Identity Management.',
    ),
  },
  RedundantAssignmentAlert: {
    displayName: "Eligible administrators aren't activating their privileged role",
    severityLevel: 'low',
    isRemediatable: true,
    isConfigurable: true,
    description: (count, configuration) =>
      `${count} eligible user(s) have not activated their privileged role(s) during the past ${days(configuration.duration)} day(s)`,
    securityImpact:
      'Every unused privileged assignment widens the attack surface, and misuse of an account nobody watches is easy to miss.',
    mitigationSteps: bullets(
      'Check with each listed user whether the role is still needed.',
      'Remove the eligible assignments that are no longer needed.',
    ),
    howToPrevent: bullets(
      'Make people eligible only for the roles their work requires.',
      'Run regular access reviews of eligible assignments.',
    ),
  },
  RolesAssignedOutsidePimAlert: {
    displayName: 'Roles are being assigned outside of Privileged Identity Management',
    severityLevel: 'high',
    isRemediatable: true,
    isConfigurable: false,
    description: (count) =>
      `${count} privileged role assignment(s) were made without using Microsoft Entra Privileged Identity Management (PIM)`,
    securityImpact:
      'Assignments made outside PIM skip its approvals, time limits and audit trail, so privileged access can grow without anyone noticing.',
    mitigationSteps: 'Go through the listed assignments and remove those that were not granted through PIM.',
    howToPrevent: bullets(
      'Grant privileged roles only through Privileged Identity Management.',
      'Limit who can assign roles directly in the directory.',
    ),
  },
  SequentialActivationRenewalsAlert: {
    displayName: 'Roles are being activated too frequently',
    severityLevel: 'medium',
    isRemediatable: false,
    isConfigurable: true,
    description: (count) => `${count} run(s) of repeated activations of the same privileged role by the same user were found`,
    securityImpact:
      'Activating a role over and over in quick succession can be a way to stretch access beyond the allowed activation time, or a sign that the account is scripted or misused.',
    mitigationSteps: bullets(
      "Check whether the role's maximum activation time is long enough for the work being done.",
      'Ask the listed users why they activate the role so often.',
    ),
    howToPrevent: bullets(
      'Set an activation duration that fits the tasks the role is used for.',
      'Require a justification or approval for activation.',
    ),
  },
  TooManyGlobalAdminsAssignedToTenantAlert: {
    displayName: 'There are too many global administrators',
    severityLevel: 'low',
    isRemediatable: true,
    isConfigurable: true,
    description: (_count, configuration) =>
      `At least ${configuration.globalAdminCountThreshold} users hold Global Administrator, and they make up ` +
      `${configuration.percentageOfGlobalAdminsOutOfRolesThreshold}% or more of all role assignments`,
    securityImpact:
      'Global Administrator can change everything in the tenant; each extra holder is one more account an attacker can take over to gain full control.',
    mitigationSteps: bullets(
      'Review the listed users and keep Global Administrator only for those who truly need it.',
      'Give the others a less privileged role that covers their tasks.',
    ),
    howToPrevent: bullets(
      'Assign the least privileged role that does the job.',
      'Make Global Administrator eligible rather than permanently active.',
    ),
  },
  StaleSignInAlert: {
    displayName: 'Potential stale accounts in a privileged role',
    severityLevel: 'medium',
    isRemediatable: true,
    isConfigurable: true,
    description: (count, configuration) =>
      `${count} account(s) in privileged roles have not signed in during the past ${days(configuration.duration)} day(s)`,
    securityImpact:
      'Accounts that nobody signs in to are often shared or forgotten; their owners would not notice a compromise, and their privileges stay available to an attacker.',
    mitigationSteps: bullets(
      'Confirm with the owner of each listed account whether it is still in use.',
      'Remove the privileged role from accounts that are no longer needed.',
    ),
    howToPrevent: bullets(
      'Review privileged accounts regularly with access reviews.',
      'Remove role assignments as soon as they are no longer needed.',
    ),
  },
};

function days(duration: string): string {
  return formatDays(durationMs(duration));
}

/** The definition of one alert in one tenant, with the description's figures filled in. */
export function definitionFor<T extends AlertType>(tenantId: string, type: T, context: DefinitionContext<T> = {}): WireAlertDefinition {
  const text = DEFINITIONS[type];
  const configuration = context.configuration ?? defaultConfiguration(type);
  if (configuration.alertType !== type) {
    throw new TypeError(`definitionFor(${type}) was given a ${configuration.alertType} configuration`);
  }
  return {
    id: alertId(tenantId, type),
    displayName: text.displayName,
    scopeType: ALERT_SCOPE_TYPE,
    scopeId: ALERT_SCOPE_ID,
    description: text.description(context.incidentCount ?? 0, configuration),
    severityLevel: text.severityLevel,
    securityImpact: text.securityImpact,
    mitigationSteps: text.mitigationSteps,
    howToPrevent: text.howToPrevent,
    isRemediatable: text.isRemediatable,
    isConfigurable: text.isConfigurable,
  };
}

/** The seven definitions of a tenant with default figures, in alert-type order. */
export function definitionsFor(tenantId: string): WireAlertDefinition[] {
  return ALERT_TYPES.map((type) => definitionFor(tenantId, type));
}

/** Whether an alert's incidents can be remediated (Graph answers 400 when not). */
export function isRemediatable(type: AlertType): boolean {
  return DEFINITIONS[type].isRemediatable;
}
