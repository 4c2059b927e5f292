/**
 * A fair day in headless Chromium, against the real server and a real SMTP server:
 * the admin creates a fair with a municipality's booth and a partner agency's booth, with slots
 * → a visitor registers on a phone (booking a slot, consents given separately) and gets the
 * ticket mail with its .ics and QR code → the ticket page shows the QR code → the check-in desk
 * checks the visitor in by the QR token (typed as a keyboard-wedge scanner types it), and a
 * second scan says "already checked in" → staff record a consultation at the booth, referring the
 * visitor to the partner → the partner logs in and accepts the referral → the case is moved →
 * the follow-up tasks appear on the case and the follow-ups page.
 * Skipped where no Chromium is installed (the system package provides /usr/bin/chromium).
 */
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { todayInTokyo } from '../../src/shared/dates';
import { hasChromium, sidewaysOverflow } from '../helpers/browser';
import { useBrowserStack } from '../helpers/browser-stack';

const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1024, height: 768 };
const FAIR_TITLE = 'やまがた移住・交流フェア（テスト）';
const VISITOR = { name: '移住 花子（テスト）', kana: 'イジュウ ハナコ', email: 'fair.visitor@example.jp' };
const PARTNER_ORG = '【テスト】やまがた就業支援センター';
const PARTNER = { name: '連携 次郎（テスト）', email: 'partner.staff@example.jp', password: 'partner-password-2025' };
const YAMAGATA_CITY = '062014';

