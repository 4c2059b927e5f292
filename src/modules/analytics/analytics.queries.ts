/**
 * The SQL of the needs analysis: grouped statements over the rows of one fiscal year, each one
 * pass that returns a small grouped result, plus the municipality names. analytics.service.ts runs
 * them side by side and shapes the rows with the pure rules of analytics.rules.ts.
 *
 * Written for cost per row (1,000,000 consultations, docs/benchmarks.md). Consultations carry
 * columns the database derives from them on every write (migration 0010, consultations.tables.ts):
 * fiscal year and month, the channel as a bit over CONSULTATION_CHANNELS, the topics as a bit set
 * over CONSULTATION_TOPICS and the JIS index of the residence prefecture. The consultation
 * statements read only the index `consultations_analysis_idx` (fiscal year, person, channel bit,
 * date, month, residence, case, topics, municipalities of interest: an index-only scan in person
 * order, with or without a municipality filter), so people are counted by streaming aggregation
 * instead of a hash table of (person, channel) pairs, and topics per distinct bit set instead of
 * per unnested string. Each statement runs in its own transaction with JIT off (compiling costs
 * more than it saves on queries of this size), enough work_mem for its hash tables to stay in
 * memory, and no parallel workers: the statements already run side by side, one per core.
 *
 * "Concerns municipality X" (the municipality filter): a consultation that names X among its
 * municipalities of interest or whose case is about or moved to X; a case about or moved to X.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { CASE_STEPS } from '../../shared/domain.js';
import { FUNNEL_RUNG_OF_STEP } from './analytics.rules.js';

export type AnalyticsRange = { fiscalYear: number; from: string; to: string; municipality: string | null };

/** The transaction-local settings every statement runs with (the benchmark explains under them too). */
export const STATEMENT_SETTINGS: SQL = sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true),
  set_config('max_parallel_workers_per_gather', '0', true)`;

async function grouped<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(STATEMENT_SETTINGS);
    return queryRows<T>(tx, query);
  });
}

/** `case <column> when 'first_contact' then 0 … end` from the pipeline's rungs (constants only). */
function rungOf(column: string): SQL {
  const arms = CASE_STEPS.map((step) => `when '${step}' then ${FUNNEL_RUNG_OF_STEP[step]}`).join(' ');
  return sql.raw(`(case ${column} ${arms} end)`);
}

function consultationFilter(r: AnalyticsRange): SQL {
  // fiscal_year is derived from occurred_on: the same rows as occurred_on between from and to.
  const year = sql`c.fiscal_year = ${r.fiscalYear}`;
  if (!r.municipality) return year;
  const x = r.municipality;
  return sql`${year} and (c.municipality_codes @> array[${x}]::varchar[]
    or c.case_id in (select xk.id from cases xk where xk.municipality_code = ${x} or xk.moved_municipality_code = ${x}))`;
}

function caseFilter(r: AnalyticsRange): SQL {
  return r.municipality ? sql`and (k.municipality_code = ${r.municipality} or k.moved_municipality_code = ${r.municipality})` : sql``;
}

export type ConsultationCountRow = {
  /** 1: a (channel, prefecture) group; 0: a (fiscal month, topic bit set) group. */
  byChannel: 0 | 1;
  /** 2^i: CONSULTATION_CHANNELS[i]; 0: none of them. */
  channel: number | null;
  /** JIS index of the residence prefecture, 0 = unknown. */
  prefecture: number | null;
  /** 1–12, April = 1. */
  month: number | null;
  /** Bit i: CONSULTATION_TOPICS[i]. */
  topics: number | null;
  n: number;
};

/**
 * Consultations of the year by channel × residence prefecture, and by fiscal month × set of topics
 * (a few hundred distinct sets a month), in one pass with two small hash tables.
 */
export function consultationCountsSql(r: AnalyticsRange): SQL {
  return sql`select grouping(c.topic_mask) as "byChannel", c.channel_bit as channel, c.residence_jis::int as prefecture,
          c.fiscal_month::int as month, c.topic_mask as topics, count(*)::int as n
        from consultations c
        where ${consultationFilter(r)}
        group by grouping sets ((c.channel_bit, c.residence_jis), (c.fiscal_month, c.topic_mask))`;
}

export function consultationCounts(db: Db, r: AnalyticsRange): Promise<ConsultationCountRow[]> {
  return grouped(db, consultationCountsSql(r));
}

export type InterestRow = { code: string; n: number };

/** Consultations of the year per municipality of interest they name. */
export function interestsSql(r: AnalyticsRange): SQL {
  return sql`select code, count(*)::int as n
        from (select unnest(c.municipality_codes) as code from consultations c where ${consultationFilter(r)}) named
        group by code`;
}

export function interests(db: Db, r: AnalyticsRange): Promise<InterestRow[]> {
  return grouped(db, interestsSql(r));
}

export type PeopleRow = {
  /** Bit i: the person consulted through CONSULTATION_CHANNELS[i] in the year. */
  channels: number | null;
  /** JIS index of the residence at the person's latest consultation of the year (0 = unknown). */
  prefecture: number;
  people: number;
};

/**
 * Distinct people of the year, one group per person (in person order from the index, no hash
 * table): the channels they consulted through, and the residence of their latest consultation
 * (day × 64 + JIS index, so that max() finds it; same day: the higher index). Then counted per
 * (channels, prefecture).
 */
export function peopleSql(r: AnalyticsRange): SQL {
  return sql`select channels, (latest % 64)::int as prefecture, count(*)::int as people
        from (
          select bit_or(c.channel_bit) as channels, max((c.occurred_on - ${r.from}::date) * 64 + c.residence_jis) as latest
          from consultations c
          where ${consultationFilter(r)}
          group by c.person_id
        ) p
        group by 1, 2`;
}

export function people(db: Db, r: AnalyticsRange): Promise<PeopleRow[]> {
  return grouped(db, peopleSql(r));
}

export type MovedPeopleRow = { channels: number | null; people: number };

/**
 * The people of the year who later moved, per set of channels that led there: a consultation of
 * the year through a channel whose case reached moved or settled with a move-in date on or after
 * it. Only cases that moved in or after the year can (moved_on ≥ the consultation ≥ the year's
 * first day), found through cases_moved_idx and hash-joined to the year's consultations.
 */
export function movedPeopleSql(r: AnalyticsRange): SQL {
  return sql`select channels, count(*)::int as people
        from (
          select bit_or(c.channel_bit) as channels
          from consultations c
          join cases m on m.id = c.case_id
          where ${consultationFilter(r)}
            and m.step in ('moved', 'settled') and m.moved_on >= c.occurred_on and m.moved_on >= ${r.from}::date
          group by c.person_id
        ) p
        group by 1`;
}

export function movedPeople(db: Db, r: AnalyticsRange): Promise<MovedPeopleRow[]> {
  return grouped(db, movedPeopleSql(r));
}

export type CohortRow = { code: string | null; step: string; reason: string | null; rung: number | null; n: number };

/**
 * The cases opened in the year, grouped by municipality, current step, end reason and the
 * furthest rung reached. Open, moved and settled cases are at the rung of their step (steps are
 * never undone); only an ended case needs its history — the highest rung before it ended, one
 * index-only lookup in case_steps_case_idx (case, date, step) per ended case.
 */
export function cohortGroupsSql(r: AnalyticsRange): SQL {
  return sql`select k.municipality_code as code, k.step, k.end_reason as reason,
          (case when k.step = 'ended'
             then (select max(${rungOf('s.step')}) from case_steps s where s.case_id = k.id and s.step <> 'ended')
             else ${rungOf('k.step')} end)::int as rung,
          count(*)::int as n
        from cases k
        where k.opened_on between ${r.from} and ${r.to} ${caseFilter(r)}
        group by 1, 2, 3, 4`;
}

export function cohortGroups(db: Db, r: AnalyticsRange): Promise<CohortRow[]> {
  return grouped(db, cohortGroupsSql(r));
}

export type MoveRow = { code: string; days: number; n: number };

/** Cases whose move-in date falls in the year (cases_moved_idx), by municipality moved to and days since first contact. */
export function moveGroupsSql(r: AnalyticsRange): SQL {
  return sql`select k.moved_municipality_code as code, (k.moved_on - k.opened_on)::int as days, count(*)::int as n
        from cases k
        where k.moved_on between ${r.from} and ${r.to} and k.step in ('moved', 'settled') ${caseFilter(r)}
        group by 1, 2`;
}

export function moveGroups(db: Db, r: AnalyticsRange): Promise<MoveRow[]> {
  return grouped(db, moveGroupsSql(r));
}

/** The statements of one computation, by name (the benchmark explains them). */
export function analyticsStatements(r: AnalyticsRange): Record<string, SQL> {
  return {
    'consultations by channel × prefecture and by month × topics': consultationCountsSql(r),
    'municipalities of interest': interestsSql(r),
    'people by channels and latest residence': peopleSql(r),
    'people who later moved, by channels': movedPeopleSql(r),
    'cases opened (funnel)': cohortGroupsSql(r),
    'moves (time to move)': moveGroupsSql(r),
  };
}

/** Every municipality on record, for the map (zero counts included). */
export function municipalityNames(db: Db): Promise<Array<{ code: string; name: string }>> {
  return queryRows(db, sql`select code, name from municipalities order by code`);
}
