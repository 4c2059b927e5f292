/**
 * Fair-day load (PostgreSQL): the requests of a やまがた移住・交流フェア through the HTTP API, in a
 * visitor's proportions — a public registration (POST /api/public/events/:id/registrations), a
 * check-in by QR token at the door (POST /api/events/:id/checkins) and two consultations at
 * municipal booths (POST /api/consultations). Finds the highest rate sustained for
 * BENCH_FAIRDAY_SECONDS (120) with p99 under 100 ms and no error or non-2xx answer: an unpaced
 * autocannon probe for the ceiling, then for each of two ways of pacing a binary search in short
 * steps and the confirmation at full length —
 * - autocannon's overallRate: each connection sends its share of a second at the start of that
 *   second, so arrivals come in bursts of `rate` requests at once;
 * - a constant arrival rate (bench/lib/paced.ts): evenly spaced, open loop, as visitors arrive.
 * Next to it, in the same run and database, the create-person ceiling (createPerson() in-process,
 * as the people suite measures it), and each request kind timed alone.
 *
 * Limits lifted for the load (one client address sends everything): the public sign-up rate limit
 * (`publicRateLimit: 1e9`) and the minimum form fill time (`minFormFillMs: 0`) — the app options
 * the test helpers use. The visitors who check in and consult were registered beforehand in bulk
 * (SQL, with the QR tokens the service would mail), so each check-in is a first one.
 *
 * Run alone: `npx tsx bench/fairday.ts` (BENCH_FAIRDAY_SECONDS 120, BENCH_FAIRDAY_STEP_SECONDS 15,
 * BENCH_FAIRDAY_CONNECTIONS 50, BENCH_FAIRDAY_VISITORS 30000, BENCH_SECONDS 10 for the create-person
 * ceiling, BENCH_FAIRDAY_PACING both|paced|autocannon, BENCH_FAIRDAY_LOG=error to see the app's
 * errors, BENCH_DATABASE_URL).
 */
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type autocannon from 'autocannon';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { createPerson, derivedColumns } from '../src/modules/people/people.service.js';
import { people } from '../src/modules/people/people.tables.js';
import { eventRegistrations, events } from '../src/modules/events/events.tables.js';
import { getSecret, hmac } from '../src/platform/secrets.js';
import { todayInTokyo } from '../src/shared/dates.js';
import { queryRows } from '../src/platform/db/client.js';
import type { Cleanup } from './lib/cleanup.js';
import { jsonRequest, runCannon, type ThroughputResult } from './lib/http.js';
import { runPaced } from './lib/paced.js';
import { runInProcess } from './lib/load.js';
import { percentile, round } from './lib/stats.js';
import { SyntheticPeople } from './lib/synthetic.js';
import { openPostgresTarget, type BenchTarget } from './lib/target.js';
import { isMainModule, runStandalone } from './lib/standalone.js';

const REQUEST_FILE = fileURLToPath(new URL('./lib/fairday-request.cjs', import.meta.url));
const P99_LIMIT_MS = 100;
/** やまがた移住・交流フェア FY2024: 345 visitors in one day (seed 000). */
const REAL_FAIR_VISITORS = 345;
/** Requests one visitor makes in the mix: registration, check-in, two consultations. */
const REQUESTS_PER_VISITOR = 4;

export type FairdayOptions = {
  databaseUrl: string;
  seconds: number;
  stepSeconds: number;
  connections: number;
  /** Duration of the create-person ceiling run. */
  ceilingSeconds: number;
  visitors: number;
  /** At most this many full-length confirmations per pacing (down the ladder from the best short step). */
  maxConfirmations: number;
  /** Which pacings to search: autocannon overallRate (per-second bursts) and/or a constant arrival rate. */
  pacings: Array<'autocannon' | 'paced'>;
  log: (message: string) => void;
  /** The app's logger (errors of failed requests); none by default. */
  logger?: FastifyBaseLogger;
};

