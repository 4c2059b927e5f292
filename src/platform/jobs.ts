/**
 * Background jobs (mail, long work). On PostgreSQL: pg-boss, a queue kept in the database, so any
 * app process may send and any may work. Embedded (PGlite, one process): the same handlers run
 * in-process; work that must survive a restart is also recorded in its own table (e.g.
 * outbound_mail) and queued again on start.
 *
 * A job is declared once with `defineJob({ name, payload })`: its name and the Zod schema of its
 * payload. Enqueueing takes the declaration, so a wrong payload does not compile; a payload is
 * checked again when it is worked (a job written by an older release, a hand-made row), and one
 * that does not match is failed at once, not retried. Payloads hold ids, flags and enum values
 * only: pg-boss keeps them in its own tables, which the erasure of a person does not reach.
 *
 * A job that throws is retried with growing back-off for about a day (or `retries` times). Every
 * failure is logged with the job's name, id and attempt; a job whose retries are spent stays
 * listed for admins (GET /api/admin/jobs?state=failed) and may be run once more by one. Mail does
 * not rely on this: it keeps its own schedule in outbound_mail (mail.service.ts), so a mail server
 * outage of any length ends in delivery within minutes of its end.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { serializeError, withPrivateLogging } from './logging.js';

/** The schema of a job's payload: an object, so that a summary of its fields can be shown. */
export type JobPayloadSchema = z.ZodType<Record<string, unknown>>;

/** A job as declared by the module that owns it: what it is called and what its payload holds. */
export type JobDefinition<S extends JobPayloadSchema = JobPayloadSchema> = {
  readonly name: string;
  readonly payload: S;
  /** Retries after the first try; absent: retried for about a day. */
  readonly retries?: number;
};

/**
 * Declares a job. Export the result from the module that owns the job; `JobQueue.enqueue` and
 * `JobQueue.define` take it, so the payload's type follows from the name.
 */
export function defineJob<S extends JobPayloadSchema>(definition: {
  name: string;
  payload: S;
  retries?: number;
}): JobDefinition<S> {
  return Object.freeze({ ...definition });
}

/** The run a handler is working: for its own log lines. */
export type JobRun = { name: string; id: string; attempt: number };

export type JobHandler<S extends JobPayloadSchema = JobPayloadSchema> = (
  data: z.output<S>,
  run: JobRun,
) => Promise<void>;

export type EnqueueOptions = {
  /**
   * A UUID naming this run: while a job with the same id is waiting or running, enqueueing it
   * again does nothing (pg-boss: for as long as it keeps the job). Absent: always a new job.
   */
  id?: string;
  /** Run no sooner than this many milliseconds from now. */
  delayMs?: number;
};

/** What an admin sees of a job whose retries are spent: never the payload's free text. */
export type FailedJob = {
  id: string;
  name: string;
  /** The payload's ids, flags and short codes; any other value shows as `[redacted]`. */
  payload: Record<string, string | number | boolean | null>;
  attempts: number;
  /** The last error's message as the log keeps it (no statement values, no addresses). */
  lastError: string | null;
  failedAt: Date;
};

export type JobQueue = {
  readonly kind: 'pg-boss' | 'in-process';
  /** Registers the handler of a job; call before start(). A name is defined once. */
  define<S extends JobPayloadSchema>(job: JobDefinition<S>, handler: JobHandler<S>): void;
  start(): Promise<void>;
  /** Checks the payload against the job's schema (throws when it does not match) and queues it. */
  enqueue<S extends JobPayloadSchema>(
    job: JobDefinition<S>,
    data: NoInfer<z.input<S>>,
    options?: EnqueueOptions,
  ): Promise<void>;
  /** Jobs of the defined names whose retries are spent, last failed first. */
  findFailed(page: { limit: number; offset: number }): Promise<{ items: FailedJob[]; total: number }>;
  /** Runs a failed job once more; null when no failed job has that id. */
  retry(id: string): Promise<FailedJob | null>;
  /** Jobs per defined name: waiting (queued, delayed or awaiting a retry), running, failed for good (metrics, readiness). */
  stats(): Promise<JobStats[]>;
  /** Resolves when no in-process job is running or about to run (delayed runs and retries not counted; tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
};

export type JobStats = { name: string; waiting: number; running: number; failed: number };

export type JobQueueLogging = {
  /** The app's logger; job failures and queue errors go to it (made private with logging.ts). */
  logger?: FastifyBaseLogger;
};

