/**
 * Kept figures of the KPI rules, exact to the transaction (the pattern of the needs analysis's kept
 * answers, src/modules/analytics/analytics.cache.ts). Computing a rule from the raw records reads a
 * fiscal year's engagement records, moves or check-ins — seconds at national sizes
 * (docs/benchmarks.md "KPI"); reading the kept rows takes a millisecond.
 *
 * Each rule's rows of one fiscal year (all municipalities) are kept under the rule's source key
 * (`moves` ①, `relationship` ②, `exchange` ③, `continuing` 例2) and served only while they are
 * exactly what a new computation would give:
 * - computed by this very code (codeVersion: a hash of the files that compute them), and
 * - no transaction that changed the records the rule reads (the statement triggers of migration
 *   kpi_change_triggers log them per source in kpi_changes) committed outside the snapshot taken
 *   just before the computation began.
 * A stale or missing year is computed again — with every other stale year of the same source in
 * one statement — and kept. Nothing is kept for years after next year.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { currentFiscalYear } from './kpi.rules.js';
import type { YearRange } from './kpi.queries.js';

export type KeptSource = 'moves' | 'relationship' | 'exchange' | 'continuing';

/** Hash of the files that decide what the rows contain, as they run (see analytics.cache.ts). */
export const KPI_CODE_VERSION: string = (() => {
  const hash = createHash('sha256');
  const running = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  for (const file of ['kpi.queries', 'kpi.rules', 'kpi.kept']) {
    try {
      hash.update(fs.readFileSync(new URL(`./${file}.${running}`, import.meta.url)));
    } catch {
      hash.update(String(Date.now()));
    }
  }
  return hash.digest('hex').slice(0, 16);
})();

const KEEP_CHANGES = '10 minutes';

const years = (range: YearRange) =>
  Array.from(
    { length: Math.max(0, range.toFiscalYear - range.fromFiscalYear + 1) },
    (_, i) => range.fromFiscalYear + i,
  );

export type KeptRequest<T extends { fiscalYear: number }> = {
  source: KeptSource;
  range: YearRange;
  /** Computes the rows of the years given (each row carries its `fiscalYear`), independently of the range asked. */
  compute: (range: YearRange) => Promise<T[]>;
};

/** The kept rows still exact for the sources and years asked, in one statement: source → year → rows. */
async function readKept(db: Db, requests: ReadonlyArray<KeptRequest<{ fiscalYear: number }>>) {
  const from = Math.min(...requests.map((r) => r.range.fromFiscalYear));
  const to = Math.max(...requests.map((r) => r.range.toFiscalYear));
  const sources = `{${requests.map((r) => r.source).join(',')}}`;
  const hits = await queryRows<{ source: KeptSource; fiscal_year: number; rows: unknown[] }>(
    db,
    sql`select k.source, k.fiscal_year, k.rows from kpi_kept_figures k
        where k.source = any(${sources}::varchar[]) and k.fiscal_year between ${from} and ${to}
          and k.code_version = ${KPI_CODE_VERSION}
          and not exists (
            select 1 from kpi_changes c
            where c.source = k.source
              and c.xid >= pg_snapshot_xmin(k.snapshot::pg_snapshot)::text::bigint
              and not pg_visible_in_snapshot(c.xid::text::xid8, k.snapshot::pg_snapshot))`,
  );
  const kept = new Map<KeptSource, Map<number, unknown[]>>();
  for (const h of hits) {
    if (!kept.has(h.source)) kept.set(h.source, new Map());
    kept.get(h.source)!.set(Number(h.fiscal_year), h.rows);
  }
  return kept;
}

/**
 * The rows of each request's source for every fiscal year of its range: kept rows where still
 * exact (all sources read in one statement), the others computed by the request's `compute` (over
 * the smallest range covering the missing years) and kept. Answers the rows in request order.
 */
export async function keptFigures<T extends { fiscalYear: number }>(
  db: Db,
  requests: ReadonlyArray<KeptRequest<T>>,
): Promise<T[][]> {
  if (requests.length === 0) return [];
  const kept = await readKept(db, requests);
  return Promise.all(
    requests.map(async ({ source, range, compute }) => {
      const have = (kept.get(source) ?? new Map<number, unknown[]>()) as Map<number, T[]>;
      const missing = years(range).filter((fy) => !have.has(fy));
      if (missing.length) {
        const [{ snapshot } = { snapshot: '' }] = await queryRows<{ snapshot: string }>(
          db,
          sql`select pg_current_snapshot()::text as snapshot`,
        );
        const computed = await compute({ fromFiscalYear: missing[0]!, toFiscalYear: missing.at(-1)! });
        const byYear = new Map<number, T[]>(missing.map((fy) => [fy, []]));
        for (const row of computed) byYear.get(row.fiscalYear)?.push(row);
        const keep = [...byYear].filter(([fy]) => fy <= currentFiscalYear() + 1);
        if (keep.length) {
          await db.execute(
            sql`insert into kpi_kept_figures (source, fiscal_year, code_version, snapshot, computed_at, rows)
                select ${source}, y.fiscal_year, ${KPI_CODE_VERSION}, ${snapshot}, now(), y.rows
                from jsonb_to_recordset(${JSON.stringify(keep.map(([fiscal_year, rows]) => ({ fiscal_year, rows })))}::jsonb)
                  as y(fiscal_year integer, rows jsonb)
                on conflict (source, fiscal_year) do update
                  set code_version = excluded.code_version, snapshot = excluded.snapshot,
                      computed_at = excluded.computed_at, rows = excluded.rows`,
          );
          await pruneKpiChanges(db);
        }
        for (const [fy, rows] of byYear) have.set(fy, rows);
      }
      return years(range).flatMap((fy) => have.get(fy) ?? []);
    }),
  );
}

/** Drops change rows no kept figure can need (older than every kept snapshot's xmin and than ten minutes). */
export async function pruneKpiChanges(db: Db): Promise<void> {
  await db.execute(
    sql`delete from kpi_changes
        where recorded_at < now() - ${KEEP_CHANGES}::interval
          and xid < coalesce(
            (select min(pg_snapshot_xmin(snapshot::pg_snapshot)::text::bigint) from kpi_kept_figures),
            pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`,
  );
}

/** Drops every kept figure: the next reader computes from the raw records (the bench's rebuild). */
export async function dropKeptFigures(db: Db): Promise<void> {
  await db.execute(sql`delete from kpi_kept_figures`);
}
