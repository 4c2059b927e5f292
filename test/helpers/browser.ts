/**
 * Headless Chromium for the browser tests: Debian's package, never a downloaded browser, with the
 * flags the brief asks for. Tests skip where it is not installed (`hasChromium`).
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

/** Launches Chromium after checking that the UI is built: the server serves whatever is in web/dist. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(new URL('../../web/dist/index.html', import.meta.url))) {
    throw new Error('web/dist is missing: run `npm run build:web` before the browser tests');
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** How far the page scrolls sideways; a phone layout must not. */
export const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * Collects what the page's Content-Security-Policy refused (Chromium reports each refusal on the
 * console), so a journey proves the UI runs under the strict policy, not only that the header is sent.
 */
export function recordCspViolations(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  return refused;
}

/** What signing in needs of the test server (startTestServer's answer). */
type AdminServer = { url: string; adminEmail: string; adminPassword: string };

/**
 * Signs in as the test server's admin through the login page, as staff do, and waits for the
 * dashboard; answers the session's CSRF token for the API calls a test makes from the page.
 */
export async function signInAsAdmin(page: Page, server: AdminServer): Promise<string> {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('メールアドレス').fill(server.adminEmail);
  await page.getByLabel('パスワード').fill(server.adminPassword);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor({ timeout: 15_000 });
  const session = (await (await page.request.get(`${server.url}/api/auth/session`)).json()) as { csrfToken: string };
  return session.csrfToken;
}
