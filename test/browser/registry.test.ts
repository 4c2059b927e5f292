/**
 * The public registry in headless Chromium on a phone, against the real server and a real SMTP
 * server: sign up → confirmation mail → confirm → my page (consents) → sign out and back in by a
 * mailed link → card with QR → verify the card → download my data → delete the registration →
 * my page asks to sign in again. Plus the
 * staff side: a person's stage staircase moving up after an engagement is recorded, the cards
 * panel (issue, verify, revoke), a Shift_JIS donor import and the certification it leads to.
 *
 * A confirmed sign-up gets its card at once (registry onConfirmed → cards), so the card steps are
 * required, not optional. Skipped where no Chromium is installed (the system package provides /usr/bin/chromium).
 */
import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import iconv from 'iconv-lite';
import { hasChromium, recordCspViolations, sidewaysOverflow } from '../helpers/browser';
import { useBrowserStack } from '../helpers/browser-stack';

const SUPPORTER_NAME = '応援 花子（テスト）';
const SUPPORTER_KANA = 'オウエン ハナコ';
const SUPPORTER_EMAIL = 'stack.browser.supporter@example.jp';
const PHONE = { width: 390, height: 844 };
/** A donor list as a ふるさと納税 platform exports it; the last row has an amount nobody can read. */
const DONOR_CSV = [
  '受付番号,寄附者氏名,フリガナ,メールアドレス,入金日,寄附金額,備考',
  'R4-001,寄附 一郎（テスト）,キフ イチロウ,ichiro.donor@example.jp,2022/12/01,"10,000",',
  'R5-001,寄附 一郎（テスト）,キフ イチロウ,ichiro.donor@example.jp,2023/12/01,10000,',
  'R6-001,寄附 一郎（テスト）,キフ イチロウ,ichiro.donor@example.jp,令和6年12月1日,￥10000,返礼品なし',
  'R6-002,壊れ 二郎（テスト）,コワレ ジロウ,jiro.donor@example.jp,2024/12/02,たくさん,',
].join('\r\n');

