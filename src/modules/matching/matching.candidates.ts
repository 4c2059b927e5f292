/**
 * The best candidates for one project, found in SQL and explained by the pure scoring.
 *
 * Who can be a candidate: a supporter whose profile shares at least one of the project's skills
 * (required or welcome), whose current `scouting` consent is a yes, who is not deleted or merged,
 * and — for staff limited to some municipalities — who is linked to one of them.
 *
 * How, exactly and without reading everyone who shares a skill (docs/matching.md):
 *
 * - People are taken by **levels**: the number of the project's required skills they have, from
 *   all of them down. A level is found through the GIN index on `supporter_profiles.skill_keys`
 *   (`@>` every required skill for the top level — an intersection of posting lists — then `@>`
 *   any r of them, as an OR of GIN conditions while there are few such combinations, else `&&`).
 *   Each required skill moves a score by 30 points, so the top levels are small and hold the best.
 * - Each row read gets, in SQL, `profileBound` of matching.scoring.ts: skills, involvement and
 *   availability exactly (the profile row holds them), remote fit and earlier participation at
 *   their most, and the most a tie adds only when the person is linked to, or has a record in, the
 *   project's municipality (probed per row, only for rows whose bound without it is too low).
 * - Rows whose bound cannot reach the floor are left in SQL; the floor is the `limit`-th exact
 *   score found on the levels above, or the `limit`-th least score (`profileFloor` and a few
 *   probes) of the level's best rows. The others (a few hundred at most on 100,000 supporters)
 *   come back with their residence, links and records in the same statement and are scored by
 *   `scoreCandidate`. A level whose best possible score (every welcome skill, every other factor
 *   at its most) cannot reach the floor ends the search; a level that cannot reach it without a
 *   tie is read among the people tied to the municipality only.
 *
 * Consent and person checks run per row after the bound, so only for the few rows kept. Every
 * statement is keyed by person id (the distribution column of these tables in Citus) and reads
 * one project's municipality; nothing sorts all supporters. The levels run in one read-only
 * snapshot with JIT off (`readSnapshot`): their estimated cost is far above their real one, and
 * compiling them took longer than running them.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows, queryRowsPrepared, readSnapshot, textArray } from '../../platform/db/client.js';
import { todayInTokyo } from '../../shared/dates.js';
import type { EngagementKind, InvolvementKind, LinkKind } from '../../shared/domain.js';
import { deriveStages } from '../engagement/index.js';
import {
  AVAILABILITY_POINTS,
  EARLIER_PARTICIPATION_MAX,
  EARLIER_PARTICIPATION_POINTS,
  INVOLVEMENT_DIRECT_POINTS,
  INVOLVEMENT_FIT,
  INVOLVEMENT_RELATED_POINTS,
  LINK_POINTS,
  MAX_NON_SKILL_POINTS,
  MAX_OFF_PROFILE_POINTS,
  MAX_TIE_POINTS,
  MISSING_REQUIRED_SKILL_POINTS,
  ON_SITE_WISHES,
  type PreparedProject,
  type ProjectNeeds,
  prepareProject,
  REMOTE_FIT_POINTS,
  REQUIRED_SKILL_POINTS,
  type Score,
  STAGE_POINTS,
  scoreCandidate,
  type TalentProfile,
  WELCOME_SKILL_POINTS,
} from './matching.scoring.js';

/** A candidate with their name as the person record holds it (the list shows it beside the score). */
export type Candidate = Score & { personId: string; name: string };

export type CandidateOptions = {
  limit: number;
  /** Only people linked to one of these municipalities (municipality staff); null or absent: everyone. */
  scopeMunicipalities?: readonly string[] | null;
  /** The date stages are evaluated on (Asia/Tokyo today by default). */
  asOf?: string;
};

/** Engagement kinds that count as earlier participation in projects. */
const PARTICIPATION_KINDS: readonly EngagementKind[] = ['side_job', 'volunteering'];