const RETRY_DELAY_SECONDS = 30;
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;
const RETRY_FOR_MS = 24 * 60 * 60 * 1000;
/**
 * pg-boss v10 doubles the delay with no ceiling (30 s · 2^n, up to twice that with jitter): eleven
 * retries end between 17 and 34 hours after the first failure — about a day, as in-process.
 */
const PG_BOSS_RETRY_LIMIT = 11;
/** Jobs a pg-boss worker takes per fetch and runs side by side. */
const PG_BOSS_BATCH_SIZE = 25;
const PG_BOSS_SCHEMA = 'pgboss';
/** pg-boss moves failed jobs to its archive (where retry() no longer reaches them) after this; its default is 12 hours. */
const PG_BOSS_FAILED_KEPT_SECONDS = 7 * 24 * 60 * 60;
/** Failed jobs the in-process queue remembers (the oldest goes first); lost on restart. */
export const IN_PROCESS_FAILED_KEPT = 200;

/** Delay before retry `attempt` (1 = the first retry): 30 s doubling, at most an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_DELAY_SECONDS * 1000 * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
}

/** A payload that does not match its job's schema: failed at once, since running it again cannot help. */
export class InvalidJobPayloadError extends Error {
  constructor(name: string, error: z.ZodError) {
    // Paths and Zod's own messages only: they never quote the value.
    const problems = error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
    super(`payload of job ${name} does not match its schema: ${problems.join('; ')}`);
    this.name = 'InvalidJobPayloadError';
  }
}

/** The payload as its job's schema reads it; throws InvalidJobPayloadError when it does not match. */
export function checkJobPayload(job: JobDefinition, data: unknown): Record<string, unknown> {
  const parsed = job.payload.safeParse(data);
  if (!parsed.success) throw new InvalidJobPayloadError(job.name, parsed.error);
  return parsed.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Enum-like values (`ja`, `staff`, `registrant`): short, lower-case, no spaces, no `@` or `/`. */
const CODE = /^[a-z][a-z0-9_-]{0,23}$/;

/**
 * The fields of a payload an admin may see: ids, flags, numbers and short codes. Payloads should
 * hold nothing else; anything else (text, an address, a nested object) shows as `[redacted]`.
 */
export function summarizePayload(data: unknown): FailedJob['payload'] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const summary: FailedJob['payload'] = {};
  for (const [key, value] of Object.entries(data)) {
    summary[key] =
      typeof value === 'boolean' || value === null || (typeof value === 'number' && Number.isFinite(value))
        ? value
        : typeof value === 'string' && (UUID.test(value) || CODE.test(value))
          ? value
          : '[redacted]';
  }
  return summary;
}

/** The message the log keeps of an error (serializeError: no statement values, no addresses). */
function redactedMessage(err: unknown): string {
  const serialized = serializeError(err) as { message?: unknown } | undefined;
  return typeof serialized?.message === 'string' ? serialized.message.slice(0, 1000) : String(serialized ?? 'error');
}

/** pg-boss emits some errors as plain objects ({...error, message, stack, queue}); pino and serializeError want an Error. */
function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  const fields = (value ?? {}) as Record<string, unknown>;
  const error = new Error(typeof fields.message === 'string' ? fields.message : 'pg-boss error');
  if (typeof fields.stack === 'string') error.stack = fields.stack;
  if (typeof fields.code === 'string') Object.assign(error, { code: fields.code });
  return error;
}

function privateLogger(options: JobQueueLogging): FastifyBaseLogger | undefined {
  return options.logger && withPrivateLogging(options.logger);
}

export type PgBossQueueOptions = JobQueueLogging & {
  pollingIntervalSeconds?: number;
  batchSize?: number;
  /** First retry delay in seconds (doubling); default 30. Tests shorten it. */
  retryDelaySeconds?: number;
};

