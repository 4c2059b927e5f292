/**
 * Matching benchmark (docs/benchmarks.md "Matching"):
 *
 * 1. Candidates for one project over BENCH_MATCHING_TALENTS (100,000) synthetic supporters
 *    (3–8 skills from ~200, 1–3 municipality ties with engagement records, involvement, hours,
 *    60 % consenting to scouting), bulk-loaded with COPY into a fresh PostgreSQL database:
 *    `findProjectCandidates` (set-based SQL on the GIN index, then the pure scoring) — median of
 *    sequential calls over several projects — beside the naive way in the same run: load every
 *    consenting talent with their links and records and score each one in application code.
 *    Targets: median < 50 ms, ratio ≥ 20×.
 * 2. The proposal over BENCH_MATCHING_PROJECTS (10,000) open projects (1–5 seats) × the same
 *    number of talents held in memory: candidates per project + the production solver, < 10 s.
 * 3. Quality on BENCH_MATCHING_QUALITY_RUNS (3) instances of 200 projects × 2,000 talents: the
 *    proposal's total against the exact optimum (min-cost flow on every pair sharing a skill),
 *    ≥ 0.98, with the greedy baseline's total beside it.
 *
 * Run alone: `npx tsx bench/matching.ts` (BENCH_DATABASE_URL / TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; BENCH_SAMPLES, default 30).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { copyLines } from './lib/copy.js';
import { queryRows } from '../src/platform/db/client.js';
import {
  candidatePairs,
  exactAssignment,
  findProjectCandidates,
  greedyAssignment,
  loadProposalTalents,
  type ProjectNeeds,
  type ProposalTalent,
  proposeAssignments,
  scoreCandidate,
  solveAssignment,
  type TalentProfile,
} from '../src/modules/matching/index.js';
import { jsonRequest, timedGet } from './lib/http.js';
import { deriveStages } from '../src/modules/engagement/index.js';
import { searchKey } from '../src/shared/normalize.js';
import { todayInTokyo } from '../src/shared/dates.js';
import type { EngagementKind, InvolvementKind, LinkKind, Stage } from '../src/shared/domain.js';
import type { Cleanup } from './lib/cleanup.js';
import { syntheticProjects, syntheticTalents } from './matching-synthetic.js';
import { isMainModule, runStandalone } from './lib/standalone.js';
import { percentile, round } from './lib/stats.js';
import { openPostgresTarget, type BenchTarget } from './lib/target.js';

export const CANDIDATES_TARGET_MS = 50;
export const CANDIDATES_TARGET_RATIO = 20;
export const PROPOSAL_TARGET_S = 10;
export const QUALITY_TARGET = 0.98;
const LIMIT = 20;
const AS_OF = todayInTokyo();

export type MatchingBenchOptions = {
  databaseUrl: string;
  talents: number;
  projects: number;
  samples: number;
  qualityRuns: number;
  log: (message: string) => void;
};

export function matchingEnvOptions(): Pick<MatchingBenchOptions, 'talents' | 'projects' | 'samples' | 'qualityRuns'> {
  return {
    talents: Math.round(Number(process.env.BENCH_MATCHING_TALENTS ?? 100_000)),
    projects: Math.round(Number(process.env.BENCH_MATCHING_PROJECTS ?? 10_000)),
    samples: Math.round(Number(process.env.BENCH_SAMPLES ?? 30)),
    qualityRuns: Math.round(Number(process.env.BENCH_MATCHING_QUALITY_RUNS ?? 3)),
  };
}

/** An engagement record that gives the synthetic stage with one municipality (docs/stages.md). */
const STAGE_RECORD: Partial<Record<Stage, EngagementKind>> = {
  exchange: 'event',
  involvement: 'volunteering',
  collaboration: 'side_job',
  two_region: 'two_region_living',
  migrated: 'moved_in',
  settled: 'moved_in',
};

