/**
 * Needs analysis benchmark (PostgreSQL): 1,000,000 synthetic consultations and 200,000 cases (with
 * their step history and 200,000 people) bulk-loaded with COPY into a fresh database, then
 * `GET /api/analytics/consultations` measured over HTTP — sequential requests after warm-up, per
 * fiscal year and per municipality filter — against the target: median under 300 ms. Measured
 * twice: as users get it while nothing changed (the kept answer, analytics.cache.ts), and computed
 * from the tables (kept answers dropped before each request: what the first reader after a change
 * waits). Ends with EXPLAIN (ANALYZE, BUFFERS) of the statements one computation sends, and the
 * server's CPU time per statement (when the server runs on this machine).
 *
 * Run alone: `npx tsx bench/analytics.ts` (BENCH_ANALYTICS_CONSULTATIONS, default 1000000;
 * BENCH_ANALYTICS_CASES, default 200000; BENCH_SAMPLES, default 30; BENCH_ANALYTICS_COLD_SAMPLES,
 * default 10; BENCH_DATABASE_URL / TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { copyLines } from './lib/copy.js';
import { queryRows, type Database } from '../src/platform/db/client.js';
import { CASE_END_REASONS, CONSULTATION_CHANNELS, CONSULTATION_TOPICS, PREFECTURES } from '../src/shared/domain.js';
import { STATEMENT_SETTINGS, analyticsStatements } from '../src/modules/analytics/analytics.queries.js';
import { fiscalYearOf, fiscalYearRange } from '../src/modules/analytics/analytics.rules.js';
import type { Cleanup } from './lib/cleanup.js';
import { isMainModule, runStandalone } from './lib/standalone.js';
import { timedGet } from './lib/http.js';
import { percentile, round } from './lib/stats.js';
import { seededRandom } from './lib/synthetic.js';
import { openPostgresTarget, type BenchTarget } from './lib/target.js';

export const ANALYTICS_TARGET_MS = 300;
/** The synthetic history: six fiscal years, the last one running (as on the day of the run). */
const FIRST_DAY = '2021-04-01';
const LAST_DAY = '2026-11-20';
const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export type AnalyticsBenchOptions = {
  databaseUrl: string;
  consultations: number;
  cases: number;
  samples: number;
  /** Requests per case computed from the tables (kept answers dropped first). */
  coldSamples: number;
  log: (message: string) => void;
};

/** The knobs read from the environment (docs/benchmarks.md "Needs analysis"), for both entry points. */
export function analyticsEnvOptions(): Pick<
  AnalyticsBenchOptions,
  'consultations' | 'cases' | 'samples' | 'coldSamples'
> {
  return {
    consultations: Math.round(Number(process.env.BENCH_ANALYTICS_CONSULTATIONS ?? 1_000_000)),
    cases: Math.round(Number(process.env.BENCH_ANALYTICS_CASES ?? 200_000)),
    samples: Math.round(Number(process.env.BENCH_SAMPLES ?? 30)),
    coldSamples: Math.round(Number(process.env.BENCH_ANALYTICS_COLD_SAMPLES ?? 10)),
  };
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;
function picker<T>(random: () => number, items: Weighted<T>): () => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = random() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  };
}

/** Where the center's consulting people live (the plan: the Tokyo area is 60 %+). */
const RESIDENCE: Weighted<string | null> = [
  ['東京都', 30],
  ['神奈川県', 13],
  ['埼玉県', 10],
  ['千葉県', 8],
  ['大阪府', 5],
  ['京都府', 2],
  ['兵庫県', 2],
  ['奈良県', 0.5],
  ['滋賀県', 0.5],
  ['和歌山県', 0.3],
  ['愛知県', 4],
  ['岐阜県', 0.7],
  ['三重県', 0.6],
  ['山形県', 8],
  ['宮城県', 5],
  ...PREFECTURES.filter(
    (p) =>
      ![
        '東京都',
        '神奈川県',
        '埼玉県',
        '千葉県',
        '大阪府',
        '京都府',
        '兵庫県',
        '奈良県',
        '滋賀県',
        '和歌山県',
        '愛知県',
        '岐阜県',
        '三重県',
        '山形県',
        '宮城県',
      ].includes(p),
  ).map((p) => [p, 0.2] as const),
  [null, 3],
];
const CHANNELS: Weighted<string> = CONSULTATION_CHANNELS.map(
  (c, i) => [c, [16, 8, 4, 18, 20, 12, 4, 3, 3, 8, 4][i] ?? 1] as const,
);
const TOPICS: Weighted<string> = CONSULTATION_TOPICS.map(
  (t, i) => [t, [20, 20, 8, 4, 6, 4, 5, 5, 3, 4, 6, 10, 5][i] ?? 1] as const,
);