/** Above this many combinations of r required skills, a level is found by `&&` and counted in SQL. */
const MAX_LEVEL_COMBINATIONS = 16;
/** Rows of a level scored in SQL by their least (per `limit`) to fix the level's floor. */
const LEAD_PER_LIMIT = 3;

type Ranked = {
  person_id: string;
  skills: string[];
  skill_keys: string[];
  involvement: string[];
  hours_per_month: number | null;
};

const int = (n: number) => sql.raw(String(Math.trunc(n)));

function combinations<T>(items: readonly T[], r: number): T[][] {
  if (r === 0) return [[]];
  if (items.length < r) return [];
  const [first, ...rest] = items;
  return [...combinations(rest, r - 1).map((c) => [first!, ...c]), ...combinations(rest, r)];
}

function binomial(n: number, r: number): number {
  let c = 1;
  for (let i = 0; i < r; i++) c = (c * (n - i)) / (i + 1);
  return c;
}

/** How many of `keys` the profile has, as an SQL expression over `sp.skill_keys`. */
const countSql = (keys: readonly string[]): SQL =>
  keys.length
    ? sql.join(
        keys.map((k) => sql`(case when sp.skill_keys @> ${textArray([k])} then 1 else 0 end)`),
        sql` + `,
      )
    : sql`0`;

/** The GIN condition for "at least r of the required skills" (r ≥ 1), or for a welcome skill (r = 0). */
function levelCondition(required: readonly string[], welcome: readonly string[], r: number): SQL {
  if (r === 0) return sql`sp.skill_keys && ${textArray(welcome)}`;
  if (r === required.length) return sql`sp.skill_keys @> ${textArray(required)}`;
  if (binomial(required.length, r) > MAX_LEVEL_COMBINATIONS) return sql`sp.skill_keys && ${textArray(required)}`;
  return sql`(${sql.join(
    combinations(required, r).map((c) => sql`sp.skill_keys @> ${textArray(c)}`),
    sql` or `,
  )})`;
}

/** Skills, involvement and availability of one level's rows (r required skills), as SQL over `sp`. */
function rowValueSql(p: PreparedProject, required: readonly string[], welcome: readonly string[], r: number): SQL {
  const skills = r * REQUIRED_SKILL_POINTS + (required.length - r) * MISSING_REQUIRED_SKILL_POINTS;
  const fit = INVOLVEMENT_FIT[p.needs.kind];
  const involvement = sql`(case when sp.involvement && ${textArray(fit.direct)} then ${int(INVOLVEMENT_DIRECT_POINTS)}
      when sp.involvement && ${textArray(fit.related)} then ${int(INVOLVEMENT_RELATED_POINTS)} else 0 end)`;
  const hours = p.needs.hoursPerMonth;
  // availabilityPoints: all of it when the hours cover the project's (or it needs none), else in proportion, rounded down.
  const availability =
    hours === null
      ? sql`0`
      : hours <= 0
        ? sql`(case when sp.hours_per_month is null then 0 else ${int(AVAILABILITY_POINTS)} end)`
        : sql`(case when sp.hours_per_month is null then 0
              when sp.hours_per_month >= ${hours}::int then ${int(AVAILABILITY_POINTS)}
              else (${int(AVAILABILITY_POINTS)} * greatest(sp.hours_per_month, 0)) / ${hours}::int end)`;
  return sql`${int(skills)} + ${int(WELCOME_SKILL_POINTS)} * (${countSql(welcome)}) + ${involvement} + ${availability}`;
}

/** minRemoteFit of matching.scoring.ts as SQL over `sp`. */
function minRemoteSql(p: PreparedProject): SQL {
  const share = Math.min(100, Math.max(0, p.needs.remoteShare));
  return sql`(case when sp.involvement && ${textArray(ON_SITE_WISHES)} then ${int(REMOTE_FIT_POINTS)} else ${Math.floor((REMOTE_FIT_POINTS * share) / 100)}::int end)`;
}

