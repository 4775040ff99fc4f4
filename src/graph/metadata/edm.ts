/**
 * A small Entity Data Model: the part of OData CSDL that Longrun's `$metadata` needs (entity,
 * complex and enum types, bound actions, entity sets and singletons). The Graph schema is
 * declared in this shape (`graph-schema.ts`) and rendered to CSDL XML (`csdl-xml.ts`); the
 * query-option parsers read the same declarations, so what `$metadata` says and what `$expand`
 * accepts cannot drift apart.
 */

/** A structural property, as Graph's CSDL declares it (`Nullable="false"` only when Graph says so). */
export interface EdmProperty {
  name: string;
  type: string;
  nullable?: boolean;
}

export interface EdmNavigationProperty {
  name: string;
  type: string;
  containsTarget?: boolean;
}

export interface EdmEntityType {
  name: string;
  baseType?: string;
  abstract?: boolean;
  openType?: boolean;
  /** Only on a root type (`entity`). */
  key?: string[];
  properties: EdmProperty[];
  navigation: EdmNavigationProperty[];
}

export interface EdmComplexType {
  name: string;
  properties: EdmProperty[];
}

export interface EdmEnumType {
  name: string;
  members: ReadonlyArray<readonly [string, number]>;
}

export interface EdmParameter {
  name: string;
  type: string;
  nullable?: boolean;
  unicode?: boolean;
}

/** A bound action: the first parameter is the binding parameter. */
export interface EdmAction {
  name: string;
  parameters: EdmParameter[];
  returnType?: string;
}

export interface EdmSchema {
  namespace: string;
  alias: string;
  enumTypes: EdmEnumType[];
  complexTypes: EdmComplexType[];
  entityTypes: EdmEntityType[];
  actions: EdmAction[];
  container: {
    name: string;
    entitySets: Array<{ name: string; entityType: string }>;
    singletons: Array<{ name: string; type: string }>;
  };
}

/** `graph.user`, `microsoft.graph.user` or `user` → `user` (this schema's own types only). */
function localName(schema: EdmSchema, qualified: string): string {
  for (const prefix of [`${schema.namespace}.`, `${schema.alias}.`]) {
    if (qualified.startsWith(prefix)) return qualified.slice(prefix.length);
  }
  return qualified;
}

export function findEntityType(schema: EdmSchema, name: string): EdmEntityType | undefined {
  const local = localName(schema, name);
  return schema.entityTypes.find((t) => t.name === local);
}

/** The entity type and its base types, most derived first. */
function lineage(schema: EdmSchema, name: string): EdmEntityType[] {
  const chain: EdmEntityType[] = [];
  for (let t = findEntityType(schema, name); t; t = t.baseType ? findEntityType(schema, t.baseType) : undefined) chain.push(t);
  if (chain.length === 0) throw new Error(`$metadata declares no entity type '${name}'`);
  return chain;
}

/** Structural property names of an entity type, inherited ones included. */
export function structuralProperties(schema: EdmSchema, typeName: string): string[] {
  return lineage(schema, typeName).flatMap((t) => t.properties.map((p) => p.name));
}

/** Navigation property names of an entity type, inherited ones included. */
export function navigationProperties(schema: EdmSchema, typeName: string): string[] {
  return lineage(schema, typeName).flatMap((t) => t.navigation.map((n) => n.name));
}