type Generated = { peopleRows: number; caseRows: number; stepRows: number; consultationRows: number; seconds: number };

const N = '\\N';
const arr = (items: readonly string[]) => `{${items.join(',')}}`;

/**
 * The synthetic history, deterministic: `cases` cases opened evenly over FY2021–FY2026, one per
 * person, climbing the pipeline with falling odds (some end with a reason), and `consultations`
 * consultations spread over each case's life — loaded in date order, as a real center records them.
 */
export async function loadSyntheticHistory(
  database: Database,
  options: { consultations: number; cases: number; municipalityCodes: string[]; log: (m: string) => void },
): Promise<Generated> {
  if (options.consultations < options.cases)
    throw new Error('every case has at least one consultation: consultations must be ≥ cases');
  const random = seededRandom(20261123);
  const started = performance.now();
  const firstDay = dayNumber(FIRST_DAY);
  const span = dayNumber(LAST_DAY) - firstDay + 1;
  const nCases = options.cases;
  const codes = options.municipalityCodes;
  // Larger towns get more interest (Zipf-like over the official code order, Yamagata city first).
  const municipality = picker(
    random,
    codes.map((_code, i) => [i, 1 / (i + 1) ** 0.7] as const),
  );
  const residence = picker(random, RESIDENCE);
  const channel = picker(random, CHANNELS);
  const topic = picker(random, TOPICS);
  const endReason = picker(
    random,
    CASE_END_REASONS.map((r) => [r, 1] as const),
  );

  const personIds = Array.from({ length: nCases }, () => randomUUID());
  const caseIds = Array.from({ length: nCases }, () => randomUUID());
  const openedDay = new Uint16Array(nCases);
  const lastDay = new Uint16Array(nCases);
  const caseMunicipality = new Uint8Array(nCases);
  const personResidence = new Array<string | null>(nCases);

  const pool = (database.db as unknown as { $client: pg.Pool }).$client;
  const client = await pool.connect();
  try {
    options.log(`people: ${nCases.toLocaleString('en')}`);
    const peopleRows = await copyLines(
      client,
      'people (id, name, search_text, search_grams, is_demo)',
      (function* () {
        for (let i = 0; i < nCases; i++) yield `${personIds[i]}\t分析 利用者${i}\tぶんせき${i}\t{}\t1`;
      })(),
    );

    options.log(`cases and their steps: ${nCases.toLocaleString('en')} cases`);
    const steps: string[] = [];
    const caseRows = await copyLines(
      client,
      'cases (id, person_id, municipality_code, step, step_on, opened_on, moved_municipality_code, moved_on, end_reason, is_demo)',
      (function* () {
        for (let i = 0; i < nCases; i++) {
          const opened = Math.min(span - 1, Math.floor(((i + random()) * span) / nCases));
          openedDay[i] = opened;
          caseMunicipality[i] = municipality();
          personResidence[i] = residence();
          const code = codes[caseMunicipality[i]!]!;
          const history: Array<{ step: string; day: number; code?: string; reason?: string }> = [
            { step: 'first_contact', day: opened },
          ];
          let day = opened;
          const next = (step: string, extra: { code?: string; reason?: string } = {}) => {
            const at = day + 7 + Math.floor(random() * 110);
            if (at >= span) return false;
            day = at;
            history.push({ step, day, ...extra });
            return true;
          };
          // Falling odds up the ladder; those who stop before moving end with a reason half of the time.
          let climbing = random() < 0.7 && next('consulting');
          if (climbing && random() < 0.5) {
            const first = random() < 0.6 ? 'visited' : 'trial_stay';
            climbing = next(first);
            if (climbing && random() < 0.3) climbing = next(first === 'visited' ? 'trial_stay' : 'visited');
            if (climbing) climbing = random() < 0.55 && next('decided');
          } else if (climbing) climbing = random() < 0.1 && next('decided');
          const moveCode = random() < 0.9 ? code : codes[municipality()]!;
          let moved = false;
          if (climbing && random() < 0.85) moved = next('moved', { code: moveCode });
          if (moved && random() < 0.6) next('settled');
          if (!moved && random() < 0.5) next('ended', { reason: endReason() });
          lastDay[i] = day;
          const last = history[history.length - 1]!;
          const move = history.find((h) => h.step === 'moved');
          for (const h of history) {
            steps.push(
              `${caseIds[i]}\t${personIds[i]}\t${h.step}\t${isoOf(firstDay + h.day)}\t${h.code ?? N}\t${h.reason ?? N}`,
            );
          }
          yield [
            caseIds[i],
            personIds[i],
            code,
            last.step,
            isoOf(firstDay + last.day),
            isoOf(firstDay + opened),
            move ? move.code : N,
            move ? isoOf(firstDay + move.day) : N,
            last.reason ?? N,
            '1',
          ].join('\t');
        }
      })(),
    );
    options.log(`case steps: ${steps.length.toLocaleString('en')}`);
    const stepRows = await copyLines(
      client,
      'case_steps (case_id, person_id, step, occurred_on, municipality_code, end_reason)',
      steps,
    );
    steps.length = 0;

    // Consultations per case: 1–9 (about five on average), adjusted so the total is exact; the first
    // on the opening day, the others during the case's life (some after a move: follow-up calls).
    const perCase = new Uint8Array(nCases);
    let total = 0;
    for (let i = 0; i < nCases; i++) {
      const count = 1 + Math.floor(random() * 9);
      perCase[i] = count;
      total += count;
    }
    while (total !== options.consultations) {
      const i = Math.floor(random() * nCases);
      if (total < options.consultations && perCase[i]! < 40) {
        perCase[i]!++;
        total++;
      } else if (total > options.consultations && perCase[i]! > 1) {
        perCase[i]!--;
        total--;
      }
    }
    // (day << 18 | case) sorted = consultations in date order without holding a million objects.
    if (nCases >= 1 << 18 || span >= 1 << 14) throw new Error('synthetic history too large for the packed sort keys');
    const keys = new Uint32Array(total);
    let k = 0;
    for (let i = 0; i < nCases; i++) {
      const from = openedDay[i]!;
      const until = Math.min(span - 1, lastDay[i]! + 60);
      keys[k++] = ((from << 18) | i) >>> 0;
      for (let j = 1; j < perCase[i]!; j++)
        keys[k++] = (((from + Math.floor(random() * (until - from + 1))) << 18) | i) >>> 0;
    }
    keys.sort();
    options.log(`consultations: ${total.toLocaleString('en')}`);
    const consultationRows = await copyLines(
      client,
      'consultations (person_id, case_id, channel, occurred_on, topics, municipality_codes, residence_prefecture, is_demo)',
      (function* () {
        for (let n = 0; n < keys.length; n++) {
          const key = keys[n]!;
          const i = key & ((1 << 18) - 1);
          const day = key >>> 18;
          const topics = new Set<string>();
          const nTopics = 1 + Math.floor(random() * 3);
          while (topics.size < nTopics) topics.add(topic());
          const interest = new Set<string>([codes[caseMunicipality[i]!]!]);
          const extra = Math.floor(random() * 3);
          for (let e = 0; e < extra; e++) interest.add(codes[municipality()]!);
          yield `${personIds[i]}\t${caseIds[i]}\t${channel()}\t${isoOf(firstDay + day)}\t${arr([...topics])}\t${arr([...interest])}\t${personResidence[i] ?? N}\t1`;
        }
      })(),
    );
    return { peopleRows, caseRows, stepRows, consultationRows, seconds: (performance.now() - started) / 1000 };
  } finally {
    client.release();
  }
}

