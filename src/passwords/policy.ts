/**
 * Longrun's cloud password policy, modelled on Entra ID's: length, character classes, banned
 * passwords, the user's own name, and which characters may appear. Pure: no I/O, no clock.
 * Every rule and its reasoning is in docs/passwords.md.
 */
import { containsBannedPassword } from './banned-passwords.js';

/** Fewest characters (Unicode code points) a password may have. */
export const PASSWORD_MIN_LENGTH = 8;
/** Most characters (Unicode code points) a password may have, as in Entra ID. */
export const PASSWORD_MAX_LENGTH = 256;
/** How many of the four character classes (lower, upper, digit, symbol) a password needs. */
export const REQUIRED_CHARACTER_CLASSES = 3;
/** Name parts shorter than this are not checked, so "Li" or "Al" do not ban half the alphabet. */
export const MIN_NAME_PART_LENGTH = 3;

/** Stable machine codes, one per rule. */
export type PolicyViolationCode =
  | 'tooShort'
  | 'tooLong'
  | 'notEnoughCharacterClasses'
  | 'bannedPassword'
  | 'containsUserName'
  | 'invalidCharacters'
  | 'leadingOrTrailingSpace';

/** One broken rule. */
export interface PolicyViolation {
  code: PolicyViolationCode;
  /**
   * What the password must (not) be, as a lower-case clause starting with "it", so several can be
   * joined into one sentence (see `describePolicyFailure`). Never quotes the password.
   */
  message: string;
}

/** Outcome of a policy check. Violations are listed in a fixed order: the order of `VIOLATION_MESSAGES`. */
export type PolicyResult = { ok: true } | { ok: false; reasons: PolicyViolation[] };

/** The user whose password is being set: the password must not contain their names. */
export interface PasswordPolicyContext {
  userPrincipalName: string;
  displayName: string;
}

/** Tenant-specific settings. */
export interface PasswordPolicyOptions {
  /** The tenant's custom banned-password list, checked in addition to the global list. */
  tenantBannedPasswords?: readonly string[];
}

const VIOLATION_MESSAGES: Readonly<Record<PolicyViolationCode, string>> = {
  tooShort: `it must be at least ${PASSWORD_MIN_LENGTH} characters long`,
  tooLong: `it must be at most ${PASSWORD_MAX_LENGTH} characters long`,
  invalidCharacters: 'it must not contain control, formatting or other non-printable characters',
  leadingOrTrailingSpace: 'it must not start or end with a space',
  notEnoughCharacterClasses:
    `it must contain at least ${REQUIRED_CHARACTER_CLASSES} of: ` + 'lower-case letters, upper-case letters, digits, symbols',
  bannedPassword: 'it must not contain a commonly used or banned password',
  containsUserName: "it must not contain the user's account name or parts of their display name",
};

const RULE_ORDER = Object.keys(VIOLATION_MESSAGES) as PolicyViolationCode[];

/**
 * Non-printable characters: controls (Cc, which includes tab and newline), formatting characters
 * such as zero-width joiners (Cf), lone surrogates (Cs), private-use (Co) and unassigned (Cn)
 * code points, line and paragraph separators (Zl, Zp), and every space other than U+0020.
 */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

/** Separators that split a display name (or UPN local part) into the parts that are checked. */
const NAME_SEPARATORS = /[\s,._\-#@]+/u;

function countCharacterClasses(password: string): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  for (const ch of password) {
    if (/\p{Ll}/u.test(ch)) lower = true;
    else if (/\p{Lu}/u.test(ch)) upper = true;
    else if (/\p{Nd}/u.test(ch)) digit = true;
    // Anything else that got past the character check counts as a symbol, space included.
    else symbol = true;
  }
  return [lower, upper, digit, symbol].filter(Boolean).length;
}

/** The lower-cased strings the password must not contain, each at least `MIN_NAME_PART_LENGTH` long. */
function forbiddenNameParts({ userPrincipalName, displayName }: PasswordPolicyContext): string[] {
  const localPart = userPrincipalName.split('@')[0] ?? '';
  const candidates = [localPart, ...localPart.split(NAME_SEPARATORS), ...displayName.split(NAME_SEPARATORS)];
  return candidates.map((part) => part.trim().toLowerCase()).filter((part) => Array.from(part).length >= MIN_NAME_PART_LENGTH);
}

function containsUserName(password: string, user: PasswordPolicyContext): boolean {
  const lowered = password.toLowerCase();
  return forbiddenNameParts(user).some((part) => lowered.includes(part));
}

/** Checks `password` against every rule and reports all violations at once. */
export function checkPasswordPolicy(password: string, user: PasswordPolicyContext, options: PasswordPolicyOptions = {}): PolicyResult {
  const broken = new Set<PolicyViolationCode>();
  const length = Array.from(password).length;

  if (length < PASSWORD_MIN_LENGTH) broken.add('tooShort');
  if (length > PASSWORD_MAX_LENGTH) broken.add('tooLong');
  if (NON_PRINTABLE.test(password)) broken.add('invalidCharacters');
  if (password.startsWith(' ') || password.endsWith(' ')) broken.add('leadingOrTrailingSpace');
  if (countCharacterClasses(password) < REQUIRED_CHARACTER_CLASSES) broken.add('notEnoughCharacterClasses');

  // An oversized input is already refused; skipping the substring searches keeps a huge request
  // body from costing more than one linear pass.
  if (length <= PASSWORD_MAX_LENGTH) {
    if (containsBannedPassword(password, options.tenantBannedPasswords)) broken.add('bannedPassword');
    if (containsUserName(password, user)) broken.add('containsUserName');
  }

  if (broken.size === 0) return { ok: true };
  const reasons = RULE_ORDER.filter((code) => broken.has(code)).map((code) => ({
    code,
    message: VIOLATION_MESSAGES[code],
  }));
  return { ok: false, reasons };
}

/**
 * One sentence for an operation's `statusDetail`, e.g. "The password was rejected by the
 * password policy: it must be at least 8 characters long; it must not contain a commonly used
 * or banned password."
 */
export function describePolicyFailure(reasons: readonly PolicyViolation[]): string {
  if (reasons.length === 0) return 'The password was rejected by the password policy.';
  return `The password was rejected by the password policy: ${reasons.map((r) => r.message).join('; ')}.`;
}
