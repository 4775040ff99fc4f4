/**
 * Reads a `$metadata` document with the OASIS OData TC's CSDL reader (odata-csdl, strict: any
 * element or attribute CSDL does not allow throws) and checks JSON bodies against it: every
 * property a response writes must be declared on its type or a base type.
 */
import assert from 'node:assert/strict';
import { xml2json } from 'odata-csdl';

type CsdlJson = ReturnType<typeof xml2json>;

const NAMESPACE = 'microsoft.graph';

/** `Collection(graph.x)`, `microsoft.graph.x`, `#microsoft.graph.x` → `x`. */
const local = (qualified: string): string =>
  qualified
    .replace(/^#/, '')
    .replace(/^Collection\((.*)\)$/, '$1')
    .split('.')
    .pop()!;

export class CsdlModel {
  readonly json: CsdlJson;

  constructor(xml: string) {
    const messages: unknown[] = [];
    this.json = xml2json(xml, { strict: true, messages });
    assert.deepEqual(messages, [], 'the CSDL reader reports no problem');
  }

  private schema(): Record<string, Record<string, unknown>> {
    const schema = this.json[NAMESPACE];
    assert.ok(schema, 'a microsoft.graph schema');
    return schema;
  }

  /** A type's declaration, or undefined. */
  type(name: string): Record<string, unknown> | undefined {
    return this.schema()[local(name)];
  }

  /** Structural properties (name → declaration) and navigation properties (name → target type), inherited ones included. */
  members(typeName: string): { properties: Map<string, Record<string, unknown>>; navigation: Map<string, string> } {
    const properties = new Map<string, Record<string, unknown>>();
    const navigation = new Map<string, string>();
    for (let name: string | undefined = typeName; name;) {
      const t = this.type(name);
      assert.ok(t && (t.$Kind === 'EntityType' || t.$Kind === 'ComplexType'), `$metadata declares the type '${name}'`);
      for (const [k, v] of Object.entries(t)) {
        if (k.startsWith('$')) continue;
        const member = v as Record<string, unknown>;
        if (member.$Kind === 'NavigationProperty') navigation.set(k, local(String(member.$Type)));
        else properties.set(k, member);
      }
      name = typeof t.$BaseType === 'string' ? t.$BaseType : undefined;
    }
    return { properties, navigation };
  }

  /** The type an `@odata.context` names: a complex type, or an entity set / singleton and its navigation path; undefined for a primitive. */
  contextType(context: string): string | undefined {
    const path = context.split('$metadata#')[1]!;
    if (path.startsWith('Edm.')) return undefined;
    if (path.startsWith(`${NAMESPACE}.`)) return local(path);
    const segments = path
      .split('/')
      .filter((s) => s !== '$entity')
      .map((s) => s.replace(/\(.*$/, ''));
    const container = this.schema().GraphService as Record<string, { $Type: string }>;
    const root = container[segments[0]!];
    assert.ok(root, `the container declares '${segments[0]}' (${context})`);
    let type = local(root.$Type);
    for (const segment of segments.slice(1)) {
      const next = this.members(type).navigation.get(segment);
      assert.ok(next, `'${type}' declares the navigation property '${segment}' (${context})`);
      type = next;
    }
    return type;
  }

  /** Asserts every property of `value` (and of what it expands) is declared on its type. */
  checkInstance(value: Record<string, unknown>, declaredType: string, where: string): void {
    const odataType = value['@odata.type'];
    const type = typeof odataType === 'string' ? local(odataType) : declaredType;
    const { properties, navigation } = this.members(type);
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('@')) continue; // annotations: @odata.type, alertIncidents@odata.context
      const property = properties.get(key);
      const target = navigation.get(key);
      assert.ok(property || target, `${where}: '${key}' is not declared on microsoft.graph.${type}`);
      const propertyType = typeof property?.$Type === 'string' ? property.$Type : 'Edm.String';
      const nested = target ?? (this.type(propertyType)?.$Kind === 'ComplexType' ? local(propertyType) : undefined);
      if (!nested || v === null) continue;
      for (const item of Array.isArray(v) ? v : [v]) this.checkInstance(item as Record<string, unknown>, nested, `${where} → ${key}`);
    }
  }

  /** Checks a Graph response body: an entity, a collection (`value`), or a complex-type result. */
  checkResponse(body: Record<string, unknown>, where: string): number {
    const type = this.contextType(String(body['@odata.context']));
    if (!type) return 0;
    const isCollection = Array.isArray(body.value) && !String(body['@odata.context']).endsWith('/$entity');
    const items = isCollection ? (body.value as Record<string, unknown>[]) : [body];
    for (const item of items) this.checkInstance(item, type, where);
    return items.length;
  }
}
