/**
 * Bulk load of synthetic people: multi-row INSERTs of `batchSize` people and their links per
 * transaction, with the derived search columns computed by the service's own derivedColumns(),
 * then VACUUM (ANALYZE) so the planner has statistics and the GIN index's pending list is merged
 * (what autovacuum does shortly after a load on a real server; PGlite runs no autovacuum).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/platform/db/client.js';
import { people, personLinks } from '../../src/modules/people/people.tables.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { SyntheticPeople } from './synthetic.js';

export type BulkLoadResult = {
  rows: number;
  loadSeconds: number;
  rowsPerSecond: number;
  vacuumAnalyzeSeconds: number;
  /** Sizes after the load: the people heap (without TOAST) and the GIN index searched. */
  heapMb: number;
  ginMb: number;
};

export const BULK_SEED = 20261123;

export async function bulkLoadPeople(
  db: Db,
  options: {
    count: number;
    batchSize?: number;
    createdBy: string;
    municipalityCodes: string[];
    onProgress?: (done: number) => void;
  },
): Promise<BulkLoadResult> {
  const batchSize = options.batchSize ?? 1000;
  const synthetic = new SyntheticPeople(BULK_SEED, options.municipalityCodes);
  const started = performance.now();
  for (let from = 0; from < options.count; from += batchSize) {
    const rows: Array<typeof people.$inferInsert> = [];
    const links: Array<typeof personLinks.$inferInsert> = [];
    for (let i = from; i < Math.min(options.count, from + batchSize); i++) {
      const p = synthetic.person(i, { tag: 'b', phonePrefix: '090' });
      const fields = { name: p.name, kana: p.kana, email: p.email, phone: p.phone };
      const id = randomUUID();
      rows.push({ id, ...fields, ...derivedColumns(fields), isDemo: 1, createdBy: options.createdBy });
      links.push({ personId: id, municipalityCode: p.municipalityCode, kind: p.kind });
    }
    await db.transaction(async (tx) => {
      await tx.insert(people).values(rows);
      await tx.insert(personLinks).values(links);
    });
    options.onProgress?.(Math.min(options.count, from + batchSize));
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const vacuumStarted = performance.now();
  await db.execute(sql`vacuum (analyze) people, person_links, audit_events`);
  const vacuumAnalyzeSeconds = (performance.now() - vacuumStarted) / 1000;
  const [sizes] = await queryRows<{ heap: string; gin: string }>(
    db,
    sql`select pg_relation_size('people') as heap, pg_relation_size('people_search_grams_idx') as gin`,
  );
  const mb = (bytes: string | undefined) => Math.round(Number(bytes ?? 0) / 2 ** 20);
  return {
    rows: options.count,
    loadSeconds,
    rowsPerSecond: options.count / loadSeconds,
    vacuumAnalyzeSeconds,
    heapMb: mb(sizes?.heap),
    ginMb: mb(sizes?.gin),
  };
}