/** The knobs read from the environment (docs/benchmarks.md "Fair day"), for both entry points. */
export function fairdayEnvOptions(): Pick<
  FairdayOptions,
  'seconds' | 'stepSeconds' | 'connections' | 'visitors' | 'maxConfirmations' | 'pacings'
> {
  return {
    seconds: Number(process.env.BENCH_FAIRDAY_SECONDS ?? 120),
    stepSeconds: Number(process.env.BENCH_FAIRDAY_STEP_SECONDS ?? 15),
    connections: Number(process.env.BENCH_FAIRDAY_CONNECTIONS ?? 50),
    visitors: Number(process.env.BENCH_FAIRDAY_VISITORS ?? 30_000),
    maxConfirmations: Number(process.env.BENCH_FAIRDAY_CONFIRMATIONS ?? 4),
    pacings: fairdayPacings(),
  };
}

/** BENCH_FAIRDAY_PACING: both (default), paced or autocannon. */
function fairdayPacings(): Array<'autocannon' | 'paced'> {
  const value = process.env.BENCH_FAIRDAY_PACING ?? 'both';
  if (value === 'both') return ['autocannon', 'paced'];
  if (value === 'paced' || value === 'autocannon') return [value];
  throw new Error(`BENCH_FAIRDAY_PACING must be both, paced or autocannon, got "${value}"`);
}

type Visitor = { personId: string; booth: { id: string; code: string }; secondBooth: { id: string; code: string } };
type Pool = { tokens: string[]; visitors: Visitor[] };

/** The fair: published, on today (Tokyo), one booth per municipality, no seat limit hit by the load. */
async function createFair(target: BenchTarget): Promise<{ id: string; booths: Array<{ id: string; code: string }> }> {
  const now = Date.now();
  const created = await jsonRequest<{
    id: string;
    booths: Array<{ id: string; municipality: { code: string } | null }>;
  }>(`${target.baseUrl}/api/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${target.token}` },
    body: {
      kind: 'fair',
      title: '【ベンチマーク】やまがた移住・交流フェア',
      startsAt: new Date(now - 3_600_000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      venue: '東京交通会館（ベンチマーク）',
      capacity: 100_000,
      status: 'published',
      booths: target.municipalityCodes.map((code) => ({ name: `${code} ブース`, municipalityCode: code })),
    },
  });
  if (created.status !== 201)
    throw new Error(`creating the fair answered ${created.status}: ${JSON.stringify(created.body)}`);
  return { id: created.body.id, booths: created.body.booths.map((b) => ({ id: b.id, code: b.municipality!.code })) };
}

/**
 * Visitors registered beforehand (people and registrations in bulk, as if they had signed up the
 * days before), with the QR token each ticket carries — the HMAC the events service derives.
 */
async function registerVisitors(
  target: BenchTarget,
  fair: { id: string; booths: Array<{ id: string; code: string }> },
  count: number,
): Promise<Pool> {
  const { db } = target.database;
  const secret = await getSecret(db, 'event-ticket');
  const tokens: string[] = [];
  const visitors: Visitor[] = [];
  for (let from = 0; from < count; from += 1000) {
    const rows: Array<typeof people.$inferInsert> = [];
    const registrations: Array<typeof eventRegistrations.$inferInsert> = [];
    for (let i = from; i < Math.min(count, from + 1000); i++) {
      const personId = randomUUID();
      const fields = {
        name: `来場 予約者${i}`,
        kana: 'ライジョウ ヨヤクシャ',
        email: `visitor${i}@example.jp`,
        phone: null,
        prefecture: '東京都',
      };
      rows.push({ id: personId, ...fields, ...derivedColumns(fields), isDemo: 1 });
      const booth = fair.booths[i % fair.booths.length]!;
      const secondBooth = fair.booths[(i * 7 + 1) % fair.booths.length]!;
      const id = randomUUID();
      const token = hmac(secret, id);
      registrations.push({
        id,
        eventId: fair.id,
        personId,
        municipalityCodes: [booth.code],
        qrTokenHash: createHash('sha256').update(token).digest('hex'),
        source: 'public',
      });
      tokens.push(token);
      visitors.push({ personId, booth, secondBooth });
    }
    await db.transaction(async (tx) => {
      await tx.insert(people).values(rows);
      await tx.insert(eventRegistrations).values(registrations);
      await tx
        .update(events)
        .set({ registeredCount: sql`${events.registeredCount} + ${registrations.length}` })
        .where(sql`${events.id} = ${fair.id}`);
    });
  }
  await db.execute(sql`vacuum (analyze) people, event_registrations, person_links`);
  return { tokens, visitors };
}

