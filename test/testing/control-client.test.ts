/**
 * lr.rules / lr.clock / lr.operations against the real control API (/_longrun/v1). Where the API
 * is not served (a build without it), every test is skipped with that reason, never faked.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LongrunControlError, startLongrun, tenant } from '../../src/index.js';
import { createTestDatabase } from '../support/backends.js';

const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';
const DOMAIN = 'control.onmicrosoft.com';
const built = tenant({ domain: DOMAIN })
  .user('helpdesk', { roles: ['Authentication Administrator'] })
  .user('ana')
  .user('bob')
  .user('carl');

const db = await createTestDatabase();
const lr = await startLongrun({ db: db.url, fixture: built, passwordHashing: 'fast' });
after(async () => {
  await lr.stop();
  await db.dispose();
});

// 401 (no token) means the endpoint is there; anything else (400 "invalid version", 404) means it
// is not. The rules CRUD arrives first; the clock is the last piece, so it stands for the rest.
async function missing(path: string): Promise<string | false> {
  const status = (await fetch(`${lr.url}/_longrun/v1${path}`)).status;
  return status === 401 || status === 403 || status === 200
    ? false
    : `the control API is not served by this build: GET /_longrun/v1${path} answered ${status}`;
}
const rulesAbsent = await missing('/rules');
const absent = await missing('/clock');

const fixture = built.build();
const passwordOf = (name: string) => fixture.users!.find((u) => u.userPrincipalName === `${name}@${DOMAIN}`)!.password!;

async function startReset(target: string, newPassword: string): Promise<{ id: string; location: string; headers: Record<string, string> }> {
  const headers = { authorization: `Bearer ${await lr.token({ user: `helpdesk@${DOMAIN}` })}`, 'content-type': 'application/json' };
  const res = await fetch(`${lr.url}/v1.0/users/${target}@${DOMAIN}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ newPassword }),
  });
  assert.equal(res.status, 202, await res.clone().text());
  const location = res.headers.get('location')!;
  return { id: decodeURIComponent(new URL(location).pathname.split('/').pop()!), location, headers };
}

async function statusUntil(location: string, headers: Record<string, string>, wanted: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const op = (await (await fetch(location, { headers })).json()) as Record<string, unknown>;
    if (op.status === wanted) return op;
    assert.ok(Date.now() < deadline, `operation still ${String(op.status)}, expected ${wanted}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The password is the user's: a token, or AADSTS50055 (must change it after an administrator's reset, as on Entra). */
const signsIn = async (name: string, password: string) =>
  lr.token({ user: `${name}@${DOMAIN}`, password }).then(
    () => true,
    (e: Error) => /AADSTS50055/.test(e.message),
  );

describe('control API client: rules', { skip: rulesAbsent }, () => {
  it('add answers the stored rule, list/get show it with hits, remove and clear delete', async () => {
    const sent = {
      type: 'operation',
      match: { kind: 'passwordReset', target: `carl@${DOMAIN}` },
      times: 5,
      timeline: { notStartedSeconds: 1 },
    } as const;
    const rule = await lr.rules.add(sent);
    assert.match(rule.id, /\S/);
    assert.equal(rule.hits, 0);
    assert.deepEqual(rule.match, sent.match);
    assert.ok((await lr.rules.list()).some((r) => r.id === rule.id));
    assert.equal((await lr.rules.get(rule.id)).id, rule.id);
    await lr.rules.remove(rule.id);
    await assert.rejects(
      lr.rules.get(rule.id),
      (e: unknown) => e instanceof LongrunControlError && e.status === 404 && e.code === 'itemNotFound',
    );
    await lr.rules.add({ ...sent, times: 1 });
    await lr.rules.clear();
    assert.deepEqual(await lr.rules.list(), []);
  });

  it('a refused rule is LongrunControlError 400 naming the field', async () => {
    await assert.rejects(lr.rules.add({ type: 'operation', match: { kind: 'nap' as never } }), (e: unknown) => {
      assert.ok(e instanceof LongrunControlError);
      assert.equal(e.status, 400);
      assert.match(e.message, /match\.kind/);
      return true;
    });
  });
});

describe('control API client: rules at work, operations, clock', { skip: absent }, () => {
  it('an http rule answers 429 with Retry-After once, then the request passes; its hits count', async () => {
    const token = await lr.token({ user: `ana@${DOMAIN}` });
    const rule = await lr.rules.add({
      type: 'http',
      match: { method: 'GET', path: '/v1.0/me' },
      times: 1,
      respond: { status: 429, retryAfterSeconds: 2 },
    });
    const first = await fetch(`${lr.url}/v1.0/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '2');
    const second = await fetch(`${lr.url}/v1.0/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(second.status, 200);
    assert.equal((await lr.rules.get(rule.id)).hits, 1);
    await lr.rules.clear();
  });

  it('operations.fail ends a stuck reset as failed with the given detail and no effect; a second fail is 409', async () => {
    await lr.rules.add({
      type: 'operation',
      match: { kind: 'passwordReset', target: `ana@${DOMAIN}` },
      times: 1,
      outcome: { status: 'stuck' },
    });
    const { id, location, headers } = await startReset('ana', 'Never-Applied-4u!x');
    await statusUntil(location, headers, 'running');
    assert.equal((await lr.operations.get(id)).status, 'running');
    await lr.operations.fail(id, { code: 'cancelledByTest', detail: 'the test cancelled it' });
    const op = await statusUntil(location, headers, 'failed');
    assert.equal(op.statusDetail, 'the test cancelled it');
    assert.equal(await signsIn('ana', passwordOf('ana')), true, 'the old password still works');
    await assert.rejects(
      lr.operations.fail(id, { code: 'again', detail: 'again' }),
      (e: unknown) => e instanceof LongrunControlError && e.status === 409,
    );
    await lr.rules.clear();
  });

  it('operations.release lets a waiting reset go on now, and its effect applies', async () => {
    await lr.rules.add({
      type: 'operation',
      match: { kind: 'passwordReset', target: `bob@${DOMAIN}` },
      times: 1,
      timeline: { notStartedSeconds: 3600 },
    });
    const { id, location, headers } = await startReset('bob', 'Released-Now-7y!q');
    assert.equal((await lr.operations.get(id)).status, 'notStarted');
    await lr.operations.release(id);
    await statusUntil(location, headers, 'succeeded');
    assert.equal(await signsIn('bob', 'Released-Now-7y!q'), true);
    await lr.rules.clear();
  });

  it('clock.advance moves the tenant time forward, and the client keeps working after it', async () => {
    const before = await lr.clock.get();
    const after = await lr.clock.advance(86_400);
    assert.equal(after.offsetSeconds, before.offsetSeconds + 86_400);
    assert.ok(Date.parse(after.now) - Date.parse(before.now) >= 86_400_000);
    assert.deepEqual(await lr.rules.list(), []);
  });

  it('unknown ids are LongrunControlError 404 with the Graph error code', async () => {
    await assert.rejects(lr.operations.get('00000000-0000-4000-8000-000000000000'), (e: unknown) => {
      assert.ok(e instanceof LongrunControlError);
      assert.equal(e.status, 404);
      assert.match(e.code, /\S/);
      return true;
    });
  });
});
