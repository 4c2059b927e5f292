/**
 * The needs analysis (移住相談の分析) for a fiscal year and optionally one municipality: runs the
 * grouped statements of analytics.queries.ts side by side and shapes their rows into the answer
 * with the pure rules (areas, fiscal months, percentiles, funnel). Aggregates only; the reader's
 * scope decides which municipality it may be computed for (scope.ts `aggregateMunicipality`).
 */
import type { Db } from '../../platform/db/client.js';
import type { StaffContext } from '../../platform/request-context.js';
import { AppError } from '../../platform/errors.js';
import { cachedResult } from './analytics.cache.js';
import { aggregateMunicipality } from '../../platform/scope.js';
import {
  CASE_END_REASONS,
  CONSULTATION_CHANNELS,
  CONSULTATION_TOPICS,
  PREFECTURES,
  type CaseEndReason,
  type ConsultationChannel,
  type ConsultationTopic,
} from '../../shared/domain.js';
import {
  areaOfPrefecture,
  currentFiscalYear,
  fiscalMonths,
  fiscalYearRange,
  funnelCounts,
  percentileOfCounts,
  share,
} from './analytics.rules.js';
import {
  cohortGroups,
  consultationGroups,
  moveGroups,
  municipalityNames,
  type AnalyticsRange,
} from './analytics.queries.js';
import { AREAS, FUNNEL_STAGES, type Area, type ConsultationAnalyticsView } from './analytics.schemas.js';

export type AnalyticsRequest = { fy?: number | undefined; municipality?: string | undefined };

const zeroes = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
const add = <K extends string>(record: Record<K, number>, key: string | null | undefined, n: number) => {
  if (key !== null && key !== undefined && key in record) record[key as K] += n;
};
/** Adds n to record[keys[i]] for every bit i set in `bits` (a bit set over `keys`, as the SQL sends it). */
const addBits = <K extends string>(record: Record<K, number>, keys: readonly K[], bits: number | null, n: number) => {
  if (bits === null) return;
  keys.forEach((key, i) => {
    if (bits & (1 << i)) record[key] += n;
  });
};
/** The prefecture of a JIS index (1–47); undefined for 0 (unknown). */
const prefectureOf = (jis: number | null) => (jis ? PREFECTURES[jis - 1] : undefined);

/**
 * The analysis for the reader: a kept answer while it is exact (analytics.cache.ts), else computed.
 * Throws NOT_FOUND when the reader may not see the requested municipality (or it does not
 * exist), as for any record outside their scope.
 */
export async function getConsultationAnalytics(
  db: Db,
  ctx: StaffContext,
  request: AnalyticsRequest,
): Promise<{ view: ConsultationAnalyticsView; cached: boolean }> {
  const municipality = aggregateMunicipality(ctx.actor, request.municipality);
  const fiscalYear = request.fy ?? currentFiscalYear();
  const { result, cached } = await cachedResult(
    db,
    { report: 'consultations', fiscalYear, municipalityCode: municipality },
    () => computeConsultationAnalytics(db, fiscalYear, municipality),
  );
  return { view: result, cached };
}

