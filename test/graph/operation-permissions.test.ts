/**
 * The seed's permission matrix (https://learn.microsoft.com/graph/api/longrunningoperation-get), one test per
 * row, driven through the real token endpoint and the real routes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  alertRefreshId,
  appToken,
  buildHarness,
  guid,
  insertAlertRefresh,
  insertPasswordReset,
  userA,
  userToken,
  type Harness,
  type UserName,
  APPS,
  get,
  TENANT_A,
} from '../support/graph.js';

const RMA_READ = 'RoleManagementAlert.Read.Directory';
const RMA_WRITE = 'RoleManagementAlert.ReadWrite.Directory';
const UAM_READ_ALL = 'UserAuthenticationMethod.Read.All';
const UAM_READWRITE_ALL = 'UserAuthenticationMethod.ReadWrite.All';
const UAM_READ = 'UserAuthenticationMethod.Read';
const UAM_READWRITE = 'UserAuthenticationMethod.ReadWrite';

type Caller =
  { kind: 'user'; user: UserName; scopes: string[] } | { kind: 'app'; app: keyof typeof APPS } | { kind: 'none' } | { kind: 'bad' };

interface Row {
  name: string;
  path: 'alerts' | 'authOther' | 'authSelf' | 'meSelf';
  caller: Caller;
  status: 200 | 401 | 403;
}

const OTHER_OP = guid(101);
const SELF_OPS: Partial<Record<UserName, string>> = {};

const ALERT_ROLES: Array<[string, UserName]> = [
  ['Privileged Role Administrator', 'pra'],
  ['Global Reader', 'globalReader'],
  ['Security Administrator', 'secAdmin'],
  ['Security Reader', 'secReader'],
];
const AUTH_ROLES: Array<[string, UserName]> = [
  ['Global Reader', 'globalReader'],
  ['Authentication Administrator', 'authAdmin'],
  ['Privileged Authentication Administrator', 'privAuthAdmin'],
];

const rows: Row[] = [];

// --- role management alerts ---
for (const scope of [RMA_READ, RMA_WRITE]) {
  for (const [role, user] of ALERT_ROLES) {
    rows.push({
      name: `alerts: delegated ${scope} + ${role} → 200`,
      path: 'alerts',
      caller: { kind: 'user', user, scopes: [scope] },
      status: 200,
    });
  }
  rows.push({
    name: `alerts: delegated ${scope} + Global Administrator → 200`,
    path: 'alerts',
    caller: { kind: 'user', user: 'globalAdmin', scopes: [scope] },
    status: 200,
  });
  rows.push({
    name: `alerts: delegated ${scope} + no role → 403`,
    path: 'alerts',
    caller: { kind: 'user', user: 'noRole', scopes: [scope] },
    status: 403,
  });
  rows.push({
    name: `alerts: delegated ${scope} + Authentication Administrator (not a listed role) → 403`,
    path: 'alerts',
    caller: { kind: 'user', user: 'authAdmin', scopes: [scope] },
    status: 403,
  });
  rows.push({
    name: `alerts: personal account with ${scope} → 403`,
    path: 'alerts',
    caller: { kind: 'user', user: 'personal', scopes: [scope] },
    status: 403,
  });
}
rows.push({
  name: `alerts: Privileged Role Administrator without an alert scope (${UAM_READ_ALL}) → 403`,
  path: 'alerts',
  caller: { kind: 'user', user: 'pra', scopes: [UAM_READ_ALL] },
  status: 403,
});
rows.push({ name: `alerts: application ${RMA_READ} → 200`, path: 'alerts', caller: { kind: 'app', app: 'least' }, status: 200 });
rows.push({ name: `alerts: application ${RMA_WRITE} → 200`, path: 'alerts', caller: { kind: 'app', app: 'higher' }, status: 200 });
rows.push({ name: 'alerts: application without permissions → 403', path: 'alerts', caller: { kind: 'app', app: 'none' }, status: 403 });
rows.push({ name: 'alerts: no token → 401', path: 'alerts', caller: { kind: 'none' }, status: 401 });
rows.push({ name: 'alerts: malformed token → 401', path: 'alerts', caller: { kind: 'bad' }, status: 401 });

// --- authentication methods (password reset operations) ---
for (const scope of [UAM_READ_ALL, UAM_READWRITE_ALL]) {
  for (const [role, user] of AUTH_ROLES) {
    rows.push({
      name: `auth: delegated ${scope} + ${role} on another user → 200`,
      path: 'authOther',
      caller: { kind: 'user', user, scopes: [scope] },
      status: 200,
    });
  }
  rows.push({
    name: `auth: delegated ${scope} + Global Administrator on another user → 200`,
    path: 'authOther',
    caller: { kind: 'user', user: 'globalAdmin', scopes: [scope] },
    status: 200,
  });
  rows.push({
    name: `auth: delegated ${scope} + no role on another user → 403`,
    path: 'authOther',
    caller: { kind: 'user', user: 'noRole', scopes: [scope] },
    status: 403,
  });
  rows.push({
    name: `auth: delegated ${scope} + Privileged Role Administrator (not a listed role) on another user → 403`,
    path: 'authOther',
    caller: { kind: 'user', user: 'pra', scopes: [scope] },
    status: 403,
  });
  rows.push({
    name: `auth: delegated ${scope} + no role on self → 200`,
    path: 'authSelf',
    caller: { kind: 'user', user: 'noRole', scopes: [scope] },
    status: 200,
  });
  rows.push({
    name: `auth: delegated ${scope} + no role on /me → 200`,
    path: 'meSelf',
    caller: { kind: 'user', user: 'noRole', scopes: [scope] },
    status: 200,
  });
  rows.push({
    name: `auth: personal account with ${scope} on another user → 403`,
    path: 'authOther',
    caller: { kind: 'user', user: 'personal', scopes: [scope] },
    status: 403,
  });
  rows.push({
    name: `auth: personal account with ${scope} on self → 403`,
    path: 'authSelf',
    caller: { kind: 'user', user: 'personal', scopes: [scope] },
    status: 403,
  });
}
for (const scope of [UAM_READ, UAM_READWRITE]) {
  rows.push({
    name: `auth: delegated ${scope} + no role on self → 200`,
    path: 'authSelf',
    caller: { kind: 'user', user: 'noRole', scopes: [scope] },
    status: 200,
  });
  rows.push({
    name: `auth: delegated ${scope} + no role on /me → 200`,
    path: 'meSelf',
    caller: { kind: 'user', user: 'noRole', scopes: [scope] },
    status: 200,
  });
  rows.push({
    name: `auth: delegated ${scope} (self-only) + Global Reader on another user → 403`,
    path: 'authOther',
    caller: { kind: 'user', user: 'globalReader', scopes: [scope] },
    status: 403,
  });
}
rows.push({
  name: `auth: Authentication Administrator without an auth-method scope (${RMA_READ}) → 403`,
  path: 'authOther',
  caller: { kind: 'user', user: 'authAdmin', scopes: [RMA_READ] },
  status: 403,
});
rows.push({ name: `auth: application ${UAM_READ_ALL} → 200`, path: 'authOther', caller: { kind: 'app', app: 'least' }, status: 200 });
rows.push({ name: `auth: application ${UAM_READWRITE_ALL} → 200`, path: 'authOther', caller: { kind: 'app', app: 'higher' }, status: 200 });
rows.push({ name: 'auth: application without permissions → 403', path: 'authOther', caller: { kind: 'app', app: 'none' }, status: 403 });
rows.push({ name: 'auth: no token → 401', path: 'authOther', caller: { kind: 'none' }, status: 401 });
rows.push({ name: 'auth: malformed token → 401', path: 'authOther', caller: { kind: 'bad' }, status: 401 });

describe('GET longRunningOperation: permission matrix', () => {
  let h: Harness;

  before(async () => {
    h = await buildHarness();
    await insertAlertRefresh(h);
    await insertPasswordReset(h, OTHER_OP, userA('target').id);
    let n = 200;
    for (const name of ['noRole', 'personal'] as UserName[]) {
      const id = guid(n++);
      SELF_OPS[name] = id;
      await insertPasswordReset(h, id, userA(name).id);
    }
  });
  after(async () => h.close());

  async function tokenFor(caller: Caller): Promise<string | undefined> {
    switch (caller.kind) {
      case 'user':
        return userToken(h, caller.user, caller.scopes);
      case 'app':
        return appToken(h, caller.app);
      case 'none':
        return undefined;
      case 'bad':
        return 'not.a.jwt';
    }
  }

  function urlFor(row: Row): string {
    switch (row.path) {
      case 'alerts':
        return `/beta/identityGovernance/roleManagementAlerts/operations/${encodeURIComponent(alertRefreshId(TENANT_A))}`;
      case 'authOther':
        return `/v1.0/users/${userA('target').id}/authentication/operations/${OTHER_OP}`;
      case 'authSelf': {
        const user = row.caller.kind === 'user' ? row.caller.user : 'noRole';
        return `/v1.0/users/${userA(user).id}/authentication/operations/${SELF_OPS[user]}`;
      }
      case 'meSelf':
        return `/v1.0/me/authentication/operations/${SELF_OPS.noRole}`;
    }
  }

  for (const row of rows) {
    it(row.name, async () => {
      const token = await tokenFor(row.caller);
      const res = await get(h, urlFor(row), token);
      assert.equal(res.status, row.status, res.raw);
      if (row.status === 200) {
        assert.equal(typeof res.body.id, 'string');
        assert.equal(res.body.status, 'notStarted');
      } else if (row.status === 403) {
        assert.equal(res.body.error.code, 'Authorization_RequestDenied');
        assert.equal(res.body.error.message, 'Insufficient privileges to complete the operation.');
      } else {
        assert.equal(res.body.error.code, 'InvalidAuthenticationToken');
        assert.match(String(res.headers['www-authenticate']), /^Bearer /);
      }
    });
  }
});
