/**
 * The audit log reads in Japanese in headless Chromium: record kinds and actions as words (人,
 * 人の情報を変更 …), the count as 「N件の結果」, and a change as field: old → new. Skipped where no
 * Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser, signInAsAdmin } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

describe.skipIf(!hasChromium)('the audit log in Japanese', () => {
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

  test('shows kinds, actions and changes as words', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      const csrfToken = await signInAsAdmin(page, server);
      const headers = { 'x-csrf-token': csrfToken };
      const created = await page.request.post(`${server.url}/api/people`, {
        headers,
        data: {
          name: '監査 確認（テスト）',
          kana: 'カンサ カクニン',
          city: '山形市',
          links: [{ municipalityCode: '062014', kind: 'supporter' }],
        },
      });
      expect(created.status()).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const changed = await page.request.patch(`${server.url}/api/people/${id}`, { headers, data: { city: '酒田市' } });
      expect(changed.status()).toBe(200);

      await page.goto(`${server.url}/audit?personId=${id}`);
      await page.getByRole('heading', { level: 1, name: '監査ログ' }).waitFor();
      await expect.poll(() => page.locator('.result-count').textContent()).toMatch(/^\d+件の結果$/);
      const table = page.getByRole('table', { name: '監査ログ（新しい順）' });
      const update = table.getByRole('row').filter({ hasText: '酒田市' });
      await expect.poll(() => update.count()).toBe(1);
      const cells = await update.getByRole('cell').allTextContents();
      expect(
        cells.some((c) => /^人(\s|$)/.test(c)),
        cells.join(' | '),
      ).toBe(true);
      expect(cells.join(' ')).toContain('市区町村：山形市 → 酒田市');
      // No internal codes in the words a staffer reads.
      expect(cells.join(' ')).not.toMatch(/person\.update|\bperson\b/);
    } finally {
      await context.close();
    }
  });
});
