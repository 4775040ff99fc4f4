/**
 * What Longrun serves, per Graph version, as an Entity Data Model: the one source of truth for
 * `GET /{v}/$metadata` (rendered by `csdl-xml.ts`) and for the `$expand` parser. Every
 * declaration is copied from Graph's own CSDL (microsoftgraph/msgraph-metadata,
 * schemas/v1.0-Prod.csdl and schemas/beta-*.csdl), cut down to the properties, navigation
 * properties and actions Longrun actually writes or answers; the test
 * test/graph/metadata.test.ts checks every property of every response against it.
 */
import type { CloudFeature } from '../../config/clouds.js';
import type { Extensions } from '../../extensions.js';
import type { GraphVersion } from '../wire.js';
import { ALERT_ENUM_TYPES, alertActions, alertEntityTypes } from './alert-schema.js';
import type { EdmAction, EdmComplexType, EdmEntityType, EdmProperty, EdmSchema } from './edm.js';

export interface SchemaOptions {
  extensions: Pick<Extensions, 'azureLro' | 'subscriptions'>;
  cloud: { features: ReadonlySet<CloudFeature> };
}

const str = (name: string): EdmProperty => ({ name, type: 'Edm.String' });
const bool = (name: string): EdmProperty => ({ name, type: 'Edm.Boolean' });
const time = (name: string): EdmProperty => ({ name, type: 'Edm.DateTimeOffset' });

export function graphSchema(version: GraphVersion, options: SchemaOptions): EdmSchema {
  const { features } = options.cloud;
  const beta = version === 'beta';
  const operationsServed = features.has(beta ? 'operations.authentication.beta' : 'operations.authentication.v1');
  const resetServed = features.has(beta ? 'resetPassword.beta' : 'resetPassword.v1');
  const alertsServed = beta && features.has('alerts.read');

  const entityTypes: EdmEntityType[] = [
    {
      name: 'authentication',
      baseType: 'graph.entity',
      properties: [],
      navigation: [
        { name: 'methods', type: 'Collection(graph.authenticationMethod)', containsTarget: true },
        ...(operationsServed ? [{ name: 'operations', type: 'Collection(graph.longRunningOperation)', containsTarget: true }] : []),
        { name: 'passwordMethods', type: 'Collection(graph.passwordAuthenticationMethod)', containsTarget: true },
      ],
    },
    { name: 'authenticationMethod', baseType: 'graph.entity', abstract: true, properties: [time('createdDateTime')], navigation: [] },
    // Graph's directoryObject also has deletedDateTime; Longrun's users are never deleted.
    { name: 'directoryObject', baseType: 'graph.entity', openType: true, properties: [], navigation: [] },
    { name: 'entity', abstract: true, key: ['id'], properties: [{ name: 'id', type: 'Edm.String', nullable: false }], navigation: [] },
    {
      name: 'longRunningOperation',
      baseType: 'graph.entity',
      properties: [
        time('createdDateTime'),
        time('lastActionDateTime'),
        str('resourceLocation'),
        { name: 'status', type: 'graph.longRunningOperationStatus' },
        str('statusDetail'),
        // azure-lro: Azure's status-monitor `error` (richLongRunningOperation's, a publicError).
        ...(options.extensions.azureLro ? [{ name: 'error', type: 'graph.publicError' }] : []),
      ],
      navigation: [],
    },
    { name: 'passwordAuthenticationMethod', baseType: 'graph.authenticationMethod', properties: [str('password')], navigation: [] },
    ...(options.extensions.subscriptions ? [subscriptionType()] : []),
    {
      name: 'user',
      baseType: 'graph.directoryObject',
      openType: true,
      properties: [
        bool('accountEnabled'),
        { name: 'businessPhones', type: 'Collection(Edm.String)', nullable: false },
        time('createdDateTime'),
        str('displayName'),
        str('givenName'),
        str('jobTitle'),
        str('mail'),
        str('mobilePhone'),
        str('officeLocation'),
        str('preferredLanguage'),
        str('surname'),
        str('userPrincipalName'),
        str('userType'),
      ],
      navigation: [{ name: 'authentication', type: 'graph.authentication', containsTarget: true }],
    },
    ...(alertsServed ? alertEntityTypes() : []),
  ].sort((a, b) => a.name.localeCompare(b.name, 'en'));

  const complexTypes: EdmComplexType[] = [
    ...(resetServed ? [{ name: 'passwordResetResponse', properties: [str('newPassword')] }] : []),
    // azure-lro only; Graph's publicError also has details, innerError and target, which Longrun never writes.
    ...(options.extensions.azureLro ? [{ name: 'publicError', properties: [str('code'), str('message')] }] : []),
  ].sort((a, b) => a.name.localeCompare(b.name, 'en'));

  const actions: EdmAction[] = [
    ...(alertsServed ? alertActions(features.has('alerts.refresh')) : []),
    ...(resetServed
      ? [
          {
            name: 'resetPassword',
            parameters: [
              { name: 'bindingParameter', type: 'graph.authenticationMethod' },
              { name: 'newPassword', type: 'Edm.String', unicode: false },
            ],
            returnType: 'graph.passwordResetResponse',
          },
        ]
      : []),
    {
      name: 'revokeSignInSessions',
      parameters: [{ name: 'bindingParameter', type: 'graph.user', nullable: false }],
      returnType: 'Edm.Boolean',
    },
  ];

  return {
    namespace: 'microsoft.graph',
    alias: 'graph',
    enumTypes: [
      ...(alertsServed ? ALERT_ENUM_TYPES : []),
      {
        name: 'longRunningOperationStatus',
        members: [
          ['notStarted', 0],
          ['running', 1],
          ['succeeded', 2],
          ['failed', 3],
          ['unknownFutureValue', 4],
        ],
      },
    ],
    complexTypes,
    entityTypes,
    actions,
    container: {
      name: 'GraphService',
      entitySets: [
        ...(options.extensions.subscriptions ? [{ name: 'subscriptions', entityType: 'microsoft.graph.subscription' }] : []),
        { name: 'users', entityType: 'microsoft.graph.user' },
      ],
      singletons: [
        ...(alertsServed ? [{ name: 'identityGovernance', type: 'microsoft.graph.identityGovernance' }] : []),
        { name: 'me', type: 'microsoft.graph.user' },
      ],
    },
  };
}

function subscriptionType(): EdmEntityType {
  return {
    name: 'subscription',
    baseType: 'graph.entity',
    properties: [
      str('applicationId'),
      { name: 'changeType', type: 'Edm.String', nullable: false },
      str('clientState'),
      str('creatorId'),
      str('encryptionCertificate'),
      str('encryptionCertificateId'),
      { name: 'expirationDateTime', type: 'Edm.DateTimeOffset', nullable: false },
      bool('includeResourceData'),
      str('latestSupportedTlsVersion'),
      str('lifecycleNotificationUrl'),
      str('notificationQueryOptions'),
      { name: 'notificationUrl', type: 'Edm.String', nullable: false },
      str('notificationUrlAppId'),
      { name: 'resource', type: 'Edm.String', nullable: false },
    ],
    navigation: [],
  };
}
