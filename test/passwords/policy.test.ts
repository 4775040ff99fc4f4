import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PASSWORD_MAX_LENGTH, checkPasswordPolicy, describePolicyFailure } from '../../src/passwords/policy.js';
import type { PolicyViolationCode } from '../../src/passwords/policy.js';

const megan = { userPrincipalName: 'MeganB@contoso.onmicrosoft.com', displayName: 'Megan Bowen' };

function codesOf(password: string, user = megan, tenantBannedPasswords: string[] = []): PolicyViolationCode[] {
  const result = checkPasswordPolicy(password, user, { tenantBannedPasswords });
  return result.ok ? [] : result.reasons.map((r) => r.code);
}

describe('password policy', () => {
  it('accepts a strong password', () => {
    assert.deepEqual(checkPasswordPolicy('Tq8#vNz2!pWk', megan), { ok: true });
  });

  const cases: Array<{ code: PolicyViolationCode; failing: string; passing: string }> = [
    { code: 'tooShort', failing: 'Tq8#vNz', passing: 'Tq8#vNz2' },
    { code: 'tooLong', failing: 'Tq8#'.repeat(64) + 'x', passing: 'Tq8#'.repeat(64) },
    { code: 'notEnoughCharacterClasses', failing: 'tq8vnz2xpwk', passing: 'Tq8vnz2xpwk' },
    { code: 'bannedPassword', failing: 'P@$$w0rd2024!', passing: 'Tq8#vNz2!pWk' },
    { code: 'containsUserName', failing: 'Bowen#2024!x', passing: 'Bow#2024!xQz' },
    { code: 'invalidCharacters', failing: 'Tq8#vNz2\tpWk', passing: 'Tq8# vNz2 pWk' },
    { code: 'leadingOrTrailingSpace', failing: ' Tq8#vNz2!pWk', passing: 'Tq8# vNz2!pWk' },
  ];
  for (const { code, failing, passing } of cases) {
    it(`${code}: rejects a failing example`, () => {
      assert.deepEqual(codesOf(failing), [code]);
    });
    it(`${code}: accepts a passing example`, () => {
      assert.deepEqual(codesOf(passing), []);
    });
  }

  it('counts length in code points, not UTF-16 units', () => {
    // Seven emoji are 14 UTF-16 units but only 7 characters.
    assert.ok(codesOf('Aa1😀😀😀😀').includes('tooShort'));
    assert.equal(Array.from('Aa1😀😀😀😀😀').length, 8);
    assert.deepEqual(codesOf('Aa1😀😀😀😀😀'), []);
  });

  it('accepts exactly the maximum length', () => {
    const longest = 'Tq8#'.repeat(PASSWORD_MAX_LENGTH / 4);
    assert.equal(longest.length, PASSWORD_MAX_LENGTH);
    assert.deepEqual(codesOf(longest), []);
  });

  it('treats accented letters by their case and symbols as any other printable character', () => {
    assert.deepEqual(codesOf('éÉ8vnzxpwk'), []);
    assert.deepEqual(codesOf('ézzzzz8€'), []);
  });

  it('refuses zero-width, non-breaking-space and newline characters', () => {
    for (const sneaky of ['Tq8#vNz2\u200bpWk', 'Tq8#vNz2\u00a0pWk', 'Tq8#vNz2\npWk', 'Tq8#vNz2\u2028pWk']) {
      assert.deepEqual(codesOf(sneaky), ['invalidCharacters'], JSON.stringify(sneaky));
    }
  });

  it('refuses the UPN local part and display-name parts, case-insensitively', () => {
    assert.deepEqual(codesOf('xMEGANB!2024q'), ['containsUserName']);
    assert.deepEqual(codesOf('Q!9megan-zz'), ['containsUserName']);
  });

  it('ignores name parts shorter than 3 characters', () => {
    const li = { userPrincipalName: 'li@contoso.com', displayName: 'Li Xu' };
    assert.deepEqual(codesOf('Li-Xu#9qTzv', li), []);
  });

  it('splits display names on dots, hyphens, underscores and commas', () => {
    const user = { userPrincipalName: 'a.b@contoso.com', displayName: 'Smith-Jones, Anne_Marie' };
    for (const part of ['smith', 'jones', 'anne', 'marie']) {
      assert.deepEqual(codesOf(`Q9!${part}Zx`, user), ['containsUserName'], part);
    }
  });

  it('checks the tenant banned list', () => {
    assert.deepEqual(codesOf('Tq8#Contoso!', megan), ['bannedPassword']);
    assert.deepEqual(codesOf('Tq8#Longrun!', megan, ['longrun']), ['bannedPassword']);
    assert.deepEqual(codesOf('Tq8#Longrun!', megan, []), []);
  });

  it('reports every violation, in a fixed order', () => {
    assert.deepEqual(codesOf(' megan'), ['tooShort', 'leadingOrTrailingSpace', 'notEnoughCharacterClasses', 'containsUserName']);
  });

  it('skips the substring checks for oversized input but still reports it', () => {
    const huge = 'password'.repeat(10_000);
    assert.deepEqual(codesOf(huge), ['tooLong', 'notEnoughCharacterClasses']);
  });
});

describe('describePolicyFailure', () => {
  it('explains one violation in one sentence', () => {
    const result = checkPasswordPolicy('tq8vnz2xpwk', megan);
    assert.equal(result.ok, false);
    assert.equal(
      describePolicyFailure(result.ok ? [] : result.reasons),
      'The password was rejected by the password policy: it must contain at least 3 of: ' +
        'lower-case letters, upper-case letters, digits, symbols.',
    );
  });

  it('joins several violations with semicolons and never quotes the password', () => {
    const result = checkPasswordPolicy('Megan1', megan);
    const sentence = describePolicyFailure(result.ok ? [] : result.reasons);
    assert.equal(
      sentence,
      'The password was rejected by the password policy: it must be at least 8 characters long; ' +
        "it must not contain the user's account name or parts of their display name.",
    );
    assert.ok(!sentence.includes('Megan1'));
  });

  it('has a generic sentence for an empty list', () => {
    assert.equal(describePolicyFailure([]), 'The password was rejected by the password policy.');
  });
});
