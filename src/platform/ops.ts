/**
 * What operators watch: readiness for a load balancer or orchestrator (`GET /api/ready`) and
 * metrics in Prometheus text format (`GET /metrics`, behind a token). Liveness stays
 * `GET /api/health`.
 *
 * Metrics carry route patterns (`/api/people/:id`), never the requested path: a path can hold a
 * person's id or a search term, and every distinct path would be a new series. Values are counts
 * and times only — nothing personal.
 */
import { timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { Database } from './db/client.js';
import { AppError } from './errors.js';
import type { JobQueue } from './jobs.js';

export type OpsOptions = {
  database: Database;
  jobs: JobQueue;
  /** Bearer token for /metrics; undefined → /metrics is not served (404). */
  metricsToken?: string;
};

const ReadyCheck = z.object({ ok: z.boolean(), detail: z.string().optional() });
const ReadyAnswer = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: ReadyCheck, migrations: ReadyCheck, jobs: ReadyCheck }),
});
type ReadyAnswer = z.infer<typeof ReadyAnswer>;

/** Seconds buckets for request times: the interactive targets sit between 50 ms and 1 s. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Counts and times every request by route pattern; registers /api/ready and /metrics. */
export function installOps(app: FastifyInstance, options: OpsOptions): void {
  const registry = new Registry();
  // Process CPU, memory, event-loop lag and GC, with Kankei's prefix (one registry per app: tests
  // start several apps in one process).
  collectDefaultMetrics({ register: registry, prefix: 'kankei_' });
  const requests = new Counter({
    name: 'kankei_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'kankei_http_request_duration_seconds',
    help: 'Time from request to response, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const { database, jobs } = options;
  new Gauge({
    name: 'kankei_db_pool_connections',
    help: 'PostgreSQL connection pool: open connections (total), idle ones, and requests waiting for one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = database.poolState?.();
      if (!pool) return;
      this.set({ state: 'total' }, pool.total);
      this.set({ state: 'idle' }, pool.idle);
      this.set({ state: 'waiting' }, pool.waiting);
    },
  });
  new Gauge({
    name: 'kankei_jobs',
    help: 'Background jobs by job name and state: waiting (queued, delayed or awaiting a retry), running, failed (retries spent)',
    labelNames: ['job', 'state'] as const,
    registers: [registry],
    async collect() {
      for (const s of await jobs.stats()) {
        this.set({ job: s.name, state: 'waiting' }, s.waiting);
        this.set({ job: s.name, state: 'running' }, s.running);
        this.set({ job: s.name, state: 'failed' }, s.failed);
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The matched pattern; requests no route matched share one label.
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    requests.inc({ method, route, status: String(reply.statusCode) });
    durations.observe({ method, route }, reply.elapsedTime / 1000);
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/ready',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Readiness: database reachable, migrations current, job queue answering (503 when not)',
        response: { 200: ReadyAnswer, 503: ReadyAnswer },
      },
    },
    async (request, reply) => {
      const answer = await readiness(database, jobs, (check, err) =>
        request.log.warn({ err, check }, `readiness check ${check} failed`),
      );
      return reply.code(answer.status === 'ready' ? 200 : 503).send(answer);
    },
  );

  const expected = options.metricsToken ? Buffer.from(options.metricsToken) : null;
  app.get(
    '/metrics',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Metrics in Prometheus text format (Authorization: Bearer KANKEI_METRICS_TOKEN; 404 when unset)',
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      // Not configured: as if the route did not exist.
      if (!expected) throw new AppError('NOT_FOUND');
      if (!tokenMatches(request.headers.authorization, expected)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('UNAUTHENTICATED');
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}

function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  // Same length first: timingSafeEqual throws on different lengths (and length is not secret).
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The checks; a failure's error goes to the log, the public answer only names the check. */
async function readiness(
  database: Database,
  jobs: JobQueue,
  logFailure: (check: string, err: unknown) => void,
): Promise<ReadyAnswer> {
  const failed = (check: string, err: unknown) => {
    logFailure(check, err);
    return { ok: false, detail: 'check failed (see the server log)' };
  };
  const checks: ReadyAnswer['checks'] = {
    database: { ok: true },
    migrations: { ok: true },
    jobs: { ok: true },
  };
  try {
    await database.db.execute(sql`select 1`);
  } catch (err) {
    checks.database = failed('database', err);
  }
  if (checks.database.ok) {
    try {
      const pending = await database.pendingMigrations();
      if (pending > 0) checks.migrations = { ok: false, detail: `${pending} migration(s) not applied` };
    } catch (err) {
      checks.migrations = failed('migrations', err);
    }
  } else {
    checks.migrations = { ok: false, detail: 'database not reachable' };
  }
  try {
    await jobs.stats();
  } catch (err) {
    checks.jobs = failed('jobs', err);
  }
  const ready = checks.database.ok && checks.migrations.ok && checks.jobs.ok;
  return { status: ready ? 'ready' : 'not_ready', checks };
}