/**
 * One level's candidates that can still enter the list, in one statement:
 *
 * - `lvl`: the level's people (GIN) with `value` (skills, involvement, availability — exact) and
 *   the least remote fit (`profileFloor` is their sum), nothing more: the level can hold thousands
 *   and copying their skill arrays cost more than reading them twice for the few kept;
 * - `lead`: the `limit` best by `low` among the eligible (alive, consenting, in scope), checked
 *   row by row in that order; their scores are at least their `low`, so the `limit`-th `low` is a
 *   floor no one below can pass — and so is the floor found on earlier levels (`known`);
 * - the answer: `lead`, and every eligible row whose `profileBound` (value + the most of remote fit
 *   and earlier participation, + the most of a tie for people tied to the municipality) reaches the
 *   floor — everyone of the level when there is no floor yet (then fewer than `limit` are eligible);
 *   each with their profile, residence, links with the municipality and the records that count.
 */
function levelStatement(
  p: PreparedProject,
  required: readonly string[],
  welcome: readonly string[],
  options: CandidateOptions & { asOf: string },
  r: number,
  known: number | null,
  limit: number,
  tiedOnly: boolean,
) {
  const code = p.needs.municipalityCode;
  const exact = r === required.length || r === 0 ? sql`` : sql`and (${countSql(required)}) = ${int(r)}`;
  const zero = r === 0 && required.length ? sql`and not (sp.skill_keys && ${textArray(required)})` : sql``;
  const eligible = (alias: string) => {
    const id = sql.raw(`${alias}.person_id`);
    return sql`coalesce((
        select pe.deleted_at is null and pe.merged_into is null from people pe where pe.id = ${id}
      ), false)
      and coalesce((
        select c.granted from consents c
        where c.person_id = ${id} and c.purpose = 'scouting' and c.municipality_code is null
        order by c.recorded_at desc, c.id desc
        limit 1
      ), false)
      ${
        options.scopeMunicipalities
          ? sql`and coalesce((select true from person_links pl where pl.person_id = ${id} and pl.municipality_code = any(${textArray(options.scopeMunicipalities)}) limit 1), false)`
          : sql``
      }`;
  };
  // Per row, by primary key and person indexes: remote fit exactly (residence), earlier
  // participation exactly, the strongest link with the municipality; the stage is left out.
  const remote = sql`(case when l.remote_min = ${int(REMOTE_FIT_POINTS)} then ${int(REMOTE_FIT_POINTS)}
      else coalesce((select ${int(REMOTE_FIT_POINTS)} from people pe where pe.id = l.person_id and pe.prefecture = ${p.prefecture ?? ''}), l.remote_min) end)`;
  const participationKinds = sql.join(
    PARTICIPATION_KINDS.map((k) => sql`${k}`),
    sql`, `,
  );
  const participation = sql`(select least(count(*), ${int(EARLIER_PARTICIPATION_MAX)}) * ${int(EARLIER_PARTICIPATION_POINTS)}
      from engagements e where e.person_id = l.person_id and e.kind in (${participationKinds}) and e.occurred_on <= ${options.asOf}::date)`;
  const linkCase = sql`(case pl.kind ${sql.join(
    Object.entries(LINK_POINTS).map(([k, v]) => sql`when ${k} then ${int(v)}`),
    sql` `,
  )} else 0 end)`;
  const link = sql`coalesce((select max(${linkCase}) from person_links pl where pl.person_id = l.person_id and pl.municipality_code = ${code}), 0)`;
  const stageMax = Math.max(...Object.values(STAGE_POINTS));
  // A tie adds at most its strongest link and the highest stage, only for people linked to or with
  // a record in the municipality. Probed row by row (two primary-key-led index reads), and only for
  // rows whose bound without a tie is too low: building the whole set of a large municipality
  // (28,000 links and records in the benchmark's largest) cost more than every probe of a level.
  // Scalar subqueries, not EXISTS: the planner would turn an EXISTS into that hashed set.
  const tied = tiedOnly
    ? sql`true`
    : sql`coalesce((select true from person_links pl where pl.person_id = l.person_id and pl.municipality_code = ${code} limit 1),
      (select true from engagements e where e.person_id = l.person_id and e.municipality_code = ${code} and e.occurred_on <= ${options.asOf}::date limit 1),
      false)`;
  const tieMost = tiedOnly
    ? sql`(${link} + ${int(stageMax)})`
    : sql`(case when ${tied} then ${link} + ${int(stageMax)} else 0 end)`;
  const slack = MAX_OFF_PROFILE_POINTS;
  return sql`
    with lvl as materialized (
      select sp.person_id, ${rowValueSql(p, required, welcome, r)} as value, ${minRemoteSql(p)} as remote_min
      from supporter_profiles sp
      where ${levelCondition(required, welcome, r)} ${exact} ${zero} ${
        tiedOnly
          ? sql`and coalesce(sp.person_id in (
              select pl.person_id from person_links pl where pl.municipality_code = ${code}
              union all
              select e.person_id from engagements e where e.municipality_code = ${code} and e.occurred_on <= ${options.asOf}::date), false)`
          : sql``
      }
    ),
    lead as (
      select l.person_id, l.value + ${remote} + ${participation} + ${link} as low
      from (
        select l.* from (select * from lvl order by value + remote_min desc, person_id offset 0) l
        where ${eligible('l')}
        limit ${LEAD_PER_LIMIT * limit}::int
      ) l
    ),
    fl as (
      select greatest(${known}::int,
        (select low from lead order by low desc offset ${limit - 1}::int limit 1)) as f
    )
    select sp.person_id, sp.skills, sp.skill_keys, sp.involvement, sp.hours_per_month,
      pe.name, pe.prefecture,
      coalesce((
        select json_agg(json_build_array(pl.kind, to_char(pl.created_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD')))
        from person_links pl where pl.person_id = sp.person_id and pl.municipality_code = ${code}
      ), '[]') as links,
      coalesce((
        select json_agg(json_build_array(e.municipality_code, e.kind, e.occurred_on::text))
        from engagements e
        where e.person_id = sp.person_id and e.occurred_on <= ${options.asOf}::date
          and (e.municipality_code = ${code} or e.kind in (${participationKinds}))
      ), '[]') as records
    from supporter_profiles sp join people pe on pe.id = sp.person_id
    where sp.person_id in (
      select l.person_id
      from lvl l, fl
      where l.person_id in (select person_id from lead)
        or (
          (fl.f is null or (
            l.value + ${int(slack + MAX_TIE_POINTS)} >= fl.f
            and l.value + ${int(slack)} + ${tieMost} >= fl.f
            and l.value + ${remote} + ${int(EARLIER_PARTICIPATION_MAX * EARLIER_PARTICIPATION_POINTS)} + ${tieMost} >= fl.f
            and l.value + ${remote} + ${participation} + ${tieMost} >= fl.f
          ))
          and ${eligible('l')}
        )
    )`;
}