describe.skipIf(!hasChromium)('a fair day in the browser', () => {
  const stack = useBrowserStack();

  async function logIn(context: BrowserContext, email: string, password: string, landing: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${stack.server.url}/login`);
    await page.getByLabel('メールアドレス').fill(email);
    await page.getByLabel('パスワード').fill(password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { level: 1, name: landing }).waitFor({ timeout: 15_000 });
    return page;
  }

  test('create a fair → register on a phone → check in by QR → consult at a booth → partner accepts → moved → follow-ups', async () => {
    const today = todayInTokyo();
    const staff = await stack.browser.newContext({ locale: 'ja-JP', viewport: TABLET, acceptDownloads: true });
    const phone = await stack.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'ja-JP' });
    const partnerContext = await stack.browser.newContext({
      locale: 'ja-JP',
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const admin = await logIn(staff, stack.server.adminEmail, stack.server.adminPassword, 'ダッシュボード');

      // A partner agency and its staff account (the admin's API; organizations have no page yet).
      const { csrfToken } = (await (await admin.request.get(`${stack.server.url}/api/auth/session`)).json()) as {
        csrfToken: string;
      };
      const orgAnswer = await admin.request.post(`${stack.server.url}/api/organizations`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { name: PARTNER_ORG, kind: 'partner_agency' },
      });
      expect(orgAnswer.status()).toBe(201);
      const org = (await orgAnswer.json()) as { id: string };
      const staffAnswer = await admin.request.post(`${stack.server.url}/api/staff`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { ...PARTNER, role: 'partner', organizationId: org.id },
      });
      expect(staffAnswer.status()).toBe(201);

      // --- The admin creates the fair: a booth for 山形市 and one for the partner, four slots each.
      const nav = admin.getByRole('navigation', { name: 'メインメニュー' });
      await nav.getByRole('link', { name: 'イベント', exact: true }).click();
      await admin.getByRole('heading', { level: 1, name: 'イベント' }).waitFor();
      await admin.getByRole('link', { name: 'イベントを作成' }).click();
      await admin.getByRole('heading', { level: 1, name: 'イベントを作成' }).waitFor();
      await admin.getByLabel('種類').selectOption('fair');
      await admin.getByLabel('イベント名').fill(FAIR_TITLE);
      await admin.getByLabel('開始日時').fill(`${today}T00:00`);
      await admin.getByLabel('終了日時').fill(`${today}T23:59`);
      await admin.getByLabel('会場').fill('東京交通会館 12階（テスト）');
      await admin.getByLabel('定員', { exact: true }).fill('300');
      await admin.getByLabel('市町村のブースを追加').selectOption(YAMAGATA_CITY);
      await admin.getByLabel('連携機関のブースを追加').selectOption(org.id);
      await expect
        .poll(() =>
          admin
            .getByRole('listitem')
            .filter({ has: admin.getByRole('heading', { level: 3 }) })
            .count(),
        )
        .toBe(2);
      const layout = admin.getByRole('group', { name: '全ブースの相談枠をまとめて作る' });
      await layout.getByLabel('開始').fill('10:00');
      await layout.getByLabel('終了').fill('12:00');
      await layout.getByLabel('1枠の長さ（分）').fill('30');
      await layout.getByRole('button', { name: '全ブースに4枠ずつ作る' }).click();
      await admin.getByText('各ブースに4枠を作りました。保存すると反映されます。').waitFor();
      await admin.getByRole('button', { name: '作成する' }).click();
      await admin.getByRole('heading', { level: 1, name: FAIR_TITLE }).waitFor({ timeout: 15_000 });
      await admin.getByText(`「${FAIR_TITLE}」を保存しました。`).waitFor();
      const eventId = new URL(admin.url()).pathname.split('/').pop()!;
      expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
      const booths = admin.getByRole('region', { name: 'ブース（2）' });
      await booths.getByText('相談枠 4枠（10:00〜12:00）・予約 0/4').first().waitFor();

      // --- A visitor registers on a phone, booking 山形市's 10:30 slot.
      const visitor = await phone.newPage();
      await visitor.goto(`${stack.server.url}/events`);
      await visitor.getByRole('heading', { level: 1, name: 'イベント・相談会' }).waitFor();
      expect(await sidewaysOverflow(visitor)).toBeLessThanOrEqual(0);
      await visitor.getByRole('link', { name: FAIR_TITLE }).click();
      await visitor.getByRole('heading', { level: 1, name: FAIR_TITLE }).waitFor();
      expect(await sidewaysOverflow(visitor)).toBeLessThanOrEqual(0);
      // Consents start unticked; the honeypot is out of reach.
      for (const consent of ['メールマガジンを受け取る', '選んだ市町村に連絡先を提供する', '匿名の統計に利用する']) {
        expect(await visitor.getByRole('checkbox', { name: consent }).isChecked()).toBe(false);
      }
      expect(await visitor.locator('input[name="website"]').getAttribute('tabindex')).toBe('-1');

      // Sending it empty names the missing fields and moves focus to the first.
      await visitor.getByRole('button', { name: '申し込む' }).click();
      await visitor.getByText('フリガナを入力してください。').waitFor();
      await expect.poll(() => visitor.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('name');

      await visitor.getByLabel('お名前', { exact: true }).fill(VISITOR.name);
      await visitor.getByLabel('フリガナ', { exact: true }).fill(VISITOR.kana);
      await visitor.getByLabel('メールアドレス', { exact: true }).fill(VISITOR.email);
      await visitor.getByLabel('お住まいの都道府県').selectOption('東京都');
      await visitor.getByLabel('お住まいの市区町村').fill('世田谷区');
      // Booths are folded on a phone: open 山形市's, then book.
      await visitor.locator('summary', { hasText: '山形市' }).click();
      await visitor
        .getByRole('group', { name: '山形市', exact: true })
        .getByRole('radio', { name: /^10:30/ })
        .check();
      await visitor.getByText('市町村を選ぶ', { exact: true }).click();
      await visitor.getByRole('checkbox', { name: '山形市', exact: true }).check();
      await visitor.getByRole('checkbox', { name: '選んだ市町村に連絡先を提供する' }).check();
      await visitor.getByRole('button', { name: '申し込む' }).click();
      await visitor.getByRole('heading', { level: 1, name: 'お申し込みを受け付けました' }).waitFor({ timeout: 15_000 });
      await visitor.getByText(`${VISITOR.email} に受付票（QRコード）をお送りしました。`).waitFor();
      await visitor.getByText('相談の予約：山形市 10:30').waitFor();

      // The ticket mail: the ticket link, the calendar file and the QR code.
      const mail = await stack.smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes(VISITOR.email) && (m.subject ?? '').includes(FAIR_TITLE),
      );
      const ticketLink = (mail.text ?? '').match(/https?:\/\/\S+\/tickets\/([A-Za-z0-9_-]+)/);
      expect(ticketLink, mail.text).toBeTruthy();
      const token = ticketLink![1]!;
      expect(mail.attachments.map((a) => a.filename).sort()).toEqual(['checkin-qr.png', 'event.ics']);
      expect(mail.attachments.find((a) => a.filename === 'event.ics')!.content.toString('utf8')).toContain(
        'BEGIN:VEVENT',
      );

      // The ticket page greets by the full name, as the mail does, and shows the event and the QR code (a data: URL image, never inline markup).
      await visitor.goto(ticketLink![0]!);
      await visitor.getByRole('heading', { level: 1, name: '受付票' }).waitFor();
      await visitor.getByRole('article').getByText(`${VISITOR.name} 様`).waitFor();
      const qr = visitor.getByRole('img', { name: '受付用のQRコード' });
      await qr.waitFor({ timeout: 15_000 });
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
      expect(await sidewaysOverflow(visitor)).toBeLessThanOrEqual(0);

      // --- The check-in desk on a tablet: the scanner types the token and Enter.
      await admin.getByRole('link', { name: '受付（チェックイン）' }).click();
      await admin.getByRole('heading', { level: 1, name: `受付：${FAIR_TITLE}` }).waitFor();
      const field = admin.getByLabel('QRコードを読み取る、または名前・フリガナで探す');
      await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
      await admin.keyboard.type(token);
      await admin.keyboard.press('Enter');
      const feedback = admin.locator('.checkin-feedback');
      await feedback.getByText('受付しました').waitFor({ timeout: 15_000 });
      await feedback.getByText(`${VISITOR.name} さん`).waitFor();
      await feedback.getByText('相談予約：山形市 10:30').waitFor();
      await admin.getByText('受付済み 1人 / 申込 1人').waitFor();
      // Focus stays in the field for the next visitor; a second scan is refused kindly.
      await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await field.inputValue()).toBe('');
      await admin.keyboard.type(token);
      await admin.keyboard.press('Enter');
      await feedback.getByText(/^受付済みです（\d{1,2}:\d{2}）$/).waitFor({ timeout: 15_000 });
      await admin.getByText('受付済み 1人 / 申込 1人').waitFor();
      // Name search finds them too, already checked in.
      await field.fill('いじゅう');
      await admin
        .getByRole('region', { name: '名前で探した結果' })
        .getByText(/^受付済み \d{1,2}:\d{2}$/)
        .waitFor({ timeout: 15_000 });

      // The ticket now says the visitor has been checked in.
      await visitor.reload();
      await visitor.getByText(/受付済みです。ご来場ありがとうございます。/).waitFor({ timeout: 15_000 });

      // --- Attendance: the visitor came, booked 山形市, and has no follow-up yet.
      await admin.getByRole('link', { name: 'イベントの画面へ' }).click();
      await admin.getByRole('heading', { level: 1, name: FAIR_TITLE }).waitFor();
      const attendance = admin.getByRole('region', { name: '参加状況' });
      await attendance
        .locator('.stat')
        .filter({ hasText: '来場・相談記録なし' })
        .getByText('1', { exact: true })
        .waitFor({ timeout: 15_000 });
      await admin
        .getByRole('region', { name: '参加者' })
        .getByRole('link', { name: VISITOR.name, exact: true })
        .waitFor();

      // --- A consultation at 山形市's booth, referring the visitor to the partner.
      await admin.getByRole('link', { name: 'このブースで相談を記録（山形市）' }).click();
      await admin.getByRole('heading', { level: 1, name: '相談を記録' }).waitFor();
      await expect.poll(() => admin.getByLabel('イベント', { exact: true }).inputValue()).toBe(eventId);
      await expect.poll(() => admin.getByLabel('ブース', { exact: true }).inputValue()).not.toBe('');
      await expect.poll(() => admin.getByLabel('相談チャネル').inputValue()).toBe('fair');
      await admin.getByLabel('相談者を探す（氏名・フリガナ・メール・電話番号）').fill('ｲｼﾞｭｳ ﾊﾅｺ');
      await admin
        .getByRole('radio', { name: new RegExp(VISITOR.name.replace(/[()（）]/g, '.')) })
        .check({ timeout: 15_000 });
      await admin.getByText(`選択中：${VISITOR.name}`).waitFor();
      await admin.getByRole('checkbox', { name: '仕事', exact: true }).check();
      await admin.getByRole('checkbox', { name: '住まい', exact: true }).check();
      await admin.getByLabel('移住の希望時期').selectOption('within_1_year');
      await admin.getByLabel('相談メモ').fill('IT系のリモートワーク。雪の暮らしが不安。');
      await admin.getByLabel('次にすること').fill('空き家バンクの物件情報を送る');
      await admin.getByRole('checkbox', { name: '連携機関・市町村へ紹介する' }).check();
      await admin.getByLabel('紹介先の機関').selectOption(org.id);
      await admin.getByLabel('支援の分野').selectOption('jobs');
      await admin.getByLabel('紹介先への依頼内容').fill('IT系の求人をご紹介ください。');
      await admin.getByRole('button', { name: '相談を記録する' }).click();
      const saved = admin.getByRole('status').filter({ hasText: 'の相談を記録しました' });
      await saved
        .getByText(
          `${VISITOR.name} さんの相談を記録しました（ケース：初回相談）。 新しいケースを開始しました。 紹介を送りました。`,
        )
        .waitFor({ timeout: 15_000 });
      const caseHref = await saved.getByRole('link', { name: 'ケースを開く' }).getAttribute('href');
      expect(caseHref).toMatch(/^\/cases\/[0-9a-f-]{36}$/);
      // The form is ready for the next visitor: the search focused, the booth kept (the person just saved stays chosen until another is picked).
      expect(
        await admin
          .getByLabel('相談者を探す（氏名・フリガナ・メール・電話番号）')
          .evaluate((el) => el === document.activeElement),
      ).toBe(true);
      expect(await admin.getByLabel('イベント', { exact: true }).inputValue()).toBe(eventId);

      // --- The partner sees only their inbox, with the visitor's contact, and accepts.
      const partner = await logIn(partnerContext, PARTNER.email, PARTNER.password, '受け取った紹介');
      const partnerNav = partner.getByRole('navigation', { name: 'メインメニュー' });
      // On a phone the menu is folded behind its button.
      await partnerNav.getByRole('button', { name: 'メニュー' }).click();
      // Partner accounts also post their organization's projects (receiving organizations, issue 11).
      expect(await partnerNav.getByRole('link').allTextContents()).toEqual([
        '受け取った紹介',
        'プロジェクト',
        'アカウント',
      ]);
      const referral = partner.getByRole('article', { name: new RegExp(`^${VISITOR.name.replace(/[()（）]/g, '.')}`) });
      await referral.waitFor({ timeout: 15_000 });
      await referral.getByRole('link', { name: VISITOR.email }).waitFor();
      await referral.getByText('IT系の求人をご紹介ください。').waitFor();
      await referral.getByText('未対応').waitFor();
      await referral.getByRole('button', { name: '受け付ける' }).click();
      await referral.getByText('受付済み').waitFor({ timeout: 15_000 });
      expect(await sidewaysOverflow(partner)).toBeLessThanOrEqual(0);

      // --- Back at the center: the case shows the accepted referral; the visitor moves to 山形市.
      await admin.goto(`${stack.server.url}${caseHref}`);
      await admin.getByRole('heading', { level: 1, name: `${VISITOR.name} さんのケース` }).waitFor();
      const referrals = admin.getByRole('region', { name: '紹介（オール山形）' });
      await referrals.getByText('受付済み').waitFor();
      const pipeline = admin.getByRole('list', { name: 'ケースの段階' });
      expect(await pipeline.locator('[aria-current="step"]').textContent()).toContain('初回相談');
      const addStep = admin.getByRole('form', { name: '次の段階を記録' });
      await addStep.getByLabel('次の段階').selectOption('moved');
      await addStep.getByLabel('移住先の市町村').selectOption(YAMAGATA_CITY);
      await addStep.getByLabel('転入日').fill(today);
      await addStep.getByRole('button', { name: '記録する' }).click();
      await admin
        .getByText(/^「移住」を記録しました。フォローアップを\d+件作成しました。$/)
        .waitFor({ timeout: 15_000 });
      expect(await pipeline.locator('[aria-current="step"]').textContent()).toContain('移住');

      // --- The follow-up tasks appear: on the case, and on the follow-ups page as upcoming.
      const followups = admin.getByRole('region', { name: '移住後のフォローアップ' });
      await followups.getByRole('heading', { name: '移住1か月後のフォローアップ' }).waitFor();
      await admin
        .getByRole('navigation', { name: 'メインメニュー' })
        .getByRole('link', { name: 'フォローアップ', exact: true })
        .click();
      await admin.getByRole('heading', { level: 1, name: '移住後のフォローアップ' }).waitFor();
      const upcoming = admin.getByRole('region', { name: /^今後の予定/ });
      await upcoming
        .getByRole('heading', { name: `${VISITOR.name} · 移住1か月後のフォローアップ` })
        .waitFor({ timeout: 15_000 });

      // The person's page shows the whole way on one timeline.
      await admin.goto(`${stack.server.url}/people`);
      await admin.getByLabel('検索（氏名・フリガナ・メール・電話番号）').fill(VISITOR.email);
      await admin.getByLabel('検索（氏名・フリガナ・メール・電話番号）').press('Enter');
      await admin.getByRole('table').getByRole('link', { name: VISITOR.name }).click();
      const timeline = admin.getByRole('region', { name: '相談・ケース' });
      await timeline.getByText('段階：移住（山形市）').waitFor({ timeout: 15_000 });
      await timeline.getByText(/^相談：移住フェア — (仕事・住まい|住まい・仕事)$/).waitFor();

      // The day shows in the needs analysis, and the tables download as Excel.
      await admin.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '相談の分析' }).click();
      await admin.getByRole('heading', { level: 1, name: '相談の分析' }).waitFor();
      const figure = (label: string) =>
        admin.locator('.analysis > .stats .stat').filter({ hasText: label }).locator('dd');
      await expect.poll(() => figure('相談件数').textContent(), { timeout: 15_000 }).toBe('1');
      expect(await figure('移住').textContent()).toBe('1');
      await admin.getByText('相談者の居住地の割合：首都圏 100%').waitFor();
      const [xlsx] = await Promise.all([
        admin.waitForEvent('download'),
        admin.getByRole('link', { name: 'Excel（.xlsx）でダウンロード' }).click(),
      ]);
      expect(
        fs
          .readFileSync((await xlsx.path())!)
          .subarray(0, 2)
          .toString('latin1'),
      ).toBe('PK');
    } finally {
      await staff.close();
      await phone.close();
      await partnerContext.close();
    }
  }, 240_000);
});
