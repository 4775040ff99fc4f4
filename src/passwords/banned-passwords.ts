/**
 * The banned-password check: a built-in global list of common passwords plus an optional
 * tenant list, matched the way Entra's password protection does it, after normalisation
 * (lower-case, common look-alike substitutions) and anywhere inside the password.
 * docs/passwords.md, "Banned passwords", describes the rule and how it differs from Entra.
 */

/**
 * Common passwords and password stems, lower-case. Because matching is by substring after
 * normalisation, `password` alone also bans `Password1`, `P@ssw0rd`, `password2024!` and so on,
 * so the list holds stems rather than every variant. Every entry is at least 5 characters long:
 * shorter stems would reject too many strong passwords by accident.
 */
export const GLOBAL_BANNED_PASSWORDS: readonly string[] = Object.freeze([
  // Keyboard walks and digit runs.
  'qwerty',
  'qwertz',
  'azerty',
  'asdfgh',
  'zxcvbn',
  'qazwsx',
  '1q2w3e',
  '1qaz2wsx',
  'zaq12wsx',
  '12345',
  '54321',
  '111111',
  '000000',
  '121212',
  '123123',
  '112233',
  '666666',
  '696969',
  '987654',
  'abc123',
  'abcdef',
  'aaaaaa',
  // The password family and default credentials.
  'password',
  'passwort',
  'motdepasse',
  'contrasena',
  'changeme',
  'letmein',
  'welcome',
  'admin',
  'login',
  'access',
  'secret',
  'default',
  'master',
  'guest',
  'trustno1',
  'whatever',
  'iloveyou',
  'loveme',
  'lovely',
  'hello',
  'freedom',
  'sunshine',
  'princess',
  'starwars',
  // Seasons and months, which users pair with a year ("Summer2024").
  'spring',
  'summer',
  'autumn',
  'winter',
  'january',
  'february',
  'march',
  'april',
  'august',
  'september',
  'october',
  'november',
  'december',
  // Pets, sports and pop culture.
  'monkey',
  'dragon',
  'shadow',
  'football',
  'baseball',
  'soccer',
  'hockey',
  'basketball',
  'superman',
  'batman',
  'spiderman',
  'pokemon',
  'matrix',
  'mustang',
  'harley',
  'killer',
  'hunter',
  'ranger',
  'buster',
  'cookie',
  'cheese',
  'pepper',
  'ginger',
  'flower',
  'maggie',
  'chocolate',
  // Common first names.
  'michael',
  'jennifer',
  'jessica',
  'ashley',
  'daniel',
  'andrew',
  'joshua',
  'thomas',
  'charlie',
  'jordan',
  'robert',
  'bailey',
  // Products and the documentation tenants people copy from.
  'microsoft',
  'windows',
  'office',
  'azure',
  'google',
  'samsung',
  'computer',
  'internet',
  'contoso',
  'fabrikam',
]);

/** Tenant entries shorter than this are ignored: Entra's custom list requires 4 to 16 characters. */
export const MIN_TENANT_BANNED_TERM_LENGTH = 4;

/**
 * Look-alike characters and the letters they stand for. `1` stands for both `l` and `i`, so a
 * character normalises to a set of letters, and two characters match when their sets meet.
 */
const LOOK_ALIKES: Readonly<Record<string, readonly string[]>> = {
  '0': ['o'],
  '1': ['l', 'i'],
  '3': ['e'],
  '4': ['a'],
  '5': ['s'],
  '7': ['t'],
  '@': ['a'],
  $: ['s'],
};

type NormalisedChar = readonly string[];

function normaliseChar(ch: string): NormalisedChar {
  const lower = ch.toLowerCase();
  return LOOK_ALIKES[lower] ?? [lower];
}

/** Splits by code point (not UTF-16 unit) and normalises each character. */
function normalise(text: string): NormalisedChar[] {
  return Array.from(text, normaliseChar);
}

function sameAfterNormalising(a: NormalisedChar, b: NormalisedChar): boolean {
  return a.some((letter) => b.includes(letter));
}

function containsTerm(password: readonly NormalisedChar[], term: readonly NormalisedChar[]): boolean {
  const lastStart = password.length - term.length;
  for (let start = 0; start <= lastStart; start++) {
    let matched = true;
    for (let i = 0; i < term.length; i++) {
      // Both indexes are in range by the loop bounds; the fallback only satisfies the type checker.
      if (!sameAfterNormalising(password[start + i] ?? [], term[i] ?? [])) {
        matched = false;
        break;
      }
    }
    if (matched) return true;
  }
  return false;
}

const NORMALISED_GLOBAL_LIST = GLOBAL_BANNED_PASSWORDS.map(normalise);

/** Trims, drops entries that are too short, and normalises the tenant's custom banned list. */
function normaliseTenantList(terms: readonly string[]): NormalisedChar[][] {
  return terms
    .map((term) => term.trim())
    .filter((term) => Array.from(term).length >= MIN_TENANT_BANNED_TERM_LENGTH)
    .map(normalise);
}

/**
 * True when `password`, once normalised, contains any entry of the global list or of
 * `tenantBannedPasswords` (also normalised) as a substring.
 */
export function containsBannedPassword(password: string, tenantBannedPasswords: readonly string[] = []): boolean {
  const normalisedPassword = normalise(password);
  const terms = [...NORMALISED_GLOBAL_LIST, ...normaliseTenantList(tenantBannedPasswords)];
  return terms.some((term) => containsTerm(normalisedPassword, term));
}
