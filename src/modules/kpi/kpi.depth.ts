/**
 * Depth, not head counts (seed 003, KPI 例1–4): how people move up the staircase of
 * docs/stages.md in a fiscal year, whether the people who came stay active, and registered beside
 * active people. Set-based SQL over engagements and links, the table shapes and their sums in pure
 * functions (property-tested in kpi.depth.test.ts; the SQL is checked against `stageOf`).
 *
 * - Stage transitions of fiscal year n: per person and municipality, the stage on the day before
 *   n began → the stage at its end (today while it runs), counted where they differ. Several steps
 *   in one year count once, from where the person stood to where they got. Row and column 0 are
 *   「（なし）」: people the municipality did not know before the year; stages never go down, so
 *   column 0 stays empty.
 * - Active in fiscal year n: a participation record (event, visit, online, volunteering, side job)
 *   dated in n — the same set `continuing_participants` (例2) counts, so the people active in both
 *   n − 1 and n are exactly that indicator's figure.
 * - Registered in fiscal year n: the person's first day known to Kankei (their registration, or
 *   an older record or link when records were brought in from before) falls in n; for one
 *   municipality, the first record or link with it.
 * - Cohort retention: of the people registered in n, those active in n + 1 and n + 2 (null while
 *   that year is not over).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { todayInTokyo } from '../../shared/dates.js';
import { type RootKind, STAGE_LABELS_JA, STAGES, type Stage } from '../../shared/domain.js';
import { CONTINUING, PARTICIPATION } from '../engagement/index.js';
import { kinds } from './kpi.queries.js';
import { fiscalYearDates, fiscalYearOfDate } from './kpi.rules.js';

/** Row/column labels of the transition table: 「（なし）」 then the stages, lowest first. */
export const TRANSITION_LABELS = ['（なし）', ...STAGES.map((s) => STAGE_LABELS_JA[s])];

/** The stage's index in the transition table: 0 = none, 1 = 関心 … 7 = 定住. */
export const transitionIndex = (stage: Stage | null): number => (stage === null ? 0 : STAGES.indexOf(stage) + 1);

/**
 * The square transition table from (before, after) index pairs of one fiscal year. Pairs that did
 * not change are not transitions and are left out.
 */
export function transitionCounts(pairs: ReadonlyArray<readonly [number, number]>): number[][] {
  const n = TRANSITION_LABELS.length;
  const counts = Array.from({ length: n }, () => Array<number>(n).fill(0));
  for (const [from, to] of pairs) if (from !== to) counts[from]![to]!++;
  return counts;
}

/** Counts moving into any of `into` from below them: the relationship indicator's staircase step. */
export function stepsInto(counts: readonly (readonly number[])[], into: readonly number[]): number {
  const lowest = Math.min(...into);
  let sum = 0;
  for (let from = 0; from < lowest; from++) for (const to of into) sum += counts[from]?.[to] ?? 0;
  return sum;
}

export type PersonActivity = { registeredFiscalYear: number; activeFiscalYears: ReadonlySet<number> };

export type CohortRow = { cohortFiscalYear: number; cohortSize: number; retained: Array<number | null> };

/**
 * Cohorts from `first` to `last` (fiscal years of registration): size and, for k = 1…horizon, those
 * active in the cohort's year + k — null when that year is not over by `lastEnded`.
 */
export function cohortRows(
  people: Iterable<PersonActivity>,
  first: number,
  last: number,
  horizon: number,
  lastEnded: number,
): CohortRow[] {
  const rows = new Map<number, CohortRow>();
  for (let fy = first; fy <= last; fy++)
    rows.set(fy, {
      cohortFiscalYear: fy,
      cohortSize: 0,
      retained: Array.from({ length: horizon }, (_, k) => (fy + k + 1 <= lastEnded ? 0 : null)),
    });
  for (const p of people) {
    const row = rows.get(p.registeredFiscalYear);
    if (!row) continue;
    row.cohortSize++;
    row.retained.forEach((n, k) => {
      if (n !== null && p.activeFiscalYears.has(p.registeredFiscalYear + k + 1)) row.retained[k] = n + 1;
    });
  }
  return [...rows.values()];
}

