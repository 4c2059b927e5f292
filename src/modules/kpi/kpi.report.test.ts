import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { errorMessage } from '../../platform/i18n.js';
import { type EvaluationReportData, formatShown, prepareReport, REPORT_TITLE } from './kpi.report-data.js';
import { NOTO_CJK_FONTS, renderReportPdf } from './kpi.report-pdf.js';
import { REPORT_SHEETS, renderReportXlsx } from './kpi.report-xlsx.js';

/** Hand-made figures for FY2025 of the seeds' plan (DESIGN §2 targets), with known answers. */
function sampleReport(): EvaluationReportData {
  return {
    prefectureName: '山形県',
    plan: { name: '山形県 関係人口創出・移住促進計画', firstFiscalYear: 2024, lastFiscalYear: 2026 },
    fiscalYear: 2025,
    indicators: [
      {
        code: 'uij_movers',
        label: '県の相談窓口を通じたUIJターン移住者数',
        unit: '人',
        isPeopleCount: true,
        baseline: 268,
        target: 85,
        actual: 91,
        cumulativeTarget: 157,
        cumulativeActual: 171,
        achievementRatio: 91 / 85,
        trend: [
          { fiscalYear: 2023, target: null, actual: 268 },
          { fiscalYear: 2024, target: 72, actual: 80 },
          { fiscalYear: 2025, target: 85, actual: 91 },
          { fiscalYear: 2026, target: 87, actual: null },
        ],
        municipalities: [
          { code: '062014', name: '山形市', target: 30, actual: 30 },
          { code: '062022', name: '米沢市', target: 10, actual: 4 },
          { code: '062031', name: '鶴岡市', target: 15, actual: 12 },
          { code: '062049', name: '酒田市', target: 30, actual: 45 },
        ],
        commentary: '首都圏での相談会の回数を増やし、目標を上回った。',
      },
      {
        code: 'relationship_created',
        label: '事業により創出された関係人口',
        unit: '人',
        isPeopleCount: true,
        baseline: 0,
        target: 204,
        actual: 198,
        cumulativeTarget: 335,
        cumulativeActual: 350,
        achievementRatio: 198 / 204,
        trend: [
          { fiscalYear: 2024, target: 131, actual: 152 },
          { fiscalYear: 2025, target: 204, actual: 198 },
        ],
        municipalities: [],
        commentary: null,
      },
      {
        code: 'exchange_created',
        label: '事業により創出された交流人口（学会・大会誘致を含む）',
        unit: '人',
        isPeopleCount: true,
        baseline: 0,
        target: 7671,
        actual: 8020,
        cumulativeTarget: 14849,
        cumulativeActual: 15432,
        achievementRatio: 8020 / 7671,
        trend: [
          { fiscalYear: 2024, target: 7178, actual: 7412 },
          { fiscalYear: 2025, target: 7671, actual: 8020 },
        ],
        municipalities: [],
        commentary: '全国規模の学会を2件誘致した。',
      },
      {
        code: 'ready_organizations',
        label: '受入体制が整った地域・団体数',
        unit: '団体',
        isPeopleCount: false,
        baseline: 0,
        target: 18,
        actual: null,
        cumulativeTarget: 34,
        cumulativeActual: null,
        achievementRatio: null,
        trend: [
          { fiscalYear: 2024, target: 16, actual: 3 },
          { fiscalYear: 2025, target: 18, actual: null },
        ],
        municipalities: [{ code: '062014', name: '山形市', target: 4, actual: 3 }],
        commentary: '受入体制の確認記録は集計の準備中。',
      },
    ],
    depth: {
      stageTransitions: {
        fiscalYear: 2025,
        stages: ['関心', '交流', '関与'],
        counts: [
          [0, 120, 14],
          [0, 0, 35],
          [3, 0, 0],
        ],
      },
      cohortRetention: {
        rows: [
          { cohortFiscalYear: 2023, cohortSize: 420, retained: [260, 198] },
          { cohortFiscalYear: 2024, cohortSize: 515, retained: [301, null] },
          { cohortFiscalYear: 2025, cohortSize: 8, retained: [null, null] },
        ],
      },
    },
    committeeOpinions: [
      {
        date: '2025-09-05',
        author: '山形県関係人口施策評価委員会 委員長',
        indicatorCode: 'uij_movers',
        text: '移住後の定着状況もあわせて把握されたい。',
      },
      {
        date: '2025-09-05',
        author: '山形県関係人口施策評価委員会',
        indicatorCode: null,
        text: '関係の深まりを示す指標の充実を期待する。',
      },
    ],
    // 15:30 UTC on 10 September is already 11 September in Japan.
    status: { state: 'approved', approvedBy: 'みらい企画創造部長 山形 太郎', approvedAt: '2025-09-10T15:30:00Z' },
    generatedAt: '2025-09-12T00:00:00Z',
  };
}

