/**
 * Signing up for an event on a phone, in headless Chromium against the real server and a real SMTP
 * server, with the minimum form fill time switched on as in production: the booths read as
 * expandable groups (a visible marker, the free count), a form sent too fast (autofill and a quick
 * press) keeps what was typed and goes through when pressed again, the ticket greets the registrant
 * by the full name as the mail does, and English readers see the event's English title, booths named
 * by the English name staff gave in the event form or else by their municipality's English name,
 * prefectures and the map credit in English.
 * Skipped where no Chromium is installed.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, sidewaysOverflow, signInAsAdmin } from '../helpers/browser';
import { useBrowserStack } from '../helpers/browser-stack';

const PHONE = { width: 390, height: 844 };
const TITLE = 'やまがた移住フェア（申込テスト）';
const TITLE_EN = 'Yamagata Migration Fair (sign-up test)';
/** Long enough that filling the form by script is surely faster (even on a busy machine), short enough to wait for once. */
const MIN_FILL_MS = 20_000;

describe.skipIf(!hasChromium)('event sign-up on a phone', () => {
  const stack = useBrowserStack({ minFormFillMs: MIN_FILL_MS });

  async function createFair(): Promise<string> {
    const { server, browser } = stack;
    const staff = await browser.newContext({ locale: 'ja-JP' });
    try {
      const admin: Page = await staff.newPage();
      const csrfToken = await signInAsAdmin(admin, server);
      const slot = (from: string, to: string, capacity = 1) => ({
        startsAt: `2027-02-06T${from}:00+09:00`,
        endsAt: `2027-02-06T${to}:00+09:00`,
        capacity,
      });
      const created = await admin.request.post(`${server.url}/api/events`, {
        headers: { 'x-csrf-token': csrfToken },
        data: {
          kind: 'fair',
          title: TITLE,
          titleEn: TITLE_EN,
          description: '県内の市町村が集まる相談会です。',
          descriptionEn: 'Meet the municipalities of Yamagata.',
          startsAt: '2027-02-06T11:00:00+09:00',
          endsAt: '2027-02-06T17:00:00+09:00',
          venue: '東京交通会館（テスト）',
          capacity: 100,
          booths: [
            {
              name: '山形市ブース',
              municipalityCode: '062014',
              slots: [slot('11:00', '11:30'), slot('11:30', '12:00')],
            },
            { name: 'しごと相談（連携機関）', slots: [slot('13:00', '13:30')] },
            { name: 'ふるさと回帰支援センター', slots: [slot('14:00', '14:30')] },
          ],
        },
      });
      expect(created.status()).toBe(201);
      const id = ((await created.json()) as { id: string }).id;

      // The third booth gets its English name the way staff give it: in the event form.
      await admin.goto(`${server.url}/manage/events/${id}/edit`);
      const english = admin.getByLabel('ブース名（英語）');
      await english.first().waitFor();
      expect(await english.count()).toBe(3);
      await english.nth(2).fill('Furusato Kaiki Support Center');
      await admin.getByRole('button', { name: '保存', exact: true }).click();
      await admin.getByText(`「${TITLE}」を保存しました。`).waitFor();
      return id;
    } finally {
      await staff.close();
    }
  }

  test('booths as groups, a too-fast press kept and sent again, the ticket greeting the full name', async () => {
    const { server, smtp, browser } = stack;
    const eventId = await createFair();
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'ja-JP' });
    try {
      const page = await phone.newPage();
      await page.goto(`${server.url}/events/${eventId}`);
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();

      // Each booth is a closed group showing its name, how many slots are free, and a marker that it opens.
      const booth = page.locator('details.booth-group').filter({ hasText: '山形市ブース' });
      const summary = booth.locator('summary');
      expect((await summary.textContent())?.replace(/\s+/g, ' ')).toBe('山形市ブース 空き 2／2 枠');
      const marker = await summary.evaluate((el) => {
        const style = getComputedStyle(el, '::before');
        return { content: style.content, width: Number.parseFloat(style.borderLeftWidth) };
      });
      expect(marker.content).not.toBe('none');
      expect(marker.width).toBeGreaterThan(0);
      // Japanese pages keep the Japanese name of a booth that also has an English one.
      expect(await page.locator('details.booth-group > summary', { hasText: 'ふるさと回帰支援センター' }).count()).toBe(
        1,
      );
      expect(await page.getByText('Furusato Kaiki Support Center').count()).toBe(0);
      expect(await booth.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
      await summary.click();
      expect(await booth.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
      await page.getByRole('group', { name: '山形市ブース' }).getByRole('radio', { name: /11:00/ }).check();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

      // Filled at once, as autofill does, and sent straight away.
      await page.getByLabel('お名前', { exact: true }).fill('移住 花子（テスト）');
      await page.getByLabel('フリガナ', { exact: true }).fill('イジュウ ハナコ');
      await page.getByLabel('メールアドレス', { exact: true }).fill('quick.hanako@example.jp');
      await page.getByLabel('お住まいの都道府県').selectOption('東京都');
      await page.getByLabel('お住まいの市区町村').fill('世田谷区');
      await page.getByRole('button', { name: '申し込む' }).click();

      // Refused for now: the message says to press again (not to reload), and nothing typed is lost.
      const alert = page.locator('.alert-error').filter({ hasText: '送信が早すぎます' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('もう一度送信ボタンを押してください');
      expect(await alert.textContent()).not.toContain('再読み込み');
      expect(await page.getByLabel('お名前', { exact: true }).inputValue()).toBe('移住 花子（テスト）');
      expect(await page.getByLabel('お住まいの都道府県').inputValue()).toBe('東京都');
      expect(await page.getByRole('radio', { name: /11:00/ }).isChecked()).toBe(true);

      // A moment later, pressing again is all it takes.
      await page.waitForTimeout(MIN_FILL_MS);
      await page.getByRole('button', { name: '申し込む' }).click();
      await page.getByRole('heading', { level: 1, name: 'お申し込みを受け付けました' }).waitFor();

      // The mail greets by the full name; so does the ticket page it links to.
      const mail = await smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes('quick.hanako@example.jp'));
      expect(mail.text).toContain('移住 花子（テスト） 様');
      const link = (mail.text ?? '').match(/https?:\/\/\S+\/tickets\/[A-Za-z0-9_-]+/)![0];
      await page.goto(link);
      await page.getByRole('heading', { level: 2, name: TITLE }).waitFor();
      await page.getByText('移住 花子（テスト） 様', { exact: true }).waitFor();
    } finally {
      await phone.close();
    }
  }, 120_000);

  test('English readers see the English title, booths, prefectures and map credit', async () => {
    const { server, browser } = stack;
    const eventId = await createFair();
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'en-GB' });
    try {
      const page = await phone.newPage();
      await page.goto(`${server.url}/events`);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Events and consultation days' }).waitFor();
      await page.getByRole('link', { name: TITLE_EN }).first().waitFor();
      await page.goto(`${server.url}/events/${eventId}`);
      await page.getByRole('heading', { level: 1, name: TITLE_EN }).waitFor();
      await page.getByText('Meet the municipalities of Yamagata.').waitFor();

      // A booth with an English name shows it; a municipality's booth is named by the municipality
      // in English; a booth with neither keeps its Japanese name.
      const summaries = await page.locator('details.booth-group > summary').allTextContents();
      expect(summaries.map((s) => s.replace(/\s+/g, ' '))).toEqual([
        'Yamagata-shi 2 of 2 slots free',
        'しごと相談（連携機関） 1 of 1 slots free',
        'Furusato Kaiki Support Center 1 of 1 slots free',
      ]);
      expect(await page.getByText('Yamagata-shi, しごと相談（連携機関）, Furusato Kaiki Support Center').count()).toBe(
        1,
      );
      expect(await page.getByText('ふるさと回帰支援センター').count()).toBe(0);

      // Prefectures read in English; the value sent stays the Japanese name the server knows.
      const prefecture = page.getByLabel('Prefecture you live in');
      expect(await prefecture.locator('option', { hasText: 'Tokyo' }).count()).toBe(1);
      await prefecture.selectOption({ label: 'Tokyo' });
      expect(await prefecture.inputValue()).toBe('東京都');

      // The boundary map's required Japanese credit comes with its English translation.
      await page.getByText('Choose municipalities').click();
      await page.getByText('Choose on the map').click();
      const credit = page.locator('.map-picker-map .credit');
      await credit.waitFor();
      expect(await credit.locator('[lang="ja"]').textContent()).toContain('国土数値情報');
      expect(await credit.textContent()).toContain('National Land Numerical Information');
    } finally {
      await phone.close();
    }
  }, 120_000);
});
