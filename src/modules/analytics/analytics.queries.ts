/**
 * The SQL of the needs analysis: four statements over the rows of one fiscal year (date-range
 * predicates on indexed columns), each one pass that returns a small grouped result, plus the
 * municipality names. analytics.service.ts runs them side by side and shapes the rows with the
 * pure rules of analytics.rules.ts.
 *
 * Written for cost per row (1,000,000 consultations, docs/benchmarks.md): months are found by
 * binary search over the twelve month starts (`width_bucket`), not by formatting dates; topics and
 * municipalities of interest are counted in one unnest; prefectures travel as their JIS index.
 * Each statement runs in its own transaction with JIT off (compiling costs more than it saves on
 * queries of this size) and enough work_mem for its hash tables to stay in memory.
 *
 * "Concerns municipality X" (the municipality filter): a consultation that names X among its
 * municipalities of interest or whose case is about or moved to X; a case about or moved to X.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { CASE_STEPS, PREFECTURES } from '../../shared/domain.js';
import { FUNNEL_RUNG_OF_STEP, fiscalMonths } from './analytics.rules.js';

export type AnalyticsRange = { fiscalYear: number; from: string; to: string; municipality: string | null };

/** Runs one statement with JIT off and 32 MB for its hash tables (transaction-local settings). */
async function grouped<T>(db: Db, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('work_mem', '32MB', true)`);
    return queryRows<T>(tx, query);
  });
}

/** `case <column> when 'first_contact' then 0 … end` from the pipeline's rungs (constants only). */
function rungOf(column: string): SQL {
  const arms = CASE_STEPS.map((step) => `when '${step}' then ${FUNNEL_RUNG_OF_STEP[step]}`).join(' ');
  return sql.raw(`(case ${column} ${arms} end)`);
}

/** 1–12: the month of the fiscal year (April = 1), by binary search over the month starts. */
function fiscalMonthOf(r: AnalyticsRange, column: SQL): SQL {
  const starts = fiscalMonths(r.fiscalYear).slice(1).map((m) => `${m}-01`);
  return sql`(width_bucket(${column}, ${`{${starts.join(',')}}`}::date[]) + 1)`;
}

function consultationFilter(r: AnalyticsRange): SQL {
  const range = sql`c.occurred_on between ${r.from} and ${r.to}`;
  if (!r.municipality) return range;
  const x = r.municipality;
  return sql`${range} and (c.municipality_codes @> array[${x}]::varchar[]
    or c.case_id in (select xk.id from cases xk where xk.municipality_code = ${x} or xk.moved_municipality_code = ${x}))`;
}

function caseFilter(r: AnalyticsRange): SQL {
  return r.municipality ? sql`and (k.municipality_code = ${r.municipality} or k.moved_municipality_code = ${r.municipality})` : sql``;
}

export type ChannelMonthRow = { month: number; channel: string; prefecture: string | null; n: number };

/** Consultations of the year by fiscal month, channel and residence prefecture. */
export function consultationsByChannelSql(r: AnalyticsRange): SQL {
  return sql`select ${fiscalMonthOf(r, sql`c.occurred_on`)}::int as month, c.channel, c.residence_prefecture as prefecture, count(*)::int as n
        from consultations c
        where ${consultationFilter(r)}
        group by 1, 2, 3`;
}

export function consultationsByChannel(db: Db, r: AnalyticsRange): Promise<ChannelMonthRow[]> {
  return grouped(db, consultationsByChannelSql(r));
}

export type TopicMonthRow = { month: number; key: string; n: number };

/**
 * Topics by fiscal month and municipalities of interest by fiscal month, in one unnest of
 * topics ‖ municipality_codes (a municipality code is six digits, a topic never is).
 */
export function topicsAndMunicipalitiesSql(r: AnalyticsRange): SQL {
  return sql`select ${fiscalMonthOf(r, sql`c.occurred_on`)}::int as month, k.key, count(*)::int as n
        from consultations c cross join lateral unnest(c.topics || c.municipality_codes) as k(key)
        where ${consultationFilter(r)}
        group by 1, 2`;
}

export function topicsAndMunicipalities(db: Db, r: AnalyticsRange): Promise<TopicMonthRow[]> {
  return grouped(db, topicsAndMunicipalitiesSql(r));
}

export type PeopleRow = {
  /** 0: per channel (people, of whom moved); 1: per JIS index of the residence at the person's latest consultation (0 = unknown). */
  kind: 0 | 1;
  key: string;
  people: number;
  moved: number;
};

/**
 * Distinct people of the year in one pass: grouped by person and channel, each with whether the
 * case of one of those consultations reached moved or settled on or after it, and the residence of
 * their latest consultation of the year (day × 64 + JIS index of the prefecture, so that max()
 * finds it; same day: the higher index). Then per channel, and per person → prefecture.
 */
export function peopleByChannelAndAreaSql(r: AnalyticsRange): SQL {
  const prefectures = `{${PREFECTURES.join(',')}}`;
  return sql`with per_channel as materialized (
          select c.person_id, c.channel, bool_or(m.id is not null) as moved,
            max((c.occurred_on - ${r.from}::date) * 64 + coalesce(array_position(${prefectures}::varchar[], c.residence_prefecture), 0)) as latest
          from consultations c
          left join cases m on m.id = c.case_id and m.step in ('moved', 'settled') and m.moved_on >= c.occurred_on
          where ${consultationFilter(r)}
          group by c.person_id, c.channel
        )
        select 0 as kind, channel as key, count(*)::int as people, (count(*) filter (where moved))::int as moved
          from per_channel group by channel
        union all
        select 1, (latest % 64)::text, count(*)::int, 0
          from (select max(latest) as latest from per_channel group by person_id) p
          group by latest % 64`;
}

export function peopleByChannelAndArea(db: Db, r: AnalyticsRange): Promise<PeopleRow[]> {
  return grouped(db, peopleByChannelAndAreaSql(r));
}

export type CohortRow = { code: string | null; step: string; reason: string | null; rung: number | null; n: number };

/**
 * The cases opened in the year, grouped by municipality, current step, end reason and the
 * furthest rung reached. Open, moved and settled cases are at the rung of their step (steps are
 * never undone); only an ended case needs its history — the highest rung before it ended, one
 * index lookup in case_steps per ended case.
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

/** Cases whose move-in date falls in the year, by municipality moved to and days since first contact. */
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
    'consultations by month, channel, prefecture': consultationsByChannelSql(r),
    'topics and municipalities': topicsAndMunicipalitiesSql(r),
    'people by channel and area': peopleByChannelAndAreaSql(r),
    'cases opened (funnel)': cohortGroupsSql(r),
    'moves (time to move)': moveGroupsSql(r),
  };
}

/** Every municipality on record, for the map (zero counts included). */
export function municipalityNames(db: Db): Promise<Array<{ code: string; name: string }>> {
  return queryRows(db, sql`select code, name from municipalities order by code`);
}
