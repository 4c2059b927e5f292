/**
 * Background jobs (mail, long work). On PostgreSQL: pg-boss, a queue kept in the database, so any
 * app process may send and any may work. Embedded (PGlite, one process): the same handlers run
 * in-process; work that must survive a restart is also recorded in its own table (e.g.
 * outbound_mail) and queued again on start.
 *
 * A job that throws is retried with growing back-off for about a day. Mail does not rely on this:
 * it keeps its own schedule in outbound_mail (mail.service.ts), so a mail server outage of any
 * length ends in delivery within minutes of its end.
 */
import PgBoss from 'pg-boss';
import { serializeError } from './logging.js';

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export type EnqueueOptions = {
  /**
   * A UUID naming this run: while a job with the same id is waiting or running, enqueueing it
   * again does nothing (pg-boss: for as long as it keeps the job). Absent: always a new job.
   */
  id?: string;
  /** Run no sooner than this many milliseconds from now. */
  delayMs?: number;
};

export type JobQueue = {
  readonly kind: 'pg-boss' | 'in-process';
  /** Registers the handler of a job name; call before start(). */
  define(name: string, handler: JobHandler): void;
  start(): Promise<void>;
  enqueue(name: string, data: Record<string, unknown>, options?: EnqueueOptions): Promise<void>;
  /** Resolves when no in-process job is running or about to run (delayed runs and retries not counted; tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
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

/** Delay before retry `attempt` (1 = the first retry): 30 s doubling, at most an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_DELAY_SECONDS * 1000 * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
}

export function createPgBossQueue(
  connectionString: string,
  options: { pollingIntervalSeconds?: number; batchSize?: number } = {},
): JobQueue {
  const boss = new PgBoss({ connectionString, schema: 'pgboss', max: 4 });
  boss.on('error', () => {});
  const handlers = new Map<string, JobHandler>();
  /** This process's worker per job name, woken when it enqueues (no wait for the next poll). */
  const workers = new Map<string, string>();
  const batchSize = options.batchSize ?? PG_BOSS_BATCH_SIZE;
  let started = false;
  return {
    kind: 'pg-boss',
    define: (name, handler) => void handlers.set(name, handler),
    async start() {
      await boss.start();
      started = true;
      for (const [name, handler] of handlers) {
        await boss.createQueue(name, {
          name,
          retryLimit: PG_BOSS_RETRY_LIMIT,
          retryDelay: RETRY_DELAY_SECONDS,
          retryBackoff: true,
        });
        const workerId: string = await boss.work<Record<string, unknown>>(
          name,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize },
          async (jobs) => {
            // pg-boss completes or fails a batch as a whole; a job that failed is failed here on
            // its own (it leaves the active state, so the batch's completion passes it by).
            const results = await Promise.allSettled(jobs.map((job) => handler(job.data)));
            const failed = results.flatMap((r, i) =>
              r.status === 'rejected' ? [{ id: jobs[i]!.id, error: r.reason as Error }] : [],
            );
            // What pg-boss keeps of the error leaves out the failed statement's values (logging.ts).
            for (const f of failed) await boss.fail(name, f.id, serializeError(f.error) as object);
            // A full batch: more are probably waiting, fetch again without waiting for the poll.
            if (jobs.length === batchSize) boss.notifyWorker(workerId);
          },
        );
        workers.set(name, workerId);
      }
    },
    async enqueue(name, data, enqueueOptions = {}) {
      await boss.send(name, data, {
        retryLimit: PG_BOSS_RETRY_LIMIT,
        retryDelay: RETRY_DELAY_SECONDS,
        retryBackoff: true,
        ...(enqueueOptions.id ? { id: enqueueOptions.id } : {}),
        ...(enqueueOptions.delayMs ? { startAfter: enqueueOptions.delayMs / 1000 } : {}),
      });
      const workerId = workers.get(name);
      if (workerId && !enqueueOptions.delayMs) boss.notifyWorker(workerId);
    },
    drain: async () => {},
    async stop() {
      if (started) await boss.stop({ graceful: true, close: true, timeout: 10_000 });
      started = false;
    },
  };
}

export type InProcessQueueOptions = {
  /** Delay before retry `attempt` (1 = first retry); default retryDelayMs (30 s doubling, at most an hour). */
  retryDelayMs?: (attempt: number) => number;
  /** No retry starts later than this after the first try; default a day. */
  retryForMs?: number;
};

export function createInProcessQueue(options: InProcessQueueOptions = {}): JobQueue {
  const handlers = new Map<string, JobHandler>();
  const running = new Set<Promise<void>>();
  /** Enqueued runs whose setImmediate has not fired yet: a job that enqueues another (ticket → mail) leaves one here as it finishes. */
  const scheduled = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  /** Ids of jobs waiting, running or waiting for a retry: enqueueing one of them again does nothing. */
  const liveIds = new Set<string>();
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

  const run = (
    name: string,
    data: Record<string, unknown>,
    attempt: number,
    firstTriedAt: number,
    id: string | undefined,
  ) => {
    const handler = handlers.get(name);
    if (!handler || stopped) {
      if (id) liveIds.delete(id);
      return;
    }
    const task = handler(data)
      .then(
        () => {
          if (id) liveIds.delete(id);
        },
        () => {
          const wait = delay(attempt);
          if (stopped || Date.now() + wait - firstTriedAt > retryFor) {
            if (id) liveIds.delete(id);
            return;
          }
          later(wait, () => run(name, data, attempt + 1, firstTriedAt, id));
        },
      )
      .finally(() => running.delete(task));
    running.add(task);
  };

  return {
    kind: 'in-process',
    define: (name, handler) => void handlers.set(name, handler),
    start: async () => {},
    enqueue: async (name, data, enqueueOptions = {}) => {
      const { id, delayMs } = enqueueOptions;
      if (id) {
        if (liveIds.has(id)) return;
        liveIds.add(id);
      }
      if (delayMs) {
        later(delayMs, () => run(name, data, 1, Date.now(), id));
        return;
      }
      // After the caller's transaction: a job never sees data that was rolled back.
      const start: Promise<void> = new Promise((resolve) =>
        setImmediate(() => {
          scheduled.delete(start);
          run(name, data, 1, Date.now(), id);
          resolve();
        }),
      );
      scheduled.add(start);
    },
    async drain() {
      // run() adds its task to `running` before `start` resolves, so the loop never sees a gap.
      while (scheduled.size || running.size) await Promise.allSettled([...scheduled, ...running]);
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
