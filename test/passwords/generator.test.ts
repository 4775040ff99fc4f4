import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENERATED_PASSWORD_LENGTH, generatePassword } from '../../src/passwords/generator.js';
import { checkPasswordPolicy } from '../../src/passwords/policy.js';

const megan = { userPrincipalName: 'MeganB@contoso.onmicrosoft.com', displayName: 'Megan Bowen' };

describe('generatePassword', () => {
  it('produces 500 distinct 16-character passwords that all pass the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const password = generatePassword({ user: megan });
      assert.equal(password.length, GENERATED_PASSWORD_LENGTH);
      assert.equal(GENERATED_PASSWORD_LENGTH, 16);
      const result = checkPasswordPolicy(password, megan);
      assert.deepEqual(result, { ok: true }, `${password}: ${JSON.stringify(result)}`);
      seen.add(password);
    }
    assert.equal(seen.size, 500);
  });

  it('never uses look-alike characters', () => {
    for (let i = 0; i < 200; i++) {
      assert.doesNotMatch(generatePassword(), /[0O1lI\s"'`\\]/);
    }
  });

  it('draws from all four character classes in every password', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      assert.match(password, /[a-z]/);
      assert.match(password, /[A-Z]/);
      assert.match(password, /[2-9]/);
      assert.match(password, /[!#$%&*+\-=?@^_]/);
    }
  });

  it("draws again when a candidate contains part of the user's name", () => {
    // Every run of three letters from a to m except l is a name part (matched case-insensitively), so
    // about four candidates in ten are rejected: the generator must retry until one passes.
    const lower = [...'abcdefghijkm'];
    const triples = lower.flatMap((a) => lower.flatMap((b) => lower.map((c) => a + b + c)));
    const user = { userPrincipalName: '', displayName: triples.join(' ') };
    for (let i = 0; i < 50; i++) {
      const password = generatePassword({ user });
      assert.doesNotMatch(password, /[a-km]{3}/i);
      assert.equal(checkPasswordPolicy(password, user).ok, true);
    }
  });

  it('respects the tenant banned list', () => {
    const tenantBannedPasswords = ['abcd', 'wxyz'];
    const anonymous = { userPrincipalName: '', displayName: '' };
    for (let i = 0; i < 100; i++) {
      const password = generatePassword({ tenantBannedPasswords });
      assert.equal(checkPasswordPolicy(password, anonymous, { tenantBannedPasswords }).ok, true);
    }
  });
});
