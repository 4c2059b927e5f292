/**
 * The evaluation report for the September committee (施策評価報告書) as plain data, and the view
 * both renderers (PDF: kpi.report-pdf.ts, .xlsx: kpi.report-xlsx.ts) draw from. The data is
 * gathered elsewhere (the KPI service, from the records); here it is only checked, labelled in
 * Japanese (和暦 and 西暦 years, dates in Japan time, numbers with thousands separators) and, for
 * a public report, passed through the disclosure control of kpi.suppression.ts. Pure.
 */
import { z } from 'zod';
import { todayInTokyo } from '../../shared/dates.js';
import { fiscalYearWareki, toWareki } from '../../shared/wareki.js';
import { HIDDEN_MARK, type SuppressedValue, suppressCounts, withTotals } from './kpi.suppression.js';

const fiscalYear = z.number().int().min(1989).max(2999).describe('Fiscal year by the year it starts in (April)');
const count = z.number().finite().nonnegative();
const figure = count.nullable();

export const ZIndicatorYear = z.object({
  fiscalYear,
  target: figure.describe('The target for that year (the increment of the plan), null when the plan sets none'),
  actual: figure.describe('The figure computed from the records; null when there is no data'),
});

export const ZReportMunicipalityRow = z.object({
  code: z
    .string()
    .regex(/^\d{6}$/)
    .describe('全国地方公共団体コード'),
  name: z.string().min(1),
  target: figure,
  actual: figure,
});

export const ZReportIndicator = z.object({
  code: z.string().min(1),
  label: z.string().min(1),
  unit: z.string().min(1).describe('人, 団体, 件 …'),
  isPeopleCount: z.boolean().describe('Counts of people are suppressed below 10 in a public report'),
  baseline: figure,
  target: figure.describe("This fiscal year's target"),
  actual: figure.describe("This fiscal year's actual; null when there is no data"),
  cumulativeTarget: figure.describe('Sum of the targets from the first year of the plan to this one'),
  cumulativeActual: figure.describe('Sum of the actuals from the first year of the plan to this one'),
  achievementRatio: z.number().finite().nonnegative().nullable().describe('actual / target (1 = 100%)'),
  trend: z.array(ZIndicatorYear).describe('Each fiscal year with a figure, earlier plans included'),
  municipalities: z.array(ZReportMunicipalityRow).describe("This fiscal year's figures per municipality"),
  commentary: z.string().nullable().describe("The prefecture's own assessment of the indicator"),
});

export const ZStageTransitions = z.object({
  fiscalYear,
  stages: z.array(z.string().min(1)).min(1).describe('Stage labels, in order (関心 … 定住)'),
  counts: z.array(z.array(z.number().int().nonnegative())).describe('counts[from][to]: people moving in the year'),
});

export const ZCohortRetention = z.object({
  rows: z.array(
    z.object({
      cohortFiscalYear: fiscalYear,
      cohortSize: z.number().int().nonnegative().describe('People active in the cohort year'),
      retained: z
        .array(z.number().int().nonnegative().nullable())
        .describe('retained[k]: of them, still active k + 1 years later; null when that year is not over'),
    }),
  ),
});

export const ZCommitteeOpinion = z.object({
  date: z.iso.date().describe('Date the committee gave the opinion'),
  author: z.string().min(1).describe('The committee or its member'),
  indicatorCode: z.string().nullable().describe('The indicator it is about; null for the plan as a whole'),
  text: z.string().min(1),
});

export const ZReportStatus = z.discriminatedUnion('state', [
  z.object({ state: z.literal('draft') }),
  z.object({
    state: z.literal('approved'),
    approvedBy: z.string().min(1),
    approvedAt: z.iso.datetime({ offset: true }),
  }),
]);

export const ZEvaluationReportData = z.object({
  prefectureName: z.string().min(1),
  plan: z.object({
    name: z.string().min(1),
    firstFiscalYear: fiscalYear,
    lastFiscalYear: fiscalYear,
  }),
  fiscalYear,
  indicators: z.array(ZReportIndicator),
  depth: z.object({
    stageTransitions: ZStageTransitions.nullable(),
    cohortRetention: ZCohortRetention.nullable(),
  }),
  committeeOpinions: z.array(ZCommitteeOpinion),
  status: ZReportStatus,
  generatedAt: z.iso.datetime({ offset: true }),
});

