/**
 * Accessibility of the public journeys, in headless Chromium against the real server and a real
 * SMTP server: every page a supporter meets — sign-up, the mail's confirmation link (ready, and
 * used up), my page, the event list, an event's sign-up form, the sent page, the ticket, and the
 * supporter card's check — is checked with axe-core against WCAG 2.x A/AA, on a phone and on a
 * desktop; a serious or critical violation fails the test, naming the page, rule and elements.
 * Skipped where no Chromium is installed.
 */
import { describe, expect, test } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { expectNoSeriousViolations } from '../helpers/axe';
import { hasChromium, signInAsAdmin } from '../helpers/browser';
import { useBrowserStack } from '../helpers/browser-stack';

const TITLE = 'アクセシビリティ確認フェア（テスト）';

const SCREENS: Array<{ name: string; options: BrowserContextOptions }> = [
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
];

describe.skipIf(!hasChromium)('accessibility of the public journeys', () => {
  const stack = useBrowserStack();
  let eventId = '';

  async function createFair(): Promise<string> {
    const { server, browser } = stack;
    const staff = await browser.newContext({ locale: 'ja-JP' });
    try {
      const admin: Page = await staff.newPage();
      const csrfToken = await signInAsAdmin(admin, server);
      const slot = (from: string, to: string) => ({
        startsAt: `2027-02-06T${from}:00+09:00`,
        endsAt: `2027-02-06T${to}:00+09:00`,
        capacity: 2,
      });
      const created = await admin.request.post(`${server.url}/api/events`, {
        headers: { 'x-csrf-token': csrfToken },
        data: {
          kind: 'fair',
          title: TITLE,
          description: '県内の市町村が集まる相談会です。',
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
            { name: '鶴岡市ブース', municipalityCode: '062031', slots: [slot('13:00', '13:30')] },
          ],
        },
      });
      expect(created.status()).toBe(201);
      return ((await created.json()) as { id: string }).id;
    } finally {
      await staff.close();
    }
  }

  for (const screen of SCREENS) {
    test(`every page of the supporter and event journeys on a ${screen.name} has no serious violation`, async () => {
      const { server, smtp, browser } = stack;
      if (!eventId) eventId = await createFair();
      const email = `a11y.${screen.name}@example.jp`;
      const context = await browser.newContext({ ...screen.options, locale: 'ja-JP' });
      const page = await context.newPage();
      const check = (label: string) => expectNoSeriousViolations(page, `${label} (${screen.name})`);
      try {
        // Sign-up form, with the map picker open, then refused once so the error states are checked too.
        await page.goto(`${server.url}/register`);
        await page.getByRole('heading', { level: 1, name: 'ふるさとサポーター登録' }).waitFor();
        await page.getByRole('checkbox', { name: '山形市', exact: true }).waitFor();
        await check('sign-up form');
        await page.getByRole('button', { name: '登録する' }).click();
        await page.locator('[aria-invalid="true"]').first().waitFor();
        await check('sign-up form with errors');
        await page.getByText('地図から選ぶ').click();
        await page.locator('.map-picker-map svg').waitFor();
        await check('sign-up form with the map');

        await page.getByLabel('お名前', { exact: true }).fill('確認 花子（テスト）');
        await page.getByLabel('フリガナ', { exact: true }).fill('カクニン ハナコ');
        await page.getByLabel('メールアドレス', { exact: true }).fill(email);
        await page.getByRole('checkbox', { name: '山形市', exact: true }).check();
        await page.getByRole('button', { name: '登録する' }).click();
        await page.getByRole('heading', { level: 1, name: 'メールを確認してください' }).waitFor();
        await check('sign-up sent');

        // The confirmation link: ready, then used up.
        const mail = await smtp.waitFor(
          (m) => JSON.stringify(m.to ?? '').includes(email) && /確認/.test(m.subject ?? ''),
        );
        const confirmLink = (mail.text ?? '').match(/https?:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/)![0];
        await page.goto(confirmLink);
        await page.getByRole('button', { name: '登録を確定する' }).waitFor();
        await check('confirmation link');
        await page.getByRole('button', { name: '登録を確定する' }).click();
        await page.waitForURL(/\/me$/, { timeout: 15_000 });
        await page.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();
        await page.getByRole('img', { name: 'サポーター証のQRコード' }).waitFor();
        await check('my page');
        const verifyLink = await page.getByRole('link', { name: '確認ページでこの証を開く' }).getAttribute('href');

        await page.goto(confirmLink);
        await page.getByRole('button', { name: '登録を確定する' }).click();
        await page.getByRole('alert').filter({ hasText: '無効か' }).waitFor();
        expect(await page.getByRole('button', { name: '登録を確定する' }).count()).toBe(0);
        await check('used confirmation link');

        // The supporter card's check, as a shop scanning the QR code opens it.
        await page.goto(new URL(verifyLink!, server.url).href);
        await page.locator('.verdict-valid').waitFor();
        await check('card verify');

        // Events: the list, one event's form with a booth open, the sent page and the ticket.
        await page.goto(`${server.url}/events`);
        await page.getByRole('link', { name: TITLE }).waitFor();
        await check('event list');
        await page.getByRole('link', { name: TITLE }).click();
        await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
        await check('event sign-up form');
        await page.locator('details.booth-group > summary').first().click();
        await page.getByRole('radio', { name: /11:00/ }).check();
        await page.getByRole('button', { name: '申し込む' }).click();
        await page.locator('[aria-invalid="true"]').first().waitFor();
        await check('event sign-up form with errors');
        await page.getByLabel('お名前', { exact: true }).fill('確認 花子（テスト）');
        await page.getByLabel('フリガナ', { exact: true }).fill('カクニン ハナコ');
        await page.getByLabel('メールアドレス', { exact: true }).fill(email);
        await page.getByLabel('お住まいの都道府県').selectOption('東京都');
        await page.getByLabel('お住まいの市区町村').fill('世田谷区');
        await page.getByRole('button', { name: '申し込む' }).click();
        await page.getByRole('heading', { level: 1, name: 'お申し込みを受け付けました' }).waitFor();
        await check('event sign-up sent');

        const ticketMail = await smtp.waitFor(
          (m) => JSON.stringify(m.to ?? '').includes(email) && /お申し込み受付/.test(m.subject ?? ''),
        );
        const ticketLink = (ticketMail.text ?? '').match(/https?:\/\/\S+\/tickets\/[A-Za-z0-9_-]+/)![0];
        await page.goto(ticketLink);
        await page.getByRole('img', { name: '受付用のQRコード' }).waitFor();
        await check('ticket');

        // The same event in English (lang="en" on the page, Japanese parts marked as such).
        await page.goto(`${server.url}/events/${eventId}`);
        await page.getByRole('button', { name: 'English' }).click();
        await page.getByRole('heading', { level: 2, name: 'Register', exact: true }).waitFor();
        await check('event sign-up form in English');
      } finally {
        await context.close();
      }
    }, 180_000);
  }
});
