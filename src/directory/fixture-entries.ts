/**
 * Readers for the entries of each fixture section. Each reads one entry's fields (reporting
 * every bad one) and returns the normalised entry, or undefined when a required field is
 * unusable. Rules that span entries (uniqueness, references) live in `fixture-validate.ts`.
 */
import type { AccountType, AssignmentType } from './model.js';
import { DEFAULT_USER_ROLE_TEMPLATE_ID } from './roles.js';
import {
  ALERT_TYPES,
  type FixtureAlertConfiguration,
  type FixtureApplication,
  type FixtureRoleActivation,
  type FixtureRoleAssignment,
  type FixtureRoleSetting,
  type FixtureTenant,
  type FixtureUser,
} from './fixture.js';
import { completed, fieldPath, type FixtureFieldReader } from './fixture-fields.js';
import { readCertificates, readPasswordLockout, readRedirectUris } from './fixture-sign-in.js';

/** Tokens of personal Microsoft accounts carry this tenant id, so no fixture tenant may use it. */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

const ACCOUNT_TYPES: readonly AccountType[] = ['member', 'guest', 'personal'];
const ASSIGNMENT_TYPES: readonly AssignmentType[] = ['active', 'eligible'];

const TENANT_KEYS = ['id', 'displayName', 'defaultDomain', 'licenses', 'passwordLockout'];
const USER_KEYS = [
  'id',
  'userPrincipalName',
  'displayName',
  'password',
  'accountEnabled',
  'createdDateTime',
  'lastSignInDateTime',
  'accountType',
];
const APPLICATION_KEYS = [
  'appId',
  'displayName',
  'secret',
  'applicationPermissions',
  'delegatedPermissions',
  'redirectUris',
  'publicClient',
  'certificates',
];
const ASSIGNMENT_KEYS = [
  'id',
  'principalId',
  'roleTemplateId',
  'directoryScopeId',
  'assignmentType',
  'viaPim',
  'createdDateTime',
  'endDateTime',
];
const ACTIVATION_KEYS = ['id', 'principalId', 'roleTemplateId', 'activatedDateTime'];
const ROLE_SETTING_KEYS = ['roleTemplateId', 'requireMfaOnActivation'];

export function readTenant(reader: FixtureFieldReader, raw: unknown): FixtureTenant | undefined {
  const path = 'tenant';
  const object = reader.object(raw, path, TENANT_KEYS);
  if (object === undefined) return undefined;
  let id = reader.guid(object, 'id', path);
  if (id === CONSUMER_TENANT_ID) {
    reader.report(fieldPath(path, 'id'), 'must not be the consumer tenant id of personal Microsoft accounts');
    id = undefined;
  }
  const passwordLockout = readPasswordLockout(reader, object, path);
  const tenant = completed<Omit<FixtureTenant, 'passwordLockout'>>({
    id,
    displayName: reader.text(object, 'displayName', path),
    defaultDomain: reader.domain(object, 'defaultDomain', path),
    licenses: reader.licenses(object, 'licenses', path),
  });
  if (tenant === undefined || passwordLockout === undefined) return undefined;
  return passwordLockout === null ? tenant : { ...tenant, passwordLockout };
}

export function readUser(reader: FixtureFieldReader, raw: unknown, path: string): FixtureUser | undefined {
  const object = reader.object(raw, path, USER_KEYS);
  if (object === undefined) return undefined;
  const password = reader.optionalText(object, 'password', path);
  const user = completed<Omit<FixtureUser, 'password'>>({
    id: reader.guid(object, 'id', path),
    userPrincipalName: reader.userPrincipalName(object, 'userPrincipalName', path),
    displayName: reader.text(object, 'displayName', path),
    accountEnabled: reader.boolean(object, 'accountEnabled', path, true),
    createdAt: reader.dateTime(object, 'createdDateTime', path),
    lastSignInAt: reader.nullableDateTime(object, 'lastSignInDateTime', path),
    accountType: reader.oneOf(object, 'accountType', path, ACCOUNT_TYPES, 'member'),
  });
  if (user === undefined || password === undefined) return undefined;
  return password === null ? user : { ...user, password };
}

export function readApplication(reader: FixtureFieldReader, raw: unknown, path: string): FixtureApplication | undefined {
  const object = reader.object(raw, path, APPLICATION_KEYS);
  if (object === undefined) return undefined;
  const secret = reader.optionalText(object, 'secret', path);
  const application = completed<Omit<FixtureApplication, 'secret'>>({
    appId: reader.guid(object, 'appId', path),
    displayName: reader.text(object, 'displayName', path),
    applicationPermissions: reader.permissions(object, 'applicationPermissions', path),
    delegatedPermissions: reader.permissions(object, 'delegatedPermissions', path),
    redirectUris: readRedirectUris(reader, object, path),
    publicClient: reader.boolean(object, 'publicClient', path, false),
    certificates: readCertificates(reader, object, path),
  });
  if (application?.publicClient && typeof secret === 'string') {
    reader.report(fieldPath(path, 'secret'), 'must be absent on a public client (publicClient: true)');
    return undefined;
  }
  if (application === undefined || secret === undefined) return undefined;
  return secret === null ? application : { ...application, secret };
}

