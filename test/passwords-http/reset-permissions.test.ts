/**
 * Who may call resetPassword on whom, over HTTP (https://learn.microsoft.com/graph/api/resources/users#who-can-reset-passwords): the endpoint's
 * caller roles (Authentication, Privileged Authentication and Global Administrator; Helpdesk,
 * Password and User Administrators are refused here although the table lists them, see
 * docs/passwords.md), each against every target row a tenant-scoped role can express, and the
 * restrictions: never yourself, never an app token, only the password method, no personal
 * accounts, no users of another tenant. Expected results are written out from Microsoft's table,
 * not computed from the code under test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CALLERS, OTHER_TENANT_USER, TARGETS, UAM_READ_ALL, type FixtureUser } from '../support/fixtures/reset-tenant.js';
import { POLICY_RULES } from '../../src/identity/policy/rules.js';
import { isResetPasswordCaller, RESET_PASSWORD_CALLER_ROLES } from '../../src/passwords/reset-authorization.js';
import { appToken, buildHarness, request, resetPassword, userToken, type Harness, type Res } from '../support/passwords.js';

type CallerName = 'authAdmin' | 'privAuthAdmin' | 'globalAdmin';
type TargetName = keyof typeof TARGETS;

/** "Who can reset passwords" (https://learn.microsoft.com/graph/api/resources/users#who-can-reset-passwords), restricted to the three columns the endpoint admits (✅ → 202, blank → 403). */
const ALLOWED: Record<TargetName, CallerName[]> = {
  noRole: ['authAdmin', 'privAuthAdmin', 'globalAdmin'],
  globalAdmin: ['privAuthAdmin', 'globalAdmin'],
  authAdmin: ['authAdmin', 'privAuthAdmin', 'globalAdmin'],
  privAuthAdmin: ['privAuthAdmin', 'globalAdmin'],
  helpdeskAdmin: ['privAuthAdmin', 'globalAdmin'],
  passwordAdmin: ['authAdmin', 'privAuthAdmin', 'globalAdmin'],
  privRoleAdmin: ['privAuthAdmin', 'globalAdmin'],
  reportsReader: ['authAdmin', 'privAuthAdmin', 'globalAdmin'],
  userAdmin: ['privAuthAdmin', 'globalAdmin'],
  groupsAdmin: ['privAuthAdmin', 'globalAdmin'],
  directoryReaders: ['authAdmin', 'privAuthAdmin', 'globalAdmin'],
  messageCenterReader: ['authAdmin', 'privAuthAdmin', 'globalAdmin'],
  guestInviter: ['authAdmin', 'privAuthAdmin', 'globalAdmin'],
  // Not in Microsoft's table: treated like a custom role (docs/passwords.md).
  securityReader: ['privAuthAdmin', 'globalAdmin'],
};

const CALLER_LABEL: Record<CallerName, string> = {
  authAdmin: 'Authentication Administrator',
  privAuthAdmin: 'Privileged Authentication Administrator',
  globalAdmin: 'Global Administrator',
};

function assertDenied(res: Res): void {
  assert.equal(res.status, 403, res.raw);
  assert.equal(res.body.error.code, 'Authorization_RequestDenied');
}

