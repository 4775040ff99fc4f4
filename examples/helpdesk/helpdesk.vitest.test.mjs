// The helpdesk tool tested with Vitest against a Longrun started inside the test.
// Run: npx vitest run --config examples/helpdesk/vitest.config.mjs
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLongrun, tenant } from 'longrun';
import { createHelpdesk } from './helpdesk.mjs';

const DOMAIN = 'helpdesk.onmicrosoft.com';
let lr;
let helpdesk;

beforeAll(async () => {
  lr = await startLongrun({
    fixture: tenant({ domain: DOMAIN })
      .user('agent', { roles: ['Authentication Administrator'] })
      .user('ana')
      .user('bob')
      .user('carl')
      .user('dora'),
    passwordHashing: 'fast',
  });
  helpdesk = createHelpdesk({ graphUrl: lr.url, getToken: () => lr.token({ user: `agent@${DOMAIN}` }) });
});
afterAll(() => lr?.stop());

// This repository runs its examples before and after the control API (/_longrun/v1) is merged:
// the tests that need it skip, saying so, while it is absent.
const controls = async () => (await fetch(`${lr.url}/_longrun/v1/clock`)).status === 401;
const NO_CONTROLS = 'needs the control API (/_longrun/v1), not served by this build';

describe('helpdesk password reset (Vitest)', () => {
  it('resets a password and polls the operation to succeeded; the new password is the one Ana must change', async () => {
    const result = await helpdesk.resetPassword(`ana@${DOMAIN}`, { newPassword: 'Kq7-Ledger-Tide-93!' });
    expect(result.status).toBe('succeeded');
    // Accepted, and to be changed at the next sign-in, as after any administrator's reset on Entra.
    await expect(lr.token({ user: `ana@${DOMAIN}`, password: 'Kq7-Ledger-Tide-93!' })).rejects.toThrow(/AADSTS50055/);
  });

  it('reports a reset Graph refuses (a password the policy rejects) as failed, with the reason', async () => {
    const result = await helpdesk.resetPassword(`bob@${DOMAIN}`, { newPassword: 'short' });
    expect(result.status).toBe('failed');
    expect(result.statusDetail).toMatch(/\S/);
  });

  it('rides out throttling: two 429s with Retry-After, then the poll goes through', async (ctx) => {
    if (!(await controls())) return ctx.skip(NO_CONTROLS);
    const rule = await lr.rules.add({
      type: 'http',
      match: { method: 'GET', path: '/v1.0/users/*/authentication/operations/*' },
      times: 2,
      respond: { status: 429, retryAfterSeconds: 1 },
    });
    const result = await helpdesk.resetPassword(`carl@${DOMAIN}`, { newPassword: 'After-The-Storm-9z!' });
    expect(result.status).toBe('succeeded');
    expect((await lr.rules.get(rule.id)).hits).toBe(2);
    await lr.rules.clear();
  });

  it('shows a failure Longrun is told to produce, and gives up on an operation that never ends', async (ctx) => {
    if (!(await controls())) return ctx.skip(NO_CONTROLS);
    await lr.rules.add({
      type: 'operation',
      match: { kind: 'passwordReset', target: `dora@${DOMAIN}` },
      times: 1,
      outcome: { status: 'failed', code: 'serviceUnavailable', detail: 'The directory is busy' },
    });
    const failed = await helpdesk.resetPassword(`dora@${DOMAIN}`, { newPassword: 'Second-Try-4u!x' });
    expect([failed.status, failed.statusDetail]).toEqual(['failed', 'The directory is busy']);

    await lr.rules.add({
      type: 'operation',
      match: { kind: 'passwordReset', target: `dora@${DOMAIN}` },
      times: 1,
      outcome: { status: 'stuck' },
    });
    const stuck = await helpdesk.resetPassword(`dora@${DOMAIN}`, { newPassword: 'Third-Try-4u!x', timeoutMs: 1_000 });
    expect(stuck.status).toBe('timedOut');
    await lr.operations.fail(stuck.operationId, { code: 'cancelled', detail: 'cancelled by the test' });
    await lr.rules.clear();
  });
});
