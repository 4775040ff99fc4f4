/**
 * The evaluator of each alert type. An evaluator is a pure function of the directory snapshot,
 * the alert's configuration and the scan time; it returns the alert's incidents ordered by id.
 * It does not look at `isEnabled`: skipping disabled alerts is the refresh's decision.
 */
import type { DirectorySnapshot } from '../../directory/model.js';
import type { AlertType } from '../alert-types.js';
import type { AlertConfiguration, AlertConfigurationOf } from '../configuration.js';
import type { AlertIncident, IncidentOf } from '../incidents.js';
import { evaluateInvalidLicense } from './invalid-license.js';
import { evaluateNoMfaOnRoleActivation } from './no-mfa-on-role-activation.js';
import { evaluateRedundantAssignment } from './redundant-assignment.js';
import { evaluateRolesAssignedOutsidePim } from './roles-assigned-outside-pim.js';
import { evaluateSequentialActivationRenewals } from './sequential-activation-renewals.js';
import { evaluateStaleSignIn } from './stale-sign-in.js';
import { evaluateTooManyGlobalAdmins } from './too-many-global-admins.js';

/** Evaluates one alert type: `(snapshot, configuration, now in epoch ms) → incidents`. */
export type AlertEvaluator<T extends AlertType> = (
  snapshot: DirectorySnapshot,
  configuration: AlertConfigurationOf<T>,
  now: number,
) => IncidentOf<T>[];

export const EVALUATORS: { readonly [T in AlertType]: AlertEvaluator<T> } = {
  InvalidLicenseAlert: evaluateInvalidLicense,
  NoMfaOnRoleActivationAlert: evaluateNoMfaOnRoleActivation,
  RedundantAssignmentAlert: evaluateRedundantAssignment,
  RolesAssignedOutsidePimAlert: evaluateRolesAssignedOutsidePim,
  SequentialActivationRenewalsAlert: evaluateSequentialActivationRenewals,
  TooManyGlobalAdminsAssignedToTenantAlert: evaluateTooManyGlobalAdmins,
  StaleSignInAlert: evaluateStaleSignIn,
};

/** Runs the evaluator that matches `configuration.alertType`. */
export function evaluateAlert(snapshot: DirectorySnapshot, configuration: AlertConfiguration, now: number): AlertIncident[] {
  // TypeScript cannot correlate the union member with the map entry; the key guarantees it.
  const evaluator = EVALUATORS[configuration.alertType] as AlertEvaluator<AlertType>;
  return evaluator(snapshot, configuration, now);
}
