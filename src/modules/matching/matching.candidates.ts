/**
 * The best candidates for one project, found in SQL and explained by the pure scoring.
 *
 * Who can be a candidate: a supporter whose profile shares at least one of the project's skills
 * (required or welcome), whose current `scouting` consent is a yes, who is not deleted or merged,
 * and — for staff limited to some municipalities — who is linked to one of them.
 *
 * How: one set-based statement finds them through the GIN index on `supporter_profiles.skill_keys`
 * (`&&` the project's skill keys) and ranks them by their skill points, computed in SQL with the
 * weights of matching.scoring.ts; the consent and person checks run only for the rows the window
 * pulls. The window's people get their links, engagement records (→ stage, by the staircase of
 * the engagement module) and residence, and are scored by `scoreCandidate`. The search is exact:
 * it widens the window until even the most the other factors can add (MAX_NON_SKILL_POINTS) to
 * the skill points of the next person could not beat the `limit`-th score found. Every statement
 * is keyed by person id, the distribution column of these tables in Citus.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';
import { todayInTokyo } from '../../shared/dates.js';
import type { EngagementKind, InvolvementKind, LinkKind } from '../../shared/domain.js';
import { deriveStages } from '../engagement/index.js';
import {
  MAX_NON_SKILL_POINTS,
  MISSING_REQUIRED_SKILL_POINTS,
  type PreparedProject,
  type ProjectNeeds,
  prepareProject,
  REQUIRED_SKILL_POINTS,
  type Score,
  scoreCandidate,
  type TalentProfile,
  WELCOME_SKILL_POINTS,
} from './matching.scoring.js';

export type Candidate = Score & { personId: string };

export type CandidateOptions = {
  limit: number;
  /** Only people linked to one of these municipalities (municipality staff); null or absent: everyone. */
  scopeMunicipalities?: readonly string[] | null;
  /** The date stages are evaluated on (Asia/Tokyo today by default). */
  asOf?: string;
};

/** Engagement kinds that count as earlier participation in projects. */
const PARTICIPATION_KINDS: readonly EngagementKind[] = ['side_job', 'volunteering'];

type Ranked = {
  person_id: string;
  skills: string[];
  involvement: string[];
  hours_per_month: number | null;
  skill_points: number;
};

