/**
 * Cancelling event registrations in headless Chromium, against the real server and a real SMTP
 * server: a registrant cancels on the ticket page from the mail (a confirmation dialog first; the
 * ticket then says it is cancelled), and staff cancel another registration from the event's
 * attendance list — each frees the place. Skipped where no Chromium is installed.
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, sidewaysOverflow, signInAsAdmin } from '../helpers/browser';
import { useBrowserStack } from '../helpers/browser-stack';

const PHONE = { width: 390, height: 844 };
const TITLE = '取消テスト 移住セミナー';

describe.skipIf(!hasChromium)('cancelling event registrations in the browser', () => {
  const stack = useBrowserStack();

  test('the registrant cancels on the ticket page; staff cancel from the attendance list; the places are freed', async () => {
    const { server, smtp, browser } = stack;
    const staff = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 } });
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'ja-JP' });
    try {
      const admin: Page = await staff.newPage();
      const csrfToken = await signInAsAdmin(admin, server);
      const created = await admin.request.post(`${server.url}/api/events`, {
        headers: { 'x-csrf-token': csrfToken },
        data: {
          kind: 'seminar',
          title: TITLE,
          startsAt: '2027-03-06T13:00:00+09:00',
          endsAt: '2027-03-06T15:00:00+09:00',
          venue: 'オンライン併用会場（テスト）',
          capacity: 10,
        },
      });
      expect(created.status()).toBe(201);
      const event = (await created.json()) as { id: string };
      const register = async (name: string, kana: string, email: string) => {
        const { formToken } = (await (
          await phone.request.get(`${server.url}/api/public/registration-form`)
        ).json()) as { formToken: string };
        const res = await phone.request.post(`${server.url}/api/public/events/${event.id}/registrations`, {
          data: {
            name,
            kana,
            email,
            prefecture: '東京都',
            city: '港区',
            consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
            formToken,
          },
        });
        expect(res.status()).toBe(201);
        return smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes(email));
      };
      const mail = await register('取消 花子（テスト）', 'トリケシ ハナコ', 'cancel.visitor@example.jp');
      await register('窓口 太郎（テスト）', 'マドグチ タロウ', 'desk.cancel@example.jp');
      const registered = async () =>
        (
          (await (await admin.request.get(`${server.url}/api/events/${event.id}`)).json()) as {
            registeredCount: number;
          }
        ).registeredCount;
      expect(await registered()).toBe(2);

      // --- The registrant opens the ticket from the mail and cancels, after a confirmation.
      const link = (mail.text ?? '').match(/https?:\/\/\S+\/tickets\/[A-Za-z0-9_-]+/)![0];
      const visitor = await phone.newPage();
      await visitor.goto(link);
      await visitor.getByRole('heading', { level: 2, name: TITLE }).waitFor();
      await visitor.getByRole('button', { name: '参加をキャンセルする' }).click();
      const dialog = visitor.getByRole('dialog', { name: '参加をキャンセルしますか？' });
      await dialog.waitFor();
      expect(await sidewaysOverflow(visitor)).toBeLessThanOrEqual(0);
      // Changing one's mind keeps the place.
      await dialog.getByRole('button', { name: '参加する（戻る）' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await registered()).toBe(2);
      await visitor.getByRole('button', { name: '参加をキャンセルする' }).click();
      await dialog.getByRole('button', { name: 'キャンセルする', exact: true }).click();
      await visitor.getByRole('status').filter({ hasText: 'お申し込みをキャンセルしました。' }).waitFor();
      await visitor.getByText('このお申し込みはキャンセルされています。').waitFor();
      expect(await visitor.getByRole('img', { name: '受付用のQRコード' }).count()).toBe(0);
      expect(await visitor.getByRole('button', { name: '参加をキャンセルする' }).count()).toBe(0);
      expect(await registered()).toBe(1);

      // --- Staff cancel the other registration from the attendance list.
      await admin.goto(`${server.url}/manage/events/${event.id}`);
      await admin.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      const people = admin.getByRole('region', { name: '参加者' });
      await people
        .getByRole('row', { name: /取消 花子/ })
        .getByText('キャンセル')
        .waitFor();
      expect(await people.getByRole('button', { name: '取消 花子（テスト） さんの申し込みを取り消す' }).count()).toBe(
        0,
      );
      await people.getByRole('button', { name: '窓口 太郎（テスト） さんの申し込みを取り消す' }).click();
      const confirm = admin.getByRole('dialog', { name: '申し込みを取り消しますか？' });
      await confirm.getByText('窓口 太郎（テスト） さんの申し込みを取り消します。', { exact: false }).waitFor();
      await confirm.getByRole('button', { name: '取り消す', exact: true }).click();
      await admin
        .getByRole('status')
        .filter({ hasText: '窓口 太郎（テスト） さんの申し込みを取り消しました。' })
        .waitFor();
      await expect.poll(() => people.getByRole('button', { name: /さんの申し込みを取り消す$/ }).count()).toBe(0);
      expect(await registered()).toBe(0);
    } finally {
      await staff.close();
      await phone.close();
    }
  }, 120_000);
});
