/**
 * The set-based SQL of the rules in kpi.rules.ts (docs/kpi.md gives each statement with worked
 * examples). Each statement computes one indicator for a range of fiscal years at once, grouped by
 * fiscal year and municipality, so that a year's figure and the plan's cumulative figure come from
 * one read. Every figure is computed from the raw records at the time it is asked for: no kept
 * summary can drift from the records (the benchmark in docs/benchmarks.md says what that costs).
 *
 * Dates: `date` columns are calendar days in Japan already; instants (check-ins, link creation) are
 * turned into Japan days with `at time zone 'Asia/Tokyo'`, so 3/31 23:59 and 4/1 00:00 JST fall in
 * different fiscal years whatever the server's time zone.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { isMoveSql } from '../consultations/index.js';
import { CONTINUING, PARTICIPATION } from '../engagement/index.js';
import { fiscalYearDates, fiscalYearInstants } from './kpi.rules.js';

export type YearRange = { fromFiscalYear: number; toFiscalYear: number };
export type FigureRow = { fiscalYear: number; municipalityCode: string; value: number };

/** A literal array of kinds for `= any(...)`: the sets come from the stage rules, never from input. */
export const kinds = (set: Iterable<string>): SQL => sql`${`{${[...set].join(',')}}`}::varchar[]`;
/** Kinds that step a person up into 関与, 協働 or 二地域居住 on their own (docs/stages.md). */
export const DIRECT_KINDS = ['volunteering', 'side_job', 'two_region_living'];

export const dates = (range: YearRange) => ({
  from: fiscalYearDates(range.fromFiscalYear).from,
  to: fiscalYearDates(range.toFiscalYear).to,
});

const toRows = (rows: Array<{ fiscal_year: number; municipality_code: string; value: number | string }>) =>
  rows.map((r) => ({
    fiscalYear: Number(r.fiscal_year),
    municipalityCode: r.municipality_code,
    value: Number(r.value),
  }));

/**
 * The moves ① counts, as a FROM clause: the cases the one move rule (`isMoveSql` of the
 * consultations module — the dashboard, the case list and the needs analysis count by it too) counts
 * as moves into a municipality in the days given, each with its `moved` step's household size
 * (null: recorded before it existed → 1) and UIJ type. Alias `c` is the case, `s` its moved step;
 * `joins` go before the condition.
 */
export function movesSql(from: string, to: string, municipality?: string | null, joins: SQL = sql``): SQL {
  return sql`cases c
    left join lateral (
      select st.household_size, st.uij_type from case_steps st
      where st.case_id = c.id and st.step = 'moved'
      order by st.occurred_on desc limit 1
    ) s on true
    ${joins}
    where ${isMoveSql({ alias: 'c', from, to, into: municipality ?? null })}`;
}

/**
 * ① The household sizes of the moves (the one move rule, `movesSql`) in each fiscal year, by
 * move-in municipality and UIJ type (`unknown`: not recorded).
 */
export async function uijMoverRows(db: Db, range: YearRange): Promise<Array<FigureRow & { uijType: string }>> {
  const { from, to } = dates(range);
  const rows = await queryRows<{ fiscal_year: number; municipality_code: string; uij: string; value: number }>(
    db,
    sql`select kankei_fiscal_year(c.moved_on) as fiscal_year, c.moved_municipality_code as municipality_code,
          coalesce(s.uij_type, 'unknown') as uij, sum(coalesce(s.household_size, 1))::int as value
        from ${movesSql(from, to)}
        group by 1, 2, 3`,
  );
  return rows.map((r) => ({
    fiscalYear: Number(r.fiscal_year),
    municipalityCode: r.municipality_code,
    uijType: r.uij,
    value: Number(r.value),
  }));
}

/**
 * ② Each person's relationship entry (kpi.rules.ts `relationshipEntry`) dated in the range: per
 * person and municipality, the earliest of (a) the first volunteering, side-job or two-region
 * record and (b) the first continuing record in a later fiscal year than the first continuing
 * record; kept when it comes before any move-in with that municipality (record or link); then per
 * person the earliest over municipalities (ties: the lowest code). Only people with a record of
 * those kinds inside the range can have their entry inside it, so the whole history is read for
 * them alone (all their municipalities: an earlier entry elsewhere means they were counted before).
 */
export function relationshipEntriesSql(range: YearRange): SQL {
  const { from, to } = dates(range);
  return sql`
    with candidates as (
      select distinct e.person_id
      from engagements e
      where e.occurred_on between ${from} and ${to}
        and (e.kind = any(${kinds(DIRECT_KINDS)}) or e.kind = any(${kinds(CONTINUING)}))
    ),
    history as (
      select e.person_id, e.municipality_code, e.kind, e.occurred_on, kankei_fiscal_year(e.occurred_on) as fy
      from engagements e
      join candidates c on c.person_id = e.person_id
    ),
    pairs as (
      select person_id, municipality_code,
        min(occurred_on) filter (where kind = any(${kinds(DIRECT_KINDS)})) as direct_on,
        min(fy) filter (where kind = any(${kinds(CONTINUING)})) as first_fy,
        min(occurred_on) filter (where kind = 'moved_in') as moved_on
      from history group by person_id, municipality_code
    ),
    second_year as (
      select h.person_id, h.municipality_code, min(h.occurred_on) as second_on
      from history h
      join pairs p on p.person_id = h.person_id and p.municipality_code = h.municipality_code
      where h.kind = any(${kinds(CONTINUING)}) and h.fy > p.first_fy
      group by h.person_id, h.municipality_code
    ),
    link_moves as (
      select l.person_id, l.municipality_code, min((l.created_at at time zone 'Asia/Tokyo')::date) as moved_on
      from person_links l
      join candidates c on c.person_id = l.person_id
      where l.kind = 'moved_in'
      group by l.person_id, l.municipality_code
    ),
    entries as (
      select p.person_id, p.municipality_code, least(p.direct_on, s.second_on) as entered_on,
        least(p.moved_on, lm.moved_on) as moved_on
      from pairs p
      left join second_year s on s.person_id = p.person_id and s.municipality_code = p.municipality_code
      left join link_moves lm on lm.person_id = p.person_id and lm.municipality_code = p.municipality_code
    ),
    firsts as (
      select distinct on (en.person_id) en.person_id, en.municipality_code, en.entered_on
      from entries en
      join people pe on pe.id = en.person_id and pe.deleted_at is null
      where en.entered_on is not null and (en.moved_on is null or en.entered_on < en.moved_on)
      order by en.person_id, en.entered_on, en.municipality_code
    )`;
}