const textArray = (values: readonly string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

/** The skill points of matching.scoring.ts as an SQL expression over `sp.skill_keys`. */
function skillPointsSql(p: PreparedProject): SQL {
  const terms: SQL[] = [sql`0`];
  for (const k of p.required.keys())
    terms.push(
      sql`(case when sp.skill_keys @> ${textArray([k])} then ${sql.raw(String(REQUIRED_SKILL_POINTS))} else ${sql.raw(String(MISSING_REQUIRED_SKILL_POINTS))} end)`,
    );
  for (const k of p.welcome.keys())
    terms.push(
      sql`(case when sp.skill_keys @> ${textArray([k])} then ${sql.raw(String(WELCOME_SKILL_POINTS))} else 0 end)`,
    );
  return sql.join(terms, sql` + `);
}

function rankedStatement(
  p: PreparedProject,
  keys: string[],
  options: CandidateOptions,
  window: number,
  offset: number,
) {
  const scope = options.scopeMunicipalities
    ? sql`and exists (select 1 from person_links pl where pl.person_id = h.person_id and pl.municipality_code = any(${textArray(options.scopeMunicipalities)}))`
    : sql``;
  // `offset 0` keeps the ranking in its own step, so that the checks below run only for the rows
  // the limit pulls, best first.
  return sql`
    select h.person_id, h.skills, h.involvement, h.hours_per_month, h.skill_points
    from (
      select sp.person_id, sp.skills, sp.involvement, sp.hours_per_month, ${skillPointsSql(p)} as skill_points
      from supporter_profiles sp
      where sp.skill_keys && ${textArray(keys)}
      order by skill_points desc, sp.person_id
      offset 0
    ) h
    where exists (
        select 1 from people pe where pe.id = h.person_id and pe.deleted_at is null and pe.merged_into is null
      )
      and coalesce((
        select c.granted from consents c
        where c.person_id = h.person_id and c.purpose = 'scouting' and c.municipality_code is null
        order by c.recorded_at desc, c.id desc
        limit 1
      ), false)
      ${scope}
    limit ${window} offset ${offset}`;
}

/** Links, stage and earlier participation of the window's people, as TalentProfiles. */
async function profilesOf(
  db: Db,
  rows: readonly Ranked[],
  municipalityCode: string,
  asOf: string,
): Promise<TalentProfile[]> {
  const ids = rows.map((r) => r.person_id);
  const idArray = sql`${sql`array[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`}`;
  const [residence, links, records] = await Promise.all([
    queryRows<{ id: string; prefecture: string | null }>(
      db,
      sql`select id, prefecture from people where id = any(${idArray})`,
    ),
    queryRows<{ person_id: string; kind: LinkKind; created_at: string }>(
      db,
      sql`select person_id, kind, to_char(created_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as created_at
          from person_links where person_id = any(${idArray}) and municipality_code = ${municipalityCode}`,
    ),
    queryRows<{ person_id: string; municipality_code: string; kind: EngagementKind; occurred_on: string }>(
      db,
      sql`select person_id, municipality_code, kind, occurred_on::text as occurred_on
          from engagements
          where person_id = any(${idArray}) and occurred_on <= ${asOf}::date
            and (municipality_code = ${municipalityCode} or kind in (${sql.join(
              PARTICIPATION_KINDS.map((k) => sql`${k}`),
              sql`, `,
            )}))`,
    ),
  ]);
  const prefecture = new Map(residence.map((r) => [r.id, r.prefecture]));
  return rows.map((row) => {
    const own = links.filter((l) => l.person_id === row.person_id);
    const recs = records.filter((r) => r.person_id === row.person_id);
    const here = recs.filter((r) => r.municipality_code === municipalityCode);
    const stage =
      deriveStages(
        here.map((r) => ({ municipalityCode, kind: r.kind, occurredOn: r.occurred_on })),
        own.map((l) => ({ municipalityCode, kind: l.kind, since: l.created_at })),
        asOf,
      )[0]?.stage ?? null;
    const ties = own.length || stage ? [{ municipalityCode, links: own.map((l) => l.kind), stage }] : [];
    return {
      personId: row.person_id,
      skills: row.skills,
      involvement: row.involvement as InvolvementKind[],
      hoursPerMonth: row.hours_per_month,
      prefecture: prefecture.get(row.person_id) ?? null,
      ties,
      earlierParticipations: recs.filter((r) => PARTICIPATION_KINDS.includes(r.kind)).length,
    };
  });
}

/** The `limit` best candidates for a project (score > 0), best first, each with its reasons. */
export async function findProjectCandidates(
  db: Db,
  needs: ProjectNeeds,
  options: CandidateOptions,
): Promise<Candidate[]> {
  const p = prepareProject(needs);
  const keys = [...p.required.keys(), ...p.welcome.keys()];
  const limit = Math.max(0, Math.floor(options.limit));
  if (!keys.length || !limit || options.scopeMunicipalities?.length === 0) return [];
  const asOf = options.asOf ?? todayInTokyo();
  const best: Candidate[] = [];
  let window = Math.max(4 * limit, 50);
  for (let offset = 0; ; offset += window, window *= 2) {
    const rows = await queryRows<Ranked>(db, rankedStatement(p, keys, options, window, offset));
    if (rows.length) {
      const profiles = await profilesOf(db, rows, needs.municipalityCode, asOf);
      for (const profile of profiles) {
        const scored = scoreCandidate(p, profile);
        if (scored.score > 0) best.push({ personId: profile.personId, ...scored });
      }
      best.sort((a, b) => b.score - a.score || (a.personId < b.personId ? -1 : 1));
      best.length = Math.min(best.length, limit);
    }
    if (rows.length < window) break; // nobody else shares a skill
    const next = Number(rows[rows.length - 1]!.skill_points);
    if (best.length >= limit && next + MAX_NON_SKILL_POINTS <= best[limit - 1]!.score) break;
  }
  return best;
}