export type EvaluationReportData = z.infer<typeof ZEvaluationReportData>;
export type ReportIndicator = z.infer<typeof ZReportIndicator>;

/** Who reads the report: the public (counts of people suppressed) or staff (figures as they are). */
export type ReportAudience = 'public' | 'staff';

export const REPORT_TITLE = '関係人口・移住 施策評価報告書';

/** actual / target, or null when either is missing or the target is 0. */
export function achievementRatio(actual: number | null, target: number | null): number | null {
  if (actual === null || target === null || target === 0) return null;
  return actual / target;
}

// ---- labels ----------------------------------------------------------------------------------

/** 令和7年度（2025年度） */
export function fiscalYearTitle(fy: number): string {
  const wareki = fiscalYearWareki(fy);
  return wareki ? `${wareki}（${fy}年度）` : `${fy}年度`;
}

/** 令和6年度〜令和8年度（2024〜2026年度） */
export function planPeriodLabel(first: number, last: number): string {
  return `${fiscalYearWareki(first) ?? `${first}年度`}〜${fiscalYearWareki(last) ?? `${last}年度`}（${first}〜${last}年度）`;
}

/** A calendar date (yyyy-mm-dd) as 令和7年9月10日（2025年9月10日）. */
export function dateLabel(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return `${toWareki(isoDate) ?? ''}（${y}年${m}月${d}日）`;
}

/** An instant as the date it was in Japan, labelled as dateLabel does. */
export function instantDateLabel(instant: string): string {
  return dateLabel(todayInTokyo(new Date(instant)));
}

const NUMBER = new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 1 });

/** 7,178 — thousands separators, at most one decimal. */
export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

/** 104.2% */
export function formatRatio(r: number): string {
  return `${(r * 100).toFixed(1)}%`;
}

// ---- the view --------------------------------------------------------------------------------

/** A figure as it may be shown: hidden (X), no data (null), or the number. */
export type Shown = { value: number | null; hidden: boolean };

const shown = (value: number | null, hidden = false): Shown => ({ value: hidden ? null : value, hidden });

/** X, — (no data) or the number with separators. */
export function formatShown(s: Shown, kind: 'number' | 'ratio' = 'number'): string {
  if (s.hidden) return HIDDEN_MARK;
  if (s.value === null) return '—';
  return kind === 'ratio' ? formatRatio(s.value) : formatNumber(s.value);
}

export type TrendRowView = {
  fiscalYear: number;
  label: string;
  inPlan: boolean;
  target: Shown;
  actual: Shown;
  ratio: Shown;
  cumulativeTarget: Shown;
  cumulativeActual: Shown;
  cumulativeRatio: Shown;
};

export type IndicatorView = {
  code: string;
  label: string;
  unit: string;
  baseline: Shown;
  target: Shown;
  actual: Shown;
  ratio: Shown;
  cumulativeTarget: Shown;
  cumulativeActual: Shown;
  cumulativeRatio: Shown;
  trend: TrendRowView[];
  municipalities: Array<{ code: string; name: string; target: Shown; actual: Shown; ratio: Shown }>;
  commentary: string | null;
  opinions: Array<{ date: string; author: string; text: string }>;
};

export type ReportView = {
  audience: ReportAudience;
  title: string;
  prefectureName: string;
  planName: string;
  planPeriod: string;
  fiscalYear: number;
  fiscalYearTitle: string;
  statusLabel: string;
  approval: string | null;
  generatedOn: string;
  indicators: IndicatorView[];
  stageTransitions: {
    title: string;
    stages: string[];
    counts: Shown[][];
    rowTotals: Shown[];
    columnTotals: Shown[];
    total: Shown;
  } | null;
  cohortRetention: {
    horizon: number;
    rows: Array<{ cohort: string; size: Shown; retained: Array<{ count: Shown; rate: Shown }> }>;
  } | null;
  generalOpinions: Array<{ date: string; author: string; text: string }>;
  /** Explains X in a public report. */
  suppressionNote: string | null;
};

const fromSuppressed = (v: SuppressedValue): Shown => shown(v.value, v.suppression !== null);

/**
 * The report as the renderers draw it. For the public, counts of people below 10 and the figures
 * that would reveal one are hidden (`X`), and so is any ratio computed from a hidden count.
 * Refuses data that does not hold together (the trend's figure for the year differing from the
 * year's actual), naming the indicator.
 */