describe('resetPassword: who may reset whose password', () => {
  let h: Harness;
  const tokens = new Map<string, string>();
  const tokenOf = async (u: FixtureUser, scopes?: string[]) => {
    const key = `${u.name}|${scopes?.join(' ') ?? ''}`;
    if (!tokens.has(key)) tokens.set(key, await userToken(h, u, scopes));
    return tokens.get(key)!;
  };
  before(async () => {
    h = await buildHarness();
  });
  after(() => h.close());

  for (const caller of Object.keys(CALLER_LABEL) as CallerName[]) {
    for (const target of Object.keys(ALLOWED) as TargetName[]) {
      const allowed = ALLOWED[target].includes(caller);
      it(`${CALLER_LABEL[caller]} → target ${target}: ${allowed ? '202' : '403'}`, async () => {
        const res = await resetPassword(h, await tokenOf(CALLERS[caller]), TARGETS[target].id, { newPassword: 'Table-Row-Kq81!' });
        if (allowed) {
          assert.equal(res.status, 202, res.raw);
          assert.ok(res.headers.location);
        } else {
          assertDenied(res);
          // The refusal names the role that protects the target.
          assert.match(res.body.error.message, /^Insufficient privileges to complete the operation\. .*holds the .+ role\.$/);
        }
      });
    }
  }

  for (const [caller, label] of [
    ['helpdeskAdmin', 'Helpdesk Administrator'],
    ['passwordAdmin', 'Password Administrator'],
    ['userAdmin', 'User Administrator'],
    ['globalReader', 'Global Reader'],
    ['noRole', 'a user with no role'],
  ] as const) {
    it(`${label} is refused by the endpoint even for a target with no role: 403`, async () => {
      assertDenied(await resetPassword(h, await tokenOf(CALLERS[caller]), TARGETS.noRole.id, { newPassword: 'Table-Row-Kq81!' }));
    });
  }

  it("the endpoint's policy rule admits exactly isResetPasswordCaller's roles", () => {
    assert.deepEqual([...POLICY_RULES['authenticationMethods.resetPassword'].roles].sort(), [...RESET_PASSWORD_CALLER_ROLES].sort());
    for (const [name, caller] of Object.entries(CALLERS)) {
      if (caller.role === undefined) continue;
      assert.equal(isResetPasswordCaller([caller.role]), name in CALLER_LABEL, name);
    }
  });

  it('an Authentication Administrator without UserAuthenticationMethod.ReadWrite.All: 403', async () => {
    assertDenied(
      await resetPassword(h, await tokenOf(CALLERS.authAdmin, [UAM_READ_ALL]), TARGETS.noRole.id, { newPassword: 'Table-Row-Kq81!' }),
    );
  });

  it('resetting your own password: 403, by id, by UPN and on /me', async () => {
    for (const caller of [CALLERS.globalAdmin, CALLERS.privAuthAdmin]) {
      const token = await tokenOf(caller);
      assertDenied(await resetPassword(h, token, caller.id, { newPassword: 'Table-Row-Kq81!' }));
      assertDenied(await resetPassword(h, token, caller.userPrincipalName.toUpperCase(), {}));
      const me = await request(h, 'POST', '/v1.0/me/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword', {
        token,
        body: {},
      });
      assertDenied(me);
    }
  });

  it('an application token (even with UserAuthenticationMethod.ReadWrite.All): 403', async () => {
    assertDenied(await resetPassword(h, await appToken(h), TARGETS.noRole.id, { newPassword: 'Table-Row-Kq81!' }));
  });

  it('a method id other than the password method: 400', async () => {
    const res = await resetPassword(
      h,
      await tokenOf(CALLERS.authAdmin),
      TARGETS.noRole.id,
      { newPassword: 'Table-Row-Kq81!' },
      {
        methodId: '3179e48a-750b-4051-897c-87b9720928f7',
      },
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'BadRequest');
    assert.equal(res.body.error.message, 'The method is not supported for this URL.');
  });

  it('a personal Microsoft account: 403', async () => {
    assertDenied(await resetPassword(h, await tokenOf(CALLERS.personal), TARGETS.noRole.id, { newPassword: 'Table-Row-Kq81!' }));
  });

  it('a user of another tenant: 404, by id and by UPN, even for a Global Administrator', async () => {
    const token = await tokenOf(CALLERS.globalAdmin);
    for (const key of [OTHER_TENANT_USER.id, OTHER_TENANT_USER.userPrincipalName]) {
      const res = await resetPassword(h, token, key, { newPassword: 'Table-Row-Kq81!' });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'Request_ResourceNotFound');
    }
  });

  it('a body with an unknown property or a non-string password: 400, nothing queued', async () => {
    const token = await tokenOf(CALLERS.authAdmin);
    for (const body of [{ password: 'x' }, { newPassword: 42 }, ['Table-Row-Kq81!']]) {
      const res = await resetPassword(h, token, TARGETS.guestInviter.id, body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const list = await request(h, 'GET', `/v1.0/users/${TARGETS.guestInviter.id}/authentication/operations?$count=true`, { token });
    // Only the role-table rows above (one per allowed caller) queued resets for this target.
    assert.equal(list.body['@odata.count'], ALLOWED.guestInviter.length);
  });

  it('no token: 401 with WWW-Authenticate', async () => {
    const res = await request(
      h,
      'POST',
      `/v1.0/users/${TARGETS.noRole.id}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`,
      { body: {} },
    );
    assert.equal(res.status, 401);
    assert.ok(res.headers['www-authenticate']);
  });
});
