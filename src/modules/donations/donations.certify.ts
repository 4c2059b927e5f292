/**
 * Recomputes certifications (山形 心のふるさと県民 …) for a set of people, set-based: donation
 * years per person → runs of consecutive years (gaps and islands) → the first year completing a
 * run of the rule's length → `since` = the first donation of that year. The same rule as
 * certification.ts (pure, property-tested); an integration test checks they agree. Within a run
 * the years are consecutive, so the n-th year's first donation is the n-th element of the run.
 */
import type { BulkSql } from '../people/index.js';
import type { YearBasis } from './certification.js';

export type CertificationRuleRow = { kind: string; label: string; consecutiveYears: number; yearBasis: YearBasis };

const YEAR_OF: Record<YearBasis, string> = {
  calendar: `extract(year from e.occurred_on)::int`,
  // April–March: 2025-03-31 minus three months is in 2024.
  fiscal: `extract(year from e.occurred_on - interval '3 months')::int`,
};

export async function certificationRules(sql: BulkSql, prefectureCode: string): Promise<CertificationRuleRow[]> {
  return sql.query<CertificationRuleRow>(
    `select kind, label, consecutive_years as "consecutiveYears", year_basis as "yearBasis"
       from certification_rules where prefecture_code = $1 order by kind`,
    [prefectureCode],
  );
}

/**
 * Brings the prefecture's certifications of the people `touched` yields (a query with one column
 * person_id, or `$4` for a uuid[] parameter) up to date: adds, moves and removes them.
 * Returns how many of these people hold each kind afterwards.
 */
export async function recomputeCertifications(
  sql: BulkSql,
  prefectureCode: string,
  touched: { query: string; personIds?: string[] },
): Promise<Record<string, number>> {
  const held: Record<string, number> = {};
  for (const rule of await certificationRules(sql, prefectureCode)) {
    const yearOf = YEAR_OF[rule.yearBasis] ?? YEAR_OF.calendar;
    const [row] = await sql.query<{ certified: number }>(
      `with touched as (${touched.query}),
       -- A few people: index lookups of their donations; the people of a large import: one scan
       -- of the donations, hashed against them. The planner needs statistics of engagements to
       -- tell (a caller that just wrote many rows analyzes it first, see importDonorFile).
       years as (
         select e.person_id, ${yearOf} as yr, min(e.occurred_on) as first_on
           from engagements e join touched t on t.person_id = e.person_id
          where e.kind = 'donation' and left(e.municipality_code, 2) = $1::text
          group by 1, 2),
       islands as (select person_id, yr, first_on, yr - row_number() over (partition by person_id order by yr) as island from years),
       runs as (
         select person_id, min(yr) + $3::int - 1 as qual, (array_agg(first_on order by yr))[$3::int] as since
           from islands group by person_id, island having count(*) >= $3::int),
       held as (select distinct on (person_id) person_id, since from runs order by person_id, qual),
       upserted as (
         insert into certifications (person_id, kind, prefecture_code, since)
         select person_id, $2::text, $1::text, since from held
         on conflict (person_id, kind, prefecture_code)
           do update set since = excluded.since, computed_at = now() where certifications.since <> excluded.since
         returning 1),
       removed as (
         delete from certifications c using touched t
          where c.person_id = t.person_id and c.kind = $2 and c.prefecture_code = $1
            and not exists (select 1 from held h where h.person_id = c.person_id)
         returning 1)
       select (select count(*) from held)::int as certified`,
      [prefectureCode, rule.kind, rule.consecutiveYears, ...(touched.personIds ? [touched.personIds] : [])],
    );
    held[rule.kind] = row?.certified ?? 0;
  }
  return held;
}
