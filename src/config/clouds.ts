/**
 * Graph's national clouds (https://learn.microsoft.com/graph/deployments): the Graph root that becomes a token's audience,
 * and which of the emulated APIs each cloud offers (per the national-cloud tables of the
 * Graph reference pages).
 */
export type CloudName = 'global' | 'usgovl4' | 'usgovl5' | 'china';

/** Emulated APIs whose availability differs between clouds. */
export type CloudFeature =
  | 'alerts.read'
  | 'alerts.refresh'
  | 'operations.alerts'
  | 'operations.authentication.beta'
  | 'operations.authentication.v1'
  | 'resetPassword.beta'
  | 'resetPassword.v1';

export interface Cloud {
  name: CloudName;
  displayName: string;
  graphRoot: string;
  features: ReadonlySet<CloudFeature>;
}

const ALL: CloudFeature[] = [
  'alerts.read',
  'alerts.refresh',
  'operations.alerts',
  'operations.authentication.beta',
  'operations.authentication.v1',
  'resetPassword.beta',
  'resetPassword.v1',
];

export const CLOUDS: Record<CloudName, Cloud> = {
  global: { name: 'global', displayName: 'Global service', graphRoot: 'https://graph.microsoft.com', features: new Set(ALL) },
  usgovl4: { name: 'usgovl4', displayName: 'US Government L4', graphRoot: 'https://graph.microsoft.us', features: new Set(ALL) },
  usgovl5: { name: 'usgovl5', displayName: 'US Government L5 (DOD)', graphRoot: 'https://dod-graph.microsoft.us', features: new Set(ALL) },
  // China (21Vianet): no alert refresh, no v1.0 resetPassword, no v1.0 GET LRO (each API page's national-cloud table; https://learn.microsoft.com/graph/deployments).
  china: {
    name: 'china',
    displayName: 'China operated by 21Vianet',
    graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
    features: new Set<CloudFeature>(['alerts.read', 'operations.alerts', 'operations.authentication.beta', 'resetPassword.beta']),
  },
};

export function isCloudName(value: string): value is CloudName {
  return Object.hasOwn(CLOUDS, value);
}
