/**
 * KPI benchmark (PostgreSQL): 10,000,000 engagement records of 2,000,000 people, 1,000,000
 * consultations / 200,000 cases (with their moves) and 500,000 event registrations, bulk-loaded with
 * COPY into a fresh database; then every indicator of one fiscal year for all municipalities:
 * - computed from the raw records by the rules' SQL (kpi.queries.ts), in process — what it costs
 *   without kept figures;
 * - the kept figures rebuilt from scratch (all dropped, then one GET /api/kpi/actuals computes and
 *   keeps every year of the plan);
 * - GET /api/kpi/actuals over HTTP as users get it (kept figures), median against the target
 *   < 100 ms, and each of its figures checked equal to the raw computation;
 * - the app's resident memory (RSS) sampled every 250 ms from the first request to the last.
 *
 * Knobs: BENCH_KPI_SCALE (1 = the sizes above; 0.1 for a quick run), BENCH_SAMPLES (30),
 * BENCH_KPI_RAW_SAMPLES (3: runs of the raw computation and of the rebuild). Run alone: `npx tsx bench/kpi.ts` (BENCH_DATABASE_URL /
 * TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { copyLines } from './lib/copy.js';
import { queryRows } from '../src/platform/db/client.js';
import { systemContext } from '../src/platform/request-context.js';
import { seedKpiPlans } from '../src/modules/kpi/index.js';
import {
  continuingRows,
  exchangeRows,
  relationshipRows,
  uijMoverRows,
  type FigureRow,
  type YearRange,
} from '../src/modules/kpi/kpi.queries.js';
import { dropKeptFigures } from '../src/modules/kpi/kpi.kept.js';
import { ENGAGEMENT_KINDS } from '../src/shared/domain.js';
import type { Cleanup } from './lib/cleanup.js';
import { loadSyntheticHistory } from './analytics.js';
import { isMainModule, runStandalone } from './lib/standalone.js';
import { jsonRequest, timedGet } from './lib/http.js';
import { percentile, round } from './lib/stats.js';
import { seededRandom } from './lib/synthetic.js';
import { openPostgresTarget } from './lib/target.js';

export const KPI_TARGET_MS = 100;
/** The fiscal year measured: the last finished one of the synthetic history (FY2021 – FY2026, running). */
const FISCAL_YEAR = 2025;
const PLAN = { code: 'bench-all', fromFiscalYear: 2024, toFiscalYear: 2026 };
const CODES = [
  'uij_movers',
  'relationship_created',
  'exchange_created',
  'ready_organizations',
  'side_job_hosts',
  'continuing_participants',
] as const;
const FIRST_DAY = Date.parse('2021-04-01T00:00:00Z');
const LAST_DAY = Date.parse('2026-11-20T00:00:00Z');
const DAY_MS = 86_400_000;
const SPAN = (LAST_DAY - FIRST_DAY) / DAY_MS + 1;
const isoOf = (day: number) => new Date(FIRST_DAY + day * DAY_MS).toISOString().slice(0, 10);
const N = '\\N';

export type KpiBenchOptions = {
  databaseUrl: string;
  scale: number;
  samples: number;
  rawSamples: number;
  log: (message: string) => void;
};

export function kpiEnvOptions(): Pick<KpiBenchOptions, 'scale' | 'samples' | 'rawSamples'> {
  return {
    scale: Number(process.env.BENCH_KPI_SCALE ?? 1),
    samples: Math.round(Number(process.env.BENCH_SAMPLES ?? 30)),
    rawSamples: Math.round(Number(process.env.BENCH_KPI_RAW_SAMPLES ?? 3)),
  };
}

/** How often each kind of record occurs (participation dominates; moves come from the cases). */
const KIND_WEIGHTS: Record<string, number> = {
  event: 30,
  visit: 20,
  online: 18,
  donation: 20,
  volunteering: 5,
  side_job: 3,
  public_comment: 3,
  two_region_living: 1,
};

/** RSS of this process (the app serves in process) sampled every 250 ms while `run` runs. */
async function sampleRss<T>(run: () => Promise<T>): Promise<{ result: T; mb: number[] }> {
  const mb: number[] = [];
  const take = () => mb.push(process.memoryUsage().rss / 2 ** 20);
  take();
  const timer = setInterval(take, 250);
  try {
    const result = await run();
    take();
    return { result, mb };
  } finally {
    clearInterval(timer);
  }
}