export function createPgBossQueue(connectionString: string, options: PgBossQueueOptions = {}): JobQueue {
  const log = privateLogger(options);
  const boss = new PgBoss({
    connectionString,
    schema: PG_BOSS_SCHEMA,
    max: 4,
    archiveFailedAfterSeconds: PG_BOSS_FAILED_KEPT_SECONDS,
  });
  // Without a listener an error event would end the process; with one it must not vanish either.
  boss.on('error', (error) => log?.error({ err: asError(error) }, 'job queue (pg-boss) error'));
  const definitions = new Map<string, { job: JobDefinition; handler: JobHandler }>();
  /** This process's worker per job name, woken when it enqueues (no wait for the next poll). */
  const workers = new Map<string, string>();
  const batchSize = options.batchSize ?? PG_BOSS_BATCH_SIZE;
  const retryDelay = options.retryDelaySeconds ?? RETRY_DELAY_SECONDS;
  const retryLimitOf = (job: JobDefinition) => job.retries ?? PG_BOSS_RETRY_LIMIT;
  let started = false;

  /** Works one job of a batch; a failure is recorded on the job (redacted, logging.ts) and logged, never thrown. */
  async function work(job: JobDefinition, handler: JobHandler, run: PgBoss.JobWithMetadata<object>): Promise<void> {
    const attempt = run.retryCount + 1;
    const where = { job: job.name, jobId: run.id, attempt };
    let data: Record<string, unknown>;
    try {
      data = checkJobPayload(job, run.data);
    } catch (err) {
      // No retry: pg-boss fails a job for good once its retries are used up, so use them up.
      await boss
        .getDb()
        .executeSql(`UPDATE ${PG_BOSS_SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2`, [
          job.name,
          run.id,
        ]);
      await boss.fail(job.name, run.id, serializeError(err) as object);
      log?.error({ ...where, err }, `job ${job.name} failed: its payload does not match; not retried`);
      return;
    }
    try {
      await handler(data, { name: job.name, id: run.id, attempt });
    } catch (err) {
      // What pg-boss keeps of the error leaves out the failed statement's values (logging.ts).
      await boss.fail(job.name, run.id, serializeError(err) as object);
      if (run.retryCount < run.retryLimit) log?.warn({ ...where, err }, `job ${job.name} failed, will retry`);
      else log?.error({ ...where, err }, `job ${job.name} failed and will not be retried (GET /api/admin/jobs)`);
    }
  }

  type FailedRow = {
    id: string;
    name: string;
    data: unknown;
    retry_count: number;
    output: unknown;
    completed_on: Date;
    total: string;
  };
  const toFailedJob = (row: Omit<FailedRow, 'total'>): FailedJob => ({
    id: row.id,
    name: row.name,
    payload: summarizePayload(row.data),
    attempts: row.retry_count + 1,
    lastError:
      row.output && typeof (row.output as { message?: unknown }).message === 'string'
        ? (row.output as { message: string }).message
        : null,
    failedAt: new Date(row.completed_on),
  });

  return {
    kind: 'pg-boss',
    define(job, handler) {
      if (definitions.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
      definitions.set(job.name, { job, handler: handler as JobHandler });
    },
    async start() {
      await boss.start();
      started = true;
      for (const { job, handler } of definitions.values()) {
        await boss.createQueue(job.name, {
          name: job.name,
          retryLimit: retryLimitOf(job),
          retryDelay,
          retryBackoff: true,
        });
        const workerId: string = await boss.work<object>(
          job.name,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize, includeMetadata: true },
          async (runs) => {
            // pg-boss completes or fails a batch as a whole; a job that failed is failed here on
            // its own (it leaves the active state, so the batch's completion passes it by).
            const recorded = await Promise.allSettled(runs.map((run) => work(job, handler, run)));
            // A failure that could not be recorded fails the whole batch, so no job is lost.
            const unrecorded = recorded.find((r) => r.status === 'rejected');
            if (unrecorded) throw unrecorded.reason;
            // A full batch: more are probably waiting, fetch again without waiting for the poll.
            if (runs.length === batchSize) boss.notifyWorker(workerId);
          },
        );
        workers.set(job.name, workerId);
      }
    },
    async enqueue(job, data, enqueueOptions = {}) {
      checkJobPayload(job, data);
      await boss.send(job.name, data as object, {
        retryLimit: retryLimitOf(job),
        retryDelay,
        retryBackoff: true,
        ...(enqueueOptions.id ? { id: enqueueOptions.id } : {}),
        ...(enqueueOptions.delayMs ? { startAfter: enqueueOptions.delayMs / 1000 } : {}),
      });
      const workerId = workers.get(job.name);
      if (workerId && !enqueueOptions.delayMs) boss.notifyWorker(workerId);
    },
    async findFailed(page) {
      // pg-boss v10 has no listing by state: its job table is read through its own connection.
      const result = await boss.getDb().executeSql(
        `SELECT id, name, data, retry_count, output, completed_on, count(*) OVER () AS total
           FROM ${PG_BOSS_SCHEMA}.job
          WHERE state = 'failed' AND name = ANY($1::text[])
          ORDER BY completed_on DESC, id
          LIMIT $2 OFFSET $3`,
        [[...definitions.keys()], page.limit, page.offset],
      );
      const rows = (result as { rows: FailedRow[] }).rows;
      // Past the last page the window count is gone; count on its own.
      let total = rows[0] ? Number(rows[0].total) : 0;
      if (!rows.length && page.offset > 0) {
        const counted = await boss
          .getDb()
          .executeSql(
            `SELECT count(*) AS n FROM ${PG_BOSS_SCHEMA}.job WHERE state = 'failed' AND name = ANY($1::text[])`,
            [[...definitions.keys()]],
          );
        total = Number((counted as { rows: Array<{ n: string }> }).rows[0]?.n ?? 0);
      }
      return { items: rows.map(toFailedJob), total };
    },
    async retry(id) {
      for (const name of definitions.keys()) {
        const found = await boss.getJobById<object>(name, id);
        if (found?.state !== 'failed') continue;
        const failed = toFailedJob({
          id: found.id,
          name: found.name,
          data: found.data,
          retry_count: found.retryCount,
          output: found.output,
          completed_on: found.completedOn ?? new Date(),
        });
        // One more attempt: pg-boss raises the job's retry limit by one and puts it back in line.
        await boss.retry(name, id);
        const workerId = workers.get(name);
        if (workerId) boss.notifyWorker(workerId);
        return failed;
      }
      return null;
    },
    async stats() {
      const names = [...definitions.keys()];
      const result = await boss.getDb().executeSql(
        `SELECT name,
                count(*) FILTER (WHERE state IN ('created', 'retry'))::int AS waiting,
                count(*) FILTER (WHERE state = 'active')::int AS running,
                count(*) FILTER (WHERE state = 'failed')::int AS failed
           FROM ${PG_BOSS_SCHEMA}.job WHERE name = ANY($1::text[]) GROUP BY name`,
        [names],
      );
      const byName = new Map((result as { rows: JobStats[] }).rows.map((r) => [r.name, r]));
      return names.map((name) => byName.get(name) ?? { name, waiting: 0, running: 0, failed: 0 });
    },
    drain: async () => {},
    async stop() {
      if (started) await boss.stop({ graceful: true, close: true, timeout: 10_000 });
      started = false;
    },
  };
}