const N = '\\N';
const arr = (items: readonly string[]) => `{${items.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** Loads the talents as supporters: people, profiles, links, engagement records, scouting consents. */
export async function loadTalents(
  target: Pick<BenchTarget, 'database'>,
  talents: readonly ProposalTalent[],
  log: (m: string) => void,
) {
  const pool = (target.database.db as unknown as { $client: pg.Pool }).$client;
  const client = await pool.connect();
  const consenting = (i: number) => i % 5 !== 0 && i % 5 !== 1; // 60 %
  try {
    const started = performance.now();
    await copyLines(
      client,
      'people (id, name, search_text, search_grams, is_demo, prefecture)',
      (function* () {
        for (const [i, t] of talents.entries())
          yield `${t.profile.personId}\t照合 利用者${i}\tしょうごう${i}\t{}\t1\t${t.profile.prefecture ?? N}`;
      })(),
    );
    await copyLines(
      client,
      'supporter_profiles (person_id, skills, skill_keys, involvement, hours_per_month, project_capacity)',
      (function* () {
        for (const t of talents) {
          const p = t.profile;
          yield `${p.personId}\t${arr(p.skills)}\t${arr([...new Set(p.skills.map(searchKey))])}\t${arr(p.involvement)}\t${p.hoursPerMonth ?? N}\t${t.capacity ?? 1}`;
        }
      })(),
    );
    await copyLines(
      client,
      'person_links (person_id, municipality_code, kind)',
      (function* () {
        for (const t of talents)
          for (const tie of t.profile.ties)
            for (const l of tie.links) yield `${t.profile.personId}\t${tie.municipalityCode}\t${l}`;
      })(),
    );
    await copyLines(
      client,
      'engagements (person_id, municipality_code, kind, occurred_on, source)',
      (function* () {
        for (const t of talents)
          for (const tie of t.profile.ties) {
            const kind = tie.stage ? STAGE_RECORD[tie.stage] : undefined;
            if (kind) yield `${t.profile.personId}\t${tie.municipalityCode}\t${kind}\t2024-06-01\tbench`;
          }
      })(),
    );
    await copyLines(
      client,
      'consents (person_id, purpose, granted, source)',
      (function* () {
        for (const [i, t] of talents.entries()) yield `${t.profile.personId}\tscouting\t${consenting(i)}\tbench`;
      })(),
    );
    log(
      `loaded ${talents.length.toLocaleString('en')} talents in ${round((performance.now() - started) / 1000)} s; VACUUM (ANALYZE)…`,
    );
    await client.query('vacuum (analyze) people, supporter_profiles, person_links, engagements, consents');
  } finally {
    client.release();
  }
}

/**
 * The naive way: every consenting talent with their links and records for the municipality loaded
 * into the application, each one scored, the best kept.
 */
async function naiveCandidates(target: BenchTarget, needs: ProjectNeeds) {
  const db = target.database.db;
  const rows = await queryRows<{
    id: string;
    prefecture: string | null;
    skills: string[];
    involvement: string[];
    hours_per_month: number | null;
  }>(
    db,
    sql`select p.id, p.prefecture, sp.skills, sp.involvement, sp.hours_per_month
        from supporter_profiles sp join people p on p.id = sp.person_id
        where p.deleted_at is null and p.merged_into is null
          and coalesce((select c.granted from consents c where c.person_id = p.id and c.purpose = 'scouting'
                        and c.municipality_code is null order by c.recorded_at desc, c.id desc limit 1), false)`,
  );
  const links = await queryRows<{ person_id: string; kind: LinkKind }>(
    db,
    sql`select person_id, kind from person_links where municipality_code = ${needs.municipalityCode}`,
  );
  const records = await queryRows<{
    person_id: string;
    municipality_code: string;
    kind: EngagementKind;
    occurred_on: string;
  }>(
    db,
    sql`select person_id, municipality_code, kind, occurred_on::text as occurred_on from engagements
        where municipality_code = ${needs.municipalityCode} or kind in ('side_job', 'volunteering')`,
  );
  const linksBy = new Map<string, LinkKind[]>();
  for (const l of links) linksBy.set(l.person_id, [...(linksBy.get(l.person_id) ?? []), l.kind]);
  // The same candidates as the SQL search: people sharing at least one of the project's skills.
  const wanted = new Set([...needs.requiredSkills, ...needs.welcomeSkills].map(searchKey));
  const recordsBy = new Map<string, typeof records>();
  for (const r of records) recordsBy.set(r.person_id, [...(recordsBy.get(r.person_id) ?? []), r]);
  const sharing = rows.filter((row) => row.skills.some((skill) => wanted.has(searchKey(skill))));
  const scored = sharing.map((row) => {
    const recs = recordsBy.get(row.id) ?? [];
    const here = recs.filter((r) => r.municipality_code === needs.municipalityCode);
    const own = linksBy.get(row.id) ?? [];
    const stage =
      deriveStages(
        here.map((r) => ({ municipalityCode: needs.municipalityCode, kind: r.kind, occurredOn: r.occurred_on })),
        own.map((kind) => ({ municipalityCode: needs.municipalityCode, kind, since: '2024-01-01' })),
        AS_OF,
      )[0]?.stage ?? null;
    const profile: TalentProfile = {
      personId: row.id,
      skills: row.skills,
      involvement: row.involvement as InvolvementKind[],
      hoursPerMonth: row.hours_per_month,
      prefecture: row.prefecture,
      ties: own.length || stage ? [{ municipalityCode: needs.municipalityCode, links: own, stage }] : [],
      earlierParticipations: recs.filter((r) => r.kind === 'side_job' || r.kind === 'volunteering').length,
    };
    return { personId: row.id, ...scoreCandidate(needs, profile) };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || (a.personId < b.personId ? -1 : 1))
    .slice(0, LIMIT);
}

const timed = async <T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> => {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
};

/** CPU seconds of this process (user + system) since `before`: beside wall time on a shared machine. */
const cpuSince = (before: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
};

/** The synthetic project created through the API and published, as a coordinator would. */
async function createProject(target: BenchTarget, needs: ProjectNeeds, seats: number, n: number): Promise<string> {
  const auth = { authorization: `Bearer ${target.token}` };
  const org = await jsonRequest<{ id: string }>(`${target.baseUrl}/api/organizations`, {
    method: 'POST',
    headers: auth,
    body: { name: `【ベンチ】照合の会${n}`, kind: 'sme' },
  });
  if (org.status !== 201) throw new Error(`organization: ${org.status} ${JSON.stringify(org.body)}`);
  const project = await jsonRequest<{ id: string }>(`${target.baseUrl}/api/projects`, {
    method: 'POST',
    headers: auth,
    body: {
      title: `【ベンチ】照合${n}`,
      kind: needs.kind,
      theme: 'dx',
      municipalityCode: needs.municipalityCode,
      organizationId: org.body.id,
      seats,
      requiredSkills: needs.requiredSkills,
      welcomeSkills: needs.welcomeSkills,
      hoursPerMonth: needs.hoursPerMonth,
      remotePercent: needs.remoteShare,
    },
  });
  if (project.status !== 201) throw new Error(`project: ${project.status} ${JSON.stringify(project.body)}`);
  const published = await jsonRequest(`${target.baseUrl}/api/projects/${project.body.id}`, {
    method: 'PATCH',
    headers: auth,
    body: { status: 'published' },
  });
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  return project.body.id;
}

export async function runMatchingBench(
  options: MatchingBenchOptions,
  cleanup: Cleanup,
): Promise<Record<string, number | string>> {
  const { log } = options;
  const mark = cleanup.size();
  try {
    const target = await openPostgresTarget(options.databaseUrl, cleanup, 4);
    if (!target) throw new Error('PostgreSQL server not reachable (set BENCH_DATABASE_URL)');
    log(`${target.serverVersion}`);
    const codes = target.municipalityCodes;
    const talents = syntheticTalents(options.talents, codes);
    await loadTalents(target, talents, log);
    const [gin] = await queryRows<{ mb: string }>(
      target.database.db,
      sql`select pg_relation_size('supporter_profiles_skill_keys_idx') as mb`,
    );

    // --- 1. candidates for one project -------------------------------------------------------
    const projects = syntheticProjects(12, codes, 99).filter((p) => p.needs.requiredSkills.length >= 1);
    const loadStart = os.loadavg()[0]!;
    const fast: number[] = [];
    const api: number[] = [];
    let fastCpu = 0;
    let apiCpu = 0;
    let checked = 0;
    for (const [n, project] of projects.slice(0, 6).entries()) {
      const needs = project.needs;
      const run = () => findProjectCandidates(target.database.db, needs, { limit: LIMIT, asOf: AS_OF });
      for (let i = 0; i < 3; i++) await run();
      const perProject = Math.ceil(options.samples / 6);
      let before = process.cpuUsage();
      for (let i = 0; i < perProject; i++) fast.push((await timed(run)).ms);
      fastCpu += cpuSince(before);
      // The same through the route: project read, the search, names, one audit event, the wording.
      const id = await createProject(target, needs, project.seats, n);
      const path = `/api/projects/${id}/candidates?limit=${LIMIT}`;
      for (let i = 0; i < 3; i++) await timedGet(target.baseUrl, path, target.token);
      before = process.cpuUsage();
      let answer = '';
      for (let i = 0; i < perProject; i++) {
        const got = await timedGet(target.baseUrl, path, target.token);
        if (got.status !== 200) throw new Error(`GET ${path} answered ${got.status}: ${got.body.slice(0, 300)}`);
        api.push(got.ms);
        answer = got.body;
      }
      apiCpu += cpuSince(before);
      // Same answer both ways (scores; ties may order people differently only at equal scores).
      const [a, b] = [await run(), await naiveCandidates(target, needs)];
      const viaApi = (JSON.parse(answer) as { items: Array<{ score: number }> }).items.map((c) => c.score);
      if (JSON.stringify(a.map((c) => c.score)) !== JSON.stringify(b.map((c) => c.score)))
        throw new Error(
          `candidate scores differ from the naive way for ${project.id}: ${JSON.stringify(a.map((c) => [c.personId.slice(-6), c.score]))} vs ${JSON.stringify(b.map((c) => [c.personId.slice(-6), c.score]))}`,
        );
      if (JSON.stringify(viaApi) !== JSON.stringify(b.map((c) => c.score)))
        throw new Error(`API candidate scores differ from the naive way for ${project.id}`);
      checked++;
    }
    const naive: number[] = [];
    for (const project of projects.slice(0, 3)) {
      await naiveCandidates(target, project.needs);
      naive.push((await timed(() => naiveCandidates(target, project.needs))).ms);
    }
    const fastMedian = percentile(fast, 50);
    const apiMedian = percentile(api, 50);
    const naiveMedian = percentile(naive, 50);
    const ratio = naiveMedian / fastMedian;
    log(
      `candidates: findProjectCandidates median ${round(fastMedian, 2)} ms (p95 ${round(percentile(fast, 95), 2)}, CPU ${round((fastCpu * 1000) / fast.length, 2)} ms per call, ${fast.length} calls over 6 projects); ` +
        `GET /api/projects/:id/candidates median ${round(apiMedian, 2)} ms (p95 ${round(percentile(api, 95), 2)}, CPU ${round((apiCpu * 1000) / api.length, 2)} ms per call); ` +
        `naive median ${round(naiveMedian)} ms (${naive.length}); ratio ${round(ratio)}×; same scores on ${checked} projects`,
    );

    // --- 2. the proposal over every open project ---------------------------------------------
    const open = syntheticProjects(options.projects, codes);
    const seats = open.reduce((s, p) => s + p.seats, 0);
    // As the proposal job does it: the pool read once from the database (the consenting
    // supporters), then every project's candidates in memory and the solver.
    // CPU time beside wall time: on a shared machine the wall time also counts other processes' turns.
    let before = process.cpuUsage();
    const load = await timed(() => loadProposalTalents(target.database.db, { asOf: AS_OF }));
    const loadCpu = cpuSince(before);
    const pool = load.value.filter((t) => t.capacity > 0);
    before = process.cpuUsage();
    const found = await timed(() => candidatePairs(open, pool, (p) => Math.max(6, 3 * p.seats)));
    const foundCpu = cpuSince(before);
    before = process.cpuUsage();
    const solved = await timed(() =>
      solveAssignment({
        projects: open,
        talents: pool.map((t) => ({ id: t.profile.personId, capacity: t.capacity })),
        pairs: found.value,
      }),
    );
    const solvedCpu = cpuSince(before);
    const jobMs = load.ms + found.ms + solved.ms;
    const jobCpu = loadCpu + foundCpu + solvedCpu;
    log(
      `proposal job: ${options.projects.toLocaleString('en')} projects (${seats.toLocaleString('en')} seats) × ${pool.length.toLocaleString('en')} consenting talents read from the database: ` +
        `${round(jobMs / 1000, 2)} s (CPU ${round(jobCpu, 2)} s) = pool ${round(load.ms / 1000, 2)} s (CPU ${round(loadCpu, 2)}) + candidates ${round(found.ms / 1000, 2)} s (CPU ${round(foundCpu, 2)}) + solver ${round(solved.ms / 1000, 2)} s (CPU ${round(solvedCpu, 2)}); ` +
        `${solved.value.assignments.length.toLocaleString('en')} assigned, total ${solved.value.totalScore}, ${found.value.length.toLocaleString('en')} candidate pairs`,
    );
    // The earlier runs' figure: all the synthetic talents in memory, consenting or not.
    before = process.cpuUsage();
    const proposal = await timed(() => proposeAssignments(open, talents));
    const proposalCpuS = cpuSince(before);
    log(
      `proposal in memory: ${options.projects.toLocaleString('en')} projects × ${options.talents.toLocaleString('en')} talents in ${round(proposal.ms / 1000, 2)} s (CPU ${round(proposalCpuS, 2)} s); ` +
        `${proposal.value.assignments.length.toLocaleString('en')} assigned, total ${proposal.value.totalScore}, ${proposal.value.candidatePairs.toLocaleString('en')} candidate pairs`,
    );

    // --- 3. quality against the exact optimum --------------------------------------------------
    const quality: Array<{ exact: number; production: number; greedy: number; exactMs: number; pairs: number }> = [];
    for (let run = 0; run < options.qualityRuns; run++) {
      const tt = syntheticTalents(2000, codes, 1000 + run);
      const pp = syntheticProjects(200, codes, 2000 + run);
      const pairs = candidatePairs(pp, tt, () => Number.POSITIVE_INFINITY);
      const input = { projects: pp, talents: tt.map((t) => ({ id: t.profile.personId, capacity: t.capacity })), pairs };
      const exact = await timed(() => exactAssignment(input));
      const production = proposeAssignments(pp, tt);
      const greedy = greedyAssignment(input);
      quality.push({
        exact: exact.value.totalScore,
        production: production.totalScore,
        greedy: greedy.totalScore,
        exactMs: exact.ms,
        pairs: pairs.length,
      });
      log(
        `quality run ${run + 1}: ${pairs.length.toLocaleString('en')} pairs; exact ${exact.value.totalScore} (${round(exact.ms)} ms), ` +
          `production ${production.totalScore} (${round(production.totalScore / exact.value.totalScore, 4)}), greedy ${greedy.totalScore} (${round(greedy.totalScore / exact.value.totalScore, 4)})`,
      );
    }
    const loadEnd = os.loadavg()[0]!;
    const worstQuality = Math.min(...quality.map((q) => q.production / q.exact));
    const figures: Record<string, number | string> = {
      'verdict candidates': `${fastMedian < CANDIDATES_TARGET_MS && ratio >= CANDIDATES_TARGET_RATIO ? 'PASS' : 'FAIL'}: median ${round(fastMedian, 2)} ms (target < ${CANDIDATES_TARGET_MS}), ${round(ratio)}× the naive way (target ≥ ${CANDIDATES_TARGET_RATIO}×)`,
      'verdict candidates API': `${apiMedian < CANDIDATES_TARGET_MS ? 'PASS' : 'FAIL'}: median ${round(apiMedian, 2)} ms (target < ${CANDIDATES_TARGET_MS})`,
      'verdict proposal': `${jobMs / 1000 < PROPOSAL_TARGET_S ? 'PASS' : 'FAIL'}: job ${round(jobMs / 1000, 2)} s wall, ${round(jobCpu, 2)} s CPU (target < ${PROPOSAL_TARGET_S} s)`,
      'verdict quality': `${worstQuality >= QUALITY_TARGET ? 'PASS' : 'FAIL'}: worst ${round(worstQuality, 4)} of the exact optimum (target ≥ ${QUALITY_TARGET})`,
      talents: options.talents,
      'skill GIN index MB': round(Number(gin?.mb ?? 0) / 2 ** 20, 1),
      'candidates median / p95 ms': `${round(fastMedian, 2)} / ${round(percentile(fast, 95), 2)}`,
      'candidates CPU ms per call (this process)': round((fastCpu * 1000) / fast.length, 2),
      'candidates API median / p95 ms': `${round(apiMedian, 2)} / ${round(percentile(api, 95), 2)}`,
      'candidates API CPU ms per call (this process: app and client)': round((apiCpu * 1000) / api.length, 2),
      'naive median ms': round(naiveMedian),
      'ratio naive / candidates': round(ratio, 1),
      'proposal projects / seats': `${options.projects} / ${seats}`,
      'proposal job s (wall / CPU)': `${round(jobMs / 1000, 2)} / ${round(jobCpu, 2)}`,
      'proposal job: pool read s (wall / CPU), talents': `${round(load.ms / 1000, 2)} / ${round(loadCpu, 2)}, ${pool.length}`,
      'proposal job: candidates s (wall / CPU), pairs': `${round(found.ms / 1000, 2)} / ${round(foundCpu, 2)}, ${found.value.length}`,
      'proposal job: solver s (wall / CPU)': `${round(solved.ms / 1000, 2)} / ${round(solvedCpu, 2)}`,
      'proposal job assigned / total score': `${solved.value.assignments.length} / ${solved.value.totalScore}`,
      'proposal in memory, all talents s (wall / CPU)': `${round(proposal.ms / 1000, 2)} / ${round(proposalCpuS, 2)}`,
      'proposal in memory assigned / total score / pairs': `${proposal.value.assignments.length} / ${proposal.value.totalScore} / ${proposal.value.candidatePairs}`,
      'load average (1 min) before / after': `${round(loadStart)} / ${round(loadEnd)}`,
    };
    quality.forEach((q, i) => {
      figures[`quality run ${i + 1}: exact / production / greedy (ratios)`] =
        `${q.exact} / ${q.production} (${round(q.production / q.exact, 4)}) / ${q.greedy} (${round(q.greedy / q.exact, 4)}); ${q.pairs} pairs, exact ${round(q.exactMs)} ms`;
    });
    return figures;
  } finally {
    await cleanup.runDownTo(mark);
  }
}

if (isMainModule(import.meta.url)) {
  runStandalone((databaseUrl, cleanup, log) =>
    runMatchingBench({ databaseUrl, ...matchingEnvOptions(), log }, cleanup),
  );
}