/** A row of a level statement: the profile, the residence, the links with the project's municipality and the records that count. */
type LevelRow = Ranked & {
  name: string;
  prefecture: string | null;
  /** [kind, linked since (Japan date)] */
  links: Array<[LinkKind, string]>;
  /** [municipality, kind, date]: records in the project's municipality and participations anywhere */
  records: Array<[string, EngagementKind, string]>;
};

/** The part of a TalentProfile that a profile row and the person's residence hold (search and pool alike). */
function profileFields(row: Ranked & { prefecture: string | null }) {
  return {
    personId: row.person_id,
    skills: row.skills,
    skillKeys: row.skill_keys,
    involvement: row.involvement as InvolvementKind[],
    hoursPerMonth: row.hours_per_month,
    prefecture: row.prefecture,
  };
}

/** A level row as the scoring reads it: the stage with the municipality derived as docs/stages.md says. */
function talentOf(row: LevelRow, municipalityCode: string, asOf: string): TalentProfile {
  const here = row.records.filter(([code]) => code === municipalityCode);
  const stage =
    deriveStages(
      here.map(([, kind, occurredOn]) => ({ municipalityCode, kind, occurredOn })),
      row.links.map(([kind, since]) => ({ municipalityCode, kind, since })),
      asOf,
    )[0]?.stage ?? null;
  const links = row.links.map(([kind]) => kind);
  return {
    ...profileFields(row),
    ties: links.length || stage ? [{ municipalityCode, links, stage }] : [],
    earlierParticipations: row.records.filter(([, kind]) => PARTICIPATION_KINDS.includes(kind)).length,
  };
}

