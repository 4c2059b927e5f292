/**
 * The people list (関係者) in headless Chromium: filters by stage and by consent beside the
 * municipality and the kind of tie, columns that sort (name: kana order; registered: newest ↔
 * oldest) with aria-sort, demo people marked 【デモ】, and the CSV link carrying the filters.
 * Skipped where no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { people } from '../../src/modules/people/people.tables';
import { hasChromium, launchBrowser, signInAsAdmin } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

describe.skipIf(!hasChromium)('the people list', () => {
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

  async function signIn(page: Page): Promise<string> {
    return signInAsAdmin(page, server);
  }

  const names = (page: Page) => page.locator('tbody th[scope="row"] a').allTextContents();

  test('filters by stage and consent, sorts by its columns and marks demo people', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      const csrfToken = await signIn(page);
      const post = async (url: string, data: unknown) => {
        const res = await page.request.post(`${server.url}${url}`, { headers: { 'x-csrf-token': csrfToken }, data });
        expect(res.status(), await res.text()).toBe(201);
        return (await res.json()) as { id: string };
      };
      // Registered in this order: う, あ, い (kana order differs from registration order).
      const u = await post('/api/people', {
        name: '上野 一覧',
        kana: 'ウエノ イチラン',
        links: [{ municipalityCode: '062014', kind: 'interest' }],
      });
      const a = await post('/api/people', {
        name: '青木 一覧',
        kana: 'アオキ イチラン',
        links: [{ municipalityCode: '062014', kind: 'supporter' }],
      });
      const i = await post('/api/people', { name: '井上 一覧', kana: 'イノウエ イチラン', links: [] });
      await post(`/api/people/${a.id}/engagements`, {
        municipalityCode: '062014',
        kind: 'volunteering',
        occurredOn: '2025-06-01',
      });
      await post(`/api/people/${i.id}/engagements`, {
        municipalityCode: '062031',
        kind: 'event',
        occurredOn: '2025-06-01',
      });
      // A demo person, as the demo data marks them.
      const { eq } = await import('drizzle-orm');
      await server.db.update(people).set({ isDemo: 1 }).where(eq(people.id, u.id));

      await page.goto(`${server.url}/people`);
      await page.getByRole('heading', { level: 1, name: '関係者' }).waitFor({ timeout: 15_000 });
      await expect.poll(() => names(page)).toEqual(['井上 一覧', '青木 一覧', '上野 一覧']);
      const registered = page.getByRole('columnheader', { name: /登録日/ });
      expect(await registered.getAttribute('aria-sort')).toBe('descending');
      // The demo person carries its mark in the list.
      await expect.poll(() => page.getByRole('row', { name: /上野 一覧/ }).textContent()).toContain('【デモ】');

      // Sorting by the name column: kana order.
      await page.getByRole('columnheader', { name: /氏名/ }).getByRole('button').click();
      await expect.poll(() => names(page)).toEqual(['青木 一覧', '井上 一覧', '上野 一覧']);
      expect(new URL(page.url()).searchParams.get('sort')).toBe('kana');
      expect(await page.getByRole('columnheader', { name: /氏名/ }).getAttribute('aria-sort')).toBe('ascending');
      // The registered column: oldest first, then newest again.
      await registered.getByRole('button').click();
      await expect.poll(() => names(page)).toEqual(['井上 一覧', '青木 一覧', '上野 一覧']);
      await registered.getByRole('button').click();
      await expect.poll(() => names(page)).toEqual(['上野 一覧', '青木 一覧', '井上 一覧']);
      expect(await registered.getAttribute('aria-sort')).toBe('ascending');

      // Stage: 関与 is 青木 (volunteering); 交流 is 井上 (an event).
      await page.getByLabel('段階').selectOption('involvement');
      await expect.poll(() => names(page)).toEqual(['青木 一覧']);
      await page.getByLabel('段階').selectOption('exchange');
      await expect.poll(() => names(page)).toEqual(['井上 一覧']);
      const csv = await page.getByRole('link', { name: /CSV/ }).first().getAttribute('href');
      expect(new URL(csv!, server.url).searchParams.get('stage')).toBe('exchange');
      await page.getByLabel('段階').selectOption('');

      // Consent: nobody has said yes to the newsletter yet.
      await page.getByLabel('同意（はい）').selectOption('newsletter');
      await expect.poll(() => page.locator('.result-count').textContent()).toMatch(/0/);
      expect(await names(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
