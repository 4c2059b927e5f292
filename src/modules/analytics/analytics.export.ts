/**
 * The needs analysis as files for the plan review: .xlsx (one sheet per table, Japanese headers,
 * number formats) and .csv (UTF-8 with BOM, as Excel in Japan opens it). Both are built from the
 * same table model, so the sheets, the per-table CSV and the long CSV always agree.
 *
 * CSV shape: `table=<name>` gives that table with its own columns (the same as its sheet); without
 * `table`, every table as the workbook shows it, one block after another: the table's title on a
 * row of its own, its header row, its rows, and an empty row before the next — so an office reads
 * the CSV as it reads the sheets. Shares are fractions 0–1 in CSV and percentages in the workbook.
 * Both files are written by the shared writers (platform/export), which neutralise formula-like text.
 */
import { csvFile } from '../../platform/export/export.csv.js';
import type { ExportCell } from '../../platform/export/export.cells.js';
import { xlsxFile } from '../../platform/export/export.xlsx.js';
import { fiscalYearLabelJa } from './analytics.rules.js';
import type { AnalyticsFormat, AnalyticsTable, ConsultationAnalyticsView } from './analytics.schemas.js';
import { AREA_LABELS, CHANNEL_LABELS, END_REASON_LABELS, STAGE_LABELS, TOPIC_LABELS } from './analytics.labels.js';

type Kind = 'text' | 'int' | 'share' | 'days';
type Column = { header: string; kind: Kind; width?: number };
type Cell = string | number | null;
export type ExportTable = {
  key: AnalyticsTable;
  title: string;
  columns: Column[];
  rows: Cell[][];
  labelColumns: number;
};

