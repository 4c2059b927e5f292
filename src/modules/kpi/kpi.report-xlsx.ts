/**
 * The evaluation report as a workbook: one sheet per section, Japanese headers, figures as numbers
 * (with number formats) so the committee's staff can recompute them, `X` where a public report
 * suppresses a count of people, an empty cell where there is no data. Written by the shared .xlsx
 * writer (platform/export), which neutralises formula-like text.
 */
import type { ExportCell } from '../../platform/export/export.cells.js';
import { type XlsxColumn, type XlsxSheet, xlsxFile } from '../../platform/export/export.xlsx.js';
import { fiscalYearWareki } from '../../shared/wareki.js';
import { type EvaluationReportData, prepareReport, type ReportAudience, type Shown } from './kpi.report-data.js';
import { HIDDEN_MARK } from './kpi.suppression.js';

const COUNT = '#,##0';
const RATIO = '0.0%';

const cell = (s: Shown): ExportCell => (s.hidden ? HIDDEN_MARK : s.value);
const text = (header: string, width = 16): XlsxColumn => ({ header, width });
const count = (header: string, width = 12): XlsxColumn => ({ header, width, numFmt: COUNT });
const ratio = (header: string, width = 12): XlsxColumn => ({ header, width, numFmt: RATIO });

/** The sheet names, in order (at most 31 characters each, as Excel requires). */
export const REPORT_SHEETS = ['報告書', '概要', '推移', '市町村別', '段階の移行', '継続率', '評価と意見'] as const;

/** The report as .xlsx bytes. */
export async function renderReportXlsx(
  data: EvaluationReportData,
  options: { audience: ReportAudience },
): Promise<Buffer> {
  const view = prepareReport(data, options.audience);
  const sheets: XlsxSheet[] = [];
  sheets.push({
    name: '報告書',
    columns: [text('項目', 16), text('内容', 80)],
    rows: [
      ['報告書', view.title],
      ['年度', view.fiscalYearTitle],
      ['作成', view.prefectureName],
      ['計画', view.planName],
      ['計画期間', view.planPeriod],
      ['状態', view.statusLabel],
      ['承認', view.approval ?? ''],
      ['作成日', view.generatedOn],
      ...(view.suppressionNote ? [['注記', view.suppressionNote]] : []),
    ],
  });
  sheets.push({
    name: '概要',
    columns: [
      text('指標', 36),
      text('単位', 8),
      count('基準値'),
      count('目標'),
      count('実績'),
      ratio('達成率'),
      count('累計目標'),
      count('累計実績'),
      ratio('累計達成率'),
    ],
    rows: view.indicators.map((i) => [
      i.label,
      i.unit,
      cell(i.baseline),
      cell(i.target),
      cell(i.actual),
      cell(i.ratio),
      cell(i.cumulativeTarget),
      cell(i.cumulativeActual),
      cell(i.cumulativeRatio),
    ]),
  });
  sheets.push({
    name: '推移',
    columns: [
      text('指標', 36),
      { header: '年度', width: 8 },
      text('年度（和暦）', 14),
      text('計画期間', 10),
      count('目標'),
      count('実績'),
      ratio('達成率'),
      count('累計目標'),
      count('累計実績'),
      ratio('累計達成率'),
    ],
    rows: view.indicators.flatMap((i) =>
      i.trend.map((t) => [
        i.label,
        t.fiscalYear,
        fiscalYearWareki(t.fiscalYear),
        t.inPlan ? '計画期間内' : '計画期間外',
        cell(t.target),
        cell(t.actual),
        cell(t.ratio),
        cell(t.cumulativeTarget),
        cell(t.cumulativeActual),
        cell(t.cumulativeRatio),
      ]),
    ),
  });
  sheets.push({
    name: '市町村別',
    columns: [
      text('指標', 36),
      text('全国地方公共団体コード', 14),
      text('市町村', 14),
      count('目標'),
      count('実績'),
      ratio('達成率'),
    ],
    rows: view.indicators.flatMap((i) =>
      i.municipalities.map((m) => [i.label, m.code, m.name, cell(m.target), cell(m.actual), cell(m.ratio)]),
    ),
  });
  const st = view.stageTransitions;
  sheets.push({
    name: '段階の移行',
    columns: st
      ? [text('移行元＼移行先', 16), ...st.stages.map((s) => count(s, 10)), count('計', 10)]
      : [text('移行元＼移行先', 16)],
    rows: st
      ? [
          ...st.stages.map((s, i) => [s, ...st.counts[i]!.map(cell), cell(st.rowTotals[i]!)]),
          ['計', ...st.columnTotals.map(cell), cell(st.total)],
        ]
      : [],
  });
  const cr = view.cohortRetention;
  sheets.push({
    name: '継続率',
    columns: [
      text('年度', 22),
      count('活動した人'),
      ...Array.from({ length: cr?.horizon ?? 0 }, (_, k) => [
        count(`${k + 1}年後`),
        ratio(`${k + 1}年後の継続率`, 14),
      ]).flat(),
    ],
    rows: (cr?.rows ?? []).map((r) => [
      r.cohort,
      cell(r.size),
      ...r.retained.flatMap((x) => [cell(x.count), cell(x.rate)]),
    ]),
  });
  sheets.push({
    name: '評価と意見',
    columns: [text('指標', 36), text('種別', 18), text('日付', 28), text('記載者', 20), text('内容', 80)],
    rows: [
      ...view.indicators.flatMap((i) => [
        [i.label, '県の評価', '', view.prefectureName, i.commentary ?? ''],
        ...i.opinions.map((o) => [i.label, '評価委員会の意見', o.date, o.author, o.text]),
      ]),
      ...view.generalOpinions.map((o) => ['（全体）', '評価委員会の意見', o.date, o.author, o.text]),
    ],
  });
  return xlsxFile({
    title: `${view.title} ${view.fiscalYearTitle}`,
    created: new Date(data.generatedAt),
    sheets,
  });
}
