/**
 * Alert configurations: the per-tenant settings of each alert type, their defaults, their wire
 * shape, and validation of `PATCH alertConfigurations/{id}` bodies and fixture entries.
 *
 * Durations are kept in canonical ISO 8601 text (`P30D`), as Graph returns them; evaluators turn
 * them into milliseconds.
 */
import { ALERT_SCOPE_ID, ALERT_SCOPE_TYPE, ALERT_TYPES, alertId, isAlertType } from './alert-types.js';
import type { AlertType } from './alert-types.js';
import { checkUpdatableValue, isPlainObject } from './configuration-values.js';
import type { ConfigurationError, UpdatableProperty } from './configuration-values.js';

export type { ConfigurationError, UpdatableProperty } from './configuration-values.js';

interface ConfigurationBase<T extends AlertType> {
  alertType: T;
  /** false: refreshes do not scan the tenant for this alert. */
  isEnabled: boolean;
}

export type InvalidLicenseAlertConfiguration = ConfigurationBase<'InvalidLicenseAlert'>;
export type NoMfaOnRoleActivationAlertConfiguration = ConfigurationBase<'NoMfaOnRoleActivationAlert'>;
export type RolesAssignedOutsidePimAlertConfiguration = ConfigurationBase<'RolesAssignedOutsidePimAlert'>;

export interface RedundantAssignmentAlertConfiguration extends ConfigurationBase<'RedundantAssignmentAlert'> {
  /** How long an eligible assignment may go without activation (0–100 days). Default `P30D`. */
  duration: string;
}

export interface StaleSignInAlertConfiguration extends ConfigurationBase<'StaleSignInAlert'> {
  /** How long a privileged account may go without signing in (1–365 days). Default `P30D`. */
  duration: string;
}

export interface SequentialActivationRenewalsAlertConfiguration extends ConfigurationBase<'SequentialActivationRenewalsAlert'> {
  /** Largest gap between two activations of one sequence (positive). Default `PT10S`. */
  timeIntervalBetweenActivations: string;
  /** Activations in one sequence that raise an incident (2–100). Default 3. */
  sequentialActivationCounterThreshold: number;
}

export interface TooManyGlobalAdminsAlertConfiguration extends ConfigurationBase<'TooManyGlobalAdminsAssignedToTenantAlert'> {
  /** Global Administrators at or above which the alert may fire (2–100). Default 3. */
  globalAdminCountThreshold: number;
  /** Share of all role assignments, in percent, at or above which it may fire (0–100). Default 10. */
  percentageOfGlobalAdminsOutOfRolesThreshold: number;
}

/** The settings of one alert type in one tenant. */
export type AlertConfiguration =
  | InvalidLicenseAlertConfiguration
  | NoMfaOnRoleActivationAlertConfiguration
  | RedundantAssignmentAlertConfiguration
  | RolesAssignedOutsidePimAlertConfiguration
  | SequentialActivationRenewalsAlertConfiguration
  | TooManyGlobalAdminsAlertConfiguration
  | StaleSignInAlertConfiguration;

/** The configuration shape of one alert type. */
export type AlertConfigurationOf<T extends AlertType> = Extract<AlertConfiguration, { alertType: T }>;

/** `@odata.type` of each configuration (https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementalertconfiguration?view=graph-rest-beta). */
export const CONFIGURATION_ODATA_TYPES: { readonly [T in AlertType]: string } = {
  InvalidLicenseAlert: '#microsoft.graph.invalidLicenseAlertConfiguration',
  NoMfaOnRoleActivationAlert: '#microsoft.graph.noMfaOnRoleActivationAlertConfiguration',
  RedundantAssignmentAlert: '#microsoft.graph.redundantAssignmentAlertConfiguration',
  RolesAssignedOutsidePimAlert: '#microsoft.graph.rolesAssignedOutsidePrivilegedIdentityManagementAlertConfiguration',
  SequentialActivationRenewalsAlert: '#microsoft.graph.sequentialActivationRenewalsAlertConfiguration',
  TooManyGlobalAdminsAssignedToTenantAlert: '#microsoft.graph.tooManyGlobalAdminsAssignedToTenantAlertConfiguration',
  StaleSignInAlert: '#microsoft.graph.staleSignInAlertConfiguration',
};

/** The type-specific properties of each configuration, in Graph's key order. */
const EXTRA_PROPERTIES: { readonly [T in AlertType]: readonly Exclude<UpdatableProperty, 'isEnabled'>[] } = {
  InvalidLicenseAlert: [],
  NoMfaOnRoleActivationAlert: [],
  RedundantAssignmentAlert: ['duration'],
  RolesAssignedOutsidePimAlert: [],
  SequentialActivationRenewalsAlert: ['timeIntervalBetweenActivations', 'sequentialActivationCounterThreshold'],
  TooManyGlobalAdminsAssignedToTenantAlert: ['globalAdminCountThreshold', 'percentageOfGlobalAdminsOutOfRolesThreshold'],
  StaleSignInAlert: ['duration'],
};

/** Properties every configuration has but no client may change. */
const READ_ONLY_PROPERTIES = new Set(['id', 'alertDefinitionId', 'scopeId', 'scopeType']);

/**
 * Graph's observed values on a live tenant (captured from a live beta tenant; not documented as defaults):
 * everything enabled, 30 days, PT10S/3, 3 admins/10 %.
 */