type Generator = 'autocannon' | 'paced';
type Step = {
  generator: Generator;
  rate: number | null;
  seconds: number;
  result: ThroughputResult;
  pass: boolean;
  checkpointsDuring: number;
  load: number;
};

export async function runFairdayBench(
  options: FairdayOptions,
  cleanup: Cleanup,
): Promise<Record<string, number | string>> {
  const { log } = options;
  const mark = cleanup.size();
  try {
    const target = await openPostgresTarget(options.databaseUrl, cleanup, 10, {
      publicRateLimit: 1e9,
      minFormFillMs: 0,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    if (!target) throw new Error('PostgreSQL server not reachable (set BENCH_DATABASE_URL)');
    log(`${target.serverVersion}; app on ${target.baseUrl} (publicRateLimit 1e9, minFormFillMs 0)`);
    const fair = await createFair(target);
    log(
      `fair ${fair.id} with ${fair.booths.length} booths; registering ${options.visitors.toLocaleString('en')} visitors beforehand (bulk SQL)`,
    );
    const pool = await registerVisitors(target, fair, options.visitors);
    const form = await jsonRequest<{ formToken: string }>(`${target.baseUrl}/api/public/registration-form`, {
      method: 'GET',
    });
    const today = todayInTokyo();

    // Each kind alone, one at a time: where a visitor's time goes (the last visitors of the pool).
    const auth = { authorization: `Bearer ${target.token}` };
    const sequential: Record<string, number> = {};
    const timeKind = async (kind: string, send: (i: number) => Promise<{ status: number }>) => {
      const times: number[] = [];
      for (let i = 0; i < 23; i++) {
        const t0 = performance.now();
        const answer = await send(i);
        if (answer.status >= 300) throw new Error(`${kind} answered ${answer.status}`);
        if (i >= 3) times.push(performance.now() - t0);
      }
      sequential[kind] = percentile(times, 50);
      log(
        `  ${kind}: median ${round(sequential[kind]!, 1)} ms, max ${round(Math.max(...times), 1)} ms (20 sequential after 3 warm-ups)`,
      );
    };
    log('each request alone, sequentially:');
    const last = pool.visitors.length - 1;
    await timeKind('public registration', (i) =>
      jsonRequest(`${target.baseUrl}/api/public/events/${fair.id}/registrations`, {
        method: 'POST',
        body: {
          name: '逐次 花子',
          kana: 'チクジ ハナコ',
          email: `sequential${i}@example.jp`,
          prefecture: '東京都',
          city: '世田谷区',
          municipalityCodes: [fair.booths[0]!.code],
          consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: true },
          locale: 'ja',
          formToken: form.body.formToken,
        },
      }),
    );
    await timeKind('QR check-in', (i) =>
      jsonRequest(`${target.baseUrl}/api/events/${fair.id}/checkins`, {
        method: 'POST',
        headers: auth,
        body: { qrToken: pool.tokens[last - i] },
      }),
    );
    await timeKind('booth consultation', (i) =>
      jsonRequest(`${target.baseUrl}/api/consultations`, {
        method: 'POST',
        headers: auth,
        body: {
          personId: pool.visitors[last - i]!.personId,
          channel: 'fair',
          occurredOn: today,
          topics: ['work'],
          municipalityCodes: [fair.booths[0]!.code],
          eventId: fair.id,
          boothId: fair.booths[0]!.id,
        },
      }),
    );

    let registrationOffset = 0;
    let checkinOffset = 0;
    let consultationOffset = 0;
    let followupOffset = 0;
    let run = 0;
    const mix = (): autocannon.Request[] => {
      const tag = `r${run}x`;
      const common = { setupRequest: REQUEST_FILE, method: 'POST' as const };
      return [
        {
          ...common,
          path: `/api/public/events/${fair.id}/registrations`,
          kankei: {
            kind: 'registration',
            offset: registrationOffset,
            tag,
            formToken: form.body.formToken,
            codes: target.municipalityCodes,
          },
        },
        {
          ...common,
          path: `/api/events/${fair.id}/checkins`,
          kankei: { kind: 'checkin', offset: checkinOffset, tokens: pool.tokens },
        },
        {
          ...common,
          path: '/api/consultations',
          kankei: {
            kind: 'consultation',
            offset: consultationOffset,
            today,
            eventId: fair.id,
            visitors: pool.visitors,
          },
        },
        {
          ...common,
          path: '/api/consultations',
          kankei: { kind: 'followup', offset: followupOffset, today, eventId: fair.id, visitors: pool.visitors },
        },
      ] as unknown as autocannon.Request[];
    };
    const steps: Step[] = [];
    const checkpoints = async () => {
      const [row] = await queryRows<{ n: number }>(
        target.database.db,
        sql`select (checkpoints_timed + checkpoints_req)::int as n from pg_stat_bgwriter`,
      );
      return row?.n ?? 0;
    };
    const runStep = async (generator: Generator, rate: number | null, seconds: number): Promise<Step> => {
      run++;
      const checkpointsBefore = await checkpoints();
      const result =
        generator === 'paced'
          ? await runPaced({ url: target.baseUrl, token: target.token, rate: rate!, seconds, requests: mix() })
          : await runCannon({
              url: target.baseUrl,
              token: target.token,
              connections: options.connections,
              seconds,
              ...(rate ? { overallRate: rate } : {}),
              requests: mix(),
            });
      // Every connection walks the four requests in turn: each kind is about a quarter of them.
      const perKind = Math.ceil(result.total / REQUESTS_PER_VISITOR) + options.connections;
      registrationOffset += perKind;
      checkinOffset += perKind;
      consultationOffset += perKind;
      followupOffset += perKind;
      const sustained = rate === null || result.perSecond >= rate * 0.97;
      const pass =
        rate !== null && sustained && result.errors === 0 && result.non2xx === 0 && result.p99Ms < P99_LIMIT_MS;
      const checkpointsDuring = (await checkpoints()) - checkpointsBefore;
      const load = os.loadavg()[0]!;
      const step = { generator, rate, seconds, result, pass, checkpointsDuring, load };
      steps.push(step);
      log(
        `  ${rate === null ? 'unpaced' : `${rate}/s`} for ${seconds} s: ${round(result.perSecond, 1)}/s, p50 ${round(result.p50Ms, 1)} ms, p99 ${round(result.p99Ms, 1)} ms, ` +
          `errors ${result.errors}, non-2xx ${result.non2xx} ${JSON.stringify(result.statusCodes)}${rate === null ? '' : pass ? ' → pass' : ' → fail'}` +
          ` (checkpoints ${checkpointsDuring}, load ${round(load, 1)})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return step;
    };

    /** Binary search below the ceiling in short steps, halving further if nothing passes; then the long confirmation. */
    const search = async (generator: Generator, ceiling: number): Promise<Step | null> => {
      const snap = (r: number) => (generator === 'autocannon' ? Math.max(1, Math.round(r)) : Number(r.toPrecision(2)));
      let lo = 0;
      let hi = Math.max(2, ceiling * 1.05);
      for (let i = 0; i < 5; i++) {
        const rate = snap((lo + hi) / 2);
        if (rate === lo || rate === hi) break;
        if ((await runStep(generator, rate, options.stepSeconds)).pass) lo = rate;
        else hi = rate;
      }
      while (lo === 0 && hi > 1) {
        const rate = snap(hi / 2);
        if (rate === hi) break;
        if ((await runStep(generator, rate, options.stepSeconds)).pass) lo = rate;
        else hi = rate;
      }
      // Down a ladder until a rate holds for the full length: the best short step first, then
      // 80 %, 60 %, 40 %, 20 % of it and 1/s — a failed confirmation is often one checkpoint or
      // another process's burst, which the step log shows next to it.
      const ladder = [lo, lo * 0.8, lo * 0.6, lo * 0.4, lo * 0.2, 1]
        .map(snap)
        .filter((r) => r > 0 && r <= Math.max(lo, 1));
      for (const rate of [...new Set(ladder)].slice(0, options.maxConfirmations)) {
        log(`confirmation at ${rate}/s for ${options.seconds} s:`);
        const step = await runStep(generator, rate, options.seconds);
        if (step.pass) return step;
      }
      return null;
    };

    log(
      `unpaced probe (autocannon), ${options.connections} connections, ${options.stepSeconds} s (the ceiling of the mix):`,
    );
    const probe = await runStep('autocannon', null, options.stepSeconds);
    log(`pass: p99 < ${P99_LIMIT_MS} ms, 0 errors, 0 non-2xx, ≥ 97 % of the rate reached.`);
    if (options.pacings.includes('autocannon'))
      log(
        `autocannon overallRate (each second's requests leave together at the start of the second), ${options.stepSeconds} s per step:`,
      );
    const burst = options.pacings.includes('autocannon') ? await search('autocannon', probe.result.perSecond) : null;
    if (options.pacings.includes('paced'))
      log(`constant arrival rate (evenly spaced, open loop, bench/lib/paced.ts), ${options.stepSeconds} s per step:`);
    const paced = options.pacings.includes('paced') ? await search('paced', probe.result.perSecond) : null;

    if (checkinOffset > pool.tokens.length)
      log(
        `  note: ${checkinOffset} check-ins outran the ${pool.tokens.length} pre-registered visitors; later ones were repeats (200 alreadyCheckedIn)`,
      );

    const [counts] = await queryRows<{ registrations: number; checkins: number; consultations: number; cases: number }>(
      target.database.db,
      sql`select (select count(*)::int from event_registrations where event_id = ${fair.id}) as registrations,
                 (select count(*)::int from event_registrations where event_id = ${fair.id} and checked_in_at is not null) as checkins,
                 (select count(*)::int from consultations where event_id = ${fair.id}) as consultations,
                 (select count(*)::int from cases) as cases`,
    );

    // The create-person ceiling, as the people suite measures it, on the same database and process.
    log(`createPerson() in-process, concurrency 10, ${options.ceilingSeconds} s (after 200 warm-up calls):`);
    const names = new SyntheticPeople(7, target.municipalityCodes);
    const create = (offset: number) => (i: number) => {
      const p = names.person(offset + i, { tag: 'f', phonePrefix: '070' });
      return createPerson(target.database.db, target.ctx, {
        name: p.name,
        kana: p.kana,
        email: p.email,
        phone: p.phone,
        links: [{ municipalityCode: p.municipalityCode, kind: p.kind }],
      });
    };
    await runInProcess({ amount: 200, concurrency: 10 }, create(0));
    const ceiling = await runInProcess({ seconds: options.ceilingSeconds, concurrency: 10 }, create(1_000_000));
    log(
      `  ${round(ceiling.perSecond, 1)}/s, p50 ${round(ceiling.p50Ms, 2)} ms, p99 ${round(ceiling.p99Ms, 2)} ms, errors ${ceiling.errors}`,
    );

    const realPeak = (REAL_FAIR_VISITORS * REQUESTS_PER_VISITOR) / 3600;
    const realDay = realPeak / 6;
    const held = (step: Step | null, pacing: Generator) =>
      !options.pacings.includes(pacing)
        ? 'not run (BENCH_FAIRDAY_PACING)'
        : step
          ? `${step.rate}/s for ${options.seconds} s: p50 ${round(step.result.p50Ms, 1)} ms, p99 ${round(step.result.p99Ms, 1)} ms, 0 errors`
          : `none held p99 < ${P99_LIMIT_MS} ms for ${options.seconds} s`;
    const ratio = (step: Step | null) => (step ? Number((step.rate! / ceiling.perSecond).toPrecision(2)) : 0);
    const headroom = (step: Step | null) =>
      step ? `${round(step.rate! / realDay, 0)}× / ${round(step.rate! / realPeak, 1)}×` : 'n/a';
    const figures: Record<string, number | string> = {
      'sustained, constant arrival rate': held(paced, 'paced'),
      'sustained, autocannon overallRate (per-second bursts)': held(burst, 'autocannon'),
      'mix per visitor': 'public registration + QR check-in + 2 booth consultations',
      'sequential median ms: registration / check-in / consultation': `${round(sequential['public registration']!, 1)} / ${round(sequential['QR check-in']!, 1)} / ${round(sequential['booth consultation']!, 1)}`,
      'unpaced ceiling of the mix /s (50 connections)': round(probe.result.perSecond, 1),
      'unpaced p50 / p99 ms': `${round(probe.result.p50Ms, 1)} / ${round(probe.result.p99Ms, 1)}`,
      'createPerson() in-process /s (ceiling, concurrency 10)': round(ceiling.perSecond, 1),
      'ratio to the createPerson ceiling: constant rate / bursts / unpaced': `${ratio(paced)} / ${ratio(burst)} / ${Number((probe.result.perSecond / ceiling.perSecond).toPrecision(2))}`,
      'sustained visitors per hour (constant rate)': paced
        ? Math.round((paced.rate! * 3600) / REQUESTS_PER_VISITOR)
        : 0,
      'real fair (345 visitors × 4 requests) /s: over a 6-hour day / all in one hour': `${round(realDay, 3)} / ${round(realPeak, 2)}`,
      'headroom, constant rate: 6-hour day / all in one hour': headroom(paced),
      'headroom, bursts: 6-hour day / all in one hour': headroom(burst),
      'rows written: registrations / check-ins / consultations / cases': `${counts!.registrations} / ${counts!.checkins} / ${counts!.consultations} / ${counts!.cases}`,
      steps: steps
        .map(
          (st) =>
            `${st.generator === 'paced' ? 'paced ' : ''}${st.rate === null ? 'unpaced' : st.rate}${st.seconds === options.seconds ? ` (${st.seconds} s)` : ''}: ${round(st.result.perSecond, 1)}/s p99 ${round(st.result.p99Ms, 0)}${st.rate === null ? '' : st.pass ? ' ok' : ' no'}${st.checkpointsDuring ? ` [${st.checkpointsDuring} checkpoint]` : ''}`,
        )
        .join(', '),
    };
    return figures;
  } finally {
    await cleanup.runDownTo(mark);
  }
}

if (isMainModule(import.meta.url)) {
  runStandalone((databaseUrl, cleanup, log) =>
    runFairdayBench(
      {
        databaseUrl,
        ...fairdayEnvOptions(),
        ceilingSeconds: Number(process.env.BENCH_SECONDS ?? 10),
        log,
        logger: pino({ level: process.env.BENCH_FAIRDAY_LOG ?? 'silent' }),
      },
      cleanup,
    ),
  );
}