const hasPoppler = ['pdftoppm', 'pdftotext', 'pdfinfo'].every((tool) => {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
const hasFonts = fs.existsSync(NOTO_CJK_FONTS.regular.path) && fs.existsSync(NOTO_CJK_FONTS.bold.path);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-kpi-report-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the report view', () => {
  it('hides counts of people below 10 and what reveals them in a public report, not for staff', () => {
    const pub = prepareReport(sampleReport(), 'public');
    const movers = pub.indicators[0]!;
    expect(movers.municipalities.map((m) => formatShown(m.actual))).toEqual(['30', 'X', 'X', '45']);
    expect(movers.municipalities.map((m) => formatShown(m.ratio, 'ratio'))).toEqual(['100.0%', 'X', 'X', '150.0%']);
    expect(formatShown(movers.actual)).toBe('91');
    expect(formatShown(movers.ratio, 'ratio')).toBe('107.1%');
    // The transitions 3 and 14 … are hidden with what would give them away.
    const st = pub.stageTransitions!;
    expect(st.counts[2]![0]!.hidden).toBe(true);
    expect(st.rowTotals[2]!.hidden).toBe(true); // the row total of 関与 is 3 itself
    expect(pub.cohortRetention!.rows[2]!.size.hidden).toBe(true);
    expect(pub.suppressionNote).toContain('10人未満');

    const staff = prepareReport(sampleReport(), 'staff');
    expect(staff.indicators[0]!.municipalities.map((m) => formatShown(m.actual))).toEqual(['30', '4', '12', '45']);
    expect(staff.stageTransitions!.counts[2]![0]!).toEqual({ value: 3, hidden: false });
    expect(staff.suppressionNote).toBeNull();
  });

  it('labels years in 和暦 and 西暦, dates in Japan time, numbers with separators, no data as —', () => {
    const view = prepareReport(sampleReport(), 'public');
    expect(view.fiscalYearTitle).toBe('令和7年度（2025年度）');
    expect(view.planPeriod).toBe('令和6年度〜令和8年度（2024〜2026年度）');
    expect(view.approval).toBe('令和7年9月11日（2025年9月11日） 承認　承認者：みらい企画創造部長 山形 太郎');
    expect(view.generatedOn).toBe('令和7年9月12日（2025年9月12日）');
    const exchange = view.indicators[2]!;
    expect(formatShown(exchange.target)).toBe('7,671');
    expect(formatShown(exchange.cumulativeActual)).toBe('15,432');
    expect(exchange.trend.map((t) => formatShown(t.cumulativeActual))).toEqual(['7,412', '15,432']);
    const ready = view.indicators[3]!;
    expect(formatShown(ready.actual)).toBe('—');
    expect(formatShown(ready.ratio, 'ratio')).toBe('—');
    // Organizations are not people: 3 is shown.
    expect(formatShown(ready.trend[0]!.actual)).toBe('3');
    expect(view.indicators[0]!.trend[0]).toMatchObject({ label: '令和5年度（2023年度）', inPlan: false });
  });

  it('hides a year below 10 everywhere it appears: the summary, the trend, every later running sum, the municipalities', () => {
    const data = sampleReport();
    const rel = data.indicators[1]!;
    Object.assign(rel, {
      actual: 7,
      cumulativeActual: 159,
      achievementRatio: 7 / 204,
      trend: [
        { fiscalYear: 2024, target: 131, actual: 152 },
        { fiscalYear: 2025, target: 204, actual: 7 },
        { fiscalYear: 2026, target: 252, actual: 300 },
      ],
      municipalities: [
        { code: '062014', name: '山形市', target: null, actual: 5 },
        { code: '062022', name: '米沢市', target: null, actual: 2 },
      ],
    });
    const view = prepareReport(data, 'public').indicators[1]!;
    expect([view.actual, view.ratio, view.cumulativeActual, view.cumulativeRatio].every((s) => s.hidden)).toBe(true);
    expect(view.trend.map((t) => formatShown(t.actual))).toEqual(['152', 'X', '300']);
    expect(view.trend.map((t) => formatShown(t.cumulativeActual))).toEqual(['152', 'X', 'X']);
    expect(view.municipalities.every((m) => m.actual.hidden)).toBe(true);
  });

  it('hides the year’s total when the municipalities’ column would give a hidden count away', () => {
    const data = sampleReport();
    const movers = data.indicators[0]!;
    movers.municipalities = [{ code: '062022', name: '米沢市', target: 10, actual: 4 }];
    movers.actual = 4;
    movers.trend = movers.trend.map((t) => (t.fiscalYear === 2025 ? { ...t, actual: 4 } : t));
    const view = prepareReport(data, 'public').indicators[0]!;
    expect(view.actual.hidden).toBe(true);
    expect(view.trend.find((t) => t.fiscalYear === 2025)!.actual.hidden).toBe(true);
  });

  it('shows no count of people below 10 anywhere in a public report, and no municipalities’ column with one X under a shown total', () => {
    const count = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 10, max: 400 }));
    fc.assert(
      fc.property(
        fc.array(count, { minLength: 1, maxLength: 3 }),
        fc.array(count, { minLength: 0, maxLength: 6 }),
        (yearly, municipal) => {
          const data = sampleReport();
          const movers = data.indicators[0]!;
          const years = yearly.map((actual, k) => ({ fiscalYear: 2024 + k, target: 80, actual }));
          const thisYear = years[years.length - 1]!;
          data.fiscalYear = thisYear.fiscalYear;
          Object.assign(movers, {
            actual: thisYear.actual,
            trend: years,
            municipalities: municipal.map((actual, i) => ({ code: `06${i}000`, name: `市${i}`, target: 10, actual })),
          });
          data.indicators = [movers];
          const view = prepareReport(data, 'public').indicators[0]!;
          const shownCounts = [
            view.actual,
            view.cumulativeActual,
            ...view.trend.flatMap((t) => [t.actual, t.cumulativeActual]),
            ...view.municipalities.map((m) => m.actual),
          ];
          for (const s of shownCounts) if (!s.hidden && s.value !== null) expect(s.value).toBeGreaterThanOrEqual(10);
          const hiddenMunicipal = view.municipalities.filter((m) => m.actual.hidden).length;
          if (!view.actual.hidden) expect(hiddenMunicipal).not.toBe(1);
          // A hidden year cannot be recovered from two neighbouring running sums.
          view.trend.forEach((t, k) => {
            if (t.actual.hidden && t.inPlan) expect(t.cumulativeActual.hidden).toBe(true);
            if (k > 0 && !t.cumulativeActual.hidden && !view.trend[k - 1]!.cumulativeActual.hidden)
              expect(t.actual.hidden).toBe(false);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses figures that do not hold together, naming the indicator', () => {
    const data = sampleReport();
    data.indicators[0]!.trend[2]!.actual = 90;
    expect(() => prepareReport(data, 'staff')).toThrow(/uij_movers.*2025/);
    const bad = sampleReport();
    bad.depth.stageTransitions!.counts = [[1, 2]];
    expect(() => prepareReport(bad, 'staff')).toThrow(/stage transitions/);
  });
});

describe('the PDF report', () => {
  it.skipIf(!hasFonts || !hasPoppler)(
    'renders A4 pages with the Japanese title, figures with separators, X and page numbers (pdftotext, pdftoppm)',
    async () => {
      const pdf = await renderReportPdf(sampleReport(), { audience: 'public' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const file = path.join(tmp, 'report.pdf');
      fs.writeFileSync(file, pdf);

      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
      expect(pages).toBeGreaterThanOrEqual(6); // cover + summary, four indicators, depth
      expect(info).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
      expect(info).toContain('関係人口・移住 施策評価報告書');

      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain(REPORT_TITLE.replace(/\s+/g, ''));
      expect(flat).toContain('令和7年度（2025年度）');
      expect(flat).toContain('7,671');
      expect(flat).toContain('15,432');
      expect(flat).toContain('令和7年9月11日');
      expect(flat).toContain('米沢市');
      expect(text).toMatch(/米沢市\s+10\s+X\s+X/);
      expect(flat).toContain(`1/${pages}`);
      expect(flat).toContain(`${pages}/${pages}`);
      expect(flat).toContain('移住後の定着状況もあわせて把握されたい。');
      expect(flat).not.toContain('【案】');

      // Every page rasterises and has ink on it: a blank page would be all white.
      execFileSync('pdftoppm', ['-gray', '-r', '24', file, path.join(tmp, 'page')]);
      const images = fs.readdirSync(tmp).filter((f) => f.startsWith('page') && f.endsWith('.pgm'));
      expect(images).toHaveLength(pages);
      for (const image of images) {
        const dark = darkPixelShare(fs.readFileSync(path.join(tmp, image)));
        expect(dark, image).toBeGreaterThan(0.002);
      }
    },
    60_000,
  );

  it.skipIf(!hasFonts || !hasPoppler)(
    'marks a draft on every page and shows the counts as they are to staff',
    async () => {
      const data = sampleReport();
      data.status = { state: 'draft' };
      const file = path.join(tmp, 'draft.pdf');
      fs.writeFileSync(file, await renderReportPdf(data, { audience: 'staff' }));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      const pages = text.split('\f').filter((p) => p.trim());
      expect(pages.every((p) => p.includes('【案】'))).toBe(true);
      expect(text).toMatch(/米沢市\s+10\s+4\s+40\.0%/);
      expect(text.replace(/\s+/g, '')).toContain('案（未承認）');
    },
    60_000,
  );

  it.skipIf(!hasFonts || !hasPoppler)(
    'continues a long table on the next pages with its header repeated',
    async () => {
      const data = sampleReport();
      // A national-size table: 300 municipalities' rows cannot fit on one page.
      data.indicators[0]!.municipalities = Array.from({ length: 300 }, (_, i) => ({
        code: `99${String(i).padStart(4, '0')}`,
        name: `テスト市${i + 1}`,
        target: 1000 + i,
        actual: 2000 + i,
      }));
      const file = path.join(tmp, 'long.pdf');
      fs.writeFileSync(file, await renderReportPdf(data, { audience: 'staff' }));
      const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f');
      const withRows = pages.filter((p) => p.includes('テスト市'));
      expect(withRows.length).toBeGreaterThanOrEqual(4);
      for (const page of withRows) expect(page).toContain('全国地方公共団体コード');
      const all = withRows.join('\n');
      for (const i of [1, 150, 300])
        expect(all).toMatch(
          new RegExp(
            `テスト市${i}\\s+${(1000 + i - 1).toLocaleString('en')}\\s+${(2000 + i - 1).toLocaleString('en')}`,
          ),
        );
    },
    60_000,
  );

  it('refuses with PDF_FONTS_MISSING, in Japanese and English, when the fonts are not installed', async () => {
    const fonts = {
      regular: { path: path.join(tmp, 'none-Regular.ttc'), postscriptName: 'NotoSansCJKjp-Regular' },
      bold: { path: path.join(tmp, 'none-Bold.ttc'), postscriptName: 'NotoSansCJKjp-Bold' },
    };
    const error = await renderReportPdf(sampleReport(), { audience: 'public', fonts }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PDF_FONTS_MISSING');
    expect((error as AppError).status).toBe(503);
    expect(errorMessage('ja', 'PDF_FONTS_MISSING')).toContain('fonts-noto-cjk');
    expect(errorMessage('en', 'PDF_FONTS_MISSING')).toContain('fonts-noto-cjk');
  });
});

/** The share of pixels darker than light grey in a binary PGM (P5) image from pdftoppm -gray. */
function darkPixelShare(pgm: Buffer): number {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a binary PGM image');
  const [whole, w, h] = header;
  const pixels = pgm.subarray(whole.length, whole.length + Number(w) * Number(h));
  let dark = 0;
  for (const p of pixels) if (p < 200) dark++;
  return dark / pixels.length;
}

describe('the .xlsx report', () => {
  it('has one sheet per section, Japanese headers, numbers as numbers and X where a count is hidden', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderReportXlsx(sampleReport(), { audience: 'public' })) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([...REPORT_SHEETS]);

    const summary = book.getWorksheet('概要')!;
    expect(summary.getRow(1).values).toEqual([
      undefined,
      '指標',
      '単位',
      '基準値',
      '目標',
      '実績',
      '達成率',
      '累計目標',
      '累計実績',
      '累計達成率',
    ]);
    const exchange = summary.getRow(4);
    expect(exchange.getCell(1).value).toBe('事業により創出された交流人口（学会・大会誘致を含む）');
    expect(exchange.getCell(4).value).toBe(7671);
    expect(exchange.getCell(4).numFmt).toBe('#,##0');
    expect(exchange.getCell(6).value).toBeCloseTo(8020 / 7671, 10);
    expect(exchange.getCell(6).numFmt).toBe('0.0%');
    expect(summary.getRow(5).getCell(5).value).toBeNull(); // ④: no data, an empty cell, never 0

    const municipalities = book.getWorksheet('市町村別')!;
    const yonezawa = municipalities
      .getRows(2, municipalities.rowCount - 1)!
      .find((r) => r.getCell(3).value === '米沢市')!;
    expect(yonezawa.getCell(2).value).toBe('062022');
    expect(yonezawa.getCell(4).value).toBe(10);
    expect(yonezawa.getCell(5).value).toBe('X');

    const trend = book.getWorksheet('推移')!;
    const before = trend.getRow(2);
    expect(before.getCell(1).value).toBe('県の相談窓口を通じたUIJターン移住者数');
    expect(before.getCell(2).value).toBe(2023);
    expect(before.getCell(3).value).toBe('令和5年度');
    expect(before.getCell(4).value).toBe('計画期間外');
    expect(before.getCell(5).value).toBeNull();
    expect(before.getCell(6).value).toBe(268);

    const cover = book.getWorksheet('報告書')!;
    expect(cover.getRow(2).values).toEqual([undefined, '報告書', REPORT_TITLE]);
    expect(cover.getRow(3).values).toEqual([undefined, '年度', '令和7年度（2025年度）']);

    const opinions = book.getWorksheet('評価と意見')!;
    const texts = opinions.getColumn(5).values;
    expect(texts).toContain('移住後の定着状況もあわせて把握されたい。');
    expect(texts).toContain('関係の深まりを示す指標の充実を期待する。');
    expect(book.getWorksheet('継続率')!.getRow(4).getCell(2).value).toBe('X');
  });
});
