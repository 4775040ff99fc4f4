import { AlertsRepository } from './alerts-repository.js';
import { AuditRepository } from './audit-repository.js';
import { DirectoryRepository } from './directory-repository.js';
import { DirectoryReads } from './directory-reads.js';
import { OperationReads } from './operation-reads.js';
import { IdempotencyRepository } from './idempotency-repository.js';
import { KeysRepository } from './keys-repository.js';
import { OperationsRepository } from './operations-repository.js';
import type { SqlClient, SqlDatabase } from './sql.js';
import { TenantClocksRepository } from './tenant-clocks-repository.js';
import { ControlRulesRepository } from './control-rules-repository.js';
import { SubscriptionsRepository } from './subscriptions-repository.js';
import { RequestRulesRepository } from './request-rules-repository.js';
import { SchemaRepository } from './schema-repository.js';
import { ThrottleBucketsRepository } from './throttle-buckets-repository.js';
import { TenantOperationsRepository } from './tenant-operations-repository.js';
import { SignInGrantsRepository } from './sign-in-grants-repository.js';
import { SignInSecurityRepository } from './sign-in-security-repository.js';
import { RetentionRepository } from './retention-repository.js';
import { OperationTimelinesRepository } from './operation-timelines-repository.js';

/** The repositories bound to one SQL client: the database itself, or an open transaction. */
export interface Repositories {
  directory: DirectoryRepository;
  operations: OperationsRepository;
  keys: KeysRepository;
  audit: AuditRepository;
  alerts: AlertsRepository;
  idempotency: IdempotencyRepository;
  tenantClocks: TenantClocksRepository;
  controlRules: ControlRulesRepository;
  subscriptions: SubscriptionsRepository;
  /** The console's per-tenant listings and statistics of operations. */
  tenantOperations: TenantOperationsRepository;
  schema: SchemaRepository;
  signInGrants: SignInGrantsRepository;
  signInSecurity: SignInSecurityRepository;
  /** The http and throttle rules, as the request hook reads them. */
  requestRules: RequestRulesRepository;
  throttleBuckets: ThrottleBucketsRepository;
  retention: RetentionRepository;
  timelines: OperationTimelinesRepository;
  sql: SqlClient;
}

function bind(sql: SqlClient, db: SqlDatabase): Repositories {
  const operations = new OperationsRepository(sql, db.dialect);
  return {
    directory: new DirectoryRepository(sql, db.dialect),
    operations,
    keys: new KeysRepository(sql),
    audit: new AuditRepository(sql),
    alerts: new AlertsRepository(sql),
    idempotency: new IdempotencyRepository(sql),
    tenantClocks: new TenantClocksRepository(sql),
    controlRules: new ControlRulesRepository(sql),
    subscriptions: new SubscriptionsRepository(sql),
    tenantOperations: new TenantOperationsRepository(sql),
    schema: new SchemaRepository(sql),
    signInGrants: new SignInGrantsRepository(sql),
    signInSecurity: new SignInSecurityRepository(sql),
    requestRules: new RequestRulesRepository(sql),
    throttleBuckets: new ThrottleBucketsRepository(sql),
    retention: new RetentionRepository(sql, db.dialect),
    timelines: new OperationTimelinesRepository(sql, db.dialect, operations),
    sql,
  };
}

/** Everything the service stores, behind one object; see docs/architecture.md. */
export class Store implements Repositories {
  readonly directory: DirectoryRepository;
  readonly operations: OperationsRepository;
  readonly keys: KeysRepository;
  readonly audit: AuditRepository;
  readonly alerts: AlertsRepository;
  readonly idempotency: IdempotencyRepository;
  readonly tenantClocks: TenantClocksRepository;
  readonly controlRules: ControlRulesRepository;
  readonly subscriptions: SubscriptionsRepository;
  readonly tenantOperations: TenantOperationsRepository;
  readonly schema: SchemaRepository;
  readonly signInGrants: SignInGrantsRepository;
  readonly signInSecurity: SignInSecurityRepository;
  readonly requestRules: RequestRulesRepository;
  readonly throttleBuckets: ThrottleBucketsRepository;
  readonly retention: RetentionRepository;
  readonly timelines: OperationTimelinesRepository;
  readonly sql: SqlClient;
  /** Tenant and user look-ups of the request path, served from memory while nothing was written. */
  readonly directoryReads: DirectoryReads;
  /** The operation a status poll reads, served from memory while nothing was written. */
  readonly operationReads: OperationReads;

  constructor(readonly db: SqlDatabase) {
    const repos = bind(db, db);
    this.directory = repos.directory;
    this.operations = repos.operations;
    this.keys = repos.keys;
    this.audit = repos.audit;
    this.alerts = repos.alerts;
    this.idempotency = repos.idempotency;
    this.tenantClocks = repos.tenantClocks;
    this.controlRules = repos.controlRules;
    this.subscriptions = repos.subscriptions;
    this.tenantOperations = repos.tenantOperations;
    this.schema = repos.schema;
    this.signInGrants = repos.signInGrants;
    this.signInSecurity = repos.signInSecurity;
    this.requestRules = repos.requestRules;
    this.throttleBuckets = repos.throttleBuckets;
    this.retention = repos.retention;
    this.timelines = repos.timelines;
    this.sql = db;
    this.directoryReads = new DirectoryReads(db, this.directory);
    this.operationReads = new OperationReads(db, this.operations);
  }

  /** Runs `fn` in one transaction with repositories bound to it. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction((sql) => fn(bind(sql, this.db)));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
