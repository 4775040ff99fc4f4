/**
 * The PIM alert types of beta's `$metadata`, copied from Graph's own beta CSDL
 * (microsoftgraph/msgraph-metadata, schemas/beta-*.csdl): the `roleManagementAlert` singleton's
 * type, alerts, definitions, configurations and incidents with every derived type Longrun
 * writes, and the `refresh` / `remediate` actions.
 */
import type { EdmAction, EdmEntityType, EdmEnumType, EdmProperty } from './edm.js';

const str = (name: string): EdmProperty => ({ name, type: 'Edm.String' });
const int = (name: string): EdmProperty => ({ name, type: 'Edm.Int32' });
const bool = (name: string): EdmProperty => ({ name, type: 'Edm.Boolean' });
const time = (name: string): EdmProperty => ({ name, type: 'Edm.DateTimeOffset' });
const duration = (name: string): EdmProperty => ({ name, type: 'Edm.Duration' });

const entity = (name: string, properties: EdmProperty[], more: Partial<EdmEntityType> = {}): EdmEntityType => ({
  name,
  baseType: 'graph.entity',
  properties,
  navigation: [],
  ...more,
});

const configuration = (name: string, properties: EdmProperty[]): EdmEntityType =>
  entity(name, properties, { baseType: 'graph.unifiedRoleManagementAlertConfiguration' });
const incident = (name: string, properties: EdmProperty[]): EdmEntityType =>
  entity(name, properties, { baseType: 'graph.unifiedRoleManagementAlertIncident' });

const ASSIGNEE = [str('assigneeDisplayName'), str('assigneeId'), str('assigneeUserPrincipalName')];
const ROLE = [str('roleDefinitionId'), str('roleDisplayName'), str('roleTemplateId')];

export const ALERT_ENUM_TYPES: EdmEnumType[] = [
  {
    name: 'alertSeverity',
    members: [
      ['unknown', 0],
      ['informational', 1],
      ['low', 2],
      ['medium', 3],
      ['high', 4],
      ['unknownFutureValue', 127],
    ],
  },
];

/** Alert entity types, in Graph's (alphabetical) order. */
export function alertEntityTypes(): EdmEntityType[] {
  return [
    entity('identityGovernance', [], {
      baseType: undefined,
      navigation: [{ name: 'roleManagementAlerts', type: 'graph.roleManagementAlert', containsTarget: true }],
    }),
    configuration('invalidLicenseAlertConfiguration', []),
    incident('invalidLicenseAlertIncident', [str('tenantLicenseStatus')]),
    configuration('noMfaOnRoleActivationAlertConfiguration', []),
    incident('noMfaOnRoleActivationAlertIncident', [str('roleDisplayName'), str('roleTemplateId')]),
    configuration('redundantAssignmentAlertConfiguration', [duration('duration')]),
    incident('redundantAssignmentAlertIncident', [...ASSIGNEE, time('lastActivationDateTime'), ...ROLE]),
    entity('roleManagementAlert', [], {
      navigation: [
        { name: 'alertConfigurations', type: 'Collection(graph.unifiedRoleManagementAlertConfiguration)', containsTarget: true },
        { name: 'alertDefinitions', type: 'Collection(graph.unifiedRoleManagementAlertDefinition)', containsTarget: true },
        { name: 'alerts', type: 'Collection(graph.unifiedRoleManagementAlert)', containsTarget: true },
        { name: 'operations', type: 'Collection(graph.longRunningOperation)', containsTarget: true },
      ],
    }),
    configuration('rolesAssignedOutsidePrivilegedIdentityManagementAlertConfiguration', []),
    incident('rolesAssignedOutsidePrivilegedIdentityManagementAlertIncident', [...ASSIGNEE, time('assignmentCreatedDateTime'), ...ROLE]),
    configuration('sequentialActivationRenewalsAlertConfiguration', [
      int('sequentialActivationCounterThreshold'),
      duration('timeIntervalBetweenActivations'),
    ]),
    incident('sequentialActivationRenewalsAlertIncident', [
      int('activationCount'),
      ...ASSIGNEE,
      ...ROLE,
      time('sequenceEndDateTime'),
      time('sequenceStartDateTime'),
    ]),
    configuration('staleSignInAlertConfiguration', [duration('duration')]),
    incident('staleSignInAlertIncident', [...ASSIGNEE, time('assignmentCreatedDateTime'), time('lastSignInDateTime'), ...ROLE]),
    configuration('tooManyGlobalAdminsAssignedToTenantAlertConfiguration', [
      int('globalAdminCountThreshold'),
      int('percentageOfGlobalAdminsOutOfRolesThreshold'),
    ]),
    incident('tooManyGlobalAdminsAssignedToTenantAlertIncident', [...ASSIGNEE]),
    entity(
      'unifiedRoleManagementAlert',
      [
        str('alertDefinitionId'),
        int('incidentCount'),
        bool('isActive'),
        time('lastModifiedDateTime'),
        time('lastScannedDateTime'),
        str('scopeId'),
        str('scopeType'),
      ],
      {
        navigation: [
          { name: 'alertConfiguration', type: 'graph.unifiedRoleManagementAlertConfiguration' },
          { name: 'alertDefinition', type: 'graph.unifiedRoleManagementAlertDefinition' },
          { name: 'alertIncidents', type: 'Collection(graph.unifiedRoleManagementAlertIncident)', containsTarget: true },
        ],
      },
    ),
    entity('unifiedRoleManagementAlertConfiguration', [str('alertDefinitionId'), bool('isEnabled'), str('scopeId'), str('scopeType')], {
      abstract: true,
      navigation: [{ name: 'alertDefinition', type: 'graph.unifiedRoleManagementAlertDefinition' }],
    }),
    entity('unifiedRoleManagementAlertDefinition', [
      str('description'),
      str('displayName'),
      str('howToPrevent'),
      bool('isConfigurable'),
      bool('isRemediatable'),
      str('mitigationSteps'),
      str('scopeId'),
      str('scopeType'),
      str('securityImpact'),
      { name: 'severityLevel', type: 'graph.alertSeverity' },
    ]),
    entity('unifiedRoleManagementAlertIncident', [], { abstract: true }),
  ];
}

/** `refresh` on the collection (refresh all, with the scope) and on one alert; `remediate` on an incident. */
export function alertActions(refreshAvailable: boolean): EdmAction[] {
  const refresh: EdmAction[] = [
    {
      name: 'refresh',
      parameters: [
        { name: 'bindingParameter', type: 'Collection(graph.unifiedRoleManagementAlert)' },
        { name: 'scopeType', type: 'Edm.String', nullable: false, unicode: false },
        { name: 'scopeId', type: 'Edm.String', nullable: false, unicode: false },
      ],
    },
    { name: 'refresh', parameters: [{ name: 'bindingParameter', type: 'graph.unifiedRoleManagementAlert' }] },
  ];
  return [
    ...(refreshAvailable ? refresh : []),
    { name: 'remediate', parameters: [{ name: 'bindingParameter', type: 'graph.unifiedRoleManagementAlertIncident' }] },
  ];
}