/** The `limit` best candidates for a project (score > 0), best first, each with its reasons. */
export async function findProjectCandidates(
  db: Db,
  needs: ProjectNeeds,
  options: CandidateOptions,
): Promise<Candidate[]> {
  const p = prepareProject(needs);
  const required = [...p.required.keys()];
  const welcome = [...p.welcome.keys()];
  const limit = Math.max(0, Math.floor(options.limit));
  if (!(required.length + welcome.length) || !limit || options.scopeMunicipalities?.length === 0) return [];
  const asOf = options.asOf ?? todayInTokyo();
  const best: Candidate[] = [];
  const seen = new Set<string>();
  /** The limit-th score found: who cannot reach it cannot enter. Null until limit scores are known. */
  const floor = () => (best.length >= limit ? best[limit - 1]!.score : null);
  const take = (rows: LevelRow[]) => {
    for (const row of rows) {
      if (seen.has(row.person_id)) continue;
      seen.add(row.person_id);
      const scored = scoreCandidate(p, talentOf(row, needs.municipalityCode, asOf));
      if (scored.score > 0) best.push({ personId: row.person_id, name: row.name, ...scored });
    }
    best.sort((a, b) => b.score - a.score || (a.personId < b.personId ? -1 : 1));
    best.length = Math.min(best.length, limit);
  };
  const context = { ...options, asOf };
  // One snapshot for every level: a person changed between two levels is read once, as of its start.
  return readSnapshot(
    db,
    async (snapshot) => {
      for (let r = required.length; r >= 0; r--) {
        if (r === 0 && !welcome.length) break;
        // The best this level can do: r required skills, every welcome one, every other factor at its most.
        const ceiling =
          r * REQUIRED_SKILL_POINTS +
          (required.length - r) * MISSING_REQUIRED_SKILL_POINTS +
          welcome.length * WELCOME_SKILL_POINTS +
          MAX_NON_SKILL_POINTS;
        const known = floor();
        if (ceiling <= 0 || (known !== null && ceiling < known)) break;
        // Without a tie no one of this level can reach the list: only people tied to the municipality are read.
        const tiedOnly = known !== null && ceiling - MAX_TIE_POINTS < known;
        take(
          await queryRowsPrepared<LevelRow>(
            snapshot,
            levelStatement(p, required, welcome, context, r, known, limit, tiedOnly),
          ),
        );
      }
      return best;
    },
    { genericPlans: true },
  );
}

/** A supporter as the proposal reads them: their profile for scoring and their capacity left. */
export type PoolTalent = { profile: TalentProfile; capacity: number };

/**
 * Everyone who can be a candidate (alive, a profile with a skill, a current yes to `scouting`), read
 * once for a proposal over every open project instead of one search per project: profiles, residence,
 * links and records (→ the stage per municipality, docs/stages.md) and earlier participation, as
 * `findProjectCandidates` gives them, and the concurrent projects they can still take (their
 * `project_capacity` less the matches they hold at agreed or collaborating). Three statements, each
 * read in full by person id (the distribution column in Citus); the pool is then held in memory
 * (matching.assignment.ts `TalentPool`). People come in person-id order: the solver breaks ties
 * in the pool's order, and without it the same data gave different proposals (29,677 or 29,660
 * seats in the benchmark, as the planner's join order changed with fresh statistics).
 */
