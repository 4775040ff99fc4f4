import type { Migration } from '../../migration.js';
import { up as initialSchema } from './0001-initial-schema.js';
import { up as tenantClocks } from './0002-tenant-clocks.js';
import { up as controlRules } from './0003-control-rules.js';
import { up as operationPlans } from './0004-operation-plans.js';
import { up as retentionAndWait } from './0005-retention-and-wait.js';
import { up as subscriptions } from './0006-subscriptions.js';
import { up as signInFlows } from './0007-sign-in-flows.js';
import { up as throttleBuckets } from './0008-throttle-buckets.js';
import { up as alertScanSchedule } from './0009-alert-scan-schedule.js';
import { up as orphanDeferredEffects } from './0010-orphan-deferred-effects.js';

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial-schema', sql: initialSchema },
  { version: 2, name: 'tenant-clocks', sql: tenantClocks },
  { version: 3, name: 'control-rules', sql: controlRules },
  { version: 4, name: 'operation-plans', sql: operationPlans },
  { version: 5, name: 'retention-and-wait', sql: retentionAndWait },
  { version: 6, name: 'subscriptions', sql: subscriptions },
  { version: 7, name: 'sign-in-flows', sql: signInFlows },
  { version: 8, name: 'throttle-buckets', sql: throttleBuckets },
  { version: 9, name: 'alert-scan-schedule', sql: alertScanSchedule },
  { version: 10, name: 'orphan-deferred-effects', sql: orphanDeferredEffects },
];
