/**
 * End-to-end journey through the real server and the built UI in headless Chromium:
 * log in → register a person → find them by a half-width katakana search → open them → see the
 * reads and the creation in the audit log. Plus a phone-width check of the login page.
 * Skipped where no Chromium is installed (the system package provides /usr/bin/chromium).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, recordCspViolations, sidewaysOverflow } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

const PERSON_NAME = '山形 花子（テスト）';
const PERSON_KANA = 'ヤマガタ ハナコ';
const YAMAGATA_CITY = '062014';

describe.skipIf(!hasChromium)('web UI journey', () => {
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

  async function logIn(page: Page) {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('メールアドレス').fill(server.adminEmail);
    await page.getByLabel('パスワード').fill(server.adminPassword);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).count(), { timeout: 15_000 })
      .toBe(1);
  }

  test('admin registers a person, finds them by kana, and sees the audit trail', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    const refusedByCsp = recordCspViolations(page);
    try {
      await logIn(page);

      // The dashboard map is drawn from the geo endpoint: one focusable shape per municipality.
      await page.locator('svg.map path[data-code]').first().waitFor();
      expect(await page.locator('svg.map path[data-code]').count()).toBe(35);
      await expect
        .poll(() => page.getByText('出典：国土交通省国土数値情報（行政区域データ）を加工して作成').count())
        .toBe(1);

      // Register the person.
      await page
        .getByRole('navigation', { name: 'メインメニュー' })
        .getByRole('link', { name: '関係者', exact: true })
        .click();
      await page.getByRole('link', { name: '新規登録' }).click();
      await page.getByRole('heading', { level: 1, name: '人を登録' }).waitFor();
      await page.getByLabel('氏名').fill(PERSON_NAME);
      await page.getByLabel('フリガナ').fill(PERSON_KANA);
      await page.getByRole('button', { name: 'つながりを追加' }).click();
      await page.getByLabel('市町村 1').selectOption(YAMAGATA_CITY);
      await page.getByLabel('種類 1').selectOption('supporter');
      await page.getByRole('button', { name: '保存' }).click();

      await page.getByRole('heading', { level: 1, name: PERSON_NAME }).waitFor({ timeout: 15_000 });
      const personId = new URL(page.url()).pathname.split('/').pop()!;
      expect(personId).toMatch(/^[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByText('山形市：登録サポーター').count()).toBe(1);

      // Find them again with half-width katakana; the server folds widths and kana.
      await page
        .getByRole('navigation', { name: 'メインメニュー' })
        .getByRole('link', { name: '関係者', exact: true })
        .click();
      const search = page.getByLabel('検索（氏名・フリガナ・メール・電話番号）');
      await search.fill('ﾔﾏｶﾞﾀ ﾊﾅｺ');
      await search.press('Enter');
      const result = page.getByRole('table').getByRole('link', { name: PERSON_NAME });
      await result.waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).searchParams.get('q')).toBe('ﾔﾏｶﾞﾀ ﾊﾅｺ');

      // Open their page; the history shows the creation.
      await result.click();
      await page.getByRole('heading', { level: 1, name: PERSON_NAME }).waitFor();
      const history = page.getByRole('region', { name: '履歴' });
      await history.getByText('登録', { exact: true }).waitFor();

      // The admin follows the person's audit link and sees the read and the creation.
      await page.getByRole('link', { name: 'この人の監査ログ' }).click();
      await page.getByRole('heading', { level: 1, name: '監査ログ' }).waitFor();
      expect(new URL(page.url()).searchParams.get('personId')).toBe(personId);
      const auditTable = page.getByRole('table');
      // Actions in words (登録 = person.create, 閲覧 = person.read), not internal codes.
      await auditTable.getByRole('cell', { name: '登録', exact: true }).first().waitFor({ timeout: 15_000 });
      expect(await auditTable.getByRole('cell', { name: '閲覧', exact: true }).count()).toBeGreaterThan(0);
      // The dashboard map, forms and tables all ran under the strict Content-Security-Policy.
      expect(refusedByCsp).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test('login page fits a phone screen and the language choice persists', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/login`);
      await page.getByRole('heading', { level: 1, name: 'ログイン' }).waitFor();
      const overflow = await sidewaysOverflow(page);
      expect(overflow).toBeLessThanOrEqual(0);

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    } finally {
      await context.close();
    }
  }, 60_000);
});