export const MEDIA_TYPES: Record<AnalyticsFormat, string> = {
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

/**
 * The format an Accept header asks for: the listed type with the highest q among JSON, xlsx and
 * CSV (ties: the one listed first); JSON when none is listed, for `*\/*` or without the header.
 */
export function negotiateFormat(accept: string | undefined): AnalyticsFormat {
  if (!accept) return 'json';
  let best: { format: AnalyticsFormat; q: number } | null = null;
  for (const part of accept.split(',')) {
    const [type, ...params] = part
      .trim()
      .toLowerCase()
      .split(';')
      .map((s) => s.trim());
    const format = (Object.keys(MEDIA_TYPES) as AnalyticsFormat[]).find((f) => MEDIA_TYPES[f] === type);
    if (!format) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { format, q };
  }
  return best?.format ?? 'json';
}

/** consultations-FY2026.xlsx, consultations-FY2026-062014-areas.csv */
export function exportFileName(
  view: ConsultationAnalyticsView,
  format: Exclude<AnalyticsFormat, 'json'>,
  table?: AnalyticsTable,
): string {
  const parts = ['consultations', `FY${view.fiscalYear}`];
  if (view.municipality) parts.push(view.municipality.code);
  if (format === 'csv' && table) parts.push(table);
  return `${parts.join('-')}.${format}`;
}

const int = (header: string, width = 12): Column => ({ header, kind: 'int', width });
const pct = (header: string, width = 12): Column => ({ header, kind: 'share', width });
const text = (header: string, width = 18): Column => ({ header, kind: 'text', width });

/** The tables of the analysis, in sheet order. */
export function analyticsTables(view: ConsultationAnalyticsView): ExportTable[] {
  const { totals } = view;
  const monthLabel = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`;
  return [
    {
      key: 'summary',
      title: '概要',
      labelColumns: 1,
      columns: [text('項目', 28), { header: '値', kind: 'int', width: 36 }],
      rows: [
        ['年度', fiscalYearLabelJa(view.fiscalYear)],
        ['期間', `${view.from} 〜 ${view.to}`],
        ['市町村', view.municipality ? `${view.municipality.name}（${view.municipality.code}）` : '全市町村'],
        ['相談件数', totals.consultations],
        ['相談者数（実人数）', totals.people],
        ['新規ケース数（初回相談）', totals.casesOpened],
        ['移住件数（転入日が年度内）', totals.moves],
        ['作成日時', view.generatedAt],
      ],
    },
    {
      key: 'areas',
      title: '相談者の居住地域',
      labelColumns: 1,
      columns: [text('地域', 40), int('相談者数'), pct('相談者の割合'), int('相談件数'), pct('相談件数の割合')],
      rows: view.areas.map((a) => [
        AREA_LABELS[a.area],
        a.people,
        a.peopleShare,
        a.consultations,
        a.consultationsShare,
      ]),
    },
    {
      key: 'topics',
      title: '相談内容の推移',
      labelColumns: 1,
      columns: [text('月', 12), int('相談件数'), ...view.topicTotals.map((t) => int(TOPIC_LABELS[t.topic], 10))],
      rows: [
        ...view.topicsByMonth.map((m) => [
          monthLabel(m.month),
          m.consultations,
          ...view.topicTotals.map((t) => m.topics[t.topic]),
        ]),
        ['年度計', totals.consultations, ...view.topicTotals.map((t) => t.consultations)],
      ],
    },
    {
      key: 'channels',
      title: '相談経路と移住',
      labelColumns: 1,
      columns: [text('相談経路', 20), int('相談件数'), int('相談者数'), int('うち移住した人数', 16), pct('移住率')],
      rows: view.channels.map((c) => [CHANNEL_LABELS[c.channel], c.consultations, c.people, c.peopleMoved, c.moveRate]),
    },
    {
      key: 'time_to_move',
      title: '初回相談から移住までの日数',
      labelColumns: 1,
      columns: [
        text('対象', 30),
        int('移住件数'),
        { header: '25パーセンタイル（日）', kind: 'days', width: 20 },
        { header: '中央値（日）', kind: 'days', width: 14 },
        { header: '75パーセンタイル（日）', kind: 'days', width: 20 },
      ],
      rows: [
        [
          '年度内に移住したケース',
          view.timeToMove.cases,
          view.timeToMove.p25,
          view.timeToMove.median,
          view.timeToMove.p75,
        ],
      ],
    },
    {
      key: 'conversion',
      title: '段階別の到達（年度内に開始したケース）',
      labelColumns: 1,
      columns: [text('段階', 30), int('ケース数'), pct('開始ケースに対する割合', 20), pct('前の段階からの移行率', 20)],
      rows: [
        ...view.conversion.stages.map((s) => [STAGE_LABELS[s.stage], s.cases, s.shareOfOpened, s.shareOfPrevious]),
        [
          '終了（移住せず）',
          view.conversion.ended.cases,
          view.conversion.casesOpened ? view.conversion.ended.cases / view.conversion.casesOpened : null,
          null,
        ],
        ...view.conversion.ended.byReason.map((r) => [
          `終了の理由：${END_REASON_LABELS[r.reason]}`,
          r.cases,
          view.conversion.casesOpened ? r.cases / view.conversion.casesOpened : null,
          null,
        ]),
      ],
    },
    {
      key: 'municipalities',
      title: '市町村別',
      labelColumns: 2,
      columns: [
        text('市町村コード', 14),
        text('市町村名', 14),
        int('相談件数（関心のある市町村）', 26),
        int('新規ケース数'),
        int('移住件数'),
      ],
      rows: view.municipalities.map((m) => [m.code, m.name, m.consultations, m.casesOpened, m.moves]),
    },
  ];
}

const NUM_FMT: Record<Kind, string | undefined> = { text: undefined, int: '#,##0', share: '0.0%', days: '#,##0.0' };

/** One sheet per table: bold frozen header, number formats, column widths, auto-filter. */
export async function toXlsx(view: ConsultationAnalyticsView): Promise<Buffer> {
  return xlsxFile({
    title: `移住相談の分析 ${fiscalYearLabelJa(view.fiscalYear)}`,
    created: new Date(view.generatedAt),
    sheets: analyticsTables(view).map((table) => ({
      name: table.title,
      columns: table.columns.map((c) => ({ header: c.header, width: c.width, numFmt: NUM_FMT[c.kind] })),
      rows: table.rows,
    })),
  });
}

/** Shares are rounded to four places in CSV; the workbook keeps them exact under a % format. */
const csvValue = (v: Cell, kind: Kind): ExportCell =>
  typeof v === 'number' && kind === 'share' ? Math.round(v * 10_000) / 10_000 : v;

/** A table's header row and rows, as its sheet has them. */
const tableRecords = (t: ExportTable): ExportCell[][] => [
  t.columns.map((c) => c.header),
  ...t.rows.map((r) => r.map((v, i) => csvValue(v, t.columns[i]!.kind))),
];

/** UTF-8 CSV with BOM and CRLF: one table with its own columns, or every table in sheet order, each under its title. */
export function toCsv(view: ConsultationAnalyticsView, table?: AnalyticsTable): Buffer {
  const tables = analyticsTables(view);
  let records: ExportCell[][];
  if (table) {
    records = tableRecords(tables.find((x) => x.key === table)!);
  } else {
    records = [];
    for (const [i, t] of tables.entries()) {
      if (i > 0) records.push([]);
      records.push([t.title], ...tableRecords(t));
    }
  }
  return csvFile(records, { encoding: 'utf8' });
}
