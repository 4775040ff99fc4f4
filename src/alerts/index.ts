/**
 * The PIM role-management alerts as pure domain code: types and ids, definitions,
 * configurations, evaluators, incidents and remediation plans. No HTTP, no SQL.
 * See docs/alerts.md for the rules.
 */
export { ALERT_SCOPE_ID, ALERT_SCOPE_TYPE, ALERT_TYPES, alertId, isAlertType, parseAlertId } from './alert-types.js';
export type { AlertType, ParsedAlertId } from './alert-types.js';
export {
  CONFIGURATION_ODATA_TYPES,
  defaultConfiguration,
  defaultConfigurations,
  toWireConfiguration,
  validateConfigurationPatch,
  validateFixtureConfiguration,
} from './configuration.js';
export type {
  AlertConfiguration,
  AlertConfigurationOf,
  ConfigurationError,
  ConfigurationValidation,
  WireAlertConfiguration,
} from './configuration.js';
export { definitionFor, definitionsFor, isRemediatable } from './definitions.js';
export type { AlertSeverity, DefinitionContext, WireAlertDefinition } from './definitions.js';
export { formatIsoDuration, parseIsoDuration } from './duration.js';
export { EVALUATORS, evaluateAlert } from './evaluators/index.js';
export type { AlertEvaluator } from './evaluators/index.js';
export { INCIDENT_ODATA_TYPES, alertTypeOfIncident, formatGraphDateTime, toWireIncident } from './incidents.js';
export type { AlertIncident, IncidentOf, WireIncident } from './incidents.js';
export { planRemediation } from './remediation.js';
export type { RemediationPlan } from './remediation.js';
