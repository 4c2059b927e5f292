/**
 * The rules of the needs analysis as pure functions: the area a prefecture belongs to, the fiscal
 * year of a date and its range, percentiles. The SQL does the counting; these decide what the
 * counts mean. Property-tested in analytics.rules.test.ts.
 */
import { PREFECTURES, type CaseStep, type Prefecture } from '../../shared/domain.js';
import { todayInTokyo } from '../../shared/dates.js';
import { eraOf } from '../../shared/wareki.js';
import { RUNG } from '../consultations/index.js';
import { FUNNEL_STAGES, type Area } from './analytics.schemas.js';

/** The prefectures of each named area, as the center's plan groups where consulting people live. */
export const AREA_PREFECTURES: Readonly<Record<Exclude<Area, 'other' | 'unknown'>, readonly Prefecture[]>> = {
  shutoken: ['東京都', '神奈川県', '埼玉県', '千葉県'],
  kansai: ['大阪府', '京都府', '兵庫県', '奈良県', '滋賀県', '和歌山県'],
  chukyo: ['愛知県', '岐阜県', '三重県'],
  yamagata: ['山形県'],
};

const AREA_OF = new Map<string, Area>(
  Object.entries(AREA_PREFECTURES).flatMap(([area, prefectures]) => prefectures.map((p) => [p, area as Area] as const)),
);
const KNOWN_PREFECTURES: ReadonlySet<string> = new Set(PREFECTURES);

/**
 * The area of a prefecture written by its full name (東京都, 大阪府). Any other prefecture is
 * `other`; no value, or a value that is not one of the 47 prefectures, is `unknown`.
 */
export function areaOfPrefecture(prefecture: string | null | undefined): Area {
  if (!prefecture || !KNOWN_PREFECTURES.has(prefecture)) return 'unknown';
  return AREA_OF.get(prefecture) ?? 'other';
}

/** The Japanese fiscal year (April–March) a yyyy-mm-dd date falls in: 2027-03-31 → 2026. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

/** The first and last day of a fiscal year, yyyy-mm-dd (inclusive). */
export function fiscalYearRange(fy: number): { from: string; to: string } {
  return { from: `${String(fy).padStart(4, '0')}-04-01`, to: `${String(fy + 1).padStart(4, '0')}-03-31` };
}

/** The fiscal year Japan is in now (Asia/Tokyo, whatever the server's time zone). */
export function currentFiscalYear(now: Date = new Date()): number {
  return fiscalYearOf(todayInTokyo(now));
}

/** The twelve months of a fiscal year as yyyy-mm, April first. */
export function fiscalMonths(fy: number): string[] {
  return Array.from({ length: 12 }, (_, i) => {
    const month = ((i + 3) % 12) + 1;
    const year = month >= 4 ? fy : fy + 1;
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  });
}

/**
 * 2026 → "2026年度（令和8年度）", the way plans and reports name a fiscal year. A year in which the
 * era changed takes the new era's name (2019年度 = 令和元年度), as the government names it.
 */
export function fiscalYearLabelJa(fy: number): string {
  const era = eraOf(`${String(fy).padStart(4, '0')}-12-31`);
  if (!era) return `${fy}年度`;
  const eraYear = fy - era.firstYear + 1;
  return `${fy}年度（${era.name}${eraYear === 1 ? '元' : eraYear}年度）`;
}

/**
 * The p-th percentile (0–100) of a sample with linear interpolation between the closest ranks —
 * the definition of PostgreSQL's percentile_cont and of Excel's PERCENTILE.INC. Null when empty.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return percentileOfSorted(sorted.length, (i) => sorted[i]!, p);
}

/**
 * The same percentile over a histogram — `[value, count]` pairs (counts ≥ 0, values in any
 * order) — without expanding it, so that SQL can send one row per distinct value.
 */
export function percentileOfCounts(
  histogram: ReadonlyArray<readonly [value: number, count: number]>,
  p: number,
): number | null {
  const bins = histogram.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  // Cumulative counts: the value at rank i is the first bin whose cumulative count exceeds i.
  const ends: number[] = [];
  let running = 0;
  for (const [, n] of bins) {
    running += n;
    ends.push(running);
  }
  const at = (rank: number) => {
    let lo = 0;
    let hi = bins.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! > rank) hi = mid;
      else lo = mid + 1;
    }
    return bins[lo]![0];
  };
  return percentileOfSorted(total, at, p);
}

function percentileOfSorted(n: number, valueAt: (rank: number) => number, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const position = (p / 100) * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(n - 1, lower + 1);
  const low = valueAt(lower);
  const fraction = position - lower;
  return fraction === 0 ? low : low + (valueAt(upper) - low) * fraction;
}

/** part / whole, null when whole is 0 (a share of nothing is not 0 %). */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/**
 * The funnel rung of each pipeline step (the consultations module's RUNG: visited and trial_stay
 * share a rung; `ended` is off the ladder, -1).
 */
export const FUNNEL_RUNG_OF_STEP: Readonly<Record<CaseStep, number>> = RUNG;

/**
 * Cases per funnel stage from the number of cases whose furthest rung is each value: a case that
 * reached a rung has passed every rung below it (steps may be skipped, never undone). Rungs
 * outside the ladder are ignored. The result is non-increasing, one count per FUNNEL_STAGES entry.
 */
export function funnelCounts(casesByFurthestRung: ReadonlyMap<number, number>): number[] {
  return FUNNEL_STAGES.map((_, rung) => {
    let reached = 0;
    for (const [furthest, count] of casesByFurthestRung)
      if (furthest >= rung && furthest < FUNNEL_STAGES.length) reached += count;
    return reached;
  });
}
