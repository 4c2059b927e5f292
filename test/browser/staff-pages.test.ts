/**
 * The staff screens in headless Chromium: the main menu fits one line on a 1366 px desktop and
 * folds into a menu button (aria-expanded) on a phone; and every staff page of the main journeys
 * has no serious or critical axe-core (WCAG 2.x A/AA) violation. Skipped where no Chromium is
 * installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchBrowser, sidewaysOverflow, signInAsAdmin } from '../helpers/browser';
import { expectNoSeriousViolations, formatViolations, runAxe } from '../helpers/axe';
import { startTestServer } from '../helpers/server';

describe.skipIf(!hasChromium)('staff screens', () => {
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

  async function signIn(context: BrowserContext): Promise<{ page: Page; csrfToken: string }> {
    const page = await context.newPage();
    const csrfToken = await signInAsAdmin(page, server);
    return { page, csrfToken };
  }

  test('the main menu fits one line at 1366 px and folds into a menu button on a phone', async () => {
    const desktop = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 800 } });
    try {
      const { page } = await signIn(desktop);
      const nav = page.getByRole('navigation', { name: 'メインメニュー' });
      const links = nav.getByRole('link');
      // The administrator sees every link: the longest menu.
      expect(await links.count()).toBeGreaterThanOrEqual(13);
      const tops = await links.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(new Set(tops).size, `link rows: ${tops.join(', ')}`).toBe(1);
      expect(await nav.getByRole('button', { name: 'メニュー' }).isVisible()).toBe(false);
      expect(await sidewaysOverflow(page)).toBe(0);
    } finally {
      await desktop.close();
    }

    const phone = await browser.newContext({
      locale: 'ja-JP',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const { page } = await signIn(phone);
      const nav = page.getByRole('navigation', { name: 'メインメニュー' });
      const button = nav.getByRole('button', { name: 'メニュー' });
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await nav.getByRole('link', { name: '相談', exact: true }).isVisible()).toBe(false);
      await button.click();
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await nav.getByRole('link', { name: '相談', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: '相談' }).waitFor();
      // Choosing a page folds the menu again.
      await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
      expect(await sidewaysOverflow(page)).toBe(0);
    } finally {
      await phone.close();
    }
  });

  test('every staff page of the main journeys has no serious or critical accessibility violation', async () => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1366, height: 900 } });
    try {
      const { page, csrfToken } = await signIn(context);
      const post = async (url: string, data: object) => {
        const res = await page.request.post(`${server.url}${url}`, { headers: { 'x-csrf-token': csrfToken }, data });
        expect(res.status(), await res.text()).toBe(201);
        return res.json();
      };
      const created = await post('/api/consultations', {
        person: { name: '点検 花子（テスト）', kana: 'テンケン ハナコ', email: 'tenken@example.jp' },
        channel: 'phone',
        occurredOn: '2026-06-01',
        topics: ['work'],
        municipalityCodes: ['062014'],
        nextAction: '資料送付',
        nextActionDue: '2026-06-10',
      });
      const personId: string = created.consultation.person.id;
      const caseId: string = created.case.id;
      await post(`/api/people/${personId}/engagements`, {
        municipalityCode: '062014',
        kind: 'event',
        occurredOn: '2026-06-02',
        note: 'やまがた移住・交流フェアに参加',
      });
      const event = await post('/api/events', {
        kind: 'seminar',
        title: '点検セミナー（テスト）',
        startsAt: '2027-03-06T13:00:00+09:00',
        endsAt: '2027-03-06T15:00:00+09:00',
        venue: 'テスト会場',
        capacity: 10,
      });

      const pages: [string, string][] = [
        ['/', 'ダッシュボード'],
        ['/people', ''],
        ['/people/new', ''],
        [`/people/${personId}`, ''],
        [`/people/${personId}/edit`, ''],
        ['/manage/events', 'イベント'],
        ['/manage/events/new', ''],
        [`/manage/events/${event.id}`, ''],
        [`/manage/events/${event.id}/edit`, ''],
        [`/manage/events/${event.id}/checkin`, ''],
        ['/consultations', '相談'],
        ['/consultations?view=cases', '相談'],
        ['/consultations/new', ''],
        [`/cases/${caseId}`, ''],
        ['/referrals', ''],
        ['/issues', '地域課題'],
        ['/issues/new', '地域課題を登録'],
        ['/manage/projects', 'プロジェクト'],
        ['/manage/projects/new', 'プロジェクトを作成'],
        ['/proposals', '全プロジェクトでの提案'],
        ['/matches', 'マッチング'],
        ['/followups', ''],
        ['/analysis', ''],
        ['/imports', ''],
        ['/certifications', ''],
        ['/staff', ''],
        ['/audit', ''],
        ['/tokens', ''],
        ['/account', ''],
      ];
      const failures: string[] = [];
      for (const [path, heading] of pages) {
        await page.goto(`${server.url}${path}`);
        const h1 = page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) });
        await h1
          .first()
          .waitFor({ timeout: 15_000 })
          .catch(() => {
            throw new Error(`${path}: no page heading`);
          });
        // Let the page's queries settle (lists, charts) before checking what a reader meets.
        await page.waitForLoadState('networkidle');
        await expect.poll(() => page.locator('[aria-busy="true"], .loading').count(), { timeout: 15_000 }).toBe(0);
        try {
          await expectNoSeriousViolations(page, path);
        } catch (error) {
          failures.push((error as Error).message.split('\n\nExpected')[0] ?? String(error));
        }
        // A visible label that the accessible name does not contain (WCAG 2.5.3) is an axe
        // experimental rule: run it by name, as speech users say what they see.
        const mismatch = (await runAxe(page, { tags: ['experimental'] })).filter(
          (v) => v.id === 'label-content-name-mismatch',
        );
        if (mismatch.length) failures.push(`${path}:\n${formatViolations(mismatch)}`);
        // Headings go down one level at a time and the page has its landmarks.
        const levels = await page.evaluate(() =>
          [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
            .filter((h) => (h as HTMLElement).offsetParent !== null)
            .map((h) => Number(h.tagName[1])),
        );
        for (let i = 1; i < levels.length; i++) {
          if (levels[i]! > levels[i - 1]! + 1) failures.push(`${path}: heading h${levels[i - 1]} → h${levels[i]}`);
        }
        expect(await page.getByRole('main').count(), path).toBe(1);
        expect(await page.getByRole('banner').count(), path).toBe(1);
        expect(await page.getByRole('navigation', { name: 'メインメニュー' }).count(), path).toBe(1);
      }
      expect(failures.join('\n\n'), failures.join('\n\n')).toBe('');
    } finally {
      await context.close();
    }
  }, 400_000);
});
