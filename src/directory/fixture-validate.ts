/**
 * Validates a tenant fixture (format: TenantFixtureJson in src/directory/fixture.ts) in one pass that reports every bad field, and
 * normalises it into a `TenantFixture`. A fixture with any error is refused whole, so the
 * importer never half-imports.
 */
import { createHash } from 'node:crypto';
import { validateRule, type ValidRule } from '../control/rules/rule-common.js';
import { RuleValidationError } from '../control/rules/rule-error.js';
import { isGuid } from '../shared/ids.js';
import { FIXTURE_SECTIONS, type FixtureError, type FixtureValidation, type TenantFixture } from './fixture.js';
import {
  readAlertConfiguration,
  readApplication,
  readRoleActivation,
  readRoleAssignment,
  readRoleSetting,
  readTenant,
  readUser,
} from './fixture-entries.js';
import { FixtureFieldReader, describeValue, fieldPath, isJsonObject, itemPath } from './fixture-fields.js';

/** Validates and normalises a parsed fixture. Never throws. */
export function validateFixture(input: unknown): FixtureValidation {
  const reader = new FixtureFieldReader();
  const root = reader.object(input, '', FIXTURE_SECTIONS);
  if (root === undefined) return { ok: false, errors: reader.errors };

  if (root['tenant'] === undefined) {
    reader.report('tenant', 'is required: an object with id, displayName and defaultDomain');
  }
  const tenant = root['tenant'] === undefined ? undefined : readTenant(reader, root['tenant']);
  const section = (key: (typeof FIXTURE_SECTIONS)[number]): unknown[] => reader.array(root, key, '') ?? [];

  const users = section('users').map((raw, i) => readUser(reader, raw, itemPath('users', i)));
  const applications = section('applications').map((raw, i) => readApplication(reader, raw, itemPath('applications', i)));
  const roleAssignments = section('roleAssignments').map((raw, i) => readRoleAssignment(reader, raw, itemPath('roleAssignments', i)));
  const tenantId = tenant?.id ?? '';
  const roleActivations = section('roleActivations').map((raw, i) =>
    readRoleActivation(reader, raw, itemPath('roleActivations', i), activationIdFor(tenantId, i)),
  );
  const roleSettings = section('roleSettings').map((raw, i) => readRoleSetting(reader, raw, itemPath('roleSettings', i)));
  const alertConfigurations = section('alertConfigurations').map((raw, i) =>
    readAlertConfiguration(reader, raw, itemPath('alertConfigurations', i)),
  );

  const rules = section('rules').map((raw, i) => readRule(reader, raw, itemPath('rules', i)));

  checkAcrossEntries(reader, root);

  if (reader.errors.length > 0 || tenant === undefined) return { ok: false, errors: reader.errors };
  const fixture: TenantFixture = {
    tenant,
    users: users.filter(isPresent),
    applications: applications.filter(isPresent),
    roleAssignments: roleAssignments.filter(isPresent),
    roleActivations: roleActivations.filter(isPresent),
    roleSettings: roleSettings.filter(isPresent),
    alertConfigurations: alertConfigurations.filter(isPresent),
    rules: rules.filter(isPresent),
  };
  return { ok: true, fixture };
}

/** A control rule, validated as the control API does; errors are reported under `rules[i].field`. */
function readRule(reader: FixtureFieldReader, raw: unknown, path: string): ValidRule | undefined {
  try {
    return validateRule(raw);
  } catch (e) {
    if (!(e instanceof RuleValidationError)) throw e;
    const message = e.message.slice(e.field.length + 2);
    reader.report(e.field === '(body)' ? path : fieldPath(path, e.field), message);
    return undefined;
  }
}

/** Parses fixture JSON text and validates it; a syntax error is reported like any other error. */
export function parseFixture(jsonText: string): FixtureValidation {
  let input: unknown;
  try {
    input = JSON.parse(jsonText);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ path: '(root)', message: `is not valid JSON: ${reason}` }] };
  }
  return validateFixture(input);
}

/**
 * A readable report, one line per error (`  users[3].userPrincipalName: must be …`). Long lists
 * stop after `limit` lines with a count of the rest.
 */
