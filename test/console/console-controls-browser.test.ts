/**
 * The console's Controls view in Chromium (playwright-core, Debian's /usr/bin/chromium): a
 * Global Administrator adds a rule as JSON, sees it listed with its hits, sees a bad rule
 * refused with the field named, deletes the rule. Also the Release / Fail buttons' answer.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { addRule } from '../control/support/rules.js';
import { demoUser, DEMO, startConsoleHarness, type ConsoleHarness } from '../support/console.js';

const CHROMIUM = process.env.LONGRUN_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../test-output/screenshots/', import.meta.url));
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!existsSync(CHROMIUM)) {
  throw new Error(
    `The console tests need Chromium at ${CHROMIUM}: \`apt-get install -y --no-install-recommends chromium\` (or set LONGRUN_CHROMIUM).`,
  );
}

const ADMIN = demoUser('admin');
const PRA = demoUser('pra');

/** Starts a harness and a Chromium page on it before the enclosing describe's tests; closes both after. */
function consolePage(startHarness: () => Promise<ConsoleHarness>) {
  const s = {} as { h: ConsoleHarness; page: Page; browser: Browser };
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s.h = await startHarness();
    s.browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    s.page = await s.browser.newPage({ viewport: { width: 1280, height: 800 } });
    s.page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await s.browser?.close();
    await s.h?.close();
  });
  /** Signs in on the console's page and waits for its first view. */
  const signIn = async (upn: string, password: string) => {
    await s.page.goto(`${s.h.baseUrl}/console`);
    await s.page.getByLabel('User name').fill(upn);
    await s.page.getByLabel('Password', { exact: true }).fill(password);
    await s.page.getByRole('button', { name: 'Sign in' }).click();
    await s.page.getByRole('heading', { name: 'Operations' }).waitFor();
  };
  return { s, signIn };
}