/** ② People whose relationship entry falls in each fiscal year of the range, by the municipality it is attributed to. */
export async function relationshipRows(db: Db, range: YearRange): Promise<FigureRow[]> {
  const { from, to } = dates(range);
  return toRows(
    await queryRows(
      db,
      sql`${relationshipEntriesSql(range)}
        select kankei_fiscal_year(f.entered_on) as fiscal_year, f.municipality_code, count(*)::int as value
        from firsts f
        where f.entered_on between ${from} and ${to}
        group by 1, 2`,
    ),
  );
}

/**
 * ③ Visits to events held in the prefecture: check-ins (by the check-in's day in Japan) plus
 * headcounts (by their day), by venue municipality. Events without a venue municipality (outside
 * the prefecture, online) and events called off count nothing.
 */
export async function exchangeRows(db: Db, range: YearRange): Promise<FigureRow[]> {
  const { from, to } = dates(range);
  const start = fiscalYearInstants(range.fromFiscalYear).start;
  const end = fiscalYearInstants(range.toFiscalYear).end;
  return toRows(
    await queryRows(
      db,
      sql`select fiscal_year, municipality_code, sum(value)::int as value from (
            select kankei_fiscal_year((r.checked_in_at at time zone 'Asia/Tokyo')::date) as fiscal_year,
              e.venue_municipality_code as municipality_code, count(*) as value
            from event_registrations r
            join events e on e.id = r.event_id
            where r.checked_in_at >= ${start.toISOString()}::timestamptz and r.checked_in_at < ${end.toISOString()}::timestamptz
              and r.status = 'registered' and e.venue_municipality_code is not null and e.status <> 'cancelled'
            group by 1, 2
            union all
            select kankei_fiscal_year(h.counted_on), e.venue_municipality_code, sum(h.count)
            from event_headcounts h
            join events e on e.id = h.event_id
            where h.counted_on between ${from} and ${to}
              and e.venue_municipality_code is not null and e.status <> 'cancelled'
            group by 1, 2
          ) v group by 1, 2`,
    ),
  );
}

export type ContinuingRows = {
  /** Per fiscal year and municipality: participants of the year, and of them those who took part the year before. */
  byMunicipality: Array<{ fiscalYear: number; municipalityCode: string; participants: number; continuing: number }>;
  /** The same over the whole prefecture (a person counts once, whatever municipalities they took part with). */
  total: Array<{ fiscalYear: number; participants: number; continuing: number }>;
};

/** continuing_participants: people with participation records in a fiscal year and in the year before it. */
export async function continuingRows(db: Db, range: YearRange): Promise<ContinuingRows> {
  const { from, to } = dates({ fromFiscalYear: range.fromFiscalYear - 1, toFiscalYear: range.toFiscalYear });
  const participation = sql`select distinct e.person_id, e.municipality_code, kankei_fiscal_year(e.occurred_on) as fy
      from engagements e join people pe on pe.id = e.person_id and pe.deleted_at is null
      where e.kind = any(${kinds(PARTICIPATION)}) and e.occurred_on between ${from} and ${to}`;
  const [byMunicipality, total] = await Promise.all([
    queryRows<{ fy: number; municipality_code: string; participants: number; continuing: number }>(
      db,
      sql`with p as (${participation})
          select cur.fy, cur.municipality_code, count(*)::int as participants, count(prev.person_id)::int as continuing
          from p cur
          left join p prev on prev.person_id = cur.person_id and prev.municipality_code = cur.municipality_code and prev.fy = cur.fy - 1
          group by 1, 2`,
    ),
    queryRows<{ fy: number; participants: number; continuing: number }>(
      db,
      sql`with p as (select distinct person_id, fy from (${participation}) x)
          select cur.fy, count(*)::int as participants, count(prev.person_id)::int as continuing
          from p cur
          left join p prev on prev.person_id = cur.person_id and prev.fy = cur.fy - 1
          group by 1`,
    ),
  ]);
  return {
    byMunicipality: byMunicipality.map((r) => ({
      fiscalYear: Number(r.fy),
      municipalityCode: r.municipality_code,
      participants: Number(r.participants),
      continuing: Number(r.continuing),
    })),
    total: total.map((r) => ({
      fiscalYear: Number(r.fy),
      participants: Number(r.participants),
      continuing: Number(r.continuing),
    })),
  };
}
