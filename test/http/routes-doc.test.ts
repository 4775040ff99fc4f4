/** docs/routes.md is generated from the route declarations; this fails when it is out of date. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { renderRoutesDoc } from '../../src/http/routes-doc.js';
import { catalogueOfService } from '../../src/service-catalogue.js';

describe('docs/routes.md', () => {
  it('matches the route declarations (run `npm run docs:routes` after changing a route)', async () => {
    const catalogue = await catalogueOfService();
    const expected = renderRoutesDoc(catalogue);
    const actual = await readFile(new URL('../../../docs/routes.md', import.meta.url), 'utf8');
    assert.equal(actual, expected, 'docs/routes.md is out of date: run `npm run docs:routes`');
  });

  it('lists every Graph route with a policy rule (none is left open by mistake; $metadata is open, as on Graph)', async () => {
    const catalogue = await catalogueOfService();
    const graph = catalogue.filter((r) => r.wire === 'graph');
    assert.ok(graph.length > 40, `only ${graph.length} Graph routes catalogued`);
    assert.deepEqual(
      graph.filter((r) => r.auth === 'none' || r.auth === 'any valid token').map((r) => r.url),
      ['/v1.0/$metadata', '/beta/$metadata'],
    );
    assert.ok(catalogue.some((r) => r.wire === 'authority' && r.url === '/:tenant/oauth2/v2.0/token' && r.auth === 'none'));
  });
});
