/**
 * The records behind a figure (drill-down): the moved cases of ①, the people of ② and of the
 * continuing participants, the events of ③ — exactly those the rule counted, for the reader's
 * municipality scope, a page at a time, with the total and the sum that equals the figure. Every
 * read is audited with the people it showed.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { PARTICIPATION } from '../engagement/index.js';
import { kpiMunicipality } from './kpi.scope.js';
import { currentFiscalYear, fiscalYearDates, fiscalYearInstants } from './kpi.rules.js';
import { kinds, movesSql, relationshipEntriesSql } from './kpi.queries.js';
import type { CountedRecordsView, KpiCode, RecordsQueryInput } from './kpi.schemas.js';

type Row = {
  kind: 'case' | 'person' | 'event';
  id: string;
  person_id: string | null;
  name: string;
  on: string;
  municipality_code: string | null;
  municipality_name: string | null;
  value: number;
  detail: string | null;
  total: number;
  sum: number;
};

/** The statement listing the counted records of one indicator (null: the indicator has no data yet). */
function recordsSql(code: KpiCode, fy: number, municipality: string | null): SQL | null {
  const { from, to } = fiscalYearDates(fy);
  const inMunicipality = (column: SQL) => (municipality ? sql`and ${column} = ${municipality}` : sql``);
  switch (code) {
    case 'uij_movers':
      return sql`select 'case' as kind, c.id, c.person_id, p.name, c.moved_on::text as on,
            c.moved_municipality_code as municipality_code, m.name as municipality_name,
            coalesce(s.household_size, 1) as value, s.uij_type as detail
          from ${movesSql(
            from,
            to,
            municipality,
            sql`join people p on p.id = c.person_id left join municipalities m on m.code = c.moved_municipality_code`,
          )}`;
    case 'relationship_created':
      return sql`${relationshipEntriesSql({ fromFiscalYear: fy, toFiscalYear: fy })}
          select 'person' as kind, f.person_id as id, f.person_id, pe.name, f.entered_on::text as on,
            f.municipality_code, m.name as municipality_name, 1 as value,
            case
              when exists (select 1 from engagements x where x.person_id = f.person_id and x.municipality_code = f.municipality_code
                and x.kind = 'two_region_living' and x.occurred_on <= f.entered_on) then 'two_region'
              when exists (select 1 from engagements x where x.person_id = f.person_id and x.municipality_code = f.municipality_code
                and x.kind = 'side_job' and x.occurred_on <= f.entered_on) then 'collaboration'
              else 'involvement' end as detail
          from firsts f
          join people pe on pe.id = f.person_id
          left join municipalities m on m.code = f.municipality_code
          where f.entered_on between ${from} and ${to} ${inMunicipality(sql`f.municipality_code`)}`;
    case 'exchange_created': {
      const { start, end } = fiscalYearInstants(fy);
      return sql`select 'event' as kind, e.id, null::uuid as person_id, e.title as name,
            ((e.starts_at at time zone 'Asia/Tokyo')::date)::text as on,
            e.venue_municipality_code as municipality_code, m.name as municipality_name,
            (coalesce(c.n, 0) + coalesce(h.n, 0))::int as value,
            concat('checkedIn=', coalesce(c.n, 0), ' headcount=', coalesce(h.n, 0)) as detail
          from events e
          left join municipalities m on m.code = e.venue_municipality_code
          left join (select r.event_id, count(*) as n from event_registrations r
            where r.checked_in_at >= ${start.toISOString()}::timestamptz and r.checked_in_at < ${end.toISOString()}::timestamptz
              and r.status = 'registered' group by r.event_id) c on c.event_id = e.id
          left join (select event_id, sum(count) as n from event_headcounts
            where counted_on between ${from} and ${to} group by event_id) h on h.event_id = e.id
          where e.venue_municipality_code is not null and e.status <> 'cancelled'
            and (c.n is not null or h.n is not null) ${inMunicipality(sql`e.venue_municipality_code`)}`;
    }
    case 'continuing_participants': {
      const previous = fiscalYearDates(fy - 1);
      const participated = (range: { from: string; to: string }) =>
        sql`select 1 from engagements x where x.person_id = pe.id and x.kind = any(${kinds(PARTICIPATION)})
            and x.occurred_on between ${range.from} and ${range.to} ${inMunicipality(sql`x.municipality_code`)}`;
      return sql`select 'person' as kind, pe.id, pe.id as person_id, pe.name,
            (select min(x.occurred_on)::text from engagements x where x.person_id = pe.id
              and x.kind = any(${kinds(PARTICIPATION)}) and x.occurred_on between ${from} and ${to}
              ${inMunicipality(sql`x.municipality_code`)}) as on,
            ${municipality}::varchar as municipality_code, m.name as municipality_name, 1 as value, null as detail
          from people pe
          left join municipalities m on m.code = ${municipality}::varchar
          where pe.deleted_at is null and exists (${participated({ from, to })}) and exists (${participated(previous)})`;
    }
    case 'ready_organizations':
    case 'side_job_hosts':
      return null;
  }
}

/** The counted records of `code` in the fiscal year, for the reader's scope (municipality staff: their own municipality's). */
export async function getCountedRecords(
  db: Db,
  ctx: StaffContext,
  code: KpiCode,
  query: RecordsQueryInput,
): Promise<CountedRecordsView> {
  const municipality = kpiMunicipality(ctx.actor, query.municipality);
  const fiscalYear = query.fiscalYear ?? currentFiscalYear();
  const statement = recordsSql(code, fiscalYear, municipality);
  if (!statement) return { code, fiscalYear, total: 0, sum: null, items: [] };
  const rows = await queryRows<Row>(
    db,
    sql`select *, count(*) over ()::int as total, sum(value) over ()::int as sum
        from (${statement}) counted
        order by counted.on, counted.name, counted.id
        limit ${query.limit} offset ${query.offset}`,
  );
  const personIds = [...new Set(rows.map((r) => r.person_id).filter((id): id is string => Boolean(id)))];
  await recordAudit(db, ctx, {
    action: 'kpi.records.read',
    entityType: 'kpi',
    ...(municipality ? { municipalityCode: municipality } : {}),
    details: { code, fiscalYear, municipality, rows: rows.length, personIds },
  });
  // The window totals ride on every row; a page past the end has none, so count again for it.
  let total = rows[0]?.total ?? 0;
  let sum = rows[0]?.sum ?? 0;
  if (rows.length === 0 && query.offset > 0) {
    const [all] = await queryRows<{ total: number; sum: number | null }>(
      db,
      sql`select count(*)::int as total, coalesce(sum(value), 0)::int as sum from (${statement}) counted`,
    );
    total = all?.total ?? 0;
    sum = all?.sum ?? 0;
  }
  return {
    code,
    fiscalYear,
    total: Number(total),
    sum: Number(sum),
    items: rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      personId: r.person_id,
      name: r.name,
      on: r.on,
      municipalityCode: r.municipality_code,
      municipalityName: r.municipality_name,
      value: Number(r.value),
      detail: r.detail,
    })),
  };
}
