/**
 * The people list's filters by relationship stage and by consent, as conditions on `people` that
 * the search adds to its own (people.search.ts, `matchConditions`): they narrow the rows the
 * keyset walk and the bounded count read, and change nothing of how pages are ordered or cut.
 *
 * The stage is the one of docs/stages.md, written here in SQL for the list because the people
 * module sits below engagement (which owns the rules as functions, stages.ts) and cannot call
 * them: the highest rule that holds, per municipality, from the engagement records dated up to
 * today and the links. `test/integration/people-filters.test.ts` holds the two equal (the
 * filter finds exactly the people whose /stages say so).
 */
import { type SQL, sql } from 'drizzle-orm';
import { CONSENT_PURPOSES, type ConsentPurpose, type Stage, STAGES } from '../../shared/domain.js';
import { todayInTokyo } from '../../shared/dates.js';
import { people } from './people.tables.js';

/** The list filters that are not about names or links. */
export type PeopleFilters = {
  /** People at this stage with the filtered municipality (or with any municipality without one). */
  stage?: Stage;
  /** People whose current answer for this consent purpose is yes (for all municipalities or the filtered one). */
  consent?: ConsentPurpose;
  municipality?: string;
};

// docs/stages.md: participation and continuing kinds (as engagement/stages.ts PARTICIPATION, CONTINUING).
const PARTICIPATION = ['event', 'visit', 'online', 'volunteering', 'side_job'];
const CONTINUING = [...PARTICIPATION, 'donation', 'public_comment'];
const SETTLED_AFTER_DAYS = 365;

const list = (kinds: readonly string[]) =>
  sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );

/** The stage's rank on the staircase (0 interest … 6 settled) of `people` with each municipality it has records or links with. */
function stageRanks(municipality: string | undefined, today: string): SQL {
  const only = municipality ? sql`and x.municipality_code = ${municipality}` : sql``;
  return sql`select case
        when least(r.first_move, l.first_move) is not null
          then case when least(r.first_move, l.first_move) + ${SETTLED_AFTER_DAYS}::int <= ${today}::date then 6 else 5 end
        when r.two_region then 4
        when r.side_job then 3
        when r.volunteering or r.continuing_years >= 2 then 2
        when r.participation then 1
        else 0 end as rank
      from (
        select x.municipality_code from engagements x
          where x.person_id = ${people.id} and x.occurred_on <= ${today}::date ${only}
        union
        select x.municipality_code from person_links x where x.person_id = ${people.id} ${only}
      ) m
      cross join lateral (
        select bool_or(e.kind = 'two_region_living') as two_region,
          bool_or(e.kind = 'side_job') as side_job,
          bool_or(e.kind = 'volunteering') as volunteering,
          count(distinct kankei_fiscal_year(e.occurred_on)) filter (where e.kind in (${list(CONTINUING)})) as continuing_years,
          bool_or(e.kind in (${list(PARTICIPATION)})) as participation,
          min(e.occurred_on) filter (where e.kind = 'moved_in') as first_move
        from engagements e
        where e.person_id = ${people.id} and e.municipality_code = m.municipality_code and e.occurred_on <= ${today}::date
      ) r
      cross join lateral (
        select min((pl.created_at at time zone 'Asia/Tokyo')::date) filter (where pl.kind = 'moved_in') as first_move
        from person_links pl
        where pl.person_id = ${people.id} and pl.municipality_code = m.municipality_code
      ) l`;
}

/** The consent answers in force: the latest record per (purpose, municipality or none) says yes. */
function consentGranted(purpose: ConsentPurpose, municipality: string | undefined): SQL {
  const where = municipality ? sql`and (c.municipality_code is null or c.municipality_code = ${municipality})` : sql``;
  return sql`exists (select 1 from consents c
      where c.person_id = ${people.id} and c.purpose = ${purpose} and c.granted ${where}
        and not exists (select 1 from consents n
          where n.person_id = c.person_id and n.purpose = c.purpose
            and n.municipality_code is not distinct from c.municipality_code
            and (n.recorded_at > c.recorded_at or (n.recorded_at = c.recorded_at and n.id > c.id))))`;
}

/** Conditions on `people` for the stage and consent filters (none when neither is asked for). */
export function peopleFilterConditions(filter: PeopleFilters, today: string = todayInTokyo()): SQL[] {
  const conditions: SQL[] = [];
  if (filter.stage) {
    const rank = STAGES.indexOf(filter.stage);
    conditions.push(sql`exists (select 1 from (${stageRanks(filter.municipality, today)}) s where s.rank = ${rank})`);
  }
  if (filter.consent && CONSENT_PURPOSES.includes(filter.consent))
    conditions.push(consentGranted(filter.consent, filter.municipality));
  return conditions;
}

/** People whose highest stage over every municipality is this one (outreach's segments). */
export function highestStageCondition(stage: Stage, today: string = todayInTokyo()): SQL {
  return sql`(select max(s.rank) from (${stageRanks(undefined, today)}) s) = ${STAGES.indexOf(stage)}`;
}