export type InProcessQueueOptions = JobQueueLogging & {
  /** Delay before retry `attempt` (1 = first retry); default retryDelayMs (30 s doubling, at most an hour). */
  retryDelayMs?: (attempt: number) => number;
  /** No retry starts later than this after the first try; default a day. */
  retryForMs?: number;
};

/** One run of an in-process job, carried from attempt to attempt. */
type InProcessRun = {
  job: JobDefinition;
  data: Record<string, unknown>;
  /** The id the run is listed and logged under: the enqueue id, or one drawn for it. */
  id: string;
  /** Whether `id` was given at enqueue (and so takes part in "enqueue again does nothing"). */
  deduplicated: boolean;
  attempt: number;
  firstTriedAt: number;
  /** The last attempt allowed (Infinity: retry for the retry window). */
  lastAttempt: number;
};

export function createInProcessQueue(options: InProcessQueueOptions = {}): JobQueue {
  const log = privateLogger(options);
  const definitions = new Map<string, { job: JobDefinition; handler: JobHandler }>();
  const running = new Set<Promise<void>>();
  /** Enqueued runs whose setImmediate has not fired yet: a job that enqueues another (ticket → mail) leaves one here as it finishes. */
  const scheduled = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  /** Ids of jobs waiting, running or waiting for a retry: enqueueing one of them again does nothing. */
  const liveIds = new Set<string>();
  /** Runs whose retries are spent, oldest first, at most IN_PROCESS_FAILED_KEPT; lost on restart. */
  const failed = new Map<string, { run: InProcessRun; error: string; failedAt: Date }>();
  /** Runs per job name that wait for their turn, a delay or a retry; and that run now. */
  const waiting = new Map<string, number>();
  const runningByName = new Map<string, number>();
  const bump = (counts: Map<string, number>, name: string, by: number) =>
    counts.set(name, (counts.get(name) ?? 0) + by);
  let stopped = false;
  const delay = options.retryDelayMs ?? retryDelayMs;
  const retryFor = options.retryForMs ?? RETRY_FOR_MS;

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const release = (run: InProcessRun) => {
    if (run.deduplicated) liveIds.delete(run.id);
  };

  const giveUp = (run: InProcessRun, err: unknown) => {
    release(run);
    failed.delete(run.id);
    failed.set(run.id, { run, error: redactedMessage(err), failedAt: new Date() });
    for (const oldest of failed.keys()) {
      if (failed.size <= IN_PROCESS_FAILED_KEPT) break;
      failed.delete(oldest);
    }
  };

  const execute = (run: InProcessRun) => {
    bump(waiting, run.job.name, -1);
    const definition = definitions.get(run.job.name);
    if (!definition || stopped) {
      release(run);
      return;
    }
    const where = { job: run.job.name, jobId: run.id, attempt: run.attempt };
    let data: Record<string, unknown>;
    try {
      data = checkJobPayload(definition.job, run.data);
    } catch (err) {
      log?.error({ ...where, err }, `job ${run.job.name} failed: its payload does not match; not retried`);
      giveUp(run, err);
      return;
    }
    // A handler that throws before its first await rejects like one that throws after it.
    const task = new Promise<void>((resolve) =>
      resolve(definition.handler(data, { name: run.job.name, id: run.id, attempt: run.attempt })),
    )
      .then(
        () => release(run),
        (err: unknown) => {
          const wait = delay(run.attempt);
          const retries = !stopped && run.attempt < run.lastAttempt && Date.now() + wait - run.firstTriedAt <= retryFor;
          if (!retries) {
            log?.error({ ...where, err }, `job ${run.job.name} failed and will not be retried (GET /api/admin/jobs)`);
            giveUp(run, err);
            return;
          }
          log?.warn({ ...where, retryInMs: wait, err }, `job ${run.job.name} failed, will retry`);
          bump(waiting, run.job.name, 1);
          later(wait, () => execute({ ...run, attempt: run.attempt + 1 }));
        },
      )
      .finally(() => {
        running.delete(task);
        bump(runningByName, run.job.name, -1);
      });
    running.add(task);
    bump(runningByName, run.job.name, 1);
  };

  /** Runs after the current turn: after the caller's transaction, so a job never sees data that was rolled back. */
  const executeSoon = (run: InProcessRun) => {
    bump(waiting, run.job.name, 1);
    const start: Promise<void> = new Promise((resolve) =>
      setImmediate(() => {
        scheduled.delete(start);
        execute(run);
        resolve();
      }),
    );
    scheduled.add(start);
  };

  const toFailedJob = ({ run, error, failedAt }: { run: InProcessRun; error: string; failedAt: Date }): FailedJob => ({
    id: run.id,
    name: run.job.name,
    payload: summarizePayload(run.data),
    attempts: run.attempt,
    lastError: error,
    failedAt,
  });

  return {
    kind: 'in-process',
    define(job, handler) {
      if (definitions.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
      definitions.set(job.name, { job, handler: handler as JobHandler });
    },
    start: async () => {},
    enqueue: async (job, data, enqueueOptions = {}) => {
      const checked = data as Record<string, unknown>;
      checkJobPayload(job, checked);
      const { id, delayMs } = enqueueOptions;
      if (id) {
        if (liveIds.has(id)) return;
        liveIds.add(id);
      }
      const run = (): InProcessRun => ({
        job,
        data: checked,
        id: id ?? randomUUID(),
        deduplicated: Boolean(id),
        attempt: 1,
        firstTriedAt: Date.now(),
        lastAttempt: job.retries === undefined ? Number.POSITIVE_INFINITY : 1 + job.retries,
      });
      if (delayMs) {
        bump(waiting, job.name, 1);
        later(delayMs, () => execute(run()));
        return;
      }
      executeSoon(run());
    },
    async findFailed(page) {
      const newestFirst = [...failed.values()].reverse();
      return { items: newestFirst.slice(page.offset, page.offset + page.limit).map(toFailedJob), total: failed.size };
    },
    async retry(id) {
      const entry = failed.get(id);
      if (!entry) return null;
      failed.delete(id);
      const { run } = entry;
      if (run.deduplicated) liveIds.add(run.id);
      // One more attempt, as pg-boss's retry gives.
      const attempt = run.attempt + 1;
      executeSoon({ ...run, attempt, firstTriedAt: Date.now(), lastAttempt: attempt });
      return toFailedJob(entry);
    },
    async stats() {
      const failedByName = new Map<string, number>();
      for (const { run } of failed.values()) bump(failedByName, run.job.name, 1);
      return [...definitions.keys()].map((name) => ({
        name,
        waiting: waiting.get(name) ?? 0,
        running: runningByName.get(name) ?? 0,
        failed: failedByName.get(name) ?? 0,
      }));
    },
    async drain() {
      // execute() adds its task to `running` before `start` resolves, so the loop never sees a gap.
      while (scheduled.size || running.size) await Promise.allSettled([...scheduled, ...running]);
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