export function defaultConfiguration<T extends AlertType>(type: T): AlertConfigurationOf<T> {
  const all: { [K in AlertType]: AlertConfigurationOf<K> } = {
    InvalidLicenseAlert: { alertType: 'InvalidLicenseAlert', isEnabled: true },
    NoMfaOnRoleActivationAlert: { alertType: 'NoMfaOnRoleActivationAlert', isEnabled: true },
    RedundantAssignmentAlert: { alertType: 'RedundantAssignmentAlert', isEnabled: true, duration: 'P30D' },
    RolesAssignedOutsidePimAlert: { alertType: 'RolesAssignedOutsidePimAlert', isEnabled: true },
    SequentialActivationRenewalsAlert: {
      alertType: 'SequentialActivationRenewalsAlert',
      isEnabled: true,
      timeIntervalBetweenActivations: 'PT10S',
      sequentialActivationCounterThreshold: 3,
    },
    TooManyGlobalAdminsAssignedToTenantAlert: {
      alertType: 'TooManyGlobalAdminsAssignedToTenantAlert',
      isEnabled: true,
      globalAdminCountThreshold: 3,
      percentageOfGlobalAdminsOutOfRolesThreshold: 10,
    },
    StaleSignInAlert: { alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P30D' },
  };
  return all[type];
}

/** The seven default configurations, in alert-type order. */
export function defaultConfigurations(): AlertConfiguration[] {
  return ALERT_TYPES.map((type) => defaultConfiguration(type));
}

/** A configuration as Graph sends it: `@odata.type` first, then base keys, then extras. */
export type WireAlertConfiguration = {
  '@odata.type': string;
  id: string;
  alertDefinitionId: string;
  scopeType: string;
  scopeId: string;
  isEnabled: boolean;
} & Partial<Record<Exclude<UpdatableProperty, 'isEnabled'>, string | number>>;

export function toWireConfiguration(tenantId: string, configuration: AlertConfiguration): WireAlertConfiguration {
  const type = configuration.alertType;
  const id = alertId(tenantId, type);
  const wire: WireAlertConfiguration = {
    '@odata.type': CONFIGURATION_ODATA_TYPES[type],
    id,
    alertDefinitionId: id,
    scopeType: ALERT_SCOPE_TYPE,
    scopeId: ALERT_SCOPE_ID,
    isEnabled: configuration.isEnabled,
  };
  const values = configuration as unknown as Record<string, string | number>;
  for (const property of EXTRA_PROPERTIES[type]) {
    const value = values[property];
    if (value !== undefined) wire[property] = value;
  }
  return wire;
}

/** A validated configuration, or every problem found (property names relative to the body). */
export type ConfigurationValidation<C> = { ok: true; configuration: C } | { ok: false; errors: ConfigurationError[] };

/**
 * Validates the body of `PATCH alertConfigurations/{id}` against the current configuration and
 * returns the merged result. The body must name the configuration's `@odata.type`; only
 * `isEnabled` and the type's own settings may appear (see docs/alerts.md).
 */
export function validateConfigurationPatch<C extends AlertConfiguration>(current: C, body: unknown): ConfigurationValidation<C> {
  if (!isPlainObject(body)) {
    return { ok: false, errors: [{ property: '', message: 'The request body must be a JSON object.' }] };
  }
  const type = current.alertType;
  const expectedType = CONFIGURATION_ODATA_TYPES[type];
  const errors: ConfigurationError[] = [];
  const odataType = body['@odata.type'];
  if (odataType === undefined) {
    errors.push({ property: '@odata.type', message: `Required; this configuration is '${expectedType}'.` });
  } else if (odataType !== expectedType) {
    errors.push({
      property: '@odata.type',
      message: `'${typeof odataType === 'string' ? odataType : JSON.stringify(odataType)}' does not match this configuration's type '${expectedType}'.`,
    });
  }
  const changes = collectChanges(type, body, ['@odata.type'], 'patch', errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, configuration: { ...current, ...changes } };
}

/**
 * Validates one `alertConfigurations` entry of a tenant fixture (`{ alertType, isEnabled?, … }`)
 * with the same value rules as PATCH; omitted settings take the defaults.
 */
export function validateFixtureConfiguration(raw: unknown): ConfigurationValidation<AlertConfiguration> {
  if (!isPlainObject(raw)) {
    return { ok: false, errors: [{ property: '', message: 'must be an object.' }] };
  }
  const alertType = raw['alertType'];
  if (!isAlertType(alertType)) {
    return {
      ok: false,
      errors: [{ property: 'alertType', message: `must be one of ${ALERT_TYPES.join(', ')}.` }],
    };
  }
  const errors: ConfigurationError[] = [];
  const changes = collectChanges(alertType, raw, ['alertType'], 'fixture', errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, configuration: { ...defaultConfiguration(alertType), ...changes } };
}

/** Checks every property of `source` except `skip`; pushes errors, returns the accepted values. */
function collectChanges(
  type: AlertType,
  source: Record<string, unknown>,
  skip: readonly string[],
  origin: 'patch' | 'fixture',
  errors: ConfigurationError[],
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const updatable: readonly string[] = ['isEnabled', ...EXTRA_PROPERTIES[type]];
  for (const [property, value] of Object.entries(source)) {
    if (skip.includes(property)) continue;
    if (!updatable.includes(property)) {
      errors.push({ property, message: whyNotUpdatable(type, property) });
      continue;
    }
    const checked = checkUpdatableValue(type, property as UpdatableProperty, value, origin);
    if (checked.ok) changes[property] = checked.value;
    else errors.push({ property, message: checked.message });
  }
  return changes;
}

function whyNotUpdatable(type: AlertType, property: string): string {
  if (READ_ONLY_PROPERTIES.has(property)) return `'${property}' is read-only.`;
  const updatable = ['isEnabled', ...EXTRA_PROPERTIES[type]].join(', ');
  return `'${property}' is not an updatable property of ${CONFIGURATION_ODATA_TYPES[type]} (updatable: ${updatable}).`;
}