export function readRoleAssignment(reader: FixtureFieldReader, raw: unknown, path: string): FixtureRoleAssignment | undefined {
  const object = reader.object(raw, path, ASSIGNMENT_KEYS);
  if (object === undefined) return undefined;
  const assignment = completed<FixtureRoleAssignment>({
    id: reader.text(object, 'id', path),
    principalId: reader.guid(object, 'principalId', path),
    roleTemplateId: readAssignableRole(reader, object, path),
    directoryScopeId: readDirectoryScope(reader, object, path),
    assignmentType: reader.oneOf(object, 'assignmentType', path, ASSIGNMENT_TYPES),
    viaPim: reader.boolean(object, 'viaPim', path, true),
    createdAt: reader.dateTime(object, 'createdDateTime', path),
    endAt: reader.nullableDateTime(object, 'endDateTime', path),
  });
  if (assignment === undefined) return undefined;
  let consistent = true;
  if (assignment.assignmentType === 'eligible' && !assignment.viaPim) {
    reader.report(fieldPath(path, 'viaPim'), 'must be true for an eligible assignment: eligibility exists only in PIM');
    consistent = false;
  }
  if (assignment.endAt !== null && assignment.endAt <= assignment.createdAt) {
    reader.report(fieldPath(path, 'endDateTime'), 'must be later than createdDateTime, or null for no end');
    consistent = false;
  }
  if (!consistent) return undefined;
  return assignment;
}

/**
 * `defaultId` names an activation written without an id. It must be stable across imports of
 * the same file, so re-importing replaces rather than duplicates.
 */
export function readRoleActivation(
  reader: FixtureFieldReader,
  raw: unknown,
  path: string,
  defaultId: string,
): FixtureRoleActivation | undefined {
  const object = reader.object(raw, path, ACTIVATION_KEYS);
  if (object === undefined) return undefined;
  const id = reader.optionalText(object, 'id', path);
  return completed<FixtureRoleActivation>({
    id: id === null ? defaultId : id,
    principalId: reader.guid(object, 'principalId', path),
    roleTemplateId: readAssignableRole(reader, object, path),
    activatedAt: reader.dateTime(object, 'activatedDateTime', path),
  });
}

export function readRoleSetting(reader: FixtureFieldReader, raw: unknown, path: string): FixtureRoleSetting | undefined {
  const object = reader.object(raw, path, ROLE_SETTING_KEYS);
  if (object === undefined) return undefined;
  return completed<FixtureRoleSetting>({
    roleTemplateId: reader.guid(object, 'roleTemplateId', path),
    requireMfaOnActivation: reader.boolean(object, 'requireMfaOnActivation', path),
  });
}

/**
 * Alert configurations keep their type-specific settings unchecked (the alerts module owns
 * them), so any key is allowed; only `alertType` and `isEnabled` are read here.
 */
export function readAlertConfiguration(reader: FixtureFieldReader, raw: unknown, path: string): FixtureAlertConfiguration | undefined {
  const object = reader.object(raw, path, 'any keys');
  if (object === undefined) return undefined;
  const alertType = reader.oneOf(object, 'alertType', path, ALERT_TYPES);
  const isEnabledReadable = !('isEnabled' in object) || reader.boolean(object, 'isEnabled', path) !== undefined;
  if (alertType === undefined || !isEnabledReadable) return undefined;
  return { ...object, alertType };
}

function readAssignableRole(reader: FixtureFieldReader, object: Record<string, unknown>, path: string): string | undefined {
  const roleTemplateId = reader.guid(object, 'roleTemplateId', path);
  if (roleTemplateId !== DEFAULT_USER_ROLE_TEMPLATE_ID) return roleTemplateId;
  reader.report(
    fieldPath(path, 'roleTemplateId'),
    'must not be the default User role: every member holds it implicitly and it cannot be assigned',
  );
  return undefined;
}

function readDirectoryScope(reader: FixtureFieldReader, object: Record<string, unknown>, path: string): string | undefined {
  if (object['directoryScopeId'] === undefined) return '/';
  const scope = reader.text(object, 'directoryScopeId', path, 'a directory scope such as "/"');
  if (scope === undefined || scope.startsWith('/')) return scope;
  reader.report(
    fieldPath(path, 'directoryScopeId'),
    `must start with "/", like "/" or "/administrativeUnits/{id}"; got ${JSON.stringify(scope)}`,
  );
  return undefined;
}