/** Computes the analysis from the tables (what getConsultationAnalytics keeps and serves). */
export async function computeConsultationAnalytics(
  db: Db,
  fiscalYear: number,
  municipality: string | null,
): Promise<ConsultationAnalyticsView> {
  const { from, to } = fiscalYearRange(fiscalYear);
  const range: AnalyticsRange = { fiscalYear, from, to, municipality };

  const [names, groups, cohortRows, moveRows] = await Promise.all([
    municipalityNames(db),
    consultationGroups(db, range),
    cohortGroups(db, range),
    moveGroups(db, range),
  ]);
  const { counts: countRows, interests: interestRows, people: peopleRows, moved: movedRows } = groups;
  const nameOf = new Map(names.map((m) => [m.code, m.name]));
  if (municipality && !nameOf.has(municipality)) throw new AppError('NOT_FOUND');

  // --- consultations: channels, areas (by consultation), months × topics, municipalities -------
  const months = fiscalMonths(fiscalYear);
  const byMonth = months.map(() => ({ consultations: 0, topics: zeroes(CONSULTATION_TOPICS) }));
  const channelConsultations = zeroes(CONSULTATION_CHANNELS);
  const areaConsultations = zeroes(AREAS);
  const topicTotals = zeroes(CONSULTATION_TOPICS);
  let consultations = 0;
  for (const row of countRows) {
    if (row.byChannel) {
      consultations += row.n;
      addBits(channelConsultations, CONSULTATION_CHANNELS, row.channel, row.n);
      areaConsultations[areaOfPrefecture(prefectureOf(row.prefecture))] += row.n;
    } else {
      // Every consultation is in exactly one (month, topics) group.
      const month = byMonth[(row.month ?? 0) - 1];
      if (month) {
        month.consultations += row.n;
        addBits(month.topics, CONSULTATION_TOPICS, row.topics, row.n);
      }
      addBits(topicTotals, CONSULTATION_TOPICS, row.topics, row.n);
    }
  }
  const consultationsByCode = new Map(interestRows.map((row) => [row.code, row.n]));

  // --- people: per channel (and moved), per area of their latest consultation ------------------
  const channelPeople = zeroes(CONSULTATION_CHANNELS);
  const channelMoved = zeroes(CONSULTATION_CHANNELS);
  const areaPeople = zeroes(AREAS);
  let people = 0;
  for (const row of peopleRows) {
    people += row.people;
    addBits(channelPeople, CONSULTATION_CHANNELS, row.channels, row.people);
    areaPeople[areaOfPrefecture(prefectureOf(row.prefecture))] += row.people;
  }
  for (const row of movedRows) addBits(channelMoved, CONSULTATION_CHANNELS, row.channels, row.people);

  // --- cases opened in the year: funnel, end reasons, per municipality -------------------------
  const byRung = new Map<number, number>();
  const endReasons = zeroes(CASE_END_REASONS);
  const openedByCode = new Map<string, number>();
  let casesOpened = 0;
  let ended = 0;
  for (const row of cohortRows) {
    casesOpened += row.n;
    if (row.rung !== null) byRung.set(row.rung, (byRung.get(row.rung) ?? 0) + row.n);
    if (row.step === 'ended') {
      ended += row.n;
      add(endReasons, row.reason, row.n);
    }
    if (row.code) openedByCode.set(row.code, (openedByCode.get(row.code) ?? 0) + row.n);
  }
  const funnel = funnelCounts(byRung);

  // --- moves in the year: time from first contact, per municipality ----------------------------
  const movesByCode = new Map<string, number>();
  const days: Array<[number, number]> = [];
  let moves = 0;
  for (const row of moveRows) {
    moves += row.n;
    days.push([row.days, row.n]);
    movesByCode.set(row.code, (movesByCode.get(row.code) ?? 0) + row.n);
  }

  return {
    fiscalYear,
    from,
    to,
    municipality: municipality ? { code: municipality, name: nameOf.get(municipality)! } : null,
    generatedAt: new Date().toISOString(),
    totals: { consultations, people, casesOpened, moves },
    areas: AREAS.map((area: Area) => ({
      area,
      people: areaPeople[area],
      peopleShare: share(areaPeople[area], people),
      consultations: areaConsultations[area],
      consultationsShare: share(areaConsultations[area], consultations),
    })),
    topicsByMonth: months.map((month, i) => ({ month, ...byMonth[i]! })),
    topicTotals: CONSULTATION_TOPICS.map((topic: ConsultationTopic) => ({
      topic,
      consultations: topicTotals[topic],
      share: share(topicTotals[topic], consultations),
    })),
    channels: CONSULTATION_CHANNELS.map((channel: ConsultationChannel) => ({
      channel,
      consultations: channelConsultations[channel],
      people: channelPeople[channel],
      peopleMoved: channelMoved[channel],
      moveRate: share(channelMoved[channel], channelPeople[channel]),
    })),
    timeToMove: {
      cases: moves,
      p25: percentileOfCounts(days, 25),
      median: percentileOfCounts(days, 50),
      p75: percentileOfCounts(days, 75),
    },
    conversion: {
      casesOpened,
      stages: FUNNEL_STAGES.map((stage, i) => ({
        stage,
        cases: funnel[i]!,
        shareOfOpened: share(funnel[i]!, casesOpened),
        shareOfPrevious: i === 0 ? null : share(funnel[i]!, funnel[i - 1]!),
      })),
      ended: {
        cases: ended,
        byReason: CASE_END_REASONS.map((reason: CaseEndReason) => ({ reason, cases: endReasons[reason] })),
      },
    },
    municipalities: names.map(({ code, name }) => ({
      code,
      name,
      consultations: consultationsByCode.get(code) ?? 0,
      casesOpened: openedByCode.get(code) ?? 0,
      moves: movesByCode.get(code) ?? 0,
    })),
  };
}
