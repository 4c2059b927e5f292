/**
 * The person page in headless Chromium: merging finds the other record by searching (no id to
 * paste), the one delete action explains deleting versus erasing on request, and the engagement
 * table reads without sideways cut-off on a phone. Skipped where no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { hasChromium, launchBrowser, sidewaysOverflow, signInAsAdmin } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

describe.skipIf(!hasChromium)('the person page', () => {
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

  async function signIn(context: BrowserContext) {
    const page = await context.newPage();
    const csrfToken = await signInAsAdmin(page, server);
    const post = async (url: string, data: object) => {
      const res = await page.request.post(`${server.url}${url}`, { headers: { 'x-csrf-token': csrfToken }, data });
      expect(res.status(), await res.text()).toBe(201);
      return res.json();
    };
    return { page, post };
  }

  test('merge by searching, one explained delete, an engagement table that fits a phone', async () => {
    const desktop = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    let personId = '';
    try {
      const { page, post } = await signIn(desktop);
      const links = [{ municipalityCode: '062014', kind: 'supporter' }];
      const keep = await post('/api/people', { name: '統合 先子（テスト）', kana: 'トウゴウ サキコ', links });
      await post('/api/people', {
        name: '統合 元子（テスト）',
        kana: 'トウゴウ モトコ',
        email: 'motoko@example.jp',
        links,
      });
      personId = keep.id;
      await post(`/api/people/${personId}/engagements`, {
        municipalityCode: '062014',
        kind: 'event',
        occurredOn: '2026-06-02',
        note: 'やまがた移住・交流フェアで庄内地域の空き家バンクと就農支援について長く相談し、次回の現地見学を希望',
      });
      await page.goto(`${server.url}/people/${personId}`);
      await page.getByRole('heading', { level: 1, name: '統合 先子（テスト）' }).waitFor();

      // Merge: search by kana, choose the person by name, confirm naming both.
      await page.getByLabel('統合する人を検索（氏名・フリガナ・メール・電話番号）').fill('とうごう もとこ');
      await page.getByRole('button', { name: 'この記録を統合（統合 元子（テスト））' }).click();
      const merge = page.getByRole('dialog', { name: '記録を統合しますか？' });
      await merge.waitFor();
      expect(await merge.textContent()).toContain('統合 元子（テスト） の記録を 統合 先子（テスト） に統合します');
      await merge.getByRole('button', { name: '統合する' }).click();
      await expect.poll(() => page.getByText('記録を統合しました。').count()).toBeGreaterThan(0);
      expect(await page.getByText('motoko@example.jp').count()).toBeGreaterThan(0);

      // One delete action, its dialog telling deleting and erasing on request apart.
      await page.getByRole('button', { name: '削除', exact: true }).click();
      const remove = page.getByRole('dialog', { name: 'この人を削除しますか？' });
      await remove.waitFor();
      const text = (await remove.textContent()) ?? '';
      expect(text).toContain('一覧や検索に出なくなるだけの削除');
      expect(text).toContain('元に戻せません');
      await remove.getByRole('button', { name: '完全削除へ進む' }).click();
      await expect.poll(() => remove.count()).toBe(0);
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
      await page.goto(`${server.url}/people/${personId}`);
      const table = page.getByRole('table', { name: '関わりの記録' });
      await table.waitFor();
      expect(await sidewaysOverflow(page)).toBe(0);
      // Every cell of the row is inside the screen, its column named beside it.
      const outside = await table
        .locator('td')
        .evaluateAll((cells) => cells.filter((c) => c.getBoundingClientRect().right > window.innerWidth + 1).length);
      expect(outside).toBe(0);
      const scroller = await table.evaluate((t) => {
        const box = t.parentElement!;
        return box.scrollWidth - box.clientWidth;
      });
      expect(scroller).toBeLessThanOrEqual(1);
    } finally {
      await phone.close();
    }
  });
});