describe('console Controls view in Chromium', { timeout: 60_000 }, () => {
  const { s, signIn } = consolePage(() => startConsoleHarness({ concurrency: 0 }));

  test('an operator without Global Administrator has no Controls link', async () => {
    const { page } = s;
    await signIn(PRA.upn, PRA.password);
    assert.equal(await page.locator('#nav a[data-view="controls"]').isHidden(), true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  test('add a rule, see it listed with its hits, a bad rule is refused naming the field, delete the rule', async () => {
    const { h, page } = s;
    await signIn(ADMIN.upn, ADMIN.password);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Controls' }).click();
    await page.getByRole('heading', { name: 'Controls' }).waitFor();
    await page.getByText('No rules.').waitFor();

    const rule = {
      type: 'http',
      match: { method: 'GET', path: '/v1.0/users/*' },
      times: 2,
      respond: { status: 503, retryAfterSeconds: 5 },
    };
    await page.getByLabel('Rule (JSON)').fill(JSON.stringify(rule, null, 2));
    await page.getByRole('button', { name: 'Add rule' }).click();
    const row = page.locator('#rules tbody tr[data-type="http"]');
    await row.waitFor();
    const ruleId = (await row.getAttribute('data-id'))!;
    assert.match(await row.innerText(), /GET \/v1\.0\/users\/\*/);
    assert.equal((await row.locator('td.hits').innerText()).trim(), '0');
    const stored = await h.store.controlRules.get(DEMO.tenant.id, ruleId);
    assert.equal(stored?.timesLeft, 2);

    // The rule works: the page's own token reads a user through Graph and meets the fault.
    const status = await page.evaluate(`(async () => {
      const s = JSON.parse(sessionStorage.getItem('longrun.console.session'));
      const r = await fetch('/v1.0/users/alex@contoso.onmicrosoft.com', { headers: { authorization: 'Bearer ' + s.accessToken } });
      return r.status;
    })()`);
    assert.equal(status, 503);
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.locator(`#rules tr[data-id="${ruleId}"] td.hits`, { hasText: '1' }).waitFor();

    await page.getByLabel('Rule (JSON)').fill(JSON.stringify({ ...rule, respond: { status: 404 } }));
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('alert').filter({ hasText: 'respond.status: must be one of 429, 500, 502, 503, 504' }).waitFor();
    await page.getByLabel('Rule (JSON)').fill('{ "type": "http", ');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('alert').filter({ hasText: 'The rule is not valid JSON' }).waitFor();
    await page
      .getByLabel('Rule (JSON)')
      .fill(JSON.stringify({ type: 'throttle', match: { path: '/v1.0/**' }, requests: 100, perSeconds: 10 }, null, 2));
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('#rules tbody tr[data-type="throttle"]').waitFor();
    await page.getByLabel('Rule (JSON)').fill(JSON.stringify(rule, null, 2));
    await page.screenshot({ path: `${SHOTS}controls.png`, fullPage: true });

    await page.getByRole('button', { name: `Delete rule ${ruleId}` }).click();
    await page.locator(`#rules tr[data-id="${ruleId}"]`).waitFor({ state: 'detached' });
    assert.equal(await h.store.controlRules.get(DEMO.tenant.id, ruleId), undefined);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Clear all rules' }).click();
    await page.getByText('No rules.').waitFor();
    assert.deepEqual(await h.store.controlRules.list(DEMO.tenant.id), []);
  });

  test('an operation page has Release and Fail: release refuses an operation not in a timeline, fail ends it', async () => {
    const { h, page } = s;
    const op = await h.store.operations.insert(
      {
        id: '0d0d0d0d-0000-4000-8000-000000000001',
        tenantId: DEMO.tenant.id,
        kind: 'passwordReset',
        targetId: demoUser('alex').id,
        input: {},
        maxAttempts: 3,
      },
      Date.now(),
    );
    await page.goto(`${h.baseUrl}/console#/operations/${op.id}`);
    await page.locator('#detail-status .status-notStarted').waitFor();
    await page.getByRole('button', { name: 'Release' }).click();
    await page.locator('#operation-controls-status').getByRole('alert').filter({ hasText: 'not waiting' }).waitFor();
    await page.getByRole('button', { name: 'Fail' }).click();
    const deadline = Date.now() + 10_000;
    while ((await h.store.operations.get(op.id))?.status !== 'failed') {
      if (Date.now() > deadline) throw new Error('the Fail button did not end the operation');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await h.store.operations.get(op.id))?.statusDetail, 'Failed from the Longrun console.');
  });
});

describe('an operation page while its operation ends, in Chromium', { timeout: 60_000 }, () => {
  const { s, signIn } = consolePage(async () => {
    const h = await startConsoleHarness();
    h.service.executor!.start();
    return h;
  });

  test('released from its page, a refresh shows its incidents, and they stay on screen while later updates load', async () => {
    const { h, page } = s;
    await addRule(h.store, DEMO.tenant.id, { type: 'operation', match: { kind: 'alertRefresh' }, times: 1, outcome: { status: 'stuck' } });
    await signIn(ADMIN.upn, ADMIN.password);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Alerts' }).click();
    // The redundant-assignment alert: one incident in the demo tenant.
    await page
      .locator('#alerts tbody tr[data-alert-id$="_RedundantAssignmentAlert"]')
      .getByRole('button', { name: /^Refresh / })
      .click();
    const link = page.locator('#alerts-status').getByRole('link');
    const operationId = (await link.innerText()).trim();
    await link.click();
    await page.locator('#detail-status .status-running').waitFor();

    // After Release, the button's own reload and each pushed status change load the page. Every
    // read of the operation is held until it has ended, so each load sees `succeeded`; reading
    // the alert is slow, so a pushed change starts a second load while the first reads it; and
    // the second load's answer is held until the first one's incidents are on screen. A load
    // that replaced the page before reading its incidents would now blank them out.
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const heading = page.locator('#incidents h3');
    let succeededReads = 0;
    await page.route(
      (u) => u.pathname.startsWith('/console/api/operations/refresh'),
      async (route) => {
        for (const end = Date.now() + 10_000; (await h.store.operations.get(operationId))?.status !== 'succeeded';) {
          if (Date.now() > end) throw new Error(`${operationId} did not end after Release`);
          await sleep(20);
        }
        if (++succeededReads === 2) await Promise.race([heading.waitFor().catch(() => undefined), sleep(4_000)]);
        await route.continue();
      },
    );
    await page.route(
      (u) => u.pathname.includes('/roleManagementAlerts/alerts/'),
      async (route) => {
        await sleep(3_000);
        await route.continue();
      },
    );
    await page.getByRole('button', { name: 'Release' }).click();
    // Slow on purpose: a pushed change may take a poll (0.5 s) to come, so the alert read takes 3 s.
    await heading.waitFor({ timeout: 20_000 });
    const rows = page.locator('#incidents tbody tr');
    const seen: number[] = [];
    for (const end = Date.now() + 1_500; Date.now() < end;) {
      seen.push(await rows.count());
      await sleep(25);
    }
    assert.ok(succeededReads >= 2, `the page read the ended operation ${succeededReads} time(s); the test needs two`);
    assert.deepEqual([...new Set(seen)], [1], 'the incident stays on screen from the moment it is shown');
    await page.unrouteAll();
  });
});
