/**
 * `npm run bench`: create-person and search-person throughput through the HTTP API (autocannon on
 * loopback) next to the ceiling of the same work called in-process through the driver, on PGlite
 * and on PostgreSQL; search latency over BENCH_PEOPLE synthetic people with the PostgreSQL target
 * (median < 50 ms) and the query plans behind it. See docs/benchmarks.md.
 *
 * Knobs: BENCH_SECONDS (10), BENCH_PEOPLE (100000), BENCH_ONLY=pglite|postgres,
 * BENCH_CONNECTIONS (pglite 4, postgres 10), BENCH_SAMPLES (30),
 * BENCH_DATABASE_URL / TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_SUITES (people,cards,donations,analytics,fairday,matching,kpi), BENCH_DONOR_ROWS (1000000),
 * BENCH_ANALYTICS_CONSULTATIONS / _CASES / _COLD_SAMPLES (analytics.ts), BENCH_FAIRDAY_SECONDS (120),
 * BENCH_MATCHING_TALENTS / _PROJECTS / _QUALITY_RUNS (matching.ts), BENCH_KPI_SCALE / _RAW_SAMPLES (kpi.ts).
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { queryRows, type Db, type DriverName } from '../src/platform/db/client.js';
import { createPerson, derivedColumns, findPeople } from '../src/modules/people/people.service.js';
import { searchPeople } from '../src/modules/people/people.search.js';
import { queryGrams, searchKey } from '../src/shared/normalize.js';
import { people, personLinks } from '../src/modules/people/people.tables.js';
import { recordAudit } from '../src/platform/audit/audit.service.js';
import { bulkLoadPeople, copyLoadPeople, peopleSizes } from './lib/bulk.js';
import { Cleanup } from './lib/cleanup.js';
import { readConfig, type BenchConfig } from './lib/config.js';
import { benchPostgresUrl } from './lib/private-postgres.js';
import { captureQueries, explainCaptured } from './lib/explain.js';
import {
  closeHttpAgent,
  createPersonRequest,
  runCannon,
  sequentialLatency,
  type CreatePersonSpec,
} from './lib/http.js';
import { runInProcess } from './lib/load.js';
import { cpuSince, cpuSnapshot } from './lib/cpu.js';
import { runCardVerifyBench } from './card-verify.js';
import { runDonorImportBench } from './donor-import.js';
import { analyticsEnvOptions, runAnalyticsBench } from './analytics.js';
import { fairdayEnvOptions, runFairdayBench } from './fairday.js';
import { matchingEnvOptions, runMatchingBench } from './matching.js';
import { kpiEnvOptions, runKpiBench } from './kpi.js';
import {
  machineInfo,
  renderReport,
  renderSuite,
  writeReport,
  type DriverReport,
  type RunReport,
  type TermLatency,
} from './lib/report.js';
import { percentile, round } from './lib/stats.js';
import { SyntheticPeople } from './lib/synthetic.js';
import { openPgliteTarget, openPostgresTarget, type BenchTarget } from './lib/target.js';

/** What staff type into the search box, one of each kind. */
const SEARCH_TERMS = [
  { label: 'kana fragment', term: 'ヤマ' },
  { label: 'full-name kana', term: 'サトウ ハナコ' },
  { label: 'half-width kana', term: 'ﾀﾛｳ' },
  { label: 'email fragment', term: 'sato.hana' },
  { label: 'phone fragment', term: '090-12' },
  { label: 'kanji surname', term: '高橋' },
] as const;

const searchPath = (term: string) => `/api/people?q=${encodeURIComponent(term)}&limit=20`;
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const rate = (n: number) => `${round(n, 1)}/s`;

