/**
 * The evaluation report as a PDF (A4), made on the server with pdfkit and no network: the Japanese
 * fonts are embedded (subset) from Debian's fonts-noto-cjk. Tables continue on the next page with
 * their header repeated; plan vs actual is drawn as a bar chart with vector shapes; every page
 * carries its number. The figures come from `prepareReport` (kpi.report-data.ts), so a public
 * report shows `X` wherever a count of people is suppressed.
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { AppError } from '../../platform/errors.js';
import {
  type EvaluationReportData,
  formatShown,
  type IndicatorView,
  prepareReport,
  type ReportAudience,
  type ReportView,
  type Shown,
} from './kpi.report-data.js';

type FontFile = { path: string; postscriptName: string };
export type ReportFonts = { regular: FontFile; bold: FontFile };

/** Debian's fonts-noto-cjk: OpenType collections, the Japanese face chosen by its PostScript name. */
export const NOTO_CJK_FONTS: ReportFonts = {
  regular: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKjp-Regular' },
  bold: { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKjp-Bold' },
};

export type PdfOptions = { audience: ReportAudience; fonts?: ReportFonts };

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = { top: 56, bottom: 56, left: 50, right: 50 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const COLORS = {
  text: '#1a1a1a',
  muted: '#555555',
  rule: '#b0b0b0',
  head: '#e8edf3',
  target: '#b8c2cc',
  actual: '#1f5fa8',
};

/** Refuses clearly, before anything is drawn, when a font file is missing. */
function checkFonts(fonts: ReportFonts): void {
  const missing = [fonts.regular.path, fonts.bold.path].filter((path) => !fs.existsSync(path));
  if (missing.length) throw new AppError('PDF_FONTS_MISSING', { details: { missing } });
}

/** The report as PDF bytes. */
export async function renderReportPdf(data: EvaluationReportData, options: PdfOptions): Promise<Buffer> {
  const fonts = options.fonts ?? NOTO_CJK_FONTS;
  checkFonts(fonts);
  const view = prepareReport(data, options.audience);
  const created = new Date(data.generatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    info: {
      Title: `${view.title} ${view.fiscalYearTitle}`,
      Author: view.prefectureName,
      Subject: view.planName,
      Creator: 'Kankei',
      CreationDate: created,
      ModDate: created,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('jp', fonts.regular.path, fonts.regular.postscriptName);
  doc.registerFont('jp-bold', fonts.bold.path, fonts.bold.postscriptName);
  doc.font('jp').fillColor(COLORS.text);

  drawCover(doc, view);
  drawSummary(doc, view);
  view.indicators.forEach((indicator, i) => {
    drawIndicator(doc, indicator, i + 1);
  });
  drawDepth(doc, view);
  drawGeneralOpinions(doc, view);
  drawPageFurniture(doc, view);
  doc.end();
  return done;
}

type Doc = PDFKit.PDFDocument;

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

function heading(doc: Doc, text: string, size = 13): void {
  ensureSpace(doc, size * 4);
  doc.moveDown(0.6);
  doc.font('jp-bold').fontSize(size).fillColor(COLORS.text).text(text, MARGIN.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  doc.font('jp');
}

function paragraph(doc: Doc, text: string, size = 9.5, color = COLORS.text): void {
  doc.font('jp').fontSize(size).fillColor(color).text(text, MARGIN.left, doc.y, { width: CONTENT_WIDTH, lineGap: 2 });
  doc.fillColor(COLORS.text);
}

function drawCover(doc: Doc, view: ReportView): void {
  doc
    .font('jp-bold')
    .fontSize(20)
    .text(view.title, MARGIN.left, MARGIN.top + 20, { width: CONTENT_WIDTH, align: 'center' });
  doc.moveDown(0.4);
  doc.font('jp').fontSize(14).text(view.fiscalYearTitle, { width: CONTENT_WIDTH, align: 'center' });
  doc.moveDown(1.2);
  const lines: Array<[string, string]> = [
    ['作成', view.prefectureName],
    ['計画', view.planName],
    ['計画期間', view.planPeriod],
    ['状態', view.statusLabel],
    ...(view.approval ? [['承認', view.approval] as [string, string]] : []),
    ['作成日', view.generatedOn],
  ];
  for (const [label, value] of lines) {
    const y = doc.y;
    doc
      .font('jp-bold')
      .fontSize(10)
      .text(label, MARGIN.left + 40, y, { width: 70 });
    doc
      .font('jp')
      .fontSize(10)
      .text(value, MARGIN.left + 115, y, { width: CONTENT_WIDTH - 155 });
    doc.moveDown(0.3);
  }
  if (view.suppressionNote) {
    doc.moveDown(0.8);
    paragraph(doc, view.suppressionNote, 8.5, COLORS.muted);
  }
}

type Column = { header: string; width: number; align?: 'left' | 'right' | 'center' };

/**
 * A table that continues on the next page with its header repeated. Widths are fractions of the
 * content width when they add up to 1 or less, points otherwise. Cells wrap; rows never split.
 */
function table(doc: Doc, columns: Column[], rows: string[][], size = 8): void {
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (totalWidth <= 1.0001 ? c.width * CONTENT_WIDTH : c.width));
  const pad = 3;
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((t, i) => doc.heightOfString(t || ' ', { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], header: boolean) => {
    const font = header ? 'jp-bold' : 'jp';
    const h = rowHeight(cells, font);
    const y = doc.y;
    let x = MARGIN.left;
    cells.forEach((text, i) => {
      const w = widths[i]!;
      if (header) doc.rect(x, y, w, h).fill(COLORS.head);
      doc.rect(x, y, w, h).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
      doc
        .font(font)
        .fontSize(size)
        .fillColor(COLORS.text)
        .text(text, x + pad, y + pad, {
          width: w - 2 * pad,
          align: header ? 'center' : (columns[i]!.align ?? 'left'),
        });
      x += w;
    });
    doc.x = MARGIN.left;
    doc.y = y + h;
  };
  const headers = columns.map((c) => c.header);
  const headerHeight = rowHeight(headers, 'jp-bold');
  ensureSpace(doc, headerHeight + rowHeight(rows[0] ?? headers, 'jp'));
  drawRow(headers, true);
  for (const row of rows) {
    if (doc.y + rowHeight(row, 'jp') > BOTTOM) {
      doc.addPage();
      drawRow(headers, true);
    }
    drawRow(row, false);
  }
  doc.moveDown(0.5);
}

const num = (s: Shown) => formatShown(s);
const pct = (s: Shown) => formatShown(s, 'ratio');

function drawSummary(doc: Doc, view: ReportView): void {
  heading(doc, '1. 指標の達成状況');
  paragraph(
    doc,
    `${view.fiscalYearTitle}の目標と実績、計画期間の累計（実績は記録から集計した値。—：データなし）`,
    8.5,
    COLORS.muted,
  );
  doc.moveDown(0.3);
  table(
    doc,
    [
      { header: '指標', width: 0.24 },
      { header: '単位', width: 0.06, align: 'center' },
      { header: '基準値', width: 0.09, align: 'right' },
      { header: '目標', width: 0.09, align: 'right' },
      { header: '実績', width: 0.09, align: 'right' },
      { header: '達成率', width: 0.1, align: 'right' },
      { header: '累計目標', width: 0.11, align: 'right' },
      { header: '累計実績', width: 0.11, align: 'right' },
      { header: '累計達成率', width: 0.11, align: 'right' },
    ],
    view.indicators.map((i) => [
      i.label,
      i.unit,
      num(i.baseline),
      num(i.target),
      num(i.actual),
      pct(i.ratio),
      num(i.cumulativeTarget),
      num(i.cumulativeActual),
      pct(i.cumulativeRatio),
    ]),
  );
  drawAchievementChart(doc, view);
}

/**
 * Achievement at a glance: per indicator, the year's and the cumulative ratio as horizontal bars
 * against a dashed 100% line (bars stop at 150%; the label gives the exact figure).
 */
function drawAchievementChart(doc: Doc, view: ReportView): void {
  if (!view.indicators.length) return;
  const rowHeight = 30;
  const height = view.indicators.length * rowHeight + 30;
  heading(doc, '達成率', 10.5);
  ensureSpace(doc, height);
  const top = doc.y + 12;
  const labelWidth = 170;
  const left = MARGIN.left + labelWidth;
  const width = CONTENT_WIDTH - labelWidth - 50;
  const scale = width / 1.5;
  doc.font('jp').fontSize(8).fillColor(COLORS.text);
  doc.rect(MARGIN.left, top - 12, 8, 8).fill(COLORS.actual);
  doc.fillColor(COLORS.text).text('当年度', MARGIN.left + 11, top - 13, { lineBreak: false });
  doc.rect(MARGIN.left + 55, top - 12, 8, 8).fill(COLORS.target);
  doc.fillColor(COLORS.text).text('計画期間の累計', MARGIN.left + 66, top - 13, { lineBreak: false });
  view.indicators.forEach((indicator, i) => {
    const y = top + 6 + i * rowHeight;
    doc
      .font('jp')
      .fontSize(7.5)
      .fillColor(COLORS.text)
      .text(indicator.label, MARGIN.left, y, { width: labelWidth - 8, height: rowHeight - 4, ellipsis: true });
    const bars: Array<[Shown, string, number]> = [
      [indicator.ratio, COLORS.actual, y],
      [indicator.cumulativeRatio, COLORS.target, y + 10],
    ];
    for (const [s, color, by] of bars) {
      let end = left;
      if (!s.hidden && s.value !== null) {
        end = left + Math.min(s.value, 1.5) * scale;
        if (end > left) doc.rect(left, by, end - left, 8).fill(color);
      }
      doc
        .font('jp')
        .fontSize(7)
        .fillColor(COLORS.text)
        .text(formatShown(s, 'ratio'), end + 3, by, { lineBreak: false });
    }
  });
  const bottom = top + view.indicators.length * rowHeight;
  doc
    .moveTo(left + scale, top)
    .lineTo(left + scale, bottom)
    .dash(2, { space: 2 })
    .lineWidth(0.6)
    .strokeColor(COLORS.muted)
    .stroke()
    .undash();
  doc.moveTo(left, top).lineTo(left, bottom).lineWidth(0.8).strokeColor(COLORS.muted).stroke();
  doc
    .font('jp')
    .fontSize(7)
    .fillColor(COLORS.muted)
    .text('100%', left + scale - 12, bottom + 2, { width: 24, align: 'center', lineBreak: false });
  doc.fillColor(COLORS.text);
  doc.x = MARGIN.left;
  doc.y = bottom + 16;
}

function drawIndicator(doc: Doc, indicator: IndicatorView, n: number): void {
  doc.addPage();
  heading(doc, `2-${n}. ${indicator.label}（${indicator.unit}）`);
  drawBarChart(doc, indicator);
  heading(doc, '年度別の推移', 10.5);
  table(
    doc,
    [
      { header: '年度', width: 0.22 },
      { header: '目標', width: 0.12, align: 'right' },
      { header: '実績', width: 0.12, align: 'right' },
      { header: '達成率', width: 0.11, align: 'right' },
      { header: '累計目標', width: 0.15, align: 'right' },
      { header: '累計実績', width: 0.15, align: 'right' },
      { header: '累計達成率', width: 0.13, align: 'right' },
    ],
    indicator.trend.map((t) => [
      t.label,
      num(t.target),
      num(t.actual),
      pct(t.ratio),
      num(t.cumulativeTarget),
      num(t.cumulativeActual),
      pct(t.cumulativeRatio),
    ]),
  );
  if (indicator.municipalities.length) {
    heading(doc, '市町村別（当年度）', 10.5);
    table(
      doc,
      [
        { header: '全国地方公共団体コード', width: 0.22, align: 'center' },
        { header: '市町村', width: 0.3 },
        { header: '目標', width: 0.16, align: 'right' },
        { header: '実績', width: 0.16, align: 'right' },
        { header: '達成率', width: 0.16, align: 'right' },
      ],
      indicator.municipalities.map((m) => [m.code, m.name, num(m.target), num(m.actual), pct(m.ratio)]),
    );
  }
  heading(doc, '県の評価', 10.5);
  paragraph(doc, indicator.commentary?.trim() || '（記載なし）');
  if (indicator.opinions.length) {
    heading(doc, '評価委員会の意見', 10.5);
    for (const o of indicator.opinions) drawOpinion(doc, o);
  }
}

/**
 * Plan vs actual per fiscal year of the plan: a grey bar for the target, a blue one for the actual, the value
 * above each; a hidden actual is marked X and a missing one —, with no bar.
 */
function drawBarChart(doc: Doc, indicator: IndicatorView): void {
  // The plan's years: a year before the plan (the baseline's) would dwarf the yearly increments.
  const inPlan = indicator.trend.filter((t) => t.inPlan);
  const years = inPlan.length ? inPlan : indicator.trend;
  if (!years.length) return;
  const height = 170;
  ensureSpace(doc, height + 30);
  const top = doc.y + 14;
  const axisY = top + height - 28;
  const plotTop = top + 8;
  const left = MARGIN.left + 10;
  const width = CONTENT_WIDTH - 20;
  const values = years.flatMap((t) => [t.target.value ?? 0, t.actual.value ?? 0]);
  const max = Math.max(1, ...values);
  const scale = (axisY - plotTop - 12) / max;
  const slot = width / years.length;
  const bar = Math.min(28, slot / 3);

  // Legend
  doc.font('jp').fontSize(8).fillColor(COLORS.text);
  doc.rect(left, top - 10, 8, 8).fill(COLORS.target);
  doc.fillColor(COLORS.text).text('目標', left + 11, top - 11, { lineBreak: false });
  doc.rect(left + 45, top - 10, 8, 8).fill(COLORS.actual);
  doc.fillColor(COLORS.text).text('実績', left + 56, top - 11, { lineBreak: false });

  doc
    .moveTo(left, axisY)
    .lineTo(left + width, axisY)
    .lineWidth(0.8)
    .strokeColor(COLORS.muted)
    .stroke();
  years.forEach((t, i) => {
    const cx = left + slot * i + slot / 2;
    const bars: Array<[Shown, string, number]> = [
      [t.target, COLORS.target, cx - bar - 2],
      [t.actual, COLORS.actual, cx + 2],
    ];
    for (const [s, color, x] of bars) {
      const label = formatShown(s);
      let labelY = axisY - 11;
      if (s.value !== null && !s.hidden) {
        const h = s.value * scale;
        if (h > 0) doc.rect(x, axisY - h, bar, h).fill(color);
        labelY = axisY - h - 10;
      }
      doc
        .font('jp')
        .fontSize(7)
        .fillColor(COLORS.text)
        .text(label, x - 12, labelY, { width: bar + 24, align: 'center', lineBreak: false });
    }
    doc
      .fontSize(7.5)
      .fillColor(COLORS.text)
      .text(t.label.replace('（', '\n（'), cx - slot / 2, axisY + 4, { width: slot, align: 'center' });
  });
  doc.fillColor(COLORS.text);
  doc.x = MARGIN.left;
  doc.y = top + height;
}

function drawOpinion(doc: Doc, o: { date: string; author: string; text: string }): void {
  ensureSpace(doc, 40);
  doc.font('jp-bold').fontSize(9).text(`${o.date}　${o.author}`, MARGIN.left, doc.y, { width: CONTENT_WIDTH });
  paragraph(doc, o.text);
  doc.moveDown(0.4);
}

function drawDepth(doc: Doc, view: ReportView): void {
  if (!view.stageTransitions && !view.cohortRetention) return;
  doc.addPage();
  heading(doc, '3. 関係の深まり');
  const st = view.stageTransitions;
  if (st) {
    heading(doc, st.title, 10.5);
    paragraph(doc, '行：年度初めの段階、列：移行先の段階（人）', 8.5, COLORS.muted);
    doc.moveDown(0.2);
    const w = 0.88 / (st.stages.length + 1);
    table(
      doc,
      [
        { header: '移行元＼移行先', width: 0.12 },
        ...st.stages.map((s) => ({ header: s, width: w, align: 'right' as const })),
        { header: '計', width: w, align: 'right' },
      ],
      [
        ...st.stages.map((s, i) => [s, ...st.counts[i]!.map(num), num(st.rowTotals[i]!)]),
        ['計', ...st.columnTotals.map(num), num(st.total)],
      ],
      7.5,
    );
  }
  const cr = view.cohortRetention;
  if (cr) {
    heading(doc, '継続率（コホート）', 10.5);
    paragraph(doc, '各年度に活動した人のうち、翌年度以降も活動を続けた人（人・割合）', 8.5, COLORS.muted);
    doc.moveDown(0.2);
    const w = 0.6 / Math.max(1, cr.horizon * 2);
    table(
      doc,
      [
        { header: '年度', width: 0.26 },
        { header: '活動した人', width: 0.14, align: 'right' },
        ...Array.from({ length: cr.horizon }, (_, k) => [
          { header: `${k + 1}年後`, width: w, align: 'right' as const },
          { header: `${k + 1}年後の継続率`, width: w, align: 'right' as const },
        ]).flat(),
      ],
      cr.rows.map((r) => [r.cohort, num(r.size), ...r.retained.flatMap((x) => [num(x.count), pct(x.rate)])]),
    );
  }
}

function drawGeneralOpinions(doc: Doc, view: ReportView): void {
  heading(doc, '4. 評価委員会の意見（全体）');
  if (!view.generalOpinions.length) paragraph(doc, '（記載なし）');
  for (const o of view.generalOpinions) drawOpinion(doc, o);
}

/** Page numbers on every page, and the draft mark at the top while the report is not approved. */
function drawPageFurniture(doc: Doc, view: ReportView): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit start a new page: lift it while we do.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('jp')
      .fontSize(8)
      .fillColor(COLORS.muted)
      .text(`${i + 1} / ${range.count}`, MARGIN.left, PAGE.height - 34, {
        width: CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
    doc.text(`${view.title}　${view.fiscalYearTitle}`, MARGIN.left, 26, {
      width: CONTENT_WIDTH,
      align: 'left',
      lineBreak: false,
    });
    if (view.approval === null)
      doc
        .font('jp-bold')
        .fillColor('#b00020')
        .text('【案】', MARGIN.left, 26, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
