/**
 * The KPI journey in headless Chromium: the prefecture admin opens the plan's figures for a fiscal
 * year with its depth views, writes the prefecture's assessment of each indicator, records the
 * committee's opinion and approves the evaluation; then anyone, on a phone, reads the approved
 * figures on the public page — with no serious axe-core violation on either page. Skipped where no
 * Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser, recordCspViolations, sidewaysOverflow, signInAsAdmin } from '../helpers/browser';
import { expectNoSeriousViolations } from '../helpers/axe';
import { startTestServer } from '../helpers/server';
import { SEED_001_PLAN } from '../../src/modules/kpi/kpi.plans';

const YAMAGATA = '062014';
const PEOPLE = 12;

describe.skipIf(!hasChromium)('KPI evaluation and publication', () => {
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

  test('staff evaluate FY2025 on /kpi and approve it; the public page shows the approved figures on a phone', async () => {
    const staff = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    const page = await staff.newPage();
    const csp = recordCspViolations(page);
    try {
      const csrfToken = await signInAsAdmin(page, server);
      const post = async (url: string, data: object) => {
        const res = await page.request.post(`${server.url}${url}`, { headers: { 'x-csrf-token': csrfToken }, data });
        expect(res.status(), `${url}: ${await res.text()}`).toBe(201);
        return (await res.json()) as { id: string };
      };
      await post('/api/kpi/plans', SEED_001_PLAN);
      // 【デモ】-free synthetic records: twelve supporters of Yamagata City volunteering in FY2025.
      for (let i = 0; i < PEOPLE; i++) {
        const person = await post('/api/people', {
          name: `評価 テスト${i}`,
          kana: 'ヒョウカ テスト',
          links: [{ municipalityCode: YAMAGATA, kind: 'supporter' }],
        });
        await post(`/api/people/${person.id}/engagements`, {
          municipalityCode: YAMAGATA,
          kind: 'volunteering',
          occurredOn: '2025-06-01',
        });
      }

      await page.goto(`${server.url}/kpi?fy=2025&plan=seed-001`);
      await page.getByRole('heading', { level: 1, name: '計画の数値目標（KPI）' }).waitFor();
      // Depth: the twelve stepped from nothing known into 関与 in FY2025.
      const transitions = page.getByTestId('kpi-transitions');
      await transitions.waitFor();
      const cell = await transitions.locator('tbody tr').first().locator('td').nth(3).textContent();
      expect(cell?.trim()).toBe(String(PEOPLE));
      // By roots: none of the twelve declared being born there, so nobody moves in that view.
      await page.getByLabel('ルーツで絞り込む').selectOption('birthplace');
      await expect.poll(() => transitions.locator('tbody tr').first().locator('td').nth(3).textContent()).toBe('·');
      await page.getByLabel('ルーツで絞り込む').selectOption('');
      await expect
        .poll(() => transitions.locator('tbody tr').first().locator('td').nth(3).textContent())
        .toBe(String(PEOPLE));
      await page.getByTestId('kpi-cohorts').waitFor();
      await page.getByRole('heading', { name: '2025年度の評価（施策評価報告書）' }).waitFor();
      await expectNoSeriousViolations(page, 'staff /kpi with depth and evaluation');

      // The assessment of each indicator, saved one by one.
      const forms = page.locator('form.commentary');
      await expect.poll(() => forms.count()).toBe(4);
      for (let i = 0; i < 4; i++) {
        const form = forms.nth(i);
        await form.locator('textarea').fill(`指標${i + 1}の評価：ボランティアの受入れが進んだ。\n来年度も継続する。`);
        await form.getByRole('button', { name: '評価を保存' }).click();
        await form.getByRole('status').waitFor();
      }
      // The committee's opinion on the plan as a whole.
      const opinion = page.getByRole('form', { name: '意見を記録' });
      await opinion.getByLabel('意見の日付').fill('2026-09-10');
      await opinion.getByLabel('意見を述べた人・会議').fill('山形県関係人口推進有識者会議');
      await opinion.getByLabel('意見', { exact: true }).fill('計画全体として概ね順調である。');
      await opinion.getByRole('button', { name: '意見を記録' }).click();
      await page.getByTestId('kpi-opinions').getByText('計画全体として概ね順調である。').waitFor();

      await page.getByRole('button', { name: 'この評価を承認する' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('承認後は変更できません').waitFor();
      await dialog.getByRole('button', { name: '承認する' }).click();
      await expect.poll(() => page.getByTestId('kpi-eval-state').textContent()).toBe('承認済み');
      expect(await page.locator('form.commentary').count()).toBe(0);
      await expectNoSeriousViolations(page, 'staff /kpi after approval');

      // The plan changes afterwards: a later year's target may, the approved year's may not.
      const editTitle = `計画「${SEED_001_PLAN.nameJa}」を変更`;
      await page.getByRole('button', { name: editTitle }).click();
      const edit = page.getByRole('region', { name: editTitle });
      const target2025 = edit.getByLabel('2025年度の目標（増加分）').nth(1);
      await target2025.fill('999');
      await edit.getByRole('button', { name: '変更を保存' }).click();
      await edit.getByText('2025年度の評価が承認・公表済み', { exact: false }).first().waitFor();
      await target2025.fill('204');
      await edit.getByLabel('2026年度の目標（増加分）').nth(1).fill('260');
      await edit.getByRole('button', { name: '変更を保存' }).click();
      await page.getByText(`計画「${SEED_001_PLAN.nameJa}」の変更を保存しました。`).waitFor();
      await expectNoSeriousViolations(page, 'staff /kpi after a plan change');
      expect(csp).toEqual([]);
    } finally {
      await staff.close();
    }

    const phone = await browser.newContext({
      locale: 'ja-JP',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const pub = await phone.newPage();
    try {
      await pub.goto(`${server.url}/kpi/public`);
      await pub.getByRole('heading', { level: 1, name: '関係人口・移住の数値目標と実績' }).waitFor({ timeout: 15_000 });
      await pub.getByText('2025年度の報告書').waitFor();
      await expect
        .poll(() => pub.getByTestId('public-kpi-relationship_created-actual').textContent())
        .toBe(String(PEOPLE));
      await pub.getByText('指標2の評価：ボランティアの受入れが進んだ。', { exact: false }).waitFor();
      await pub.getByText('計画全体として概ね順調である。').waitFor();
      // The map of the municipalities is drawn, with its legend for suppressed figures.
      await pub.getByRole('group', { name: /市町村別の.*の地図/ }).waitFor();
      expect(await pub.getByRole('link', { name: 'オープンデータ（CSV）' }).getAttribute('href')).toBe(
        '/api/public/kpi/opendata.csv',
      );
      expect(await sidewaysOverflow(pub)).toBe(0);
      // Nothing about a person reaches the public page.
      expect(await pub.content()).not.toContain('評価 テスト');
      await expectNoSeriousViolations(pub, 'public /kpi/public on a phone');
    } finally {
      await phone.close();
    }
  }, 180_000);

  test('the prefecture admin undoes the approval with a reason; the public page stops showing the year', async () => {
    const staff = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    const page = await staff.newPage();
    try {
      await signInAsAdmin(page, server);
      await page.goto(`${server.url}/kpi?fy=2025&plan=seed-001`);
      await expect.poll(() => page.getByTestId('kpi-eval-state').textContent()).toBe('承認済み');
      await page.getByRole('button', { name: '承認を取り消す' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('再び承認するまで公開ページとオープンデータから外れます', { exact: false }).waitFor();
      await dialog.getByLabel('取り消しの理由').fill('山形市の記録に入力漏れがあったため再集計する');
      await expectNoSeriousViolations(page, 'staff /kpi, undoing the approval');
      await dialog.getByRole('button', { name: '承認を取り消す' }).click();
      await expect.poll(() => page.getByTestId('kpi-eval-state').textContent()).toBe('案（未承認）');
      // The assessments can be written again.
      await expect.poll(() => page.locator('form.commentary').count()).toBe(4);
    } finally {
      await staff.close();
    }
    const res = await fetch(`${server.url}/api/public/kpi`);
    expect(res.status).toBe(404);
  }, 120_000);
});
