import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/graph/errors.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const catalogue = doc.slice(doc.indexOf('## Catalogue'), doc.indexOf('## Operation failures'));
const documented = [...catalogue.matchAll(/^\| \d{3} \| `([^`]+)` \|/gm)].map((m) => m[1]!);

describe('docs/errors.md', () => {
  it('documents every code of the error catalogue', () => {
    for (const code of Object.values(ERROR_CODES)) assert.ok(documented.includes(code), `${code} is missing from docs/errors.md`);
  });

  it('documents no code the catalogue does not have', () => {
    const known = new Set<string>(Object.values(ERROR_CODES));
    for (const code of documented) assert.ok(known.has(code), `docs/errors.md lists ${code}, which src/graph/errors.ts does not define`);
  });
});