type Case = { label: string; path: string };
type Measured = Case & {
  mode: 'kept' | 'cold';
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  consultations: number;
};

/**
 * Sequential GETs after three warm-ups. `kept`: as users get it while nothing changed (the kept
 * answer). `cold`: every kept answer is dropped before each request, so each one computes the
 * analysis from the tables — what the first reader after a change waits.
 */
async function measure(target: BenchTarget, c: Case, mode: 'kept' | 'cold', samples: number): Promise<Measured> {
  const dropKept = () => target.database.db.execute(sql`delete from analytics_results`);
  let consultations = -1;
  for (let i = 0; i < 3; i++) {
    if (mode === 'cold') await dropKept();
    const warm = await timedGet(target.baseUrl, c.path, target.token);
    if (warm.status !== 200) throw new Error(`GET ${c.path} answered ${warm.status}: ${warm.body.slice(0, 300)}`);
    consultations = (JSON.parse(warm.body) as { totals: { consultations: number } }).totals.consultations;
  }
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (mode === 'cold') await dropKept();
    const answer = await timedGet(target.baseUrl, c.path, target.token);
    if (answer.status !== 200) throw new Error(`GET ${c.path} answered ${answer.status}`);
    times.push(answer.ms);
  }
  return {
    ...c,
    mode,
    samples,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: Math.max(...times),
    consultations,
  };
}

