/**
 * The operator console in a real browser: playwright-core drives Debian's Chromium
 * (/usr/bin/chromium, never a downloaded browser) headless against the in-process service.
 * Screenshots of the main views go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { consoleSignIn, demoUser, startConsoleHarness, type ConsoleHarness } from '../support/console.js';

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
  // Not a skip: the console must be tested wherever the suite runs.
  throw new Error(
    `The console tests need Chromium at ${CHROMIUM}. Install Debian's package: ` +
      '`apt-get update && apt-get install -y --no-install-recommends chromium` (or set LONGRUN_CHROMIUM to its path). ' +
      'Do not use `npx playwright install`.',
  );
}

const PRA = demoUser('pra');
const PAA = demoUser('privauthadmin');
const ALEX = demoUser('alex');

describe('operator console in Chromium', { timeout: 60_000 }, () => {
  let h: ConsoleHarness;
  let browser: Browser;
  let page: Page;
  let operationListFetches = 0;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    h = await startConsoleHarness();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/console/api/operations') operationListFetches++;
    });
  });

  after(async () => {
    await browser?.close();
    await h?.close();
  });

  const signIn = async (upn: string, password: string) => {
    await page.getByLabel('User name').fill(upn);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  const signOut = async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  };

  test('a user without an operator role is refused with a clear message; a wrong password too', async () => {
    await page.goto(`${h.baseUrl}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(ALEX.upn, 'not-the-password');
    await page.getByRole('alert').filter({ hasText: 'Wrong user name or password.' }).waitFor();
    await signIn(ALEX.upn, ALEX.password);
    const refusal = page.getByRole('alert').filter({ hasText: 'has no role that the console needs' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /alex@contoso\.onmicrosoft\.com signed in, but has no role/);
    assert.equal(await page.locator('#nav').isHidden(), true);
    await page.screenshot({ path: `${SHOTS}sign-in-refused.png` });
  });

  test('an operator starts a refresh and watches it run live, without reloading', async () => {
    await signIn(PRA.upn, PRA.password);
    await page.getByRole('heading', { name: 'Operations' }).waitFor();
    await page.getByText('No operations yet.').waitFor();
    await page.evaluate('window.marker = 42');

    // Start a refresh of every alert from the Alerts view; the executor is not running yet.
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('button', { name: 'Refresh all alerts' }).click();
    const started = page.locator('#alerts-status').getByRole('link');
    await started.waitFor();
    const operationId = (await started.innerText()).trim();

    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Operations' }).click();
    const row = page.locator(`#operations tr[data-id="${operationId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'notStarted');
    // Graph's values in words: the status and the kind as a person says them.
    assert.equal(await row.locator('.status').innerText(), 'Not started');
    assert.equal(await row.locator('td').nth(2).innerText(), 'Refresh of all alerts');
    await page.locator('.live[data-state="live"]').waitFor();
    const fetchesBefore = operationListFetches;

    h.service.executor!.start();
    await page.locator(`#operations tr[data-id="${operationId}"][data-status="succeeded"]`).waitFor();
    assert.equal(operationListFetches, fetchesBefore, 'the row changed by a pushed event, not by reloading the list');
    assert.equal(await page.evaluate('window.marker'), 42, 'the page was not reloaded');

    // Its detail: the timeline, and the incidents the refresh found.
    await page.getByRole('link', { name: operationId }).click();
    await page.locator('#detail-status .status-succeeded').waitFor();
    const timeline = await page.locator('#timeline').innerText();
    assert.match(timeline, /Queued[\s\S]*Claimed by a worker \(attempt 1\)[\s\S]*Succeeded/);
    await page.locator('#incidents h3').first().waitFor();
    assert.equal(await page.locator('#incidents h3').count(), 7, 'one section per alert');
    await page.screenshot({ path: `${SHOTS}operation-detail.png`, fullPage: true });
  });

  test('a single alert refresh from the page; its operation shows the alert incidents', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Alerts' }).click();
    const rows = page.locator('#alerts tbody tr');
    await rows.first().waitFor();
    // The alert with the most incidents after the refresh-all.
    let best = { index: 0, count: -1 };
    for (let i = 0; i < (await rows.count()); i++) {
      const count = Number(await rows.nth(i).locator('td').nth(1).innerText());
      if (count > best.count) best = { index: i, count };
    }
    assert.ok(best.count > 0, 'the demo tenant raises at least one alert');
    // Each alert is listed under its definition's displayName, read from Graph (not made from the type id).
    const definitions = await page.evaluate<string[]>(`(async () => {
      const s = JSON.parse(sessionStorage.getItem('longrun.console.session'));
      const filter = encodeURIComponent("scopeId eq '/' and scopeType eq 'DirectoryRole'");
      const res = await fetch('/beta/identityGovernance/roleManagementAlerts/alertDefinitions?$filter=' + filter, {
        headers: { authorization: 'Bearer ' + s.accessToken },
      });
      return (await res.json()).value.map((d) => d.displayName);
    })()`);
    const names = await rows.locator('td:first-child').allInnerTexts();
    assert.deepEqual(names.map((n) => n.trim()).sort(), [...definitions].sort());
    assert.ok(!names.some((n) => /^No Mfa|^Roles Assigned Outside Pim/.test(n)), names.join(', '));
    await page.screenshot({ path: `${SHOTS}alerts.png` });
    await rows
      .nth(best.index)
      .getByRole('button', { name: /^Refresh / })
      .click();
    const link = page.locator('#alerts-status').getByRole('link');
    await link.waitFor();
    assert.match(await link.innerText(), /^refresh:DirectoryRole_/);
    await link.click();
    await page.locator('#detail-status .status-succeeded').waitFor();
    await page.locator('#incidents h3').waitFor();
    assert.equal(await page.locator('#incidents tbody tr').count(), best.count, await page.locator('#incidents').innerText());
  });

  test('the operations view with some history, at 1280×800 and at 375 px', async () => {
    // A little history for the chart, through Graph with the page's own token.
    await page.evaluate(`(async () => {
      const s = JSON.parse(sessionStorage.getItem('longrun.console.session'));
      const auth = { authorization: 'Bearer ' + s.accessToken };
      const base = '/beta/identityGovernance/roleManagementAlerts/alerts';
      const filter = encodeURIComponent("scopeId eq '/' and scopeType eq 'DirectoryRole'");
      const list = await fetch(base + '?$filter=' + filter, { headers: auth }).then((r) => r.json());
      for (const a of list.value) await fetch(base + '/' + encodeURIComponent(a.id) + '/refresh', { method: 'POST', headers: auth });
    })()`);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Operations' }).click();
    await page.locator('#operations tbody tr[data-status="succeeded"]').nth(7).waitFor();
    await page.locator('figure svg rect').first().waitFor();
    await page.waitForTimeout(1800); // the chart refreshes after a burst of events
    await page.screenshot({ path: `${SHOTS}operations.png` });

    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByText('No operation matches these filters.').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.locator('#operations tbody tr').first().waitFor();

    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: `${SHOTS}operations-narrow.png`, fullPage: true });
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    assert.ok(overflow <= 0, `no horizontal scrolling of the page at 375 px (overflow ${overflow}px)`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('a password reset from the page shows the generated password once, and it works', async () => {
    await signOut();
    await signIn(PAA.upn, PAA.password);
    await page.getByRole('heading', { name: 'Operations' }).waitFor();
    await page.getByRole('link', { name: 'Password reset' }).click();
    await page.getByLabel('User (user principal name or object id)').fill(ALEX.upn);
    await page.getByRole('button', { name: 'Reset password' }).press('Enter');
    const secret = page.locator('#new-password');
    await secret.waitFor();
    const newPassword = (await secret.innerText()).trim();
    assert.ok(newPassword.length >= 8, 'a generated password is shown');
    await page.screenshot({ path: `${SHOTS}password-reset.png` });

    await page.locator('#reset-result').getByRole('link').click();
    await page.locator('#detail-status .status-succeeded').waitFor();
    const signInWithNew = await consoleSignIn(h, ALEX.upn, newPassword);
    // The new password is right, but an administrator's reset must be followed by a change (AADSTS50055).
    assert.equal(signInWithNew.status, 401);
    assert.match(signInWithNew.body.error.message, /reset this password/, 'the new password is accepted, then a change is required');
    const withOld = await consoleSignIn(h, ALEX.upn, ALEX.password);
    assert.equal(withOld.status, 401, 'the old one is not');
    assert.match(withOld.body.error.message, /Wrong user name or password/);

    await page.getByRole('link', { name: 'Password reset' }).click();
    assert.equal(await page.locator('#new-password').count(), 0, 'shown once: gone when the view is opened again');
  });

  test('an invalid or expired token sends the operator back to sign in, with a reason', async () => {
    await page.evaluate(`(() => {
      const s = JSON.parse(sessionStorage.getItem('longrun.console.session'));
      sessionStorage.setItem('longrun.console.session', JSON.stringify({ ...s, accessToken: 'expired.token.value' }));
    })()`);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your session has expired or is no longer valid. Sign in again.').waitFor();
  });
});