export function formatFixtureErrors(errors: readonly FixtureError[], limit = 50): string {
  const noun = errors.length === 1 ? 'error' : 'errors';
  const lines = errors.slice(0, limit).map((error) => `  ${error.path}: ${error.message}`);
  if (errors.length > limit) lines.push(`  … and ${errors.length - limit} more`);
  return [`The tenant fixture has ${errors.length} ${noun}:`, ...lines].join('\n');
}

/**
 * Rules that span entries. They read the raw fields, not the normalised entries, so that a
 * user with (say) a bad displayName still counts as existing: one mistake, one error.
 */
function checkAcrossEntries(reader: FixtureFieldReader, root: Record<string, unknown>): void {
  const users = rawEntries(root, 'users');
  const userIds = new Set(users.map((user) => user && guidField(user, 'id')).filter(isPresent));

  reportDuplicates(reader, users, 'users', 'id', guidField);
  reportDuplicates(reader, users, 'users', 'userPrincipalName', caseInsensitiveField, 'must be unique, ignoring case');
  reportDuplicates(reader, rawEntries(root, 'applications'), 'applications', 'appId', guidField);
  reportDuplicates(reader, rawEntries(root, 'roleAssignments'), 'roleAssignments', 'id', stringField);
  reportDuplicates(reader, rawEntries(root, 'roleActivations'), 'roleActivations', 'id', stringField);
  reportDuplicates(reader, rawEntries(root, 'roleSettings'), 'roleSettings', 'roleTemplateId', guidField);
  reportDuplicates(reader, rawEntries(root, 'alertConfigurations'), 'alertConfigurations', 'alertType', stringField);

  // With no readable user list, every reference would fail too; the one real error is enough.
  const usersReadable = root['users'] === undefined || root['users'] === null || Array.isArray(root['users']);
  if (!usersReadable) return;
  for (const sectionKey of ['roleAssignments', 'roleActivations'] as const) {
    rawEntries(root, sectionKey).forEach((entry, index) => {
      const principalId = entry === undefined ? undefined : guidField(entry, 'principalId');
      if (principalId !== undefined && !userIds.has(principalId)) {
        reader.report(
          fieldPath(itemPath(sectionKey, index), 'principalId'),
          `must be the id of a user in this fixture; no user has id ${describeValue(principalId)}`,
        );
      }
    });
  }
}

type RawEntry = Record<string, unknown>;

/** The section's entries as objects (undefined for non-objects, already reported), keeping indexes. */
function rawEntries(root: RawEntry, key: string): Array<RawEntry | undefined> {
  const section = root[key];
  if (!Array.isArray(section)) return [];
  return section.map((entry: unknown) => (isJsonObject(entry) ? entry : undefined));
}

function guidField(entry: RawEntry, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && isGuid(value) ? value.toLowerCase() : undefined;
}

function stringField(entry: RawEntry, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function caseInsensitiveField(entry: RawEntry, key: string): string | undefined {
  return stringField(entry, key)?.toLowerCase();
}

function reportDuplicates(
  reader: FixtureFieldReader,
  entries: Array<RawEntry | undefined>,
  sectionKey: string,
  key: string,
  comparable: (entry: RawEntry, key: string) => string | undefined,
  rule = 'must be unique',
): void {
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, index) => {
    const value = entry === undefined ? undefined : comparable(entry, key);
    if (value === undefined) return;
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
      return;
    }
    reader.report(
      fieldPath(itemPath(sectionKey, index), key),
      `${rule}; ${describeValue(entry?.[key])} is already used by ${fieldPath(itemPath(sectionKey, first), key)}`,
    );
  });
}

/**
 * The id of an activation written without one: a name-based GUID (UUID v5 layout over SHA-1)
 * of the tenant and the activation's index, so re-importing the same file yields the same ids.
 */
function activationIdFor(tenantId: string, index: number): string {
  const hex = createHash('sha1').update(`${tenantId}/roleActivations/${index}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  const groups = [hex.slice(0, 8), hex.slice(8, 12), `5${hex.slice(13, 16)}`, `${variant}${hex.slice(18, 20)}`, hex.slice(20, 32)];
  return groups.join('-');
}

function isPresent<T>(value: T | undefined): value is T {
  return value !== undefined;
}
