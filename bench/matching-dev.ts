/**
 * A persistent bench-sized matching database for looking at plans while changing the search:
 * `npx tsx bench/matching-dev.ts [talents]` creates `kankei_matching_dev` on the benchmark's
 * PostgreSQL server (BENCH_DATABASE_URL / TEST_DATABASE_URL) once, migrates it, and loads the
 * benchmark's synthetic talents (bench/matching-synthetic.ts, the same seed) with the suite's own
 * COPY load; later runs find it loaded and only migrate. Drop it with
 * `dropdb -h 127.0.0.1 -U postgres kankei_matching_dev`.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, queryRows } from '../src/platform/db/client.js';
import { loadYamagataMunicipalities, seedYamagataPlaces } from '../src/modules/places/places.service.js';
import { readConfig } from './lib/config.js';
import { loadTalents } from './matching.js';
import { syntheticTalents } from './matching-synthetic.js';

const NAME = process.env.BENCH_MATCHING_DEV_DB ?? 'kankei_matching_dev';
const talents = Number(process.argv[2] ?? process.env.BENCH_MATCHING_TALENTS ?? 100_000);
const server = readConfig().postgresUrl;
const admin = new pg.Client({ connectionString: server });
await admin.connect();
const exists = await admin.query('select 1 from pg_database where datname = $1', [NAME]);
if (!exists.rowCount) await admin.query(`create database ${NAME}`);
await admin.end();
const url = new URL(server);
url.pathname = `/${NAME}`;
const database = await openDatabase({ driver: 'postgres', url: url.toString(), poolSize: 2 });
try {
  await database.migrate();
  await seedYamagataPlaces(database.db);
  const [row] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from supporter_profiles`);
  if (row!.n === 0) {
    const codes = loadYamagataMunicipalities().map((m) => m.code);
    await loadTalents({ database }, syntheticTalents(talents, codes), console.log);
  }
  console.log(`${url.toString()}: ${row!.n || talents} supporter profiles`);
} finally {
  await database.close();
}