type Plan = { statement: string; executionMs: number | null; cpuMs: number | null; plan: string };

/** Runs of each statement whose backend CPU time is averaged (after the EXPLAIN run, which warms it). */
const CPU_RUNS = 10;

/**
 * CPU time (user + system, ms) the server process of this connection has used so far, from
 * /proc/<pid>/stat — null when the server is not on this machine. Unlike wall time it hardly moves
 * with the other work on a shared machine. Linux counts it in ticks of 10 ms (USER_HZ = 100).
 */
function backendCpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every statement one computation of the analysis sends, with the
 * settings it runs under; then each statement run CPU_RUNS times for its average backend CPU time.
 */
async function explainAnalysis(target: BenchTarget, request: { fy: number; municipality?: string }): Promise<Plan[]> {
  const { from, to } = fiscalYearRange(request.fy);
  const statements = analyticsStatements({
    fiscalYear: request.fy,
    from,
    to,
    municipality: request.municipality ?? null,
  });
  const dialect = new PgDialect();
  const settings = dialect.sqlToQuery(STATEMENT_SETTINGS).sql;
  const pool = (target.database.db as unknown as { $client: pg.Pool }).$client;
  const client = await pool.connect();
  const plans: Plan[] = [];
  try {
    const [{ pid } = { pid: 0 }] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
    for (const [statement, query] of Object.entries(statements)) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      const inTransaction = async (run: () => Promise<unknown>) => {
        await client.query('begin');
        await client.query(settings);
        await run();
        await client.query('commit');
      };
      let plan = '';
      await inTransaction(async () => {
        const result = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${text}`, params);
        plan = result.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      const cpuBefore = backendCpuMs(pid);
      for (let i = 0; i < CPU_RUNS; i++) await inTransaction(() => client.query(text, params));
      const cpuAfter = backendCpuMs(pid);
      const exec = /Execution Time: ([\d.]+) ms/.exec(plan);
      plans.push({
        statement,
        executionMs: exec ? Number(exec[1]) : null,
        cpuMs: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / CPU_RUNS,
        plan,
      });
    }
  } finally {
    client.release();
  }
  return plans;
}

export const PLANS_FILE = fileURLToPath(new URL('./.out/analytics-plans.txt', import.meta.url));

export async function runAnalyticsBench(
  options: AnalyticsBenchOptions,
  cleanup: Cleanup,
): Promise<Record<string, number | string>> {
  const { log } = options;
  const mark = cleanup.size();
  try {
    const target = await openPostgresTarget(options.databaseUrl, cleanup, 10);
    if (!target) throw new Error('PostgreSQL server not reachable (set BENCH_DATABASE_URL)');
    log(
      `${target.serverVersion}; ${Object.entries(target.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
    const loaded = await loadSyntheticHistory(target.database, {
      consultations: options.consultations,
      cases: options.cases,
      municipalityCodes: target.municipalityCodes,
      log,
    });
    log(`loaded in ${round(loaded.seconds)} s; VACUUM (ANALYZE)…`);
    const vacuumStarted = performance.now();
    await target.database.db.execute(sql`vacuum (analyze) people, cases, case_steps, consultations`);
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
    const [sizes] = await queryRows<{ consultations: string; cases: string; steps: string }>(
      target.database.db,
      sql`select pg_total_relation_size('consultations') as consultations, pg_total_relation_size('cases') as cases, pg_total_relation_size('case_steps') as steps`,
    );
    const mb = (bytes: string | undefined) => Math.round(Number(bytes ?? 0) / 2 ** 20);
    const perYear = await queryRows<{ fy: number; n: number }>(
      target.database.db,
      sql`select (extract(year from occurred_on - interval '3 months'))::int as fy, count(*)::int as n from consultations group by 1 order by 1`,
    );
    log(`consultations per fiscal year: ${perYear.map((r) => `FY${r.fy} ${r.n.toLocaleString('en')}`).join(', ')}`);

    // Municipality staff of the busiest municipality, signed in with a token like any script.
    const cases: Case[] = [];
    const years = [...new Set(perYear.map((r) => r.fy))];
    for (const fy of years)
      cases.push({ label: `FY${fy}, all municipalities`, path: `/api/analytics/consultations?fy=${fy}` });
    cases.push({ label: 'current FY (no fy=)', path: '/api/analytics/consultations' });
    const busiest = target.municipalityCodes[0]!;
    const small = target.municipalityCodes[target.municipalityCodes.length - 1]!;
    const full = years.filter((fy) => fy < fiscalYearOf(LAST_DAY)).at(-1)!;
    cases.push({
      label: `FY${full}, ${busiest} (busiest)`,
      path: `/api/analytics/consultations?fy=${full}&municipality=${busiest}`,
    });
    cases.push({
      label: `FY${full}, ${small} (smallest)`,
      path: `/api/analytics/consultations?fy=${full}&municipality=${small}`,
    });

    // The machine is shared: the load around the measurements says how much the figures can be trusted.
    const loadAtStart = os.loadavg()[0]!;
    log(
      `kept answers: sequential GETs over HTTP, ${options.samples} per case after 3 warm-ups (load average ${round(loadAtStart)}):`,
    );
    const measured: Measured[] = [];
    for (const c of cases) {
      const m = await measure(target, c, 'kept', options.samples);
      measured.push(m);
      log(
        `  ${c.label}: ${m.consultations.toLocaleString('en')} consultations, median ${round(m.medianMs)} ms, p95 ${round(m.p95Ms)} ms, max ${round(m.maxMs)} ms`,
      );
    }
    const coldCases = cases.filter((c) => c.label.startsWith(`FY${full}`) || c.label.startsWith('current'));
    log(`computed from the tables (kept answers dropped before each request): ${options.coldSamples} per case:`);
    for (const c of coldCases) {
      const m = await measure(target, c, 'cold', options.coldSamples);
      measured.push(m);
      log(`  ${c.label}: median ${round(m.medianMs)} ms, p95 ${round(m.p95Ms)} ms, max ${round(m.maxMs)} ms`);
    }
    await target.database.db.execute(sql`delete from analytics_results`);
    const xlsx = await timedGet(target.baseUrl, `/api/analytics/consultations?fy=${full}&format=xlsx`, target.token);
    const xlsxKept = await timedGet(
      target.baseUrl,
      `/api/analytics/consultations?fy=${full}&format=xlsx`,
      target.token,
    );
    const loadAtEnd = os.loadavg()[0]!;
    log(
      `  FY${full} as .xlsx: ${xlsx.status}, ${round(xlsx.ms)} ms computed, ${round(xlsxKept.ms)} ms from the kept answer`,
    );

    log(
      `EXPLAIN (ANALYZE, BUFFERS) of FY${full} (all) and FY${full} ${busiest}, and backend CPU time over ${CPU_RUNS} runs:`,
    );
    const plans = [
      ...(await explainAnalysis(target, { fy: full })).map((p) => ({ ...p, label: `FY${full}` })),
      ...(await explainAnalysis(target, { fy: full, municipality: busiest })).map((p) => ({
        ...p,
        label: `FY${full} ${busiest}`,
      })),
    ];
    for (const p of plans) log(`  ${p.label} ${p.statement}: EXPLAIN ${p.executionMs} ms, CPU ${p.cpuMs ?? 'n/a'} ms`);
    for (const label of new Set(plans.map((p) => p.label))) {
      const cpu = plans.filter((p) => p.label === label).map((p) => p.cpuMs);
      if (cpu.every((ms) => ms !== null))
        log(`  ${label}: CPU of one computation ${round(cpu.reduce((a, b) => a! + b!, 0)!)} ms`);
    }
    fs.mkdirSync(path.dirname(PLANS_FILE), { recursive: true });
    fs.writeFileSync(PLANS_FILE, plans.map((p) => `== ${p.label}: ${p.statement} ==\n${p.plan}\n`).join('\n'));
    log(`  full plans: ${PLANS_FILE}`);

    const kept = measured.filter((m) => m.mode === 'kept');
    const cold = measured.filter((m) => m.mode === 'cold');
    const slowest = (ms: Measured[]) => ms.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
    const verdict = (ms: Measured[]) => {
      const worst = slowest(ms);
      return `${worst.medianMs < ANALYTICS_TARGET_MS ? 'PASS' : 'FAIL'}: slowest median ${round(worst.medianMs)} ms (${worst.label}), target < ${ANALYTICS_TARGET_MS} ms`;
    };
    const figures: Record<string, number | string> = {
      'verdict (kept answers)': verdict(kept),
      'verdict (computed from the tables)': verdict(cold),
      consultations: loaded.consultationRows,
      cases: loaded.caseRows,
      'case steps': loaded.stepRows,
      people: loaded.peopleRows,
      'load s (COPY)': round(loaded.seconds, 1),
      'vacuum analyze s': round(vacuumSeconds, 1),
      'consultations MB (with indexes)': mb(sizes?.consultations),
      'cases + steps MB (with indexes)': mb(sizes?.cases) + mb(sizes?.steps),
      'load average (1 min) before / after the requests': `${round(loadAtStart)} / ${round(loadAtEnd)}`,
    };
    for (const m of measured)
      figures[`${m.mode === 'kept' ? 'kept' : 'computed'}: ${m.label} median / p95 ms (${m.samples})`] =
        `${round(m.medianMs)} / ${round(m.p95Ms)}`;
    figures[`FY${full} .xlsx ms (computed / kept)`] = `${round(xlsx.ms)} / ${round(xlsxKept.ms)}`;
    for (const p of plans)
      figures[`EXPLAIN ${p.label} ${p.statement} ms (CPU ms)`] = `${p.executionMs ?? 'n/a'} (${p.cpuMs ?? 'n/a'})`;
    return figures;
  } finally {
    await cleanup.runDownTo(mark);
  }
}

if (isMainModule(import.meta.url)) {
  runStandalone((databaseUrl, cleanup, log) =>
    runAnalyticsBench({ databaseUrl, ...analyticsEnvOptions(), log }, cleanup),
  );
}