export function prepareReport(input: EvaluationReportData, audience: ReportAudience): ReportView {
  const data = ZEvaluationReportData.parse(input);
  const isPublic = audience === 'public';
  const indicators = data.indicators.map((indicator) => indicatorView(data, indicator, isPublic));
  const st = data.depth.stageTransitions;
  let stageTransitions: ReportView['stageTransitions'] = null;
  if (st) {
    if (st.counts.length !== st.stages.length || st.counts.some((row) => row.length !== st.stages.length))
      throw new RangeError('stage transitions: counts must be a square table, one row and column per stage');
    const table = withTotals(st.counts);
    const view = isPublic
      ? suppressCounts(table)
      : {
          cells: st.counts.map((row) => row.map((value) => ({ value, suppression: null }))),
          rowTotals: table.rowTotals!.map((value) => ({ value, suppression: null })),
          columnTotals: table.columnTotals!.map((value) => ({ value, suppression: null })),
          grandTotal: { value: table.grandTotal!, suppression: null },
        };
    stageTransitions = {
      title: `段階の移行（${fiscalYearTitle(st.fiscalYear)}）`,
      stages: st.stages,
      counts: view.cells.map((row) => row.map(fromSuppressed)),
      rowTotals: view.rowTotals!.map(fromSuppressed),
      columnTotals: view.columnTotals!.map(fromSuppressed),
      total: fromSuppressed(view.grandTotal!),
    };
  }
  const cr = data.depth.cohortRetention;
  const horizon = cr ? Math.max(0, ...cr.rows.map((r) => r.retained.length)) : 0;
  const small = (n: number) => isPublic && n < 10;
  const cohortRetention = cr
    ? {
        horizon,
        rows: cr.rows.map((r) => {
          const sizeHidden = small(r.cohortSize);
          return {
            cohort: fiscalYearTitle(r.cohortFiscalYear),
            size: shown(r.cohortSize, sizeHidden),
            retained: Array.from({ length: horizon }, (_, k) => {
              const n = r.retained[k] ?? null;
              if (n === null) return { count: shown(null), rate: shown(null) };
              const hidden = small(n);
              // A rate and a shown size give the count away: the rate goes with either.
              return {
                count: shown(n, hidden),
                rate: shown(r.cohortSize > 0 ? n / r.cohortSize : null, hidden || sizeHidden),
              };
            }),
          };
        }),
      }
    : null;

  return {
    audience,
    title: REPORT_TITLE,
    prefectureName: data.prefectureName,
    planName: data.plan.name,
    planPeriod: planPeriodLabel(data.plan.firstFiscalYear, data.plan.lastFiscalYear),
    fiscalYear: data.fiscalYear,
    fiscalYearTitle: fiscalYearTitle(data.fiscalYear),
    statusLabel: data.status.state === 'approved' ? '承認済み' : '案（未承認）',
    approval:
      data.status.state === 'approved'
        ? `${instantDateLabel(data.status.approvedAt)} 承認　承認者：${data.status.approvedBy}`
        : null,
    generatedOn: instantDateLabel(data.generatedAt),
    indicators,
    stageTransitions,
    cohortRetention,
    generalOpinions: data.committeeOpinions
      .filter((o) => o.indicatorCode === null)
      .map((o) => ({ date: dateLabel(o.date), author: o.author, text: o.text })),
    suppressionNote: isPublic
      ? 'X：秘匿。個人の特定を防ぐため、10人未満の人数と、ほかの数値からそれが計算できてしまう数値を X と表示しています。'
      : null,
  };
}

