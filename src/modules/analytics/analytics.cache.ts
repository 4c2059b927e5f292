/**
 * Kept answers of the needs analysis, exact to the transaction. Computing the analysis of a year
 * reads every consultation of that year (about 0.2 s at 1,000,000 consultations on two busy cores,
 * docs/benchmarks.md); answering it again from analytics_results takes a few milliseconds.
 *
 * A kept answer is served only while it is exactly what a new computation would give:
 * - it was computed by this very code (codeVersion: a hash of the files that compute it), and
 * - no transaction that changed consultations, cases or case steps of that fiscal year (the
 *   triggers of migration 0009 log them in analytics_changes) committed outside the snapshot taken
 *   just before the computation began. A change that committed after that snapshot makes the
 *   answer stale even if the computation happened to see it — never the other way round.
 * The check is one index range scan over the year's recent changes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/client.js';
import { currentFiscalYear } from './analytics.rules.js';

/**
 * Hash of the files that decide what an answer contains, as they run: the TypeScript sources under
 * tsx (`npm run dev`), the compiled JavaScript in dist/ (`npm start`). A deployment that changes them
 * starts afresh; hashing the running files (not src/ from dist/) means sources edited but not yet
 * built never vouch for answers computed by the old build.
 */
export const CODE_VERSION: string = (() => {
  const hash = createHash('sha256');
  const runningExtension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  for (const file of ['analytics.queries', 'analytics.service', 'analytics.rules', 'analytics.schemas']) {
    try {
      hash.update(fs.readFileSync(new URL(`./${file}.${runningExtension}`, import.meta.url)));
    } catch {
      // Bundled without sources: fall back to the start time, so nothing kept by another build is used.
      hash.update(String(Date.now()));
    }
  }
  return hash.digest('hex').slice(0, 16);
})();

/** Kept answers older than this are dropped (and recomputed when asked for), so old snapshots do not hold back pruning. */
const KEEP_RESULTS = '1 day';
/** Change rows younger than this are kept even if no kept answer needs them: a computation may be under way. */
const KEEP_CHANGES = '10 minutes';

export type CacheKey = { report: string; fiscalYear: number; municipalityCode: string | null };

/**
 * The kept answer for `key` when it is still exact, else `compute()`'s, kept for the next time.
 * Years after next year are computed every time: the change log does not reach that far.
 */
export async function cachedResult<T>(
  db: Db,
  key: CacheKey,
  compute: () => Promise<T>,
): Promise<{ result: T; cached: boolean }> {
  const municipality = key.municipalityCode ?? '';
  const [hit] = await queryRows<{ result: T }>(
    db,
    sql`select r.result from analytics_results r
        where r.report = ${key.report} and r.fiscal_year = ${key.fiscalYear} and r.municipality_code = ${municipality}
          and r.code_version = ${CODE_VERSION}
          and not exists (
            select 1 from analytics_changes c
            where c.fiscal_year = r.fiscal_year
              and c.xid >= pg_snapshot_xmin(r.snapshot::pg_snapshot)::text::bigint
              and not pg_visible_in_snapshot(c.xid::text::xid8, r.snapshot::pg_snapshot))`,
  );
  if (hit) return { result: hit.result, cached: true };

  const [{ snapshot } = { snapshot: '' }] = await queryRows<{ snapshot: string }>(
    db,
    sql`select pg_current_snapshot()::text as snapshot`,
  );
  const result = await compute();
  if (key.fiscalYear <= currentFiscalYear() + 1) {
    await db.execute(
      sql`insert into analytics_results (report, fiscal_year, municipality_code, code_version, snapshot, computed_at, result)
          values (${key.report}, ${key.fiscalYear}, ${municipality}, ${CODE_VERSION}, ${snapshot}, now(), ${JSON.stringify(result)}::jsonb)
          on conflict (report, fiscal_year, municipality_code) do update
            set code_version = excluded.code_version, snapshot = excluded.snapshot, computed_at = excluded.computed_at, result = excluded.result`,
    );
    await pruneChanges(db);
  }
  return { result, cached: false };
}

/**
 * Drops kept answers older than a day and the change rows no kept answer can need any more (older
 * than every kept snapshot's xmin, and older than ten minutes in case a computation is under way).
 */
export async function pruneChanges(db: Db): Promise<void> {
  await db.execute(sql`delete from analytics_results where computed_at < now() - ${KEEP_RESULTS}::interval`);
  await db.execute(
    sql`delete from analytics_changes
        where recorded_at < now() - ${KEEP_CHANGES}::interval
          and xid < coalesce(
            (select min(pg_snapshot_xmin(snapshot::pg_snapshot)::text::bigint) from analytics_results),
            pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`,
  );
}
