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
 * municipalities of interest or whose case is about or moved to X; a case about or moved to X; a
 * move (isMoveSql) into X.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { CASE_STEPS } from '../../shared/domain.js';
import { isMoveSql } from '../consultations/index.js';
import { FUNNEL_RUNG_OF_STEP } from './analytics.rules.js';

export type AnalyticsRange = { fiscalYear: number; from: string; to: string; municipality: string | null };

/** The transaction-local settings every statement runs with (the benchmark explains under them too). */
export const STATEMENT_SETTINGS: SQL = sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true),
  set_config('max_parallel_workers_per_gather', '0', true)`;

async function grouped<T>(db: Db, query: SQL): Promise<T[]> {
  return inTransaction(db, async (tx) => {
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
  return r.municipality
    ? sql`and (k.municipality_code = ${r.municipality} or k.moved_municipality_code = ${r.municipality})`
    : sql``;
}

/** Where the consultation statements read the year's consultations from, as `c`. */
type Consultations = { from: SQL; where: SQL };

/** All of the year's consultations: the index, read by each statement on its own. */
const consultationsOfYear = (r: AnalyticsRange): Consultations => ({
  from: sql`consultations c`,
  where: consultationFilter(r),
});

/**
 * Under a municipality filter, the consultations concerning it, kept by the statement that filters
 * them (`with concerning as materialized`): deciding which of the year's 178,000 index entries
 * concern the municipality is about half of a statement's work, so it is done once per statement
 * and shared by two groupings instead of once per grouping.
 */
const CONCERNING: Consultations = { from: sql`concerning c`, where: sql`true` };

function concerning(r: AnalyticsRange): SQL {
  return sql`concerning as materialized (
          select c.person_id, c.channel_bit, c.occurred_on, c.fiscal_month, c.residence_jis, c.case_id, c.topic_mask, c.municipality_codes
          from consultations c where ${consultationFilter(r)})`;
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
function countsSql(c: Consultations): SQL {
  return sql`select grouping(c.topic_mask) as "byChannel", c.channel_bit as channel, c.residence_jis::int as prefecture,
          c.fiscal_month::int as month, c.topic_mask as topics, count(*)::int as n
        from ${c.from}
        where ${c.where}
        group by grouping sets ((c.channel_bit, c.residence_jis), (c.fiscal_month, c.topic_mask))`;
}

export type InterestRow = { code: string; n: number };

/** Consultations of the year per municipality of interest they name. */
function interestsSql(c: Consultations): SQL {
  return sql`select code, count(*)::int as n
        from (select unnest(c.municipality_codes) as code from ${c.from} where ${c.where}) named
        group by code`;
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
function peopleSql(r: AnalyticsRange, c: Consultations): SQL {
  return sql`select channels, (latest % 64)::int as prefecture, count(*)::int as people
        from (
          select bit_or(c.channel_bit) as channels, max((c.occurred_on - ${r.from}::date) * 64 + c.residence_jis) as latest
          from ${c.from}
          where ${c.where}
          group by c.person_id
        ) p
        group by 1, 2`;
}

export type MovedPeopleRow = { channels: number | null; people: number };

/**
 * The people of the year who later moved, per set of channels that led there: a consultation of
 * the year through a channel whose case is a move (isMoveSql, the one rule; into the filtered
 * municipality if any) with a move-in date on or after it. Only cases that moved in or after the
 * year can (moved_on ≥ the consultation ≥ the year's first day), found through cases_moved_idx
 * and hash-joined to the year's consultations.
 */
function movedPeopleSql(r: AnalyticsRange, c: Consultations): SQL {
  return sql`select channels, count(*)::int as people
        from (
          select bit_or(c.channel_bit) as channels
          from ${c.from}
          join cases m on m.id = c.case_id
          where ${c.where}
            and ${isMoveSql({ alias: 'm', from: r.from, into: r.municipality })} and m.moved_on >= c.occurred_on
          group by c.person_id
        ) p
        group by 1`;
}

/** Two groupings of the consultations concerning the filtered municipality, as JSON arrays `a` and `b`, in one statement. */
function concerningPairSql(r: AnalyticsRange, a: SQL, b: SQL): SQL {
  return sql`with ${concerning(r)}
        select (select coalesce(json_agg(x), '[]'::json) from (${a}) x) as a,
               (select coalesce(json_agg(x), '[]'::json) from (${b}) x) as b`;
}

/** The statements consultationGroups sends, by name (the benchmark explains them): one per grouping, or two under a municipality filter. */
function consultationStatements(r: AnalyticsRange): Record<string, SQL> {
  if (!r.municipality) {
    const year = consultationsOfYear(r);
    return {
      'consultations by channel × prefecture and by month × topics': countsSql(year),
      'municipalities of interest': interestsSql(year),
      'people by channels and latest residence': peopleSql(r, year),
      'people who later moved, by channels': movedPeopleSql(r, year),
    };
  }
  return {
    'concerning consultations: by channel × prefecture, by month × topics; municipalities of interest':
      concerningPairSql(r, countsSql(CONCERNING), interestsSql(CONCERNING)),
    'concerning consultations: people by channels and latest residence; people who later moved': concerningPairSql(
      r,
      peopleSql(r, CONCERNING),
      movedPeopleSql(r, CONCERNING),
    ),
  };
}

export type ConsultationGroups = {
  counts: ConsultationCountRow[];
  interests: InterestRow[];
  people: PeopleRow[];
  moved: MovedPeopleRow[];
};

/** The four groupings of the year's consultations, their statements (consultationStatements) run side by side. */
export async function consultationGroups(db: Db, r: AnalyticsRange): Promise<ConsultationGroups> {
  if (!r.municipality) {
    const year = consultationsOfYear(r);
    const [counts, interests, people, moved] = await Promise.all([
      grouped<ConsultationCountRow>(db, countsSql(year)),
      grouped<InterestRow>(db, interestsSql(year)),
      grouped<PeopleRow>(db, peopleSql(r, year)),
      grouped<MovedPeopleRow>(db, movedPeopleSql(r, year)),
    ]);
    return { counts, interests, people, moved };
  }
  type Pair<A, B> = { a: A[]; b: B[] };
  const [[first], [second]] = await Promise.all([
    grouped<Pair<ConsultationCountRow, InterestRow>>(
      db,
      concerningPairSql(r, countsSql(CONCERNING), interestsSql(CONCERNING)),
    ),
    grouped<Pair<PeopleRow, MovedPeopleRow>>(
      db,
      concerningPairSql(r, peopleSql(r, CONCERNING), movedPeopleSql(r, CONCERNING)),
    ),
  ]);
  return { counts: first!.a, interests: first!.b, people: second!.a, moved: second!.b };
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

/**
 * The year's moves (isMoveSql, the one rule the dashboard and KPI ① count by too: move-in date in
 * the year, person on record; under a municipality filter the moves into it), through
 * cases_moved_idx, by municipality moved to and days since first contact.
 */
export function moveGroupsSql(r: AnalyticsRange): SQL {
  return sql`select k.moved_municipality_code as code, (k.moved_on - k.opened_on)::int as days, count(*)::int as n
        from cases k
        where ${isMoveSql({ alias: 'k', from: r.from, to: r.to, into: r.municipality })}
        group by 1, 2`;
}

export function moveGroups(db: Db, r: AnalyticsRange): Promise<MoveRow[]> {
  return grouped(db, moveGroupsSql(r));
}

/** The statements of one computation, by name (the benchmark explains them). */
export function analyticsStatements(r: AnalyticsRange): Record<string, SQL> {
  return {
    ...consultationStatements(r),
    'cases opened (funnel)': cohortGroupsSql(r),
    'moves (time to move)': moveGroupsSql(r),
  };
}

/** Every municipality on record, for the map (zero counts included). */
export function municipalityNames(db: Db): Promise<Array<{ code: string; name: string }>> {
  return queryRows(db, sql`select code, name from municipalities order by code`);
}