function indicatorView(data: EvaluationReportData, indicator: ReportIndicator, isPublic: boolean): IndicatorView {
  const { firstFiscalYear, lastFiscalYear } = data.plan;
  const where = `indicator ${indicator.code}`;
  const trend = [...indicator.trend].sort((a, b) => a.fiscalYear - b.fiscalYear);
  for (let i = 1; i < trend.length; i++)
    if (trend[i]!.fiscalYear === trend[i - 1]!.fiscalYear)
      throw new RangeError(`${where}: fiscal year ${trend[i]!.fiscalYear} appears twice in the trend`);
  const thisYear = trend.find((t) => t.fiscalYear === data.fiscalYear);
  if (thisYear && thisYear.actual !== indicator.actual)
    throw new RangeError(`${where}: the trend's actual for ${data.fiscalYear} differs from the year's actual`);
  if (!thisYear) trend.push({ fiscalYear: data.fiscalYear, target: indicator.target, actual: indicator.actual });
  trend.sort((a, b) => a.fiscalYear - b.fiscalYear);
  const people = isPublic && indicator.isPeopleCount;
  if (people)
    for (const [k, v] of [
      ['actual', indicator.actual],
      ['cumulativeActual', indicator.cumulativeActual],
    ] as const)
      if (v !== null && !Number.isInteger(v)) throw new RangeError(`${where}: ${k} must be a whole number of people`);

  // Hidden yearly actuals: below 10, and what the municipalities' column needs hidden.
  const hiddenYears = new Set<number>();
  if (people) for (const t of trend) if (t.actual !== null && t.actual < 10) hiddenYears.add(t.fiscalYear);
  const withData = indicator.municipalities.filter((m) => m.actual !== null);
  let municipalHidden: boolean[] = withData.map(() => false);
  if (people && withData.length) {
    const table = suppressCounts(
      {
        cells: withData.map((m) => [m.actual!]),
        columnTotals: indicator.actual !== null ? [indicator.actual] : null,
      },
      hiddenYears.has(data.fiscalYear) && indicator.actual !== null ? { alsoHide: { columnTotals: [0] } } : {},
    );
    municipalHidden = table.cells.map((row) => row[0]!.suppression !== null);
    if (table.columnTotals?.[0]?.suppression) hiddenYears.add(data.fiscalYear);
  }
  // Running sums over the plan's years: once a year is hidden, every later sum is too (two
  // neighbouring sums would give the hidden year away); one unknown more than equations remains.
  let cumulativeTarget: number | null = 0;
  let cumulativeActual: number | null = 0;
  let cumulativeHidden = false;
  const trendView: TrendRowView[] = trend.map((t) => {
    const inPlan = t.fiscalYear >= firstFiscalYear && t.fiscalYear <= lastFiscalYear;
    const hidden = hiddenYears.has(t.fiscalYear);
    if (inPlan) {
      cumulativeTarget = cumulativeTarget === null || t.target === null ? null : cumulativeTarget + t.target;
      cumulativeActual = cumulativeActual === null || t.actual === null ? null : cumulativeActual + t.actual;
      cumulativeHidden ||= hidden;
    }
    const ct = inPlan ? cumulativeTarget : null;
    const ca = inPlan ? cumulativeActual : null;
    return {
      fiscalYear: t.fiscalYear,
      label: fiscalYearTitle(t.fiscalYear),
      inPlan,
      target: shown(t.target),
      actual: shown(t.actual, hidden),
      ratio: shown(achievementRatio(t.actual, t.target), hidden),
      cumulativeTarget: shown(ct),
      cumulativeActual: shown(ca, inPlan && cumulativeHidden),
      cumulativeRatio: shown(achievementRatio(ca, ct), inPlan && cumulativeHidden),
    };
  });
  const yearHidden = hiddenYears.has(data.fiscalYear);
  const yearRow = trendView.find((t) => t.fiscalYear === data.fiscalYear)!;
  const cumulativeActualHidden = yearRow.cumulativeActual.hidden;
  const opinions = data.committeeOpinions
    .filter((o) => o.indicatorCode === indicator.code)
    .map((o) => ({ date: dateLabel(o.date), author: o.author, text: o.text }));
  return {
    code: indicator.code,
    label: indicator.label,
    unit: indicator.unit,
    // The baseline and the targets are the plan's own published figures, not counts to protect.
    baseline: shown(indicator.baseline),
    target: shown(indicator.target),
    actual: shown(indicator.actual, yearHidden),
    ratio: shown(indicator.achievementRatio, yearHidden),
    cumulativeTarget: shown(indicator.cumulativeTarget),
    cumulativeActual: shown(indicator.cumulativeActual, cumulativeActualHidden),
    cumulativeRatio: shown(
      achievementRatio(indicator.cumulativeActual, indicator.cumulativeTarget),
      cumulativeActualHidden,
    ),
    trend: trendView,
    municipalities: indicator.municipalities.map((m) => {
      const i = withData.indexOf(m);
      const hidden = i >= 0 && municipalHidden[i]!;
      return {
        code: m.code,
        name: m.name,
        target: shown(m.target),
        actual: shown(m.actual, hidden),
        ratio: shown(achievementRatio(m.actual, m.target), hidden),
      };
    }),
    commentary: indicator.commentary,
    opinions,
  };
}
