/** Debian's Chromium driven by playwright-core (never a downloaded browser), as in the console tests. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.LONGRUN_CHROMIUM ?? '/usr/bin/chromium';
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

export async function launchBrowser(): Promise<{ browser: Browser; context: BrowserContext }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The sign-in page tests need Chromium at ${CHROMIUM} (apt-get install chromium, or set LONGRUN_CHROMIUM).`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  // The server's certificate comes from the test's development CA, which Chromium does not know.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return { browser, context };
}

/** Fills the sign-in page as a person would and presses "Sign in". */
export async function signInOnPage(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Captures the browser's arrival at `redirectUri` (nothing listens there): resolves with the
 * URL of a query response, or the posted form of a form_post response.
 */
export function captureRedirect(page: Page, redirectUri: string): Promise<{ url: string; form: URLSearchParams | undefined }> {
  return new Promise((resolve) => {
    void page.route(`${redirectUri}**`, async (route) => {
      const request = route.request();
      const form = request.method() === 'POST' ? new URLSearchParams(request.postData() ?? '') : undefined;
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'signed in' });
      resolve({ url: request.url(), form });
    });
  });
}
