/**
 * The API shape of the needs analysis (移住相談の分析): `GET /api/analytics/consultations`. Shared by
 * the route (validation, OpenAPI) and the web UI's charts (types via z.infer). Everything here is
 * an aggregate — counts, shares, days — never a person.
 *
 * Definitions (docs/analytics.md has the long form):
 * - The fiscal year runs April–March in Asia/Tokyo; `fy=2026` is 2026-04-01 … 2027-03-31.
 * - A consultation counts in the year it took place (`occurred_on`); a case in the year it was
 *   opened (its first contact); a move in the year of the move-in date.
 * - With a municipality, only what concerns it counts: consultations naming it as a municipality
 *   of interest or whose case is about or moved to it; cases about or moved to it.
 * - Shares are fractions 0–1 (not percent), null when there is nothing to divide by.
 */
import { z } from 'zod';
import { CASE_END_REASONS, CONSULTATION_CHANNELS, CONSULTATION_TOPICS } from '../../shared/domain.js';
import { MunicipalityCode } from '../../platform/validation.js';

/** Where consulting people live, grouped as the center's plan reviews it. */
export const AREAS = ['shutoken', 'kansai', 'chukyo', 'yamagata', 'other', 'unknown'] as const;
export type Area = (typeof AREAS)[number];

/**
 * The rungs of the case pipeline for the conversion funnel. `visited` and `trial_stay` share one
 * rung (either may come first or alone), so the funnel shows them together.
 */
export const FUNNEL_STAGES = [
  'first_contact',
  'consulting',
  'visited_or_trial_stay',
  'decided',
  'moved',
  'settled',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The tables of the analysis; each is one sheet of the .xlsx and one `table=` of the .csv. */
export const ANALYTICS_TABLES = [
  'summary',
  'areas',
  'topics',
  'channels',
  'time_to_move',
  'conversion',
  'municipalities',
] as const;
export type AnalyticsTable = (typeof ANALYTICS_TABLES)[number];

export const ANALYTICS_FORMATS = ['json', 'xlsx', 'csv'] as const;
export type AnalyticsFormat = (typeof ANALYTICS_FORMATS)[number];

export const AnalyticsQuery = z
  .object({
    fy: z.coerce
      .number()
      .int()
      .min(2000)
      .max(2100)
      .optional()
      .describe('Fiscal year (April–March, Asia/Tokyo), e.g. 2026 = 2026-04-01…2027-03-31; default: the current one'),
    municipality: MunicipalityCode.optional().describe(
      'Only what concerns this municipality. Municipality staff always get their own (another code answers 404).',
    ),
    format: z
      .enum(ANALYTICS_FORMATS)
      .optional()
      .describe('json (default), xlsx (one sheet per table) or csv (UTF-8 with BOM); overrides Accept'),
    table: z
      .enum(ANALYTICS_TABLES)
      .optional()
      .describe('CSV only: just this table with its own columns. Without it the CSV is one long table: 表, 行, 列, 値'),
  })
  .strict();
export type AnalyticsQueryInput = z.infer<typeof AnalyticsQuery>;

const Count = z.number().int().min(0);
const Share = z.number().min(0).max(1).nullable().describe('Fraction 0–1; null when the base is 0');

export const ConsultationAnalytics = z.object({
  fiscalYear: z.number().int().describe('2026 = FY2026 (令和8年度)'),
  from: z.string().describe('First day of the fiscal year, yyyy-mm-dd'),
  to: z.string().describe('Last day of the fiscal year, yyyy-mm-dd'),
  municipality: z
    .object({ code: z.string(), name: z.string() })
    .nullable()
    .describe('The municipality filter; null = all'),
  generatedAt: z.string().describe('ISO timestamp of the computation'),
  totals: z.object({
    consultations: Count.describe('Consultations that took place in the year'),
    people: Count.describe('Distinct people among them'),
    casesOpened: Count.describe('Cases opened (first contact) in the year'),
    moves: Count.describe('Cases whose move-in date falls in the year'),
  }),
  /** Where consulting people live; a person counts once, in the area of their latest consultation of the year. */
  areas: z.array(
    z.object({
      area: z.enum(AREAS),
      people: Count,
      peopleShare: Share,
      consultations: Count,
      consultationsShare: Share,
    }),
  ),
  /** Topics over the year's twelve months (a consultation with three topics counts once for each). */
  topicsByMonth: z.array(
    z.object({
      month: z.string().describe('yyyy-mm'),
      consultations: Count,
      topics: z.record(z.enum(CONSULTATION_TOPICS), Count),
    }),
  ),
  topicTotals: z.array(
    z.object({
      topic: z.enum(CONSULTATION_TOPICS),
      consultations: Count,
      share: Share.describe('Of the year’s consultations'),
    }),
  ),
  /** Channels and how many of the people who consulted through each later moved (their case reached moved or settled, at any date). */
  channels: z.array(
    z.object({
      channel: z.enum(CONSULTATION_CHANNELS),
      consultations: Count,
      people: Count,
      peopleMoved: Count,
      moveRate: Share.describe('peopleMoved / people'),
    }),
  ),
  /** Days from first contact (the case's opening) to the move-in date, over the cases that moved in the year. */
  timeToMove: z.object({
    cases: Count,
    p25: z.number().nullable(),
    median: z.number().nullable(),
    p75: z.number().nullable(),
  }),
  /** Cohort funnel: the cases opened in the year and the furthest rung each has reached (to date). */
  conversion: z.object({
    casesOpened: Count,
    stages: z.array(
      z.object({
        stage: z.enum(FUNNEL_STAGES),
        cases: Count.describe('Cases that reached this rung or a later one'),
        shareOfOpened: Share,
        shareOfPrevious: Share.describe('Of the cases that reached the rung before; null for first_contact'),
      }),
    ),
    ended: z.object({
      cases: Count.describe('Cases of the cohort ended without a move'),
      byReason: z.array(z.object({ reason: z.enum(CASE_END_REASONS), cases: Count })),
    }),
  }),
  /** Per municipality of the prefecture, for the map. */
  municipalities: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      consultations: Count.describe('Consultations of the year naming it as a municipality of interest'),
      casesOpened: Count.describe('Cases opened in the year about it'),
      moves: Count.describe('Moves into it in the year'),
    }),
  ),
});
export type ConsultationAnalyticsView = z.infer<typeof ConsultationAnalytics>;
