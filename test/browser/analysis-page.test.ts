/**
 * The needs analysis page in headless Chromium, on a desktop and on a phone: every chart label is
 * drawn whole inside its chart (現地訪問・お試し滞在 was cut off at the chart's left edge), the
 * stage table keeps each stage on one line (it wrapped two characters a line), and every panel
 * says in words whom and which period it counts. Skipped where no Chromium is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchBrowser, signInAsAdmin } from '../helpers/browser';
import { startTestServer } from '../helpers/server';
import { currentFiscalYear, fiscalYearRange } from '../../src/modules/analytics/analytics.rules';

describe.skipIf(!hasChromium)('the needs analysis page', () => {
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

  async function signIn(page: Page): Promise<string> {
    return signInAsAdmin(page, server);
  }

  /** Two cases of this fiscal year: one visited, one moved — so every panel has something to draw. */
  async function seed(page: Page, csrfToken: string) {
    const { from } = fiscalYearRange(currentFiscalYear());
    for (const [name, step] of [
      ['分析 画面一', 'visited'],
      ['分析 画面二', 'moved'],
    ] as const) {
      const created = await page.request.post(`${server.url}/api/consultations`, {
        headers: { 'x-csrf-token': csrfToken },
        data: {
          person: { name, kana: 'ブンセキ' },
          channel: 'station_popup',
          occurredOn: from,
          municipalityCodes: ['062014'],
          topics: ['housing'],
        },
      });
      expect(created.status(), await created.text()).toBe(201);
      const caseId = ((await created.json()) as { case: { id: string } }).case.id;
      const res = await page.request.post(`${server.url}/api/cases/${caseId}/steps`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { step, occurredOn: from, ...(step === 'moved' ? { municipalityCode: '062014' } : {}) },
      });
      expect(res.status(), await res.text()).toBe(201);
    }
  }

  /** Each chart tick label: its text and whether it lies wholly inside the drawing (an svg clips what sticks out). */
  const tickLabels = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('svg.recharts-surface')].flatMap((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('.recharts-cartesian-axis-tick-value')].map((text) => {
          const r = text.getBoundingClientRect();
          return {
            text: text.textContent ?? '',
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.width > 0,
          };
        });
      }),
    );

  /** The stage table's row headings: how many lines each takes and whether its text is cut. */
  const stageCells = (page: Page) =>
    page.evaluate(() => {
      const table = [...document.querySelectorAll('table')].find((t) =>
        t.querySelector('caption')?.textContent?.includes('段階ごとの進み具合'),
      );
      if (!table) return [];
      return [...table.querySelectorAll('tbody th')].map((th) => {
        const range = document.createRange();
        range.selectNodeContents(th);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        return { text: th.textContent ?? '', lines, clipped: th.scrollWidth > th.clientWidth };
      });
    });

  test.each([
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ])('on a %s every label is whole and the stage table reads one stage a line', async (_name, viewport) => {
    const context = await browser.newContext({ locale: 'ja-JP', viewport });
    const page = await context.newPage();
    try {
      const csrfToken = await signIn(page);
      if (viewport.width > 1000) await seed(page, csrfToken);
      await page.goto(`${server.url}/analysis`);
      const funnel = page.getByRole('region', { name: '段階ごとの進み具合' });
      await funnel.waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await tickLabels(page)).length).toBeGreaterThan(10);

      const labels = await tickLabels(page);
      expect(labels.map((l) => l.text)).toContain('現地訪問・お試し滞在');
      expect(labels.filter((l) => !l.inside).map((l) => l.text)).toEqual([]);

      await funnel.getByText('表で見る').click();
      const cells = await stageCells(page);
      expect(cells.map((c) => c.text)).toContain('現地訪問・お試し滞在');
      for (const c of cells) {
        expect(c.lines, `${c.text} on one line`).toBe(1);
        expect(c.clipped, `${c.text} not cut`).toBe(false);
      }

      // Every panel says whom and which period it counts, the moves in the same words as the totals.
      const bases = await page.locator('.analysis-basis').allTextContents();
      expect(bases.length).toBeGreaterThanOrEqual(6);
      for (const b of bases) expect(b).toMatch(/年度/);
    } finally {
      await context.close();
    }
  });
});