async function benchDriver(target: BenchTarget, config: BenchConfig): Promise<DriverReport> {
  const { database, ctx, baseUrl, token } = target;
  const { db } = database;
  const connections = config.connections[target.driver];
  const names = new SyntheticPeople(1, target.municipalityCodes);

  // --- create person -------------------------------------------------------------------------
  const namePool: CreatePersonSpec['names'] = Array.from({ length: 1024 }, () => {
    const { name, kana, romaji } = names.name();
    return { name, kana, romaji, ...names.link() };
  });
  const apiCreate = (offset: number) => [
    createPersonRequest({ names: namePool, offset, tag: 'a', phonePrefix: '080' }),
  ];
  log(
    `${target.driver}: create person via HTTP API, ${connections} connections, ${config.seconds} s (after 200 warm-up requests)`,
  );
  await runCannon({ url: baseUrl, token, connections, seconds: config.seconds, amount: 200, requests: apiCreate(0) });
  const createApi = await runCannon({
    url: baseUrl,
    token,
    connections,
    seconds: config.seconds,
    requests: apiCreate(1_000_000),
  });
  log(
    `  ${rate(createApi.perSecond)}, p50 ${createApi.p50Ms} ms, p99 ${createApi.p99Ms} ms, statuses ${JSON.stringify(createApi.statusCodes)}`,
  );

  log(`${target.driver}: createPerson() in-process, concurrency ${connections}, ${config.seconds} s`);
  const serviceCreate = (offset: number) => (i: number) => {
    const p = names.person(offset + i, { tag: 's', phonePrefix: '070' });
    return createPerson(db, ctx, {
      name: p.name,
      kana: p.kana,
      email: p.email,
      phone: p.phone,
      links: [{ municipalityCode: p.municipalityCode, kind: p.kind }],
    });
  };
  await runInProcess({ amount: 200, concurrency: connections }, serviceCreate(0));
  const createService = await runInProcess(
    { seconds: config.seconds, concurrency: connections },
    serviceCreate(1_000_000),
  );
  log(
    `  ${rate(createService.perSecond)}, p50 ${round(createService.p50Ms, 2)} ms, errors ${createService.errors} ${createService.firstError ?? ''}`,
  );

  // The three INSERTs of createPerson in one transaction, without its municipality and duplicate checks.
  log(`${target.driver}: bare INSERTs (people + person_links + audit_events) in-process, ${config.seconds} s`);
  const bareCreate = (offset: number) => (i: number) => {
    const p = names.person(offset + i, { tag: 'r', phonePrefix: '050' });
    const fields = { name: p.name, kana: p.kana, email: p.email, phone: p.phone };
    return db.transaction(async (tx) => {
      const [row] = await tx
        .insert(people)
        .values({ ...fields, ...derivedColumns(fields), createdBy: ctx.actor.staffId })
        .returning();
      await tx.insert(personLinks).values({ personId: row!.id, municipalityCode: p.municipalityCode, kind: p.kind });
      await recordAudit(tx, ctx, {
        action: 'person.create',
        entityType: 'person',
        entityId: row!.id,
        personId: row!.id,
        details: { fields: Object.keys(fields), links: [{ municipalityCode: p.municipalityCode, kind: p.kind }] },
      });
    });
  };
  await runInProcess({ amount: 100, concurrency: connections }, bareCreate(0));
  const createBare = await runInProcess({ seconds: config.seconds, concurrency: connections }, bareCreate(1_000_000));
  log(
    `  ${rate(createBare.perSecond)}, p50 ${round(createBare.p50Ms, 2)} ms, errors ${createBare.errors} ${createBare.firstError ?? ''}`,
  );

  // --- bulk load -------------------------------------------------------------------------------
  // The create phases made a machine-dependent number of people; clear them so that search runs
  // over exactly BENCH_PEOPLE people on every machine (their audit rows stay, as they would).
  // Bulk-loaded people are the demo-marked ones (is_demo = 1); the create phases' are not.
  const [counts] = await queryRows<{ created: number; loaded: number }>(
    db,
    sql`select count(*) filter (where is_demo = 0)::int as created, count(*) filter (where is_demo = 1)::int as loaded from people`,
  );
  const reuse = target.driver === 'postgres' && config.keepPeople && counts?.loaded === config.people;
  let bulk: DriverReport['bulk'];
  if (reuse) {
    // A kept database from an earlier run holds exactly these people: only the create phases' go.
    await db.execute(sql`delete from people where is_demo = 0`);
    await db.execute(sql`vacuum (analyze) people, person_links`);
    log(
      `${target.driver}: removed the ${counts?.created ?? 0} people of the create phases; reusing the ${config.people.toLocaleString('en')} people loaded by an earlier run (BENCH_KEEP_PEOPLE)`,
    );
    bulk = {
      rows: config.people,
      loadSeconds: 0,
      rowsPerSecond: 0,
      vacuumAnalyzeSeconds: 0,
      ...(await peopleSizes(db)),
      reused: true,
    };
  } else {
    await db.execute(sql`truncate people cascade`); // cascade: person_links and any table referencing people
    log(`${target.driver}: removed the ${(counts?.created ?? 0) + (counts?.loaded ?? 0)} people of the create phases`);
    log(`${target.driver}: bulk-loading ${config.people.toLocaleString('en')} synthetic people`);
    let lastShown = 0;
    const loadOptions = {
      count: config.people,
      createdBy: ctx.actor.staffId,
      municipalityCodes: target.municipalityCodes,
      onProgress: (done: number) => {
        if (done - lastShown >= 20_000 || done === config.people) {
          lastShown = done;
          log(`  ${done.toLocaleString('en')} loaded`);
        }
      },
    };
    // PostgreSQL: COPY with the indexes built afterwards (millions of people in minutes, not hours);
    // PGlite: multi-row INSERTs, as an embedded installation would grow.
    bulk =
      target.driver === 'postgres'
        ? await copyLoadPeople(database, loadOptions)
        : await bulkLoadPeople(db, loadOptions);
    log(
      `  ${rate(bulk.rowsPerSecond)} in ${round(bulk.loadSeconds)} s; VACUUM (ANALYZE) ${round(bulk.vacuumAnalyzeSeconds)} s; ` +
        `people heap ${bulk.heapMb} MB, GIN index ${bulk.ginMb} MB`,
    );
  }

  const sizes = await queryRows<{ name: string; mb: number }>(
    db,
    sql`select c.relname as name, round(pg_relation_size(c.oid) / 1048576.0)::int as mb
          from pg_class c where c.relname = 'people' or c.oid in (select indexrelid from pg_index where indrelid = 'people'::regclass)
         order by c.relname`,
  );
  log(`  sizes (MB): ${sizes.map((r) => `${r.name} ${r.mb}`).join(', ')}`);

  // --- search person ---------------------------------------------------------------------------
  const searchRequests = SEARCH_TERMS.map(({ term }) => ({ method: 'GET' as const, path: searchPath(term) }));
  log(
    `${target.driver}: search via HTTP API, ${SEARCH_TERMS.length} rotating terms, ${connections} connections, ${config.seconds} s`,
  );
  await runCannon({ url: baseUrl, token, connections, seconds: config.seconds, amount: 60, requests: searchRequests });
  const searchApi = await runCannon({
    url: baseUrl,
    token,
    connections,
    seconds: config.seconds,
    requests: searchRequests,
  });
  log(
    `  ${rate(searchApi.perSecond)}, p50 ${searchApi.p50Ms} ms, p99 ${searchApi.p99Ms} ms, statuses ${JSON.stringify(searchApi.statusCodes)}`,
  );

  log(
    `${target.driver}: findPeople() in-process (includes its audit INSERT), concurrency ${connections}, ${config.seconds} s`,
  );
  const search = (i: number) => findPeople(db, ctx, { q: SEARCH_TERMS[i % SEARCH_TERMS.length]!.term, limit: 20 });
  await runInProcess({ amount: 60, concurrency: connections }, search);
  // CPU per search (this process + the database's backends): the load-independent figure.
  const cpuBefore = await cpuSnapshot(db, target.driver);
  const searchService = await runInProcess({ seconds: config.seconds, concurrency: connections }, search);
  const cpuUsed = await cpuSince(db, target.driver, cpuBefore);
  const ops = searchService.perSecond * searchService.seconds;
  const searchCpu = {
    appMs: cpuUsed.processMs / ops,
    databaseMs: cpuUsed.databaseMs === null ? null : cpuUsed.databaseMs / ops,
    cores: os.cpus().length,
  };
  log(
    `  ${rate(searchService.perSecond)}, p50 ${round(searchService.p50Ms, 2)} ms, errors ${searchService.errors} ${searchService.firstError ?? ''}`,
  );
  log(
    `  CPU per search: app ${round(searchCpu.appMs, 2)} ms, database ${searchCpu.databaseMs === null ? 'not measurable' : `${round(searchCpu.databaseMs, 2)} ms`}`,
  );

  log(`${target.driver}: sequential search latency, ${config.samples} requests per term`);
  const terms: TermLatency[] = [];
  const all: number[] = [];
  for (const { label, term } of SEARCH_TERMS) {
    const samples: number[] = [];
    const result = await sequentialLatency(baseUrl, searchPath(term), token, config.samples, samples);
    all.push(...samples);
    terms.push({ label, term, ...result });
    log(
      `  ${label} ${term}: ${result.total} matches, median ${round(result.medianMs, 2)} ms, p95 ${round(result.p95Ms, 2)} ms`,
    );
  }
  const overallMedianMs = percentile(all, 50);

  // Municipality staff: the same terms (and the plain list) within one municipality, for the
  // municipality with the most people and the one with the fewest — a small share of a large
  // match set is the case the link keys in the search index are for (docs/people-search.md).
  const shares = await queryRows<{ code: string; n: number }>(
    db,
    sql`select municipality_code as code, count(*)::int as n from ${personLinks} group by 1 order by 2 desc, 1`,
  );
  const municipal: DriverReport['municipalLatency'] = [];
  for (const share of [shares[0], shares.at(-1)].filter((x): x is { code: string; n: number } => Boolean(x))) {
    const staffCtx = {
      ...ctx,
      actor: { ...ctx.actor, role: 'municipality_staff' as const, municipalityCode: share.code },
    };
    log(
      `${target.driver}: findPeople() in-process as staff of ${share.code} (${share.n.toLocaleString('en')} people), ${config.samples} per term`,
    );
    for (const { label, term } of [...SEARCH_TERMS, { label: 'plain list', term: '' }]) {
      const times: number[] = [];
      let total = 0;
      let exact = true;
      for (let i = 0; i < config.samples + 3; i++) {
        const started = performance.now();
        const result = await findPeople(db, staffCtx, { q: term || undefined, limit: 20 });
        if (i >= 3) times.push(performance.now() - started);
        total = result.total;
        exact = result.totalIsExact;
      }
      const row = {
        municipality: share.code,
        people: share.n,
        label,
        term,
        shown: `${total.toLocaleString('en')}${exact ? '' : '+'}`,
        medianMs: percentile(times, 50),
        p95Ms: percentile(times, 95),
      };
      municipal.push(row);
      log(`  ${label} ${term}: ${row.shown}, median ${round(row.medianMs, 2)} ms, p95 ${round(row.p95Ms, 2)} ms`);
    }
  }

  // The reference, side by side in the same run: the query shape the list had before keyset paging
  // (every match read and sorted for one page, then counted exactly), in-process like the new path.
  log(`${target.driver}: the same first pages in-process — keyset search vs every match sorted and counted`);
  const referenceSamples = Math.max(5, Math.round(config.samples / 3));
  const versus: Array<{ term: string; searchMs: number; sortAllMs: number; ratio: number }> = [];
  for (const { term } of SEARCH_TERMS) {
    const timed = async (work: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < referenceSamples; i++) {
        const started = performance.now();
        await work();
        times.push(performance.now() - started);
      }
      return percentile(times, 50);
    };
    const searchMs = await timed(() => searchPeople(db, ctx, { q: term, limit: 20 }));
    const sortAllMs = await timed(() => sortEveryMatch(db, term));
    versus.push({ term, searchMs, sortAllMs, ratio: sortAllMs / searchMs });
    log(
      `  ${term}: keyset ${round(searchMs, 2)} ms, sort every match ${round(sortAllMs, 2)} ms — ${round(sortAllMs / searchMs, 1)}× faster`,
    );
  }

  log(`${target.driver}: EXPLAIN (ANALYZE, BUFFERS) of each term's queries`);
  const explain: DriverReport['explain'] = [];
  for (const { label, term } of SEARCH_TERMS) {
    const statements = await captureQueries(database, () => findPeople(db, ctx, { q: term, limit: 20 }));
    explain.push({ label, term, plans: await explainCaptured(database, statements) });
  }

  return {
    driver: target.driver,
    serverVersion: target.serverVersion,
    settings: target.settings,
    connections,
    create: {
      api: createApi,
      service: createService,
      bareInserts: createBare,
      apiToService: createApi.perSecond / createService.perSecond,
      apiToBareInserts: createApi.perSecond / createBare.perSecond,
    },
    bulk,
    peopleCreatedBeforeBulk: counts?.created ?? 0,
    search: {
      api: searchApi,
      service: searchService,
      cpuPerSearch: searchCpu,
      apiToService: searchApi.perSecond / searchService.perSecond,
      keysetVersusSortAll: versus,
    },
    latency: {
      terms,
      overallMedianMs,
      overallP95Ms: percentile(all, 95),
      worstTermMedianMs: Math.max(...terms.map((t) => t.medianMs)),
    },
    municipalLatency: municipal,
    target:
      target.driver === 'postgres'
        ? { medianMs: overallMedianMs, targetMs: config.searchTargetMs, pass: overallMedianMs < config.searchTargetMs }
        : null,
    explain,
  };
}

