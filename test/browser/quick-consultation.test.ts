/**
 * 相談を記録 without duplicates, in headless Chromium against the real server: a new visitor
 * registered with email and phone stays chosen after the save; the person search, asked again,
 * finds them; entering the same name and reading again as a new person (no contacts, another
 * width) is answered with them as the candidate, and choosing them records the second
 * consultation for the same person — one 村山 四郎, not two. Saying "someone else" still registers
 * a genuine namesake. Skipped where no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, signInAsAdmin } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';

const SEARCH = '相談者を探す（氏名・フリガナ・メール・電話番号）';

describe.skipIf(!hasChromium)('quick consultation in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  async function people(page: Page, q: string): Promise<Array<{ id: string; name: string; email: string | null }>> {
    const res = await page.request.get(`${server.url}/api/people?q=${encodeURIComponent(q)}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { items: Array<{ id: string; name: string; email: string | null }> }).items;
  }

  test('a saved new person stays chosen, is found again, and is offered instead of a second copy', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await signInAsAdmin(page, server);
      await page.goto(`${server.url}/consultations/new`);
      await page.getByRole('heading', { level: 1, name: '相談を記録' }).waitFor();

      // A new visitor: searched first (nobody yet), then registered with email and phone.
      await page.getByLabel(SEARCH).fill('村山 四郎');
      await page.getByText('該当する人はいません。').waitFor({ timeout: 15_000 });
      await page.getByRole('radio', { name: '新しい人として登録（「村山 四郎」）' }).check();
      await page.getByLabel('フリガナ', { exact: true }).fill('ムラヤマ シロウ');
      await page.getByLabel('メールアドレス', { exact: true }).fill('shiro.murayama@example.jp');
      await page.getByLabel('電話番号', { exact: true }).fill('090-4444-0001');
      await page.getByLabel('相談チャネル').selectOption('phone');
      await page.getByRole('button', { name: '相談を記録する' }).click();
      await page.getByText('村山 四郎 さんの相談を記録しました', { exact: false }).waitFor({ timeout: 15_000 });

      // The saved person is now the chosen one, and the search (asked again) lists them.
      await page.getByText('選択中：村山 四郎').waitFor({ timeout: 15_000 });
      const chosen = page.getByRole('radio', { name: /^村山 四郎 ムラヤマ/ });
      await expect.poll(() => chosen.isChecked()).toBe(true);
      await expect.poll(() => page.getByText('該当する人はいません。').count()).toBe(0);
      await page.getByLabel(SEARCH).fill('むらやま');
      await page.getByRole('radio', { name: /^村山 四郎 ムラヤマ/ }).waitFor({ timeout: 15_000 });
      expect(await page.getByText('該当する人はいません。').count()).toBe(0);

      // Entered again as a new person, without contacts and in half-width kana: offered, not duplicated.
      await page.getByLabel(SEARCH).fill('村山四郎');
      await page.getByRole('radio', { name: /^新しい人として登録/ }).check();
      await page.getByLabel('フリガナ', { exact: true }).fill('ﾑﾗﾔﾏ ｼﾛｳ');
      await page.getByRole('button', { name: '相談を記録する' }).click();
      await page
        .getByText('同じ氏名・フリガナの人がすでに登録されています', { exact: false })
        .waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: '「村山 四郎」で記録する' }).click();
      await page.getByText('選択中：村山 四郎').waitFor();
      await page.getByRole('button', { name: '相談を記録する' }).click();
      await page
        .getByText('村山 四郎 さんの相談を記録しました（ケース：相談継続中）。', { exact: false })
        .waitFor({ timeout: 15_000 });
      const found = await people(page, '村山');
      expect(found.map((p) => [p.name, p.email])).toEqual([['村山 四郎', 'shiro.murayama@example.jp']]);

      // A genuine namesake: the user says it is someone else, and they are registered.
      await page.getByLabel(SEARCH).fill('村山 四郎');
      await page.getByRole('radio', { name: /^新しい人として登録/ }).check();
      await page.getByLabel('フリガナ', { exact: true }).fill('ムラヤマ シロウ');
      await page.getByRole('button', { name: '相談を記録する' }).click();
      await page.getByRole('button', { name: '別の人として登録して記録する' }).click({ timeout: 15_000 });
      await page
        .getByText('村山 四郎 さんの相談を記録しました（ケース：初回相談）。', { exact: false })
        .waitFor({ timeout: 15_000 });
      expect(await people(page, '村山')).toHaveLength(2);
    } finally {
      await context.close();
    }
  });
});
