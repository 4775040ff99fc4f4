import type { SqlClient } from './sql.js';

/** What a subscription's notifications are matched on (see docs/subscriptions.md). */
export type SubscriptionResourceKind = 'alertOperations' | 'authenticationOperations';

export interface StoredSubscription {
  tenantId: string;
  id: string;
  /** The resource path as the client sent it (Graph echoes it). */
  resource: string;
  resourceKind: SubscriptionResourceKind;
  /** The user whose authentication operations are watched; null for alert operations. */
  targetUserId: string | null;
  changeType: string;
  notificationUrl: string;
  clientState: string | null;
  expiresAt: number;
  creatorAppId: string;
  /** The signed-in user's object id, or the app's service-principal id. */
  creatorId: string;
  creatorKind: 'user' | 'app';
  createdAt: number;
}

interface SubscriptionRow {
  tenant_id: string;
  id: string;
  resource: string;
  resource_kind: SubscriptionResourceKind;
  target_user_id: string | null;
  change_type: string;
  notification_url: string;
  client_state: string | null;
  expires_at: number;
  creator_app_id: string;
  creator_id: string;
  creator_kind: 'user' | 'app';
  created_at: number;
}

const toSubscription = (r: SubscriptionRow): StoredSubscription => ({
  tenantId: r.tenant_id,
  id: r.id,
  resource: r.resource,
  resourceKind: r.resource_kind,
  targetUserId: r.target_user_id,
  changeType: r.change_type,
  notificationUrl: r.notification_url,
  clientState: r.client_state,
  expiresAt: Number(r.expires_at),
  creatorAppId: r.creator_app_id,
  creatorId: r.creator_id,
  creatorKind: r.creator_kind,
  createdAt: Number(r.created_at),
});

/** Who may see a subscription: its tenant, its application, and for delegated callers its user. */
export interface SubscriptionOwner {
  tenantId: string;
  appId: string;
  /** Set for delegated callers: only the subscriptions this user created. */
  userId?: string | undefined;
}

function ownerWhere(o: SubscriptionOwner): { sql: string; params: string[] } {
  const params = [o.tenantId, o.appId];
  let sql = `tenant_id = ? AND creator_app_id = ?`;
  if (o.userId !== undefined) {
    sql += ` AND creator_kind = 'user' AND creator_id = ?`;
    params.push(o.userId);
  }
  return { sql, params };
}

/** The subscriptions of the `subscriptions` extension. Storage only: rules live in src/subscriptions/. */
export class SubscriptionsRepository {
  constructor(private readonly sql: SqlClient) {}

  async insert(s: StoredSubscription): Promise<StoredSubscription> {
    const row = await this.sql.queryOne<SubscriptionRow>(
      `INSERT INTO subscriptions (tenant_id, id, resource, resource_kind, target_user_id, change_type, notification_url, client_state,
         expires_at, creator_app_id, creator_id, creator_kind, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      [
        s.tenantId,
        s.id,
        s.resource,
        s.resourceKind,
        s.targetUserId,
        s.changeType,
        s.notificationUrl,
        s.clientState,
        s.expiresAt,
        s.creatorAppId,
        s.creatorId,
        s.creatorKind,
        s.createdAt,
      ],
    );
    return toSubscription(row!);
  }

  /** One subscription by id within its tenant (whoever owns it). */
  async get(tenantId: string, id: string): Promise<StoredSubscription | undefined> {
    const row = await this.sql.queryOne<SubscriptionRow>(`SELECT * FROM subscriptions WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return row && toSubscription(row);
  }

  /** One subscription as its owner sees it; undefined when missing or someone else's. */
  async getOwned(owner: SubscriptionOwner, id: string): Promise<StoredSubscription | undefined> {
    const w = ownerWhere(owner);
    const row = await this.sql.queryOne<SubscriptionRow>(`SELECT * FROM subscriptions WHERE ${w.sql} AND id = ?`, [...w.params, id]);
    return row && toSubscription(row);
  }

  /** The owner's subscriptions, oldest first. */
  async listOwned(owner: SubscriptionOwner): Promise<StoredSubscription[]> {
    const w = ownerWhere(owner);
    const rows = await this.sql.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE ${w.sql} ORDER BY created_at, id`, w.params);
    return rows.map(toSubscription);
  }

  /** Sets a new expiry; false when the subscription is gone. */
  async renew(tenantId: string, id: string, expiresAt: number): Promise<boolean> {
    return (
      (await this.sql.execute(`UPDATE subscriptions SET expires_at = ? WHERE tenant_id = ? AND id = ?`, [expiresAt, tenantId, id])) === 1
    );
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return (await this.sql.execute(`DELETE FROM subscriptions WHERE tenant_id = ? AND id = ?`, [tenantId, id])) === 1;
  }

  /**
   * The subscriptions still active at `now` that watch a resource: every alert operation of the
   * tenant (`targetUserId` undefined), or one user's authentication operations.
   */
  async activeFor(
    tenantId: string,
    kind: SubscriptionResourceKind,
    targetUserId: string | null,
    now: number,
  ): Promise<StoredSubscription[]> {
    const rows =
      targetUserId === null
        ? await this.sql.query<SubscriptionRow>(
            `SELECT * FROM subscriptions WHERE tenant_id = ? AND resource_kind = ? AND target_user_id IS NULL AND expires_at > ? ORDER BY created_at, id`,
            [tenantId, kind, now],
          )
        : await this.sql.query<SubscriptionRow>(
            `SELECT * FROM subscriptions WHERE tenant_id = ? AND resource_kind = ? AND target_user_id = ? AND expires_at > ? ORDER BY created_at, id`,
            [tenantId, kind, targetUserId, now],
          );
    return rows.map(toSubscription);
  }
}