export type ActivityYear = {
  fiscalYear: number;
  /** People registered in the year. */
  registered: number;
  /** People active in the year. */
  active: number;
  /** Of the active, those registered in the same year. */
  activeNew: number;
  /** Active in the year and in the one before it (= continuing_participants). */
  continuing: number;
};

/** Registered beside active people per fiscal year from `first` to `last`. */
export function activityYears(people: Iterable<PersonActivity>, first: number, last: number): ActivityYear[] {
  const years = new Map<number, ActivityYear>();
  for (let fy = first; fy <= last; fy++)
    years.set(fy, { fiscalYear: fy, registered: 0, active: 0, activeNew: 0, continuing: 0 });
  for (const p of people) {
    const reg = years.get(p.registeredFiscalYear);
    if (reg) reg.registered++;
    for (const fy of p.activeFiscalYears) {
      const y = years.get(fy);
      if (!y) continue;
      y.active++;
      if (p.registeredFiscalYear === fy) y.activeNew++;
      if (p.activeFiscalYears.has(fy - 1)) y.continuing++;
    }
  }
  return [...years.values()];
}

// --- SQL ----------------------------------------------------------------------------------------

/**
 * Only people who declared these roots (ルーツ, `supporter_profiles.roots` of the people module:
 * birthplace, parents' birthplace …) — a condition on the person id column given; none: everyone.
 */
function withRoots(personColumn: string, roots: RootKind | null) {
  return roots
    ? sql` and exists (select 1 from supporter_profiles sp where sp.person_id = ${sql.raw(personColumn)} and ${roots} = any(sp.roots))`
    : sql``;
}

/** Records and links as dated facts of a person with a municipality (links from the day they were made). */
function factsSql(upTo: string, municipality: string | null, roots: RootKind | null = null) {
  const own = (column: string) => (municipality ? sql` and ${sql.raw(column)} = ${municipality}` : sql``);
  return sql`
    select e.person_id, e.municipality_code, e.kind, e.occurred_on as on_date
    from engagements e join people pe on pe.id = e.person_id and pe.deleted_at is null
    where e.occurred_on <= ${upTo}${own('e.municipality_code')}${withRoots('e.person_id', roots)}
    union all
    select l.person_id, l.municipality_code, l.kind, (l.created_at at time zone 'Asia/Tokyo')::date
    from person_links l join people pe on pe.id = l.person_id and pe.deleted_at is null
    where (l.created_at at time zone 'Asia/Tokyo')::date <= ${upTo}${own('l.municipality_code')}${withRoots('l.person_id', roots)}`;
}

/** The stage index (transitionIndex) a (person, municipality) group of facts reaches by `asOf` — stageOf in SQL. */
function stageIndexSql(asOf: string) {
  const by = sql`on_date <= ${asOf}::date`;
  return sql`case
    when min(on_date) filter (where kind = 'moved_in' and ${by}) is not null then
      case when min(on_date) filter (where kind = 'moved_in' and ${by}) + 365 <= ${asOf}::date then 7 else 6 end
    when bool_or(kind = 'two_region_living' and ${by}) then 5
    when bool_or(kind = 'side_job' and ${by}) then 4
    when bool_or(kind = 'volunteering' and ${by})
      or count(distinct kankei_fiscal_year(on_date)) filter (where kind = any(${kinds(CONTINUING)}) and ${by}) >= 2 then 3
    when bool_or(kind = any(${kinds(PARTICIPATION)}) and ${by}) then 2
    when bool_or(${by}) then 1
    else 0 end`;
}