export async function runKpiBench(
  options: KpiBenchOptions,
  cleanup: Cleanup,
): Promise<Record<string, number | string>> {
  const { log, scale } = options;
  const sizes = {
    people: Math.round(2_000_000 * scale),
    engagements: Math.round(10_000_000 * scale),
    consultations: Math.round(1_000_000 * scale),
    cases: Math.round(200_000 * scale),
    registrations: Math.round(500_000 * scale),
    events: Math.max(10, Math.round(2_500 * scale)),
  };
  const mark = cleanup.size();
  try {
    const target = await openPostgresTarget(options.databaseUrl, cleanup, 10);
    if (!target) throw new Error('PostgreSQL server not reachable (set BENCH_DATABASE_URL)');
    const { db } = target.database;
    log(`${target.serverVersion}; ${JSON.stringify(sizes)}`);
    const loadStarted = performance.now();

    // Cases, their steps, consultations and their people: the needs analysis's synthetic history.
    const history = await loadSyntheticHistory(target.database, {
      consultations: sizes.consultations,
      cases: sizes.cases,
      municipalityCodes: target.municipalityCodes,
      log,
    });
    const random = seededRandom(20261202);
    const codes = target.municipalityCodes;
    const pool = (db as unknown as { $client: pg.Pool }).$client;
    const client = await pool.connect();
    let engagementRows = 0;
    let registrationRows = 0;
    try {
      // Household sizes and UIJ types of the moves (the history records the moved steps without them).
      await client.query(
        `update case_steps set household_size = 1 + (abs(hashtext(id::text)) % 4), uij_type = (array['U','I','J'])[1 + abs(hashtext(case_id::text)) % 3]
         where step = 'moved'`,
      );
      const extra = Math.max(0, sizes.people - sizes.cases);
      log(`people beyond those with cases: ${extra.toLocaleString('en')}`);
      const personIds = (await client.query<{ id: string }>('select id from people order by id')).rows.map((r) => r.id);
      const more = Array.from({ length: extra }, () => randomUUID());
      await copyLines(
        client,
        'people (id, name, search_text, search_grams, is_demo)',
        (function* () {
          for (let i = 0; i < more.length; i++) yield `${more[i]}\tKPI 利用者${i}\tけいぴーあい${i}\t{}\t1`;
        })(),
      );
      for (const id of more) personIds.push(id);
      more.length = 0;

      // Engagement records: each person mostly with one municipality (20 % of records elsewhere),
      // the dates spread over the six fiscal years; kinds as weighted above.
      const kinds = Object.entries(KIND_WEIGHTS).filter(([k]) => (ENGAGEMENT_KINDS as readonly string[]).includes(k));
      const totalWeight = kinds.reduce((s, [, w]) => s + w, 0);
      const kind = () => {
        let r = random() * totalWeight;
        for (const [k, w] of kinds) {
          r -= w;
          if (r < 0) return k;
        }
        return kinds[0]![0];
      };
      const municipality = () => codes[Math.floor(codes.length * random() ** 2)]!;
      // Foreign-key checks off for the generated rows (consistent by construction), as a bulk load
      // would; the indexes are maintained as in production.
      await client.query('set session_replication_role = replica');
      log(`engagement records: ${sizes.engagements.toLocaleString('en')}`);
      engagementRows = await copyLines(
        client,
        'engagements (person_id, municipality_code, kind, occurred_on, source)',
        (function* () {
          const people = personIds.length;
          let left = sizes.engagements;
          for (let p = 0; p < people && left > 0; p++) {
            // About engagements / people each (1 … 2× the mean), the rest on the last person.
            const mean = sizes.engagements / people;
            const count =
              p === people - 1 ? left : Math.min(left, Math.max(1, Math.round(mean * (0.2 + 1.6 * random()))));
            const home = municipality();
            const first = Math.floor(random() * SPAN);
            for (let j = 0; j < count; j++) {
              const day = Math.min(SPAN - 1, first + Math.floor(random() * (SPAN - first)));
              yield `${personIds[p]}\t${random() < 0.8 ? home : municipality()}\t${kind()}\t${isoOf(day)}\tbench`;
            }
            left -= count;
          }
        })(),
      );

      // Events held in the prefecture (10 % online), their registrations (70 % checked in) and headcounts.
      log(`events: ${sizes.events.toLocaleString('en')}, registrations: ${sizes.registrations.toLocaleString('en')}`);
      const events = Array.from({ length: sizes.events }, (_, i) => ({
        id: randomUUID(),
        day: Math.floor((i * SPAN) / sizes.events),
        venue: random() < 0.9 ? municipality() : null,
      }));
      await copyLines(
        client,
        'events (id, kind, title, starts_at, ends_at, venue_municipality_code)',
        events.map(
          (e, i) =>
            `${e.id}\tfair\tKPI ベンチ ${i}\t${isoOf(e.day)}T10:00:00+09\t${isoOf(e.day)}T17:00:00+09\t${e.venue ?? N}`,
        ),
      );
      registrationRows = await copyLines(
        client,
        'event_registrations (event_id, person_id, qr_token_hash, checked_in_at)',
        (function* () {
          // Person i·7919 mod P with event i mod E: no person registers twice for one event.
          for (let i = 0; i < sizes.registrations; i++) {
            const e = events[i % events.length]!;
            const person = personIds[(i * 7919) % personIds.length]!;
            const at = random() < 0.7 ? `${isoOf(e.day)}T${String(10 + (i % 7)).padStart(2, '0')}:00:00+09` : N;
            yield `${e.id}\t${person}\tkpi-bench-${i}\t${at}`;
          }
        })(),
      );
      await copyLines(
        client,
        'event_headcounts (event_id, counted_on, count)',
        events.filter(() => random() < 0.2).map((e) => `${e.id}\t${isoOf(e.day)}\t${20 + Math.floor(random() * 400)}`),
      );
      personIds.length = 0;
    } finally {
      await client.query('reset session_replication_role');
      client.release();
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    log(`loaded in ${round(loadSeconds)} s; VACUUM (ANALYZE)…`);
    await db.execute(
      sql`vacuum (analyze) people, person_links, cases, case_steps, consultations, engagements, events, event_registrations, event_headcounts`,
    );
    const [size] = await queryRows<{ mb: number }>(
      db,
      sql`select (pg_total_relation_size('engagements') / 1048576)::int as mb`,
    );

    // A plan carrying every indicator (the seed-001 plan has four).
    await seedKpiPlans(db, systemContext());
    const plan = await jsonRequest<unknown>(`${target.baseUrl}/api/kpi/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}` },
      body: {
        ...PLAN,
        nameJa: '【ベンチ】全指標',
        nameEn: 'Bench: every indicator',
        indicators: CODES.map((code) => ({
          code,
          labelJa: code,
          labelEn: code,
          unit: 'people',
          baseline: 0,
          targets: [],
        })),
      },
    });
    if (plan.status !== 201) throw new Error(`plan answered ${plan.status}: ${JSON.stringify(plan.body)}`);

    // The same figures from the raw records: the rules' SQL, every source side by side, as a
    // computation without kept figures runs them (the plan's years up to the year asked for).
    const range: YearRange = { fromFiscalYear: PLAN.fromFiscalYear, toFiscalYear: FISCAL_YEAR };
    const raw = () =>
      Promise.all([
        uijMoverRows(db, range),
        relationshipRows(db, range),
        exchangeRows(db, range),
        continuingRows(db, { ...range, fromFiscalYear: range.fromFiscalYear - 1 }),
      ]);
    const loadAtStart = os.loadavg()[0]!;
    log(`raw: the rules' SQL on the raw records, ${options.rawSamples} runs (load average ${round(loadAtStart)})`);
    const rawTimes: number[] = [];
    let rawFigures: Awaited<ReturnType<typeof raw>> | null = null;
    for (let i = 0; i < options.rawSamples; i++) {
      const started = performance.now();
      rawFigures = await raw();
      rawTimes.push(performance.now() - started);
      log(`  ${round(rawTimes.at(-1)!)} ms`);
    }

    const path = `/api/kpi/actuals?fiscalYear=${FISCAL_YEAR}&plan=${PLAN.code}`;
    const { result: measured, mb } = await sampleRss(async () => {
      log(`rebuild: every kept figure dropped, then one GET computes and keeps them (${options.rawSamples} runs)`);
      const rebuild: number[] = [];
      for (let i = 0; i < options.rawSamples; i++) {
        await dropKeptFigures(db);
        const answer = await timedGet(target.baseUrl, path, target.token);
        if (answer.status !== 200)
          throw new Error(`GET ${path} answered ${answer.status}: ${answer.body.slice(0, 300)}`);
        rebuild.push(answer.ms);
        log(`  ${round(answer.ms)} ms`);
      }
      log(`kept: ${options.samples} sequential GETs after 3 warm-ups`);
      for (let i = 0; i < 3; i++) await timedGet(target.baseUrl, path, target.token);
      const times: number[] = [];
      let body = '';
      // CPU time of this process (the app and the HTTP client) per request: unlike wall time it hardly
      // moves with the other work on a shared machine.
      const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
      const cpuStart = process.cpuUsage();
      for (let i = 0; i < options.samples; i++) {
        const answer = await timedGet(target.baseUrl, path, target.token);
        if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}`);
        times.push(answer.ms);
        body = answer.body;
      }
      const cpuMs = cpuOf(process.cpuUsage(cpuStart)) / options.samples;
      // The floor on this machine: the plans alone (sign-in check and the plan's reads, no figures).
      const floor: number[] = [];
      const floorCpuStart = process.cpuUsage();
      for (let i = 0; i < options.samples; i++)
        floor.push((await timedGet(target.baseUrl, '/api/kpi/plans', target.token)).ms);
      const floorCpuMs = cpuOf(process.cpuUsage(floorCpuStart)) / options.samples;
      // Then as many again, only to watch the memory.
      for (let i = 0; i < options.samples * 5; i++) await timedGet(target.baseUrl, path, target.token);
      return { rebuild, times, body, floor, cpuMs, floorCpuMs };
    });
    const loadAtEnd = os.loadavg()[0]!;

    // Every figure of the answer equals the raw computation's, for the prefecture and each municipality.
    const [movers, relationship, exchange, continuing] = rawFigures!;
    const sum = (rows: FigureRow[], m: string | null) =>
      rows
        .filter((r) => r.fiscalYear === FISCAL_YEAR && (!m || r.municipalityCode === m))
        .reduce((s, r) => s + r.value, 0);
    const expected = (code: string, m: string | null): number | null => {
      switch (code) {
        case 'uij_movers':
          return sum(movers, m);
        case 'relationship_created':
          return sum(relationship, m);
        case 'exchange_created':
          return sum(exchange, m);
        case 'continuing_participants':
          return (
            (m
              ? continuing.byMunicipality.find((r) => r.fiscalYear === FISCAL_YEAR && r.municipalityCode === m)
              : continuing.total.find((r) => r.fiscalYear === FISCAL_YEAR)
            )?.continuing ?? 0
          );
        default:
          return null;
      }
    };
    const answer = JSON.parse(measured.body) as {
      items: Array<{ code: string; actual: number | null }>;
      municipalities: Array<{ code: string; figures: Array<{ code: string; actual: number | null }> }>;
    };
    const mismatches: string[] = [];
    for (const item of answer.items)
      if (item.actual !== expected(item.code, null))
        mismatches.push(`${item.code}: ${item.actual} ≠ ${expected(item.code, null)}`);
    for (const m of answer.municipalities)
      for (const f of m.figures)
        if (f.actual !== expected(f.code, m.code))
          mismatches.push(`${m.code} ${f.code}: ${f.actual} ≠ ${expected(f.code, m.code)}`);
    if (mismatches.length)
      throw new Error(`kept figures differ from the raw computation: ${mismatches.slice(0, 5).join('; ')}`);
    const figuresChecked = answer.items.length + answer.municipalities.reduce((s, m) => s + m.figures.length, 0);

    const median = percentile(measured.times, 50);
    const rawMedian = percentile(rawTimes, 50);
    const rss = { first: mb[0]!, last: mb.at(-1)!, min: Math.min(...mb), max: Math.max(...mb) };
    log(
      `kept median ${round(median)} ms, raw median ${round(rawMedian)} ms (×${round(rawMedian / median, 1)}), rebuild ${measured.rebuild.map((ms) => round(ms)).join(' / ')} ms, RSS ${round(rss.min)}–${round(rss.max)} MB`,
    );
    return {
      verdict: `${median < KPI_TARGET_MS ? 'PASS' : 'FAIL'}: median ${round(median)} ms through the API, target < ${KPI_TARGET_MS} ms`,
      scale,
      'engagement records': engagementRows,
      people: sizes.people,
      consultations: history.consultationRows,
      cases: history.caseRows,
      'event registrations': registrationRows,
      'load s (COPY)': round(loadSeconds, 1),
      'engagements MB (with indexes)': size?.mb ?? 0,
      [`GET /api/kpi/actuals FY${FISCAL_YEAR}, all municipalities, kept: median / p95 ms (${options.samples})`]: `${round(median)} / ${round(percentile(measured.times, 95))}`,
      'app CPU ms per request: actuals / plans': `${round(measured.cpuMs, 1)} / ${round(measured.floorCpuMs, 1)}`,
      'GET /api/kpi/plans (no figures: the floor of a request here) median ms': round(percentile(measured.floor, 50)),
      [`same figures from the raw records: median / max ms (${options.rawSamples})`]: `${round(rawMedian)} / ${round(Math.max(...rawTimes))}`,
      'raw / kept': round(rawMedian / median, 1),
      'figures checked equal (prefecture + municipalities × indicators)': figuresChecked,
      [`rebuild of the kept figures from scratch, ms (${options.rawSamples} runs)`]: measured.rebuild
        .map((ms) => round(ms))
        .join(' / '),
      'app RSS MB first / last / min / max (every 250 ms)': `${round(rss.first)} / ${round(rss.last)} / ${round(rss.min)} / ${round(rss.max)}`,
      'RSS samples': mb.length,
      'load average (1 min) before / after': `${round(loadAtStart)} / ${round(loadAtEnd)}`,
    };
  } finally {
    await cleanup.runDownTo(mark);
  }
}

if (isMainModule(import.meta.url)) {
  runStandalone((databaseUrl, cleanup, log) => runKpiBench({ databaseUrl, ...kpiEnvOptions(), log }, cleanup));
}
