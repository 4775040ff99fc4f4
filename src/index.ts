/**
 * The `longrun` package's programmatic entry (docs/testing.md): start Longrun inside a test,
 * build the tenant it serves, and drive it through the control API.
 */
export { startLongrun, CONTROL_PERMISSION, type Longrun, type StartLongrunOptions, type TokenRequest } from './testing/start-longrun.js';
export {
  tenant,
  TenantBuilder,
  ALL_DELEGATED_PERMISSIONS,
  type AppOptions,
  type RoleGrant,
  type RoleName,
  type TenantOptions,
  type UserOptions,
} from './testing/tenant-builder.js';
export {
  LongrunControlError,
  type ControlApi,
  type ControlOperation,
  type ControlOperationKind,
  type ControlRule,
  type HttpRule,
  type OperationRule,
  type StoredRule,
  type TenantClock,
  type ThrottleRule,
} from './testing/control-client.js';
export type { TenantFixtureJson } from './directory/fixture.js';
export { ServerStartError } from './server-start-error.js';
