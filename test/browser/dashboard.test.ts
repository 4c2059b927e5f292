/**
 * The dashboard starts the day in headless Chromium: today's consultations, events, overdue work,
 * new sign-ups and the fiscal year's moves above the map, each figure opening the list it counts
 * with the same filter. Skipped where no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, signInAsAdmin } from '../helpers/browser';
import { startTestServer } from '../helpers/server';
import { todayInTokyo } from '../../src/shared/dates';

describe.skipIf(!hasChromium)('the dashboard that starts the day', () => {
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

  test("each of the day's figures opens its list, which shows the same number", async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    const page: Page = await context.newPage();
    try {
      const csrfToken = await signInAsAdmin(page, server);
      const today = todayInTokyo();
      for (const name of ['朝一 相談（テスト）', '昼 相談（テスト）']) {
        const res = await page.request.post(`${server.url}/api/consultations`, {
          headers: { 'x-csrf-token': csrfToken },
          data: {
            person: { name, kana: 'テスト' },
            channel: 'phone',
            occurredOn: today,
            municipalityCodes: ['062014'],
            nextAction: '資料送付',
            nextActionDue: '2024-01-10',
          },
        });
        expect(res.status()).toBe(201);
      }
      await page.reload();
      const day = page.getByRole('region', { name: /今日の仕事/ });
      await day.waitFor();
      // The day comes before the map.
      const order = await page.evaluate(() =>
        [...document.querySelectorAll('main h2')].map((h) => h.textContent ?? ''),
      );
      expect(order[0]).toMatch(/今日の仕事/);
      expect(order.findIndex((h) => h.includes('市町村別の登録者数'))).toBeGreaterThan(0);

      const figure = (key: string) => day.locator(`[data-figure="${key}"]`);
      await expect.poll(() => figure('consultationsToday').textContent()).toContain('2件');
      await expect.poll(() => figure('overdueNextActions').textContent()).toContain('2件');
      await expect.poll(() => figure('movesThisYear').textContent()).toMatch(/\d{4}年度の移住/);

      await figure('consultationsToday').click();
      await page.getByRole('heading', { level: 1, name: '相談' }).waitFor();
      expect(new URL(page.url()).searchParams.get('from')).toBe(today);
      await expect.poll(() => page.locator('.result-count', { hasText: '2件' }).count()).toBe(1);
      expect(await page.getByRole('rowheader', { name: '朝一 相談（テスト）' }).count()).toBe(1);

      await page.goBack();
      await figure('overdueNextActions').click();
      await page.getByRole('heading', { level: 1, name: '相談' }).waitFor();
      await expect.poll(() => page.getByLabel('次の対応').inputValue()).toBe('overdue');
      await expect.poll(() => page.locator('.result-count', { hasText: '2件' }).count()).toBe(1);

      await page.goBack();
      await figure('eventsToday').click();
      await page.getByRole('heading', { level: 1, name: 'イベント' }).waitFor();
      await expect.poll(() => page.getByLabel('開催日（この日まで）').inputValue()).toBe(today);

      await page.goBack();
      await figure('movesThisYear').click();
      await expect.poll(() => page.getByLabel('転入日（から）').inputValue()).toMatch(/^\d{4}-04-01$/);
    } finally {
      await context.close();
    }
  });
});
