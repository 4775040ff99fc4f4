/** The `$filter` grammar of the alert collections. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphError } from '../../src/graph/errors.js';
import { parseAlertFilter } from '../../src/graph/routes/alerts/alert-filter.js';

const ALLOWED = ['scopeId', 'scopeType', 'id', 'isActive', 'incidentCount'];
const scoped = (filter?: string) => parseAlertFilter(filter === undefined ? {} : { $filter: filter }, ALLOWED, { requireScope: true });
const entity = { id: "it's", isActive: true, incidentCount: 2, scopeId: '/', scopeType: 'DirectoryRole' };

describe('parseAlertFilter', () => {
  it('accepts the scope in either order and applies further eq/ne comparisons', () => {
    assert.equal(scoped("scopeType eq 'DirectoryRole' and scopeId eq '/'")(entity), true);
    assert.equal(scoped("scopeId eq '/' and scopeType eq 'DirectoryRole' and isActive eq false")(entity), false);
    assert.equal(scoped("scopeId eq '/' and scopeType eq 'DirectoryRole' and incidentCount ne 3")(entity), true);
    assert.equal(scoped("scopeId eq '/' and scopeType eq 'DirectoryRole' and id eq 'it''s'")(entity), true);
  });

  it('refuses a missing or different scope, other operators, unknown properties and or', () => {
    for (const filter of [
      undefined,
      "scopeId eq '/'",
      "scopeId ne '/' and scopeType eq 'DirectoryRole'",
      "scopeId eq '/' or scopeType eq 'DirectoryRole'",
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and displayName eq 'x'",
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and incidentCount gt 1",
      "scopeId eq '/' and scopeType eq 'DirectoryRole' and",
    ]) {
      assert.throws(
        () => scoped(filter),
        (e: unknown) => e instanceof GraphError && e.statusCode === 400,
        String(filter),
      );
    }
  });

  it('without requireScope, no filter keeps everything', () => {
    assert.equal(parseAlertFilter({}, ['id'], { requireScope: false })(entity), true);
  });
});
