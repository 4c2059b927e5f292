/**
 * Background jobs (mail, long work). On PostgreSQL: pg-boss, a queue kept in the database, so any
 * app process may send and any may work. Embedded (PGlite, one process): the same handlers run
 * in-process with the same retry policy; work that must survive a restart is also recorded in its
 * own table (e.g. outbound_mail) and re-queued on start.
 */
import PgBoss from 'pg-boss';
import { redactedError } from './logging.js';

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export type JobQueue = {
  readonly kind: 'pg-boss' | 'in-process';
  /** Registers the handler of a job name; call before start(). */
  define(name: string, handler: JobHandler): void;
  start(): Promise<void>;
  enqueue(name: string, data: Record<string, unknown>): Promise<void>;
  /** Resolves when no in-process job is running or waiting (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
};

const RETRY_LIMIT = 5;
const RETRY_DELAY_SECONDS = 30;

export function createPgBossQueue(connectionString: string, options: { pollingIntervalSeconds?: number } = {}): JobQueue {
  const boss = new PgBoss({ connectionString, schema: 'pgboss', max: 4 });
  boss.on('error', () => {});
  const handlers = new Map<string, JobHandler>();
  let started = false;
  return {
    kind: 'pg-boss',
    define: (name, handler) => void handlers.set(name, handler),
    async start() {
      await boss.start();
      started = true;
      for (const [name, handler] of handlers) {
        await boss.createQueue(name, { name, retryLimit: RETRY_LIMIT, retryDelay: RETRY_DELAY_SECONDS, retryBackoff: true });
        await boss.work<Record<string, unknown>>(
          name,
          { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1 },
          async (jobs) => {
            for (const job of jobs) {
              try {
                await handler(job.data);
              } catch (err) {
                // pg-boss keeps the thrown error with the job: without the failed statement's values.
                throw redactedError(err);
              }
            }
          },
        );
      }
    },
    async enqueue(name, data) {
      await boss.send(name, data, { retryLimit: RETRY_LIMIT, retryDelay: RETRY_DELAY_SECONDS, retryBackoff: true });
    },
    drain: async () => {},
    async stop() {
      if (started) await boss.stop({ graceful: true, close: true, timeout: 10_000 });
      started = false;
    },
  };
}

export function createInProcessQueue(options: { retryDelayMs?: (attempt: number) => number } = {}): JobQueue {
  const handlers = new Map<string, JobHandler>();
  const running = new Set<Promise<void>>();
  /** Enqueued runs whose setImmediate has not fired yet: a job that enqueues another (ticket → mail) leaves one here as it finishes. */
  const scheduled = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const delay = options.retryDelayMs ?? ((attempt) => RETRY_DELAY_SECONDS * 1000 * 2 ** (attempt - 1));

  const run = (name: string, data: Record<string, unknown>, attempt: number) => {
    const handler = handlers.get(name);
    if (!handler || stopped) return;
    const task = handler(data)
      .catch(() => {
        if (attempt >= RETRY_LIMIT || stopped) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          run(name, data, attempt + 1);
        }, delay(attempt));
        timers.add(timer);
      })
      .finally(() => running.delete(task));
    running.add(task);
  };

  return {
    kind: 'in-process',
    define: (name, handler) => void handlers.set(name, handler),
    start: async () => {},
    enqueue: async (name, data) => {
      // After the caller's transaction: a job never sees data that was rolled back.
      const start: Promise<void> = new Promise((resolve) =>
        setImmediate(() => {
          scheduled.delete(start);
          run(name, data, 1);
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