describe.skipIf(!hasChromium)('public registry and supporter page in the browser', () => {
  const stack = useBrowserStack();

  test('a supporter signs up on a phone, confirms by mail, checks their card, downloads and deletes their data', async () => {
    const context = await stack.browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: 'ja-JP',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const refusedByCsp = recordCspViolations(page);
    try {
      // The sign-up form, Japanese by default, fitting a phone (also at 360 px).
      await page.goto(`${stack.server.url}/register`);
      await page.getByRole('heading', { level: 1, name: 'ふるさとサポーター登録' }).waitFor();
      const yamagata = page.getByRole('checkbox', { name: '山形市', exact: true });
      await yamagata.waitFor();
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 360, height: 740 });
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
      await page.setViewportSize(PHONE);

      // Municipalities are grouped by region.
      expect(
        await page
          .getByRole('group', { name: '村山地域' })
          .getByRole('checkbox', { name: '山形市', exact: true })
          .count(),
      ).toBe(1);
      expect(
        await page
          .getByRole('group', { name: '庄内地域' })
          .getByRole('checkbox', { name: '鶴岡市', exact: true })
          .count(),
      ).toBe(1);

      // Every consent starts unticked; the honeypot is not there for people or screen readers.
      for (const consent of ['メールマガジンを受け取る', '選んだ市町村に連絡先を提供する', '匿名の統計に利用する']) {
        expect(await page.getByRole('checkbox', { name: consent }).isChecked()).toBe(false);
      }
      expect(await page.getByRole('textbox', { name: /ウェブサイト/ }).count()).toBe(0);
      expect(await page.locator('input[name="website"]').getAttribute('tabindex')).toBe('-1');

      await page.getByLabel('お名前', { exact: true }).fill(SUPPORTER_NAME);
      await page.getByLabel('フリガナ', { exact: true }).fill(SUPPORTER_KANA);
      await page.getByLabel('メールアドレス', { exact: true }).fill(SUPPORTER_EMAIL);

      // Sending without a municipality names the problem next to the field and moves focus there.
      await page.getByRole('button', { name: '登録する' }).click();
      await page.getByText('応援する市町村を1つ以上選んでください。').waitFor();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('name')))
        .toBe('municipalityCodes');

      await page.getByLabel('お住まいの都道府県').selectOption('東京都');
      await yamagata.check();
      await page.getByRole('checkbox', { name: '鶴岡市', exact: true }).check();
      await page.getByRole('checkbox', { name: '親の出身地' }).check();
      await page.getByRole('checkbox', { name: 'イベントに参加' }).check();
      await page.getByRole('checkbox', { name: 'メールマガジンを受け取る' }).check();
      await page.getByRole('button', { name: '登録する' }).click();
      await page.getByRole('heading', { level: 1, name: 'メールを確認してください' }).waitFor({ timeout: 15_000 });
      await page.getByText(`${SUPPORTER_EMAIL} に確認のメールを送りました。`).waitFor();

      // The confirmation mail arrives over SMTP; opening its link confirms nothing by itself.
      const mail = await stack.smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes(SUPPORTER_EMAIL) && /確認/.test(m.subject ?? ''),
      );
      expect(mail.text).toContain('山形市・鶴岡市');
      const link = (mail.text ?? '').match(/https?:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/)?.[0];
      expect(link, mail.text).toBeTruthy();
      await page.goto(link!);
      await page.getByRole('heading', { level: 1, name: '登録の確定' }).waitFor();
      expect((await page.request.get(`${stack.server.url}/api/me`)).status()).toBe(401);
      await page.getByRole('button', { name: '登録を確定する' }).click();

      // My page: the name, what is held, and the consents as given (newsletter only).
      await page.waitForURL(/\/me$/, { timeout: 15_000 });
      await page.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();
      await page.getByText(`${SUPPORTER_NAME} さん`).waitFor();
      // The page fills in as its parts load (consents, projects): each check waits for its part.
      await expect.poll(() => page.getByRole('switch', { name: 'メールマガジンを受け取る' }).isChecked()).toBe(true);
      await expect
        .poll(() => page.getByRole('switch', { name: '選んだ市町村に連絡先を提供する' }).isChecked())
        .toBe(false);
      await expect.poll(() => page.getByRole('switch', { name: '匿名の統計に利用する' }).isChecked()).toBe(false);
      await page.waitForLoadState('networkidle');
      await expect.poll(() => sidewaysOverflow(page)).toBeLessThanOrEqual(0);

      // A consent switch takes effect at once (with the supporter session's CSRF token).
      const statistics = page.getByRole('switch', { name: '匿名の統計に利用する' });
      await statistics.check();
      await page.getByText('同意の設定を保存しました。').waitFor();
      await expect.poll(() => statistics.isChecked()).toBe(true);
      const consents = (
        (await (await page.request.get(`${stack.server.url}/api/me`)).json()) as {
          consents: Array<{ purpose: string; granted: boolean }>;
        }
      ).consents;
      expect(consents.find((c) => c.purpose === 'anonymous_statistics')?.granted).toBe(true);

      // The supporter corrects their own record: the city and the language of their mails.
      const edit = page.getByRole('region', { name: '登録内容を直す' });
      await edit.getByRole('textbox', { name: 'お住まいの市区町村' }).fill('【テスト】仙台市');
      await edit.getByRole('combobox', { name: 'お知らせメールの言語' }).selectOption('en');
      await edit.getByRole('button', { name: '登録内容を保存' }).click();
      await page.getByText('登録内容を保存しました。').waitFor();
      const corrected = (await (await page.request.get(`${stack.server.url}/api/me`)).json()) as {
        person: { city: string | null };
        profile: { mailLocale: string };
      };
      expect(corrected).toMatchObject({ person: { city: '【テスト】仙台市' }, profile: { mailLocale: 'en' } });

      // The confirmation link used a second time: one clear state, the link's end, with nothing
      // left to press under it (no live 登録を確定する button beside 無効か期限切れ).
      await page.goto(link!);
      await page.getByRole('button', { name: '登録を確定する' }).click();
      const used = page.getByRole('alert').filter({ hasText: 'このリンクは無効か、有効期限が切れています。' });
      await used.waitFor();
      expect(await page.getByRole('button', { name: '登録を確定する' }).count()).toBe(0);
      expect(await page.getByText('下のボタンを押すと').count()).toBe(0);
      expect(await used.getByRole('link', { name: 'ログインする' }).count()).toBe(1);
      await page.goto(`${stack.server.url}/me`);
      await page.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();

      // Sign out, then back in with a one-time link by mail (pressing the button, not just opening it).
      await page.getByRole('button', { name: 'ログアウト' }).click();
      await page.getByRole('heading', { level: 1, name: 'マイページにログイン' }).waitFor();
      await page.getByText('ログアウトしました。').waitFor();
      await page.getByLabel('メールアドレス', { exact: true }).fill(SUPPORTER_EMAIL);
      await page.getByRole('button', { name: 'ログイン用のリンクを送る' }).click();
      await page.getByText('ご登録のあるメールアドレスであれば、ログイン用のリンクを送りました。').waitFor();
      const signInMail = await stack.smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes(SUPPORTER_EMAIL) && /確認用リンク/.test(m.subject ?? ''),
      );
      const signInLink = (signInMail.text ?? '').match(/https?:\/\/\S+\/me\/sign-in\?token=[A-Za-z0-9_-]+/)?.[0];
      expect(signInLink, signInMail.text).toBeTruthy();
      await page.goto(signInLink!);
      await page.getByRole('button', { name: 'ログインする' }).click();
      // Exactly マイページ: the sign-in page's own heading (マイページにログイン) contains it.
      await page.waitForURL(/\/me$/, { timeout: 15_000 });
      await page.getByRole('heading', { level: 1, name: 'マイページ', exact: true }).waitFor({ timeout: 15_000 });

      // The card issued on confirmation: QR image on my page (a data: URL, never inline markup).
      const cardAnswer = await page.request.get(`${stack.server.url}/api/me/card`);
      expect(cardAnswer.status()).toBe(200);
      const card = (await cardAnswer.json()) as { token: string; card: { name: string } };
      expect(card.card.name).toBe(SUPPORTER_NAME);
      const qr = page.getByRole('img', { name: 'サポーター証のQRコード' });
      await qr.waitFor({ timeout: 15_000 });
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
      expect(await qr.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      await page.getByRole('article', { name: 'ふるさとサポーター証' }).getByText('山形市・鶴岡市').waitFor();

      // Anyone checking the QR link sees "valid" with the holder's name.
      await page.goto(`${stack.server.url}/verify#${card.token}`);
      const verdict = page.locator('.verdict').first();
      await expect.poll(() => verdict.textContent(), { timeout: 15_000 }).toMatch(/有効/);
      expect(await verdict.textContent()).not.toMatch(/無効/);
      await page.getByText(SUPPORTER_NAME).first().waitFor();
      // Sign-up, mail links, my page with the card's QR image and the verify page ran under the strict CSP.
      expect(refusedByCsp).toEqual([]);

      // A tampered token pasted into the field is refused, with the reason in words.
      await page.goto(`${stack.server.url}/verify`);
      const tampered = `${card.token.slice(0, -6)}${card.token.endsWith('AAAAAA') ? 'QQQQQQ' : 'AAAAAA'}`;
      await page.getByLabel('サポーター証のコードまたはリンク').fill(`${stack.server.url}/verify#${tampered}`);
      await page.getByRole('button', { name: '確認する' }).click();
      await expect.poll(() => page.locator('.verdict').first().textContent(), { timeout: 15_000 }).toMatch(/無効/);
      await page.getByText(/改ざん・署名不正/).waitFor();

      await page.goto(`${stack.server.url}/me`);
      await page.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();

      // Download my data as JSON: a real download holding the name.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'JSON形式でダウンロード' }).click(),
      ]);
      const downloaded = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { person: { name: string } };
      expect(downloaded.person.name).toBe(SUPPORTER_NAME);

      // Delete: the button unlocks only once the confirmation word is typed.
      await page.getByRole('button', { name: '登録を削除…' }).click();
      const dialog = page.getByRole('dialog', { name: '登録を削除しますか？' });
      const confirmDelete = dialog.getByRole('button', { name: '削除する' });
      expect(await confirmDelete.isDisabled()).toBe(true);
      await dialog.getByLabel('確認のため「削除」と入力してください').fill('削除');
      await confirmDelete.click();
      await page.getByRole('heading', { level: 1, name: '登録を削除しました' }).waitFor({ timeout: 15_000 });

      // Gone: my page asks to sign in, and the sign-in request answers the same as for anyone.
      await page.goto(`${stack.server.url}/me`);
      await page.getByRole('heading', { level: 1, name: 'マイページにログイン' }).waitFor();
      await page.getByLabel('メールアドレス', { exact: true }).fill(SUPPORTER_EMAIL);
      await page.getByRole('button', { name: 'ログイン用のリンクを送る' }).click();
      await page.getByText('ご登録のあるメールアドレスであれば、ログイン用のリンクを送りました。').waitFor();
    } finally {
      await context.close();
    }
  }, 180_000);

  test('staff see the stage staircase climb after recording an engagement, and the new staff pages', async () => {
    const context = await stack.browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.server.url}/login`);
      await page.getByLabel('メールアドレス').fill(stack.server.adminEmail);
      await page.getByLabel('パスワード').fill(stack.server.adminPassword);
      await page.getByRole('button', { name: 'ログイン' }).click();
      await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor({ timeout: 15_000 });

      const session = (await (await page.request.get(`${stack.server.url}/api/auth/session`)).json()) as {
        csrfToken: string;
      };
      const created = await page.request.post(`${stack.server.url}/api/people`, {
        headers: { 'x-csrf-token': session.csrfToken },
        data: {
          name: '記録 太郎（テスト）',
          kana: 'キロク タロウ',
          links: [{ municipalityCode: '062014', kind: 'supporter' }],
        },
      });
      expect(created.status()).toBe(201);
      const person = (await created.json()) as { id: string };

      await page.goto(`${stack.server.url}/people/${person.id}`);
      await page.getByRole('heading', { level: 1, name: '記録 太郎（テスト）' }).waitFor();
      const stages = page.getByRole('region', { name: '関係の段階' });
      await stages.getByText('現在の段階：関心', { exact: false }).waitFor({ timeout: 15_000 });
      const staircase = stages.getByRole('list', { name: '山形市との関係の段階' });
      expect(await staircase.getByRole('listitem').count()).toBe(7);

      // Record an event attendance; the list shows it and the staircase moves to 交流.
      const records = page.getByRole('region', { name: '関わりの記録' });
      await records.getByLabel('種類').selectOption('event');
      await records.getByLabel('メモ').fill('やまがた移住・交流フェア');
      await records.getByRole('button', { name: '記録する' }).click();
      await records.getByText('「イベント参加」を記録しました。').waitFor({ timeout: 15_000 });
      await records.getByRole('cell', { name: 'やまがた移住・交流フェア' }).waitFor();
      await stages.getByText('現在の段階：交流', { exact: false }).waitFor({ timeout: 15_000 });
      expect(await staircase.locator('[aria-current="step"]').textContent()).toContain('交流');

      // The cards panel, where the server has the cards API: issue, then revoke with a reason.
      const cardsApi = await page.request.get(`${stack.server.url}/api/people/${person.id}/cards`);
      const cards = page.getByRole('region', { name: 'サポーター証' });
      if (cardsApi.status() === 200) {
        await cards.getByRole('button', { name: 'サポーター証を発行' }).click();
        await cards.getByText('サポーター証を発行しました。').waitFor({ timeout: 15_000 });
        await cards.getByRole('listitem').getByText('有効', { exact: true }).waitFor();
        const verifyLink = await cards.getByRole('link', { name: '発行した証を確認ページで開く' }).getAttribute('href');
        const token = verifyLink?.split('#')[1] ?? '';
        expect(token).not.toBe('');

        // Anyone can check it: the verify page says valid, with the holder's name.
        const checker = await context.newPage();
        await checker.goto(`${stack.server.url}/verify#${token}`);
        await expect.poll(() => checker.locator('.verdict').first().textContent(), { timeout: 15_000 }).toMatch(/有効/);
        await checker.getByText('記録 太郎（テスト）').waitFor();
        // The token leaves the address bar once read.
        expect(new URL(checker.url()).hash).toBe('');

        await cards.getByRole('button', { name: /を失効させる$/ }).click();
        const dialog = page.getByRole('dialog', { name: 'サポーター証を失効させますか？' });
        await dialog.getByLabel('失効の理由').selectOption('lost');
        await dialog.getByRole('button', { name: '失効させる' }).click();
        await cards.getByText(/を失効させました。$/).waitFor({ timeout: 15_000 });
        await cards.getByRole('listitem').getByText('失効', { exact: true }).waitFor();
        await cards.getByText(/ · 紛失$/).waitFor();

        // Checked again, the same card is refused, with the reason in words.
        await checker.goto(`${stack.server.url}/verify#${token}`);
        await expect.poll(() => checker.locator('.verdict').first().textContent(), { timeout: 15_000 }).toMatch(/無効/);
        await checker.getByText(/失効済み/).waitFor();
        await checker.close();
      } else {
        expect(await cards.count()).toBe(0);
      }

      // Donor import: an Excel-style Shift_JIS file, previewed, then imported; one row is refused.
      const nav = page.getByRole('navigation', { name: 'メインメニュー' });
      await nav.getByRole('link', { name: '寄附取込' }).click();
      await page.getByRole('heading', { level: 1, name: '寄附データの取込' }).waitFor();
      await page.getByLabel('寄附を受けた市町村').selectOption('062014');
      await page
        .getByLabel('CSVファイル')
        .setInputFiles({ name: '寄附者一覧.csv', mimeType: 'text/csv', buffer: iconv.encode(DONOR_CSV, 'Shift_JIS') });
      await page.getByRole('button', { name: '確認する（まだ取り込みません）' }).click();
      const preview = page.getByRole('region', { name: '2. 取り込む前の確認' });
      await preview.waitFor({ timeout: 15_000 });
      await preview.getByText('Shift_JIS (CP932)').waitFor();
      expect(await preview.getByLabel('列「入金日」を取り込む項目').inputValue()).toBe('donatedOn');
      expect(await preview.getByLabel('列「寄附金額」を取り込む項目').inputValue()).toBe('amountYen');
      // A column the file has but the import should not use is set aside in the mapping.
      await preview.getByLabel('列「備考」を取り込む項目').selectOption('');
      await preview.getByRole('button', { name: 'この対応で再確認' }).click();
      await expect
        .poll(() => preview.getByRole('row').filter({ hasText: '「寄附金額」' }).count(), { timeout: 15_000 })
        .toBe(1);
      await preview.getByRole('button', { name: '取り込む' }).click();
      await page.getByRole('dialog', { name: '取り込みますか？' }).getByRole('button', { name: '取り込む' }).click();

      const result = page.getByRole('region', { name: '3. 取込結果' });
      await result.waitFor({ timeout: 30_000 });
      const figure = (label: string) => result.locator('.stat').filter({ hasText: label }).locator('dd').textContent();
      expect(await figure('取り込めなかった行')).toBe('1');
      expect(await figure('取り込み')).toBe('3');
      await result.getByLabel('結果で絞り込み').selectOption('refused');
      await result.getByText('1行', { exact: true }).waitFor({ timeout: 15_000 });
      expect(await result.getByRole('row').filter({ hasText: '「寄附金額」' }).count()).toBe(1);

      // Three calendar years in a row: the donor is certified, listed by name.
      await nav.getByRole('link', { name: '認定者' }).click();
      await page.getByRole('heading', { level: 1, name: '山形 心のふるさと県民' }).waitFor();
      await page.getByRole('table').getByRole('link', { name: '寄附 一郎（テスト）' }).waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
    }
  }, 120_000);
});