const dayBefore = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** The end of the fiscal year as far as it has happened: its last day, or today while it runs. */
function yearEndSoFar(fiscalYear: number, today: string): string {
  const { to } = fiscalYearDates(fiscalYear);
  return to < today ? to : today;
}

/** The (before, after) stage index of every person × municipality with facts by the year's end. */
export async function transitionPairs(
  db: Db,
  fiscalYear: number,
  municipality: string | null,
  today = todayInTokyo(),
  roots: RootKind | null = null,
): Promise<Array<[number, number]>> {
  const { from } = fiscalYearDates(fiscalYear);
  if (from > today) return [];
  const end = yearEndSoFar(fiscalYear, today);
  const rows = await queryRows<{ before: number; after: number }>(
    db,
    sql`select ${stageIndexSql(dayBefore(from))} as before, ${stageIndexSql(end)} as after
        from (${factsSql(end, municipality, roots)}) f
        group by f.person_id, f.municipality_code`,
  );
  return rows.map((r) => [Number(r.before), Number(r.after)]);
}

/** The transition table of a fiscal year as the report shows it; null before the year has begun. */
export async function stageTransitions(
  db: Db,
  fiscalYear: number,
  municipality: string | null,
  today = todayInTokyo(),
  roots: RootKind | null = null,
) {
  if (fiscalYearDates(fiscalYear).from > today) return null;
  const pairs = await transitionPairs(db, fiscalYear, municipality, today, roots);
  return { fiscalYear, stages: TRANSITION_LABELS, counts: transitionCounts(pairs) };
}

/** Each person's registration year and active years, up to `lastFiscalYear`. */
export async function personActivity(
  db: Db,
  lastFiscalYear: number,
  municipality: string | null,
  roots: RootKind | null = null,
): Promise<PersonActivity[]> {
  const { to } = fiscalYearDates(lastFiscalYear);
  const own = municipality ? sql` and e.municipality_code = ${municipality}` : sql``;
  // For one municipality a person registers with it by their first record or link with it; for the
  // prefecture, by the earliest of their own registration and any record or link.
  const registered = municipality
    ? sql`select person_id, min(on_date) as first_on from (${factsSql(to, municipality, roots)}) f group by person_id`
    : sql`select pe.id as person_id, least(
          (pe.created_at at time zone 'Asia/Tokyo')::date,
          (select min(e.occurred_on) from engagements e where e.person_id = pe.id),
          (select min((l.created_at at time zone 'Asia/Tokyo')::date) from person_links l where l.person_id = pe.id)
        ) as first_on
        from people pe where pe.deleted_at is null${withRoots('pe.id', roots)}`;
  const rows = await queryRows<{ person_id: string; first_on: string; active: number[] | null }>(
    db,
    sql`with reg as (${registered}),
        act as (
          select e.person_id, array_agg(distinct kankei_fiscal_year(e.occurred_on)) as active
          from engagements e
          where e.kind = any(${kinds(PARTICIPATION)}) and e.occurred_on <= ${to}${own}${withRoots('e.person_id', roots)}
          group by e.person_id
        )
        select reg.person_id, reg.first_on::text as first_on, act.active
        from reg left join act on act.person_id = reg.person_id
        where reg.first_on <= ${to}`,
  );
  return rows.map((r) => ({
    registeredFiscalYear: fiscalYearOfDate(String(r.first_on).slice(0, 10)),
    activeFiscalYears: new Set((r.active ?? []).map(Number)),
  }));
}

/** Cohorts of the `years` fiscal years up to `fiscalYear`, followed two years on. */
export async function cohortRetention(
  db: Db,
  fiscalYear: number,
  municipality: string | null,
  today = todayInTokyo(),
  years = 3,
) {
  const lastEnded = fiscalYearOfDate(today) - 1;
  const people = await personActivity(db, Math.min(fiscalYear + 2, lastEnded + 1), municipality);
  return { rows: cohortRows(people, fiscalYear - years + 1, fiscalYear, 2, lastEnded) };
}
