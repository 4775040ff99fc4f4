import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GLOBAL_BANNED_PASSWORDS, containsBannedPassword } from '../../src/passwords/banned-passwords.js';

describe('banned passwords', () => {
  it('ships about a hundred distinct lower-case stems of at least 5 characters', () => {
    assert.ok(GLOBAL_BANNED_PASSWORDS.length >= 90, `only ${GLOBAL_BANNED_PASSWORDS.length} entries`);
    assert.equal(new Set(GLOBAL_BANNED_PASSWORDS).size, GLOBAL_BANNED_PASSWORDS.length);
    for (const term of GLOBAL_BANNED_PASSWORDS) {
      assert.equal(term, term.toLowerCase(), term);
      assert.ok(term.length >= 5, term);
    }
  });

  const banned: Array<[string, string]> = [
    ['password', 'the stem itself'],
    ['Password1', 'upper case and a suffix'],
    ['P@ssw0rd', '@ for a and 0 for o'],
    ['P@$$w0rd2024!', '$ for s'],
    ['Welcome1', 'welcome'],
    ['Summer2024', 'a season and a year'],
    ['qwerty123', 'a keyboard walk'],
    ['MyL3tM31n!!', '3 for e and 1 for i'],
    ['xx7rustno1', '7 for t'],
    ['Hell0World', 'hello, 0 for o'],
    ['4zure-Rocks', '4 for a'],
  ];
  for (const [password, why] of banned) {
    it(`bans ${password} (${why})`, () => {
      assert.equal(containsBannedPassword(password), true);
    });
  }

  it('lets unrelated strong passwords through', () => {
    for (const password of ['Tq8#vNz2!pWk', 'Correct-Horse-42', 'zebra Lamp 93!']) {
      assert.equal(containsBannedPassword(password), false, password);
    }
  });

  it('checks the tenant list, normalised the same way', () => {
    assert.equal(containsBannedPassword('Longrun-2025!', []), false);
    assert.equal(containsBannedPassword('L0ngrun-2025!', ['Longrun']), true);
    assert.equal(containsBannedPassword('my-LONGRUN-key', ['  longrun ']), true);
  });

  it('ignores tenant entries shorter than 4 characters', () => {
    assert.equal(containsBannedPassword('Tq8#vNz2!pWk', ['Tq8', '']), false);
    assert.equal(containsBannedPassword('Tq8#vNz2!pWk', ['vNz2']), true);
  });
});