export async function loadProposalTalents(db: Db, options: { asOf?: string } = {}): Promise<PoolTalent[]> {
  const asOf = options.asOf ?? todayInTokyo();
  const eligible = sql`
    select sp.person_id from supporter_profiles sp join people pe on pe.id = sp.person_id
    where pe.deleted_at is null and pe.merged_into is null and cardinality(sp.skill_keys) > 0
      and coalesce((
        select c.granted from consents c
        where c.person_id = sp.person_id and c.purpose = 'scouting' and c.municipality_code is null
        order by c.recorded_at desc, c.id desc
        limit 1
      ), false)`;
  const [rows, links, records] = await Promise.all([
    queryRows<Ranked & { prefecture: string | null; capacity: number; held: number }>(
      db,
      sql`with el as materialized (${eligible})
          select sp.person_id, sp.skills, sp.skill_keys, sp.involvement, sp.hours_per_month, sp.project_capacity as capacity,
            pe.prefecture,
            (select count(*)::int from matches m where m.person_id = sp.person_id and m.step in ('agreed', 'collaborating')) as held
          from el join supporter_profiles sp on sp.person_id = el.person_id join people pe on pe.id = el.person_id
          order by sp.person_id`,
    ),
    queryRows<{ person_id: string; municipality_code: string; kind: LinkKind; created_at: string }>(
      db,
      sql`with el as materialized (${eligible})
          select pl.person_id, pl.municipality_code, pl.kind,
            to_char(pl.created_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as created_at
          from el join person_links pl on pl.person_id = el.person_id`,
    ),
    queryRows<{ person_id: string; municipality_code: string; kind: EngagementKind; occurred_on: string }>(
      db,
      sql`with el as materialized (${eligible})
          select e.person_id, e.municipality_code, e.kind, e.occurred_on::text as occurred_on
          from el join engagements e on e.person_id = el.person_id
          where e.occurred_on <= ${asOf}::date`,
    ),
  ]);
  const linksOf = new Map<string, typeof links>();
  for (const l of links) {
    const own = linksOf.get(l.person_id);
    if (own) own.push(l);
    else linksOf.set(l.person_id, [l]);
  }
  const recordsOf = new Map<string, typeof records>();
  for (const r of records) {
    const own = recordsOf.get(r.person_id);
    if (own) own.push(r);
    else recordsOf.set(r.person_id, [r]);
  }
  return rows.map((row) => {
    const own = linksOf.get(row.person_id) ?? [];
    const recs = recordsOf.get(row.person_id) ?? [];
    const stages = new Map(
      deriveStages(
        recs.map((r) => ({ municipalityCode: r.municipality_code, kind: r.kind, occurredOn: r.occurred_on })),
        own.map((l) => ({ municipalityCode: l.municipality_code, kind: l.kind, since: l.created_at })),
        asOf,
      ).map((s) => [s.municipalityCode, s.stage]),
    );
    const codes = [...new Set([...own.map((l) => l.municipality_code), ...stages.keys()])].sort();
    const ties = codes.flatMap((municipalityCode) => {
      const kinds = own.filter((l) => l.municipality_code === municipalityCode).map((l) => l.kind);
      const stage = stages.get(municipalityCode) ?? null;
      return kinds.length || stage ? [{ municipalityCode, links: kinds, stage }] : [];
    });
    return {
      profile: {
        ...profileFields(row),
        ties,
        earlierParticipations: recs.filter((r) => PARTICIPATION_KINDS.includes(r.kind)).length,
      },
      capacity: Math.max(0, row.capacity - row.held),
    };
  });
}
