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
import { linkKeysOf } from '../../src/modules/people/people.search-rules.js';
import { copyLines } from './copy.js';
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
      const link = { municipalityCode: p.municipalityCode, kind: p.kind };
      rows.push({
        id,
        ...fields,
        ...derivedColumns(fields),
        linkKeys: linkKeysOf([link]),
        isDemo: 1,
        createdBy: options.createdBy,
      });
      links.push({ personId: id, ...link });
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
  return {
    rows: options.count,
    loadSeconds,
    rowsPerSecond: options.count / loadSeconds,
    vacuumAnalyzeSeconds,
    ...(await peopleSizes(db)),
  };
}

/** The people heap and its search GIN index, in MB. */
export async function peopleSizes(db: Db): Promise<{ heapMb: number; ginMb: number }> {
  const [sizes] = await queryRows<{ heap: string; gin: string }>(
    db,
    sql`select pg_relation_size('people') as heap, pg_relation_size('people_search_idx') as gin`,
  );
  const mb = (bytes: string | undefined) => Math.round(Number(bytes ?? 0) / 2 ** 20);
  return { heapMb: mb(sizes?.heap), ginMb: mb(sizes?.gin) };
}

/** 32-bit integer hash (murmur3's finaliser), so ids spread like random ones. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
/** The i-th synthetic person's id: random-looking, unique (i is in the last group), reproducible. */
function syntheticId(i: number): string {
  const a = mix32(i ^ 0x9e3779b9);
  const b = mix32(i + 0x7f4a7c15);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b, 3)}-8${hex(mix32(a), 3)}-${hex(i, 12)}`;
}

/** COPY text-format field: backslash, tab, newline and carriage return escaped; null as \N. */
const copyField = (value: string | null) =>
  value === null
    ? '\\N'
    : value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
/** A text[] literal with every element quoted, for COPY. */
const copyArray = (items: readonly string[]) =>
  `{${items.map((g) => `"${g.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;

/**
 * The PostgreSQL bulk load for millions of people: COPY into `people` and `person_links` with
 * the secondary indexes dropped during the load and built afterwards (what a migration of a large
 * register does; building a GIN index once is far cheaper than inserting into it row by row).
 * Same synthetic people as bulkLoadPeople (same seed and series), so figures compare across sizes.
 * Creation dates are spread one second apart, oldest first, so "newest first" walks a real order.
 */
export async function copyLoadPeople(
  database: { db: Db },
  options: {
    count: number;
    createdBy: string;
    municipalityCodes: string[];
    onProgress?: (done: number) => void;
  },
): Promise<BulkLoadResult & { indexSeconds: number }> {
  const pool = (database.db as unknown as { $client: import('pg').Pool }).$client;
  const client = await pool.connect();
  const synthetic = new SyntheticPeople(BULK_SEED, options.municipalityCodes);
  const started = performance.now();
  const firstCreated = Date.parse('2024-04-01T00:00:00Z');
  try {
    const indexes = (
      await client.query<{ name: string; def: string }>(
        // Indexes that back no constraint (primary keys stay, and check each row as it arrives).
        `select i.indexname as name, i.indexdef as def from pg_indexes i
          where i.tablename in ('people', 'person_links')
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      )
    ).rows;
    for (const index of indexes) await client.query(`drop index ${index.name}`);
    const peopleLines = function* () {
      for (let i = 0; i < options.count; i++) {
        const p = synthetic.person(i, { tag: 'b', phonePrefix: '090' });
        const fields = { name: p.name, kana: p.kana, email: p.email, phone: p.phone };
        const d = derivedColumns(fields);
        const id = syntheticId(i);
        yield [
          id,
          copyField(p.name),
          copyField(p.kana),
          copyField(p.email),
          copyField(d.emailKey),
          copyField(p.phone),
          copyField(d.phoneKey),
          copyField(d.searchText),
          copyField(copyArray(d.searchGrams)),
          // The link keys with the row, as createPerson and the donor import write them.
          copyField(copyArray(linkKeysOf([{ municipalityCode: p.municipalityCode, kind: p.kind }]))),
          '1',
          options.createdBy,
          new Date(firstCreated + i * 1000).toISOString(),
        ].join('\t');
        if ((i + 1) % 100_000 === 0 || i + 1 === options.count) options.onProgress?.(i + 1);
      }
    };
    await copyLines(
      client,
      'people (id, name, kana, email, email_key, phone, phone_key, search_text, search_grams, link_keys, is_demo, created_by, created_at)',
      peopleLines(),
    );
    // The links in a second pass over the same seeded series (holding ten million in memory would not do).
    const again = new SyntheticPeople(BULK_SEED, options.municipalityCodes);
    const linkLines = function* () {
      for (let i = 0; i < options.count; i++) {
        const p = again.person(i, { tag: 'b', phonePrefix: '090' });
        yield `${syntheticId(i)}\t${p.municipalityCode}\t${p.kind}`;
      }
    };
    // The people rows carry their link keys already; the keys' row trigger would only look each
    // link's person up again (ten million lookups, queued to the end of the COPY), so it is off
    // for this load, as for any bulk load that writes the keys itself.
    await client.query('alter table person_links disable trigger person_links_keep_link_keys');
    try {
      await copyLines(client, 'person_links (person_id, municipality_code, kind)', linkLines());
    } finally {
      await client.query('alter table person_links enable trigger person_links_keep_link_keys');
    }
    const loadSeconds = (performance.now() - started) / 1000;
    const indexStarted = performance.now();
    await client.query(`set maintenance_work_mem = '512MB'`);
    for (const index of indexes) await client.query(index.def);
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    const vacuumStarted = performance.now();
    await client.query('vacuum (analyze) people, person_links');
    const vacuumAnalyzeSeconds = (performance.now() - vacuumStarted) / 1000;
    return {
      rows: options.count,
      loadSeconds,
      rowsPerSecond: options.count / loadSeconds,
      vacuumAnalyzeSeconds,
      indexSeconds,
      ...(await peopleSizes(database.db)),
    };
  } finally {
    client.release();
  }
}