/** The list's query before keyset paging: every match read, sorted for one page, then counted. */
async function sortEveryMatch(db: Db, term: string) {
  const key = searchKey(term);
  const where = sql`${people.deletedAt} is null and ${people.searchGrams} @> array[${sql.join(
    queryGrams(key).map((g) => sql`${g}`),
    sql`, `,
  )}]::text[]
    and ${people.searchText} like ${`%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`;
  await db.execute(sql`select * from ${people} where ${where} order by ${people.searchText}, ${people.id} limit 20`);
  await db.execute(sql`select count(*) from ${people} where ${where}`);
}

async function main(): Promise<number> {
  const config = readConfig();
  const cleanup = new Cleanup();
  cleanup.installSignalHandlers();
  const { postgresUrl: _url, ...publicConfig } = config;
  const report: RunReport = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    config: publicConfig,
    drivers: [],
    skipped: [],
    failed: [],
    suites: {},
  };
  const suites = (process.env.BENCH_SUITES ?? 'people,cards,donations,analytics,fairday,matching,kpi')
    .split(',')
    .map((s) => s.trim());

  try {
    config.postgresUrl = await benchPostgresUrl(config.postgresUrl, cleanup, log);
    for (const driver of suites.includes('people') ? config.drivers : []) {
      const mark = cleanup.size();
      try {
        log(`${driver}: preparing a fresh database`);
        const target =
          driver === 'pglite'
            ? await openPgliteTarget(cleanup)
            : await openPostgresTarget(
                config.postgresUrl,
                cleanup,
                config.connections.postgres,
                {},
                config.keepPeople ? `kankei_bench_people_${config.people}` : undefined,
              );
        if (!target) {
          report.skipped.push({ driver, reason: 'PostgreSQL server not reachable (set BENCH_DATABASE_URL)' });
          continue;
        }
        log(`${driver}: ${target.serverVersion} at ${target.location}, app on ${target.baseUrl}`);
        report.drivers.push(await benchDriver(target, config));
      } catch (error) {
        console.error(error);
        report.failed.push({
          driver: driver as DriverName,
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        // Each driver's app, database and files go before the next driver starts.
        await cleanup.runDownTo(mark);
      }
    }
    if (suites.includes('cards')) {
      log('card verification: verifyCardToken (signature + revocation) next to a bare jose verify');
      try {
        report.suites['card verification'] = await runCardVerifyBench({ seconds: config.seconds });
      } catch (error) {
        console.error(error);
        report.failed.push({
          driver: 'postgres',
          error: `card verification: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    if (suites.includes('donations')) {
      const rows = Math.round(Number(process.env.BENCH_DONOR_ROWS ?? 1_000_000));
      log(
        `donor import: ${rows} CP932 rows through the import service next to psql \\copy of the same rows (PostgreSQL)`,
      );
      try {
        report.suites['donor import'] = await runDonorImportBench({
          databaseUrl: config.postgresUrl,
          rows,
          log: (m) => log(`  ${m}`),
        });
      } catch (error) {
        console.error(error);
        report.failed.push({
          driver: 'postgres',
          error: `donor import: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    if (suites.includes('analytics')) {
      log(
        'needs analysis: 1,000,000 consultations and 200,000 cases by COPY, GET /api/analytics/consultations over HTTP (PostgreSQL)',
      );
      try {
        report.suites['needs analysis'] = await runAnalyticsBench(
          {
            databaseUrl: config.postgresUrl,
            ...analyticsEnvOptions(),
            log: (m) => log(`  ${m}`),
          },
          cleanup,
        );
      } catch (error) {
        console.error(error);
        report.failed.push({
          driver: 'postgres',
          error: `needs analysis: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    if (suites.includes('fairday')) {
      log(
        'fair day: public registrations, QR check-ins and booth consultations over HTTP at the highest rate held for BENCH_FAIRDAY_SECONDS (PostgreSQL)',
      );
      try {
        report.suites['fair day'] = await runFairdayBench(
          {
            databaseUrl: config.postgresUrl,
            ...fairdayEnvOptions(),
            ceilingSeconds: config.seconds,
            log: (m) => log(`  ${m}`),
          },
          cleanup,
        );
      } catch (error) {
        console.error(error);
        report.failed.push({
          driver: 'postgres',
          error: `fair day: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    if (suites.includes('matching')) {
      log(
        'matching: candidates for one project over 100,000 talents (SQL beside the naive way), the proposal over 10,000 projects, quality against the exact optimum (PostgreSQL)',
      );
      try {
        report.suites.matching = await runMatchingBench(
          { databaseUrl: config.postgresUrl, ...matchingEnvOptions(), log: (m) => log(`  ${m}`) },
          cleanup,
        );
      } catch (error) {
        console.error(error);
        report.failed.push({
          driver: 'postgres',
          error: `matching: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    if (suites.includes('kpi')) {
      log(
        'KPI: every indicator of one fiscal year over 10,000,000 engagement records, 2,000,000 people, 1,000,000 consultations and 500,000 registrations by COPY, GET /api/kpi/actuals over HTTP beside the raw computation (PostgreSQL)',
      );
      try {
        report.suites.KPI = await runKpiBench(
          { databaseUrl: config.postgresUrl, ...kpiEnvOptions(), log: (m) => log(`  ${m}`) },
          cleanup,
        );
      } catch (error) {
        console.error(error);
        report.failed.push({
          driver: 'postgres',
          error: `KPI: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  } finally {
    closeHttpAgent();
    await cleanup.runAll();
  }

  console.log(`\n${renderReport(report)}`);
  for (const [name, figures] of Object.entries(report.suites)) console.log(`\n${renderSuite(name, figures)}`);
  console.log(`\nJSON: ${writeReport(report)}`);
  return report.failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
