/**
 * The `$select` and `$expand` lists of the resource shapes agree with the declared model that
 * `$metadata` is rendered from (src/graph/metadata/graph-schema.ts): a property a route lets a
 * client select, or a relationship it expands, is one `$metadata` declares on that type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLOUDS } from '../../src/config/clouds.js';
import { extensionsOf } from '../../src/extensions.js';
import { navigationProperties, structuralProperties, type EdmSchema } from '../../src/graph/metadata/edm.js';
import { graphSchema } from '../../src/graph/metadata/graph-schema.js';
import { AUTHENTICATION_METHOD_PROPERTIES, PASSWORD_METHOD_PROPERTIES } from '../../src/graph/resources/authentication-method.js';
import { OPERATION_PROPERTIES, operationShape } from '../../src/graph/resources/long-running-operation.js';
import {
  ALERT_PROPERTIES,
  ALERT_RELATIONSHIPS,
  CONFIGURATION_PROPERTIES,
  DEFINITION_PROPERTIES,
  INCIDENT_PROPERTIES,
} from '../../src/graph/resources/role-management-alert.js';
import { USER_PROPERTIES } from '../../src/graph/resources/user.js';

const options = (azureLro: boolean) => ({ extensions: extensionsOf(azureLro ? ['azure-lro'] : []), cloud: CLOUDS.global });

/** Properties of a base type and of every type derived from it. */
function withDerived(schema: EdmSchema, base: string): Set<string> {
  const out = new Set(structuralProperties(schema, base));
  for (const t of schema.entityTypes) {
    if (t.baseType === `graph.${base}`) for (const p of structuralProperties(schema, t.name)) out.add(p);
  }
  return out;
}

const assertDeclared = (listed: readonly string[], declared: Iterable<string>, what: string) => {
  const set = new Set(declared);
  assert.deepEqual(
    listed.filter((p) => !set.has(p)),
    [],
    `${what}: selectable but not in $metadata`,
  );
};

describe('the declared model and the routes agree', () => {
  for (const version of ['v1.0', 'beta'] as const) {
    it(`${version}: users, methods and operations`, () => {
      const schema = graphSchema(version, options(false));
      assertDeclared(USER_PROPERTIES, structuralProperties(schema, 'user'), 'user');
      assertDeclared(PASSWORD_METHOD_PROPERTIES, structuralProperties(schema, 'passwordAuthenticationMethod'), 'password method');
      assertDeclared(AUTHENTICATION_METHOD_PROPERTIES, structuralProperties(schema, 'authenticationMethod'), 'authentication method');
      assert.deepEqual(structuralProperties(schema, 'longRunningOperation').sort(), [...OPERATION_PROPERTIES].sort());
      assert.deepEqual(navigationProperties(schema, 'longRunningOperation'), [], 'nothing to $expand on an operation');
      const azure = graphSchema(version, options(true));
      assert.deepEqual(
        structuralProperties(azure, 'longRunningOperation').sort(),
        [...operationShape({ azureLro: true }).properties].sort(),
      );
    });
  }

  it('beta: the alert resources, and what $expand may name', () => {
    const schema = graphSchema('beta', options(false));
    assert.deepEqual(structuralProperties(schema, 'unifiedRoleManagementAlert').sort(), [...ALERT_PROPERTIES].sort());
    assert.deepEqual(navigationProperties(schema, 'unifiedRoleManagementAlert'), [...ALERT_RELATIONSHIPS]);
    assert.deepEqual(navigationProperties(schema, 'unifiedRoleManagementAlertConfiguration'), ['alertDefinition']);
    assertDeclared(DEFINITION_PROPERTIES, structuralProperties(schema, 'unifiedRoleManagementAlertDefinition'), 'definition');
    assertDeclared(CONFIGURATION_PROPERTIES, withDerived(schema, 'unifiedRoleManagementAlertConfiguration'), 'configuration');
    assertDeclared(INCIDENT_PROPERTIES, withDerived(schema, 'unifiedRoleManagementAlertIncident'), 'incident');
  });
});
