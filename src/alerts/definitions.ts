/**
 * Alert definitions: what each alert means, how bad it is and what to do about it.
 *
 * Every text is Graph's own (docs/alerts.md, "Definition texts", names the sources): the
 * "List alertDefinitions" page of the beta reference, and, where a tenant's live answer differs
 * from that page, the live answer. Descriptions that Graph writes as templates keep its
 * placeholders here: `{0}` is the incident count of the last scan, `{1}` the configured days;
 * Graph substitutes them in its answers and so does Longrun. The others are fixed texts.
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

/** Graph's bullets: each starts with `·`, and live answers separate them with CRLF. */
const bullets = (...lines: string[]): string => lines.map((line) => `·${line}`).join('\r\n');

/** Graph's texts per alert type; `{0}` and `{1}` are Graph's placeholders (see `fill`). */
const DEFINITIONS: { readonly [T in AlertType]: DefinitionText<T> } = {
  InvalidLicenseAlert: {
    displayName: "The organization doesn't have Azure AD Premium P2",
    severityLevel: 'high',
    isRemediatable: false,
    isConfigurable: false,
    description: fixed(
      "Azure AD Privileged Identity Management requires a license, but the tenant either doesn't have an Azure AD Premium P2 license, or a trial license has expired.  If you do not obtain a license, Azure AD Privileged Identity Management and its configuration will be removed from the tenant.",
    ),
    securityImpact:
      'Administrators in the tenant will not be able to use Azure AD Privileged Identity Management for role activation, access reviews or other management tasks unless a license is present.',
    mitigationSteps:
      'Purchase a license plan which includes Azure AD Premium P2 for all users who will be interacting with Azure AD PIM or with Azure AD Identity Protection.  More information on pricing and purchase options is at https://azure.microsoft.com/en-us/pricing/details/active-directory/',
    howToPrevent: 'To dismiss this alert, ensure there is a license on the tenant for Azure AD Premium P2.',
  },
  NoMfaOnRoleActivationAlert: {
    displayName: "Roles don't require multi-factor authentication for activation",
    severityLevel: 'medium',
    isRemediatable: true,
    isConfigurable: false,
    // Fixed even when the alert has incidents (the live answer with 11 incidents reads the same).
    description: fixed('Roles are configured for activation without requiring multifactor authentication. This is highly discouraged.'),
    securityImpact: 'Without multi-factor authentication, compromised users can activate privileged roles.',
    mitigationSteps: 'Review the list of roles and require multi-factor authentication for every role.',
    howToPrevent: 'Every privileged role should be configured to require MFA for activation.',
  },
  RedundantAssignmentAlert: {
    displayName: "Eligible administrators aren't activating their privileged role",
    severityLevel: 'low',
    isRemediatable: true,
    isConfigurable: true,
    description: (count, configuration) =>
      fill("{0} user(s) haven't activated their privileged roles in the past {1} days", count, days(configuration.duration)),
    securityImpact:
      "Users that have been assigned privileged roles they don't need increases the chance of an attack. It is also easier for attackers to remain unnoticed in accounts that are not actively being used.",
    mitigationSteps: 'Review the users in the list and remove them from privileged roles they do not need.',
    howToPrevent: bullets(
      'Assign privileged roles to users that have a business justification.',
      'Schedule regular access reviews to verify that users still need their access.',
    ),
  },
  RolesAssignedOutsidePimAlert: {
    displayName: 'Roles are being assigned outside of Privileged Identity Management',
    severityLevel: 'high',
    isRemediatable: true,
    isConfigurable: false,
    // The live text; the docs page still has "{0} privileged assignment(s) were made outisde of Azure AD PIM".
    description: (count) =>
      fill('{0} privileged assignment(s) were made outside of Microsoft Entra Privileged Identity Management (PIM)', count),
    securityImpact:
      'Privileged role assignments made outside of Privileged Identity Management are not properly monitored and may indicate an active attack.',
    mitigationSteps: 'Review the users in the list and remove them from privileged roles assigned outside of PIM.',
    howToPrevent:
      'Investigate where users are being assigned privileged roles outside of Privileged Identity Management and prohibit future assignments from there.',
  },
  SequentialActivationRenewalsAlert: {
    displayName: 'Roles are being activated too frequently',
    severityLevel: 'medium',
    isRemediatable: false,
    isConfigurable: true,
    description: (count) => fill('{0} multiple activations for a privileged role were made by the same user', count),
    securityImpact: 'Multiple activations to the same privileged role by the same user is a sign of an attack.',
    mitigationSteps:
      'Review the users in the list and ensure that the activation duration for their privileged role is set long enough for them to perform their tasks.',
    howToPrevent: bullets(
      'Ensure that the activation duration for privileged roles is set long enough for users to perform their tasks.',
      'Require multi-factor authentication for privileged roles that have accounts shared by multiple administrators.',
    ),
  },
  TooManyGlobalAdminsAssignedToTenantAlert: {
    displayName: 'There are too many global administrators',
    severityLevel: 'low',
    isRemediatable: true,
    isConfigurable: true,
    description: fixed(
      'The percentage of global administrators is high, relative to other privileged roles. It is recommended to use least privileged roles, with just enough privileges to perform the required tasks.',
    ),
    securityImpact:
      'Global administrator is the highest privileged role. If a Global Administrator is compromised, the attacker gains access to all of their permissions, which puts your whole system at risk.',
    mitigationSteps: bullets(
      'Review the users in the list and remove any that do not absolutely need the Global Administrator role.',
      'Assign lower privileged roles to these users instead.',
    ),
    howToPrevent: 'Assign users the least privileged role they need.',
  },
  StaleSignInAlert: {
    displayName: 'Potential stale accounts in a privileged role',
    severityLevel: 'medium',
    isRemediatable: true,
    isConfigurable: true,
    description: (count, configuration) =>
      fill(
        '{0} account(s) in privileged roles that have not signed in to Azure AD in the past {1} day(s)',
        count,
        days(configuration.duration),
      ),
    securityImpact:
      "Accounts in a privileged role have not signed in recently. These accounts might be service or shared accounts that aren't being maintained and are vulnerable to attackers.",
    mitigationSteps: 'Review the accounts in the list. If they no longer need access, remove them from their privileged roles.',
    howToPrevent:
      'Regularly review accounts with privileged roles using <a href="https://docs.microsoft.com/en-us/azure/active-directory/governance/access-reviews-overview" target="_blank" >access reviews</a> and remove role assignments which are no longer needed.',
  },
};

/** A description Graph writes the same way whatever the scan found. */
function fixed(text: string): () => string {
  return () => text;
}

/** Graph's template substitution: `{i}` becomes the i-th value. */
function fill(template: string, ...values: (number | string)[]): string {
  return template.replace(/\{(\d)\}/g, (placeholder, index: string) => String(values[Number(index)] ?? placeholder));
}

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
