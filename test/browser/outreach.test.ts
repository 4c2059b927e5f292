/**
 * Outreach in headless Chromium, checked with axe: a scout mail's unsubscribe link opened on a
 * phone leads to the page (nothing withdrawn yet), whose one button withdraws the consent; the
 * segment page counts people as filters change and saves a segment. Skipped where no Chromium is
 * installed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { unsubscribeToken } from '../../src/modules/outreach/outreach.unsubscribe.js';
import { expectNoSeriousViolations } from '../helpers/axe';
import { hasChromium, launchBrowser, signInAsAdmin } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

describe.skipIf(!hasChromium)('outreach pages', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let personId: string;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  test('the segment page counts, saves and lists a segment (desktop, Japanese)', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      const csrfToken = await signInAsAdmin(page, server);
      const created = await page.request.post(`${server.url}/api/people`, {
        headers: { 'x-csrf-token': csrfToken },
        data: {
          name: '配信 停止（テスト）',
          kana: 'ハイシン テイシ',
          email: 'browser.unsubscribe@example.jp',
          links: [{ municipalityCode: '062014', kind: 'supporter' }],
        },
      });
      expect(created.status()).toBe(201);
      personId = ((await created.json()) as { id: string }).id;
      await server.db.execute(
        sql`insert into consents (person_id, purpose, granted, source) values (${personId}, 'scouting', true, 'self_service')`,
      );

      await page.goto(`${server.url}/segments`);
      await page.getByRole('heading', { level: 1, name: 'セグメント' }).waitFor();
      await expect.poll(() => page.getByText(/^該当：\d+人$/).count()).toBe(1);
      await page.getByRole('checkbox', { name: 'プロジェクトの紹介（スカウト）' }).check();
      await expect.poll(() => page.getByText('該当：1人').count()).toBe(1);
      await expectNoSeriousViolations(page, 'segment builder');
      await page.getByLabel('セグメント名').fill('スカウト同意者');
      await page.getByRole('button', { name: 'この条件で保存' }).click();
      await page.getByText('「スカウト同意者」を保存しました。').waitFor();
      await page.getByRole('button', { name: 'スカウト同意者' }).click();
      await page.getByRole('heading', { name: 'スカウト同意者（1人）' }).waitFor();
      await expectNoSeriousViolations(page, 'saved segment');
    } finally {
      await context.close();
    }
  });

  test('the unsubscribe link opens a phone page whose one button withdraws the consent', async () => {
    const token = await unsubscribeToken(server.db, personId, 'scouting');
    const context = await browser.newContext({
      locale: 'ja-JP',
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    const page = await context.newPage();
    try {
      await page.goto(`${server.url}/api/public/unsubscribe?token=${token}`);
      await page.getByRole('heading', { level: 1, name: '配信の停止' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'プロジェクトのご案内（スカウト）' }).waitFor();
      await expectNoSeriousViolations(page, 'unsubscribe page');
      const withdrawn = async () =>
        (
          (await server.db.execute(
            sql`select count(*)::int as n from consents where person_id = ${personId} and granted = false`,
          )) as unknown as { rows: Array<{ n: number }> }
        ).rows[0]!.n;
      expect(await withdrawn()).toBe(0);
      await page.getByRole('button', { name: '配信を停止する' }).click();
      await page.getByText('「プロジェクトのご案内（スカウト）」の配信を停止しました。', { exact: false }).waitFor();
      expect(await withdrawn()).toBe(1);
      await expectNoSeriousViolations(page, 'unsubscribed');
    } finally {
      await context.close();
    }
  });
});
