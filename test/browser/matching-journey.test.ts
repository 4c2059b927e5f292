/**
 * The matching journey of issue 11 in headless Chromium, against the real server and a real SMTP
 * server: a coordinator registers a regional issue, brushes it up (a second version with its
 * difference), publishes it and cuts a project from it → a newcomer on a phone finds the project,
 * is sent to sign up and comes back to it after confirming by mail, taps 興味ある, applies with
 * an answer and turns on scouting on their page → the coordinator sees them as a candidate with
 * the reasons in words, finds the same pair in a proposal across all projects and accepts it,
 * introduces, logs accompaniment, reaches collaborating → the person's stage with 山形市 is 協働
 * on their page, and the supporter's page shows the match (and takes the 興味ある back). Then the
 * receiving organization's readiness is confirmed and a training recorded.
 * The coordinator also scouts the candidate, who answers 興味あり from the mail's link on the phone.
 * axe checks every page of the journey (no serious or critical WCAG 2.x A/AA violation).
 */
import { describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { expectNoSeriousViolations } from '../helpers/axe';
import { hasChromium, recordCspViolations, sidewaysOverflow } from '../helpers/browser';
import { useBrowserStack } from '../helpers/browser-stack';

const ISSUE_TITLE = '商店街のネット販売を立ち上げたい（テスト）';
const PROJECT_ORG = '山形市中心商店街振興組合（テスト）';
const SUPPORTER_NAME = '副業 太郎（テスト）';
const SUPPORTER_EMAIL = 'matching.journey.supporter@example.jp';
const QUESTION = '関わりたい理由を教えてください';
const YAMAGATA_CITY = '062014';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe.skipIf(!hasChromium)('matching journey in the browser', () => {
  const stack = useBrowserStack();

  async function logIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${stack.server.url}/login`);
    await page.getByLabel('メールアドレス', { exact: true }).fill(stack.server.adminEmail);
    await page.getByLabel('パスワード', { exact: true }).fill(stack.server.adminPassword);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByRole('heading', { level: 1, name: 'ダッシュボード' }).waitFor({ timeout: 15_000 });
    return page;
  }

  test('issue brushed up and published → project → a supporter on a phone applies → match reaches 協働', async () => {
    const staffContext = await stack.browser.newContext({ locale: 'ja-JP', viewport: DESKTOP });
    const phoneContext = await stack.browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: 'ja-JP',
    });
    try {
      const staff = await logIn(staffContext);
      const staffCsp = recordCspViolations(staff);
      // The receiving organization (organizations have no page of their own yet: the admin's API).
      const { csrfToken } = (await (await staff.request.get(`${stack.server.url}/api/auth/session`)).json()) as {
        csrfToken: string;
      };
      const orgAnswer = await staff.request.post(`${stack.server.url}/api/organizations`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { name: PROJECT_ORG, kind: 'community' },
      });
      expect(orgAnswer.status(), await orgAnswer.text()).toBe(201);
      const org = (await orgAnswer.json()) as { id: string };

      // --- A regional issue is registered from the staff navigation.
      const nav = staff.getByRole('navigation', { name: 'メインメニュー' });
      await nav.getByRole('link', { name: 'マッチング', exact: true }).click();
      await staff.getByRole('heading', { level: 1, name: '地域課題' }).waitFor();
      await expectNoSeriousViolations(staff, 'regional issues list');
      await staff.getByRole('link', { name: '地域課題を登録' }).click();
      await staff.getByRole('heading', { level: 1, name: '地域課題を登録' }).waitFor();
      await staff.getByLabel('タイトル', { exact: true }).fill(ISSUE_TITLE);
      await staff.getByLabel('テーマ', { exact: true }).selectOption('dx');
      await staff.getByLabel('市町村', { exact: true }).selectOption(YAMAGATA_CITY);
      await staff.getByLabel('背景', { exact: true }).fill('商店街の店主が高齢になり、ネットでの販売に手が回らない。');
      await staff.getByLabel('求めるスキル', { exact: true }).fill('EC、写真撮影');
      await staff.getByLabel('月あたりの時間', { exact: true }).fill('10');
      await staff.getByLabel('リモートの割合（%）', { exact: true }).fill('80');
      await expectNoSeriousViolations(staff, 'regional issue form');
      await staff.getByRole('button', { name: '保存' }).click();
      await staff.getByRole('heading', { level: 1, name: ISSUE_TITLE }).waitFor({ timeout: 15_000 });
      await staff.getByText('第1版', { exact: false }).first().waitFor();

      // --- Brushed up: the edit is version 2, the history shows what changed.
      await staff.getByRole('link', { name: '磨き上げる（編集）' }).click();
      await staff.getByRole('heading', { level: 1, name: `${ISSUE_TITLE} を磨き上げる` }).waitFor();
      await expect.poll(() => staff.getByLabel('月あたりの時間', { exact: true }).inputValue()).toBe('10');
      await staff
        .getByLabel('背景', { exact: true })
        .fill('商店街の店主が高齢になり、ネット販売と商品写真の担い手を探している。');
      await staff.getByLabel('月あたりの時間', { exact: true }).fill('12');
      await staff.getByRole('button', { name: '保存' }).click();
      await staff.getByRole('heading', { level: 1, name: ISSUE_TITLE }).waitFor({ timeout: 15_000 });
      const history = staff.getByRole('region', { name: '版の履歴' });
      await history.getByRole('heading', { level: 3, name: /^第2版/ }).waitFor();
      const diff = history.getByRole('table').first();
      await diff.getByRole('row', { name: /月あたりの時間\s*10\s*12/ }).waitFor();
      await diff.getByRole('rowheader', { name: '背景' }).waitFor();

      // --- Moved forward and published; a comment.
      await staff.getByRole('button', { name: '「磨き上げ中」にする' }).click();
      await staff.getByRole('button', { name: '「公開」にする' }).waitFor();
      expect(await staff.getByRole('button', { name: '「提起」にする' }).count()).toBe(0);
      await staff.getByRole('button', { name: '「公開」にする' }).click();
      await staff.getByRole('button', { name: '「マッチ済み」にする' }).waitFor();
      await staff.getByRole('textbox', { name: 'コメント' }).fill('商店街の組合が受け入れ窓口になる。');
      await staff.getByRole('button', { name: 'コメントする' }).click();
      await staff.getByText('商店街の組合が受け入れ窓口になる。').waitFor();
      await history.getByRole('heading', { level: 3, name: /^第4版/ }).waitFor();
      await expectNoSeriousViolations(staff, 'regional issue page');

      // --- A project cut from the issue starts from its fields; published.
      await staff.getByRole('link', { name: 'この課題からプロジェクトを作る' }).click();
      await staff.getByRole('heading', { level: 1, name: 'プロジェクトを作成' }).waitFor();
      await expect.poll(() => staff.getByLabel('タイトル', { exact: true }).inputValue()).toBe(ISSUE_TITLE);
      expect(await staff.getByLabel('必須スキル', { exact: true }).inputValue()).toBe('EC、写真撮影');
      await staff.getByLabel('タイトル', { exact: true }).fill(`${ISSUE_TITLE}：ECサイト担当（副業）`);
      await staff.getByLabel('必須スキル', { exact: true }).fill('EC');
      await staff.getByLabel('歓迎スキル', { exact: true }).fill('写真撮影');
      await staff.getByLabel('種類', { exact: true }).selectOption('side_job');
      await staff.getByLabel('受け入れ団体', { exact: true }).selectOption({ label: PROJECT_ORG });
      await staff.getByLabel('募集人数（枠）', { exact: true }).fill('2');
      await staff.getByLabel('応募時の質問', { exact: true }).fill(QUESTION);
      await expectNoSeriousViolations(staff, 'project form');
      await staff.getByRole('button', { name: '保存' }).click();
      const projectTitle = `${ISSUE_TITLE}：ECサイト担当（副業）`;
      await staff.getByRole('heading', { level: 1, name: projectTitle }).waitFor({ timeout: 15_000 });
      const projectId = new URL(staff.url()).pathname.split('/').pop()!;
      expect(projectId).toMatch(/^[0-9a-f-]{36}$/);
      await staff.getByRole('button', { name: '公開する' }).click();
      await staff.getByRole('link', { name: '公開ページを見る' }).waitFor();

      // --- A newcomer on a phone finds it, is sent to sign up, and comes back after the mail.
      const phone = await phoneContext.newPage();
      const phoneCsp = recordCspViolations(phone);
      await phone.goto(`${stack.server.url}/projects`);
      await phone.getByRole('heading', { level: 1, name: '地域のプロジェクト' }).waitFor();
      const card = phone.getByRole('article', { name: projectTitle });
      await card.waitFor({ timeout: 15_000 });
      await card.getByText('残り2枠').waitFor();
      expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
      await expectNoSeriousViolations(phone, 'public projects list');
      await card.getByRole('link', { name: projectTitle }).click();
      await phone.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
      await phone.getByText(PROJECT_ORG).waitFor();
      expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
      await expectNoSeriousViolations(phone, 'public project page (signed out)');
      await phone.getByRole('button', { name: 'サポーター登録して応募する' }).click();
      await phone.getByRole('heading', { level: 1, name: 'ふるさとサポーター登録' }).waitFor();
      await phone.getByLabel('お名前', { exact: true }).fill(SUPPORTER_NAME);
      await phone.getByLabel('フリガナ', { exact: true }).fill('フクギョウ タロウ');
      await phone.getByLabel('メールアドレス', { exact: true }).fill(SUPPORTER_EMAIL);
      await phone.getByLabel('お住まいの都道府県', { exact: true }).selectOption('東京都');
      await phone.getByRole('checkbox', { name: '山形市', exact: true }).check();
      await phone.getByRole('checkbox', { name: '副業・兼業で関わる' }).check();
      await phone.getByLabel('生かせるスキル・経験', { exact: true }).fill('EC、ウェブ制作');
      await phone.getByRole('button', { name: '登録する' }).click();
      await phone.getByRole('heading', { level: 1, name: 'メールを確認してください' }).waitFor({ timeout: 15_000 });
      const mail = await stack.smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes(SUPPORTER_EMAIL) && /確認/.test(m.subject ?? ''),
      );
      const link = (mail.text ?? '').match(/https?:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/)?.[0];
      expect(link, mail.text).toBeTruthy();
      await phone.goto(link!);
      await phone.getByRole('button', { name: '登録を確定する' }).click();
      await phone.waitForURL(new RegExp(`/projects/${projectId}$`), { timeout: 15_000 });
      await phone.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
      await phone.getByText(`${SUPPORTER_NAME} さんとしてサインイン中`).waitFor();

      // One tap 興味ある, then the application with the answer.
      await phone.getByRole('button', { name: '興味ある' }).click();
      await phone.getByText('「興味ある」を伝えました。マイページから取り消せます。').waitFor();
      await phone.getByRole('button', { name: '興味あり（登録済み）' }).waitFor();
      await expectNoSeriousViolations(phone, 'public project page (signed in)');
      // Sending without the required answer names the problem at the question.
      await phone.getByRole('button', { name: '応募する', exact: true }).click();
      await phone.getByText('回答を入力してください。').waitFor();
      await phone.getByLabel(QUESTION).fill('ECサイトの運営経験を商店街で生かしたいからです。');
      await phone.getByRole('button', { name: '応募する', exact: true }).click();
      await phone.getByText(/応募しました（応募中）/).waitFor({ timeout: 15_000 });
      await phone.getByText('このプロジェクトには応募済みです（応募中）。').waitFor();

      // On their page: the interest and the application; scouting turned on.
      await phone.goto(`${stack.server.url}/me`);
      await phone.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();
      const projects = phone.getByRole('region', { name: 'プロジェクト' });
      await projects.getByText('応募中', { exact: false }).first().waitFor();
      await projects.getByRole('button', { name: `取り消す: ${projectTitle}` }).waitFor();
      const scouting = phone.getByRole('switch', { name: 'プロジェクトの紹介（スカウト）を受け取る' });
      expect(await scouting.isChecked()).toBe(false);
      await scouting.check();
      await phone.getByText('同意の設定を保存しました。').waitFor();
      expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
      await expectNoSeriousViolations(phone, 'supporter page with projects');

      // --- The coordinator sees the candidate with the reasons in words and makes the match.
      await staff.goto(`${stack.server.url}/manage/projects/${projectId}`);
      await staff.getByRole('heading', { level: 1, name: projectTitle }).waitFor();
      const candidates = staff.getByRole('region', { name: '候補者' });
      const candidate = candidates.getByRole('article', { name: SUPPORTER_NAME });
      await candidate.waitFor({ timeout: 15_000 });
      const reasons = candidate.getByRole('list', { name: '理由' });
      await reasons.getByText('必須スキル', { exact: true }).waitFor();
      await reasons.getByText(/必須スキルあり: EC/).waitFor();
      await reasons.getByText('+20点').first().waitFor();
      await reasons.getByText('市町村とのつながり', { exact: true }).waitFor();
      // The applicant with the answer, their contact given once they applied.
      const applications = staff.getByRole('region', { name: '応募' });
      await applications.getByText('ECサイトの運営経験を商店街で生かしたいからです。').waitFor();
      await applications.getByText(SUPPORTER_EMAIL, { exact: false }).waitFor();
      // The coordinator scouts the candidate: ticked, a message, one mail with the answer links.
      await candidate.getByRole('checkbox', { name: `${SUPPORTER_NAME}を選ぶ` }).check();
      await candidates.getByLabel('メッセージ', { exact: true }).fill('ECの経験をぜひ商店街で。');
      await candidates.getByRole('button', { name: 'スカウトを送る' }).click();
      await candidates.getByText('1人にスカウトを送りました。').waitFor();
      const scouts = staff.getByRole('region', { name: '送ったスカウト' });
      await scouts.getByRole('row', { name: new RegExp(`${SUPPORTER_NAME}.*返信待ち`) }).waitFor();
      await expectNoSeriousViolations(staff, 'project page with candidates');
      const scoutMail = await stack.smtp.waitFor((m) => (m.subject ?? '').includes('スカウト'));
      const scoutLink = (scoutMail.text ?? '').match(/https?:\/\/\S+\/scouts\/[A-Za-z0-9_-]+\?answer=interested/)?.[0];
      expect(scoutLink, scoutMail.text).toBeTruthy();
      // The supporter opens 興味あり on the phone: nothing is recorded until they press the button.
      await phone.goto(scoutLink!);
      await phone.getByText('ECの経験をぜひ商店街で。').waitFor();
      expect(await phone.getByRole('radio', { name: '興味あり（関心を伝える）' }).isChecked()).toBe(true);
      expect(await sidewaysOverflow(phone)).toBeLessThanOrEqual(0);
      await expectNoSeriousViolations(phone, 'scout reply page');
      await phone.getByRole('button', { name: '返事を送る' }).click();
      await phone.getByText('「興味あり」とお伝えしました。', { exact: false }).waitFor();
      // Back to the supporter's page, where the journey continues.
      await phone.goto(`${stack.server.url}/me`);
      await phone.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();
      await staff.reload();
      await scouts.getByRole('row', { name: new RegExp(`${SUPPORTER_NAME}.*興味あり`) }).waitFor();
      // The same pair comes out of a proposal across all open projects; accepted pair by pair,
      // the match carries the proposal's score and reasons.
      await staff.goto(`${stack.server.url}/proposals`);
      await staff.getByRole('heading', { level: 1, name: '全プロジェクトでの提案' }).waitFor();
      await staff.getByRole('button', { name: '提案を作る' }).click();
      await staff.getByRole('heading', { level: 2, name: /^合計点/ }).waitFor({ timeout: 30_000 });
      const pair = staff.getByRole('article', { name: `${SUPPORTER_NAME} × ${projectTitle}` });
      await pair
        .getByRole('list', { name: '理由' })
        .getByText(/必須スキルあり: EC/)
        .waitFor();
      await expectNoSeriousViolations(staff, 'proposal across all projects');
      await pair.getByRole('button', { name: 'この組を採用' }).click();
      await pair.getByRole('link', { name: 'マッチを開く' }).click();
      await staff.getByRole('heading', { level: 1, name: `${SUPPORTER_NAME} × ${projectTitle}` }).waitFor();
      const pipeline = staff.getByRole('list', { name: 'マッチングの段階' });
      await pipeline.locator('[aria-current="step"]').getByText('提案').waitFor();
      await staff
        .getByRole('region', { name: 'マッチの理由（点数の内訳）' })
        .getByText(/必須スキルあり: EC/)
        .waitFor();
      await expectNoSeriousViolations(staff, 'match page');

      // Forward only: the buttons are the next rung and ending; introduced, accompaniment, agreed, collaborating.
      expect(await staff.getByRole('button', { name: '「合意」に進める' }).count()).toBe(0);
      await staff.getByRole('button', { name: '「紹介」に進める' }).click();
      await pipeline.locator('[aria-current="step"]').getByText('紹介').waitFor();
      const log = staff.getByRole('region', { name: '伴走支援の記録' });
      await log.getByLabel('種類', { exact: true }).selectOption('meeting');
      await log.getByLabel('メモ', { exact: true }).fill('オンラインで顔合わせ。役割分担を確認した。');
      await log.getByLabel('次にすること', { exact: true }).fill('商品写真の撮影日を決める');
      await log.getByLabel('期限', { exact: true }).fill('2099-12-31');
      await log.getByRole('button', { name: '記録する' }).click();
      const timeline = log.getByRole('list', { name: '伴走支援の記録' });
      await timeline.getByText('オンラインで顔合わせ。役割分担を確認した。').waitFor();
      await timeline.getByText('次: 商品写真の撮影日を決める（2099/12/31まで）').waitFor();
      await staff.getByRole('button', { name: '「合意」に進める' }).click();
      await pipeline.locator('[aria-current="step"]').getByText('合意').waitFor();
      await staff.getByRole('button', { name: '「協働」に進める' }).click();
      await pipeline.locator('[aria-current="step"]').getByText('協働').waitFor();
      await staff.getByRole('button', { name: '「自走」に進める' }).waitFor();
      await expectNoSeriousViolations(staff, 'match page at collaborating');

      // --- The stage follows: 協働 with 山形市 on the person's page, without anyone typing it.
      await staff.getByRole('link', { name: `人: ${SUPPORTER_NAME}` }).click();
      await staff.getByRole('heading', { level: 1, name: SUPPORTER_NAME }).waitFor();
      const stages = staff.getByRole('region', { name: '関係の段階' });
      await stages.getByText(/現在の段階：協働/).waitFor({ timeout: 15_000 });
      await expectNoSeriousViolations(staff, 'person page with the stage');

      // ... and the supporter's page shows the match at 協働.
      await phone.reload();
      await phone.getByRole('heading', { level: 1, name: 'マイページ' }).waitFor();
      await projects.getByText(/協働（/).waitFor();
      // The 興味ある is taken back on the supporter's page.
      await projects.getByRole('button', { name: `取り消す: ${projectTitle}` }).click();
      await phone.getByText('取り消しました。').waitFor({ timeout: 15_000 });
      await projects.getByText('興味ありのプロジェクトはありません。').waitFor();

      // --- The receiving side: the organization's readiness confirmed, a training recorded.
      await staff.goto(`${stack.server.url}/receiving?organization=${org.id}`);
      await staff.getByRole('heading', { level: 1, name: '受け入れ体制と研修' }).waitFor();
      const readiness = staff.getByRole('region', { name: '受け入れ体制' });
      await readiness.getByText('まだ確認されていません。').waitFor();
      // Kankei's own records already show the published project.
      await readiness.getByText('（記録上: あり）').waitFor();
      await readiness.getByRole('checkbox', { name: '担当者がいる' }).check();
      await readiness.getByRole('checkbox', { name: '受け入れ計画がある' }).check();
      await readiness.getByRole('button', { name: '確認済みにする' }).click();
      await readiness.getByText(/に確認$/).waitFor();
      const trainings = staff.getByRole('region', { name: '研修・アドバイザー派遣' });
      await trainings.getByLabel('テーマ', { exact: true }).fill('副業人材の受け入れ研修（テスト）');
      await trainings.getByLabel('参加者数', { exact: true }).fill('18');
      await trainings.getByRole('checkbox', { name: PROJECT_ORG }).check();
      await trainings.getByRole('button', { name: '記録する' }).click();
      await trainings.getByRole('rowheader', { name: '副業人材の受け入れ研修（テスト）' }).waitFor();
      await expectNoSeriousViolations(staff, 'readiness and trainings');

      expect(staffCsp).toEqual([]);
      expect(phoneCsp).toEqual([]);
    } finally {
      await staffContext.close();
      await phoneContext.close();
    }
    // About a minute on an idle machine; CI shares two cores with the other browser tests.
  }, 180_000);
});
