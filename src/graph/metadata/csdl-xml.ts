/**
 * Renders an `EdmSchema` as an OData CSDL XML document, laid out as Graph's `$metadata` is:
 * enum types, complex types, entity types, actions, then the entity container, two-space
 * indentation, empty elements self-closed.
 */
import type { EdmAction, EdmComplexType, EdmEntityType, EdmEnumType, EdmProperty, EdmSchema } from './edm.js';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function attrs(pairs: Array<[string, string | boolean | undefined]>): string {
  return pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
    .join('');
}

/** `<Tag attrs />` or `<Tag attrs>children</Tag>` at `indent` spaces. */
function element(indent: number, tag: string, attributes: string, children: string[]): string[] {
  const pad = ' '.repeat(indent);
  if (children.length === 0) return [`${pad}<${tag}${attributes} />`];
  return [`${pad}<${tag}${attributes}>`, ...children, `${pad}</${tag}>`];
}

const property = (p: EdmProperty): string =>
  `        <Property${attrs([
    ['Name', p.name],
    ['Type', p.type],
    ['Nullable', p.nullable === false ? 'false' : undefined],
  ])} />`;

function enumType(t: EdmEnumType): string[] {
  const members = t.members.map(
    ([name, value]) =>
      `        <Member${attrs([
        ['Name', name],
        ['Value', String(value)],
      ])} />`,
  );
  return element(6, 'EnumType', attrs([['Name', t.name]]), members);
}

function complexType(t: EdmComplexType): string[] {
  return element(6, 'ComplexType', attrs([['Name', t.name]]), t.properties.map(property));
}

function entityType(t: EdmEntityType): string[] {
  const key = t.key
    ? element(
        8,
        'Key',
        '',
        t.key.map((k) => `          <PropertyRef${attrs([['Name', k]])} />`),
      )
    : [];
  const navigation = t.navigation.map(
    (n) =>
      `        <NavigationProperty${attrs([
        ['Name', n.name],
        ['Type', n.type],
        ['ContainsTarget', n.containsTarget ? 'true' : undefined],
      ])} />`,
  );
  const header = attrs([
    ['Name', t.name],
    ['BaseType', t.baseType],
    ['Abstract', t.abstract ? 'true' : undefined],
    ['OpenType', t.openType ? 'true' : undefined],
  ]);
  return element(6, 'EntityType', header, [...key, ...t.properties.map(property), ...navigation]);
}

function action(a: EdmAction): string[] {
  const parameters = a.parameters.map(
    (p) =>
      `        <Parameter${attrs([
        ['Name', p.name],
        ['Type', p.type],
        ['Nullable', p.nullable === false ? 'false' : undefined],
        ['Unicode', p.unicode === false ? 'false' : undefined],
      ])} />`,
  );
  const returnType = a.returnType ? [`        <ReturnType${attrs([['Type', a.returnType]])} />`] : [];
  return element(
    6,
    'Action',
    attrs([
      ['Name', a.name],
      ['IsBound', 'true'],
    ]),
    [...parameters, ...returnType],
  );
}

/** The whole `$metadata` document, ending with a newline. */
export function renderCsdl(schema: EdmSchema): string {
  const { container } = schema;
  const containerChildren = [
    ...container.entitySets.map(
      (s) =>
        `        <EntitySet${attrs([
          ['Name', s.name],
          ['EntityType', s.entityType],
        ])} />`,
    ),
    ...container.singletons.map(
      (s) =>
        `        <Singleton${attrs([
          ['Name', s.name],
          ['Type', s.type],
        ])} />`,
    ),
  ];
  const schemaChildren = [
    ...schema.enumTypes.flatMap(enumType),
    ...schema.complexTypes.flatMap(complexType),
    ...schema.entityTypes.flatMap(entityType),
    ...schema.actions.flatMap(action),
    ...element(6, 'EntityContainer', attrs([['Name', container.name]]), containerChildren),
  ];
  const schemaAttrs = attrs([
    ['Namespace', schema.namespace],
    ['Alias', schema.alias],
    ['xmlns', 'http://docs.oasis-open.org/odata/ns/edm'],
  ]);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    ...element(4, 'Schema', schemaAttrs, schemaChildren),
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}
