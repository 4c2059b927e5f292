/**
 * Jobs whose retries are spent are visible to prefecture admins and may be run once more, on the
 * in-process queue (PGlite) and on pg-boss (PostgreSQL): GET /api/admin/jobs?state=failed and
 * POST /api/admin/jobs/:id/retry (audited). Every failure is logged with job name, id and attempt.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/platform/db/client.js';
import { createPgBossQueue, defineJob } from '../../src/platform/jobs.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, TEST_DATABASE_URL, TEST_DRIVERS } from '../helpers/db.js';

type LogLine = { level: number; msg: string; job?: string; jobId?: string; attempt?: number };
type FailedJobBody = {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  failedAt: string;
};

const FlakyJob = defineJob({
  name: 'test.flaky',
  payload: z.object({ personId: z.uuid(), note: z.string() }),
  retries: 1,
});
const StrictJob = defineJob({ name: 'test.strict', payload: z.object({ personId: z.uuid() }) });
/** What an older release enqueued under the same name: a payload the worker no longer accepts. */
const OlderStrictJob = defineJob({ name: 'test.strict', payload: z.object({ personId: z.string() }) });

const until = async <T>(probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.each(TEST_DRIVERS)('failed jobs for admins on %s', (driver) => {
  let t: TestApp;
  let municipalityStaff: Session;
  const lines: LogLine[] = [];
  let failing = true;
  const flakyAttempts: number[] = [];
  let strictRuns = 0;

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    t = await createTestApp(driver, {
      logger,
      defineJobs: (jobs) => {
        jobs.define(FlakyJob, async (_data, run) => {
          flakyAttempts.push(run.attempt);
          if (failing) throw new Error('partner system refused someone@example.jp');
        });
        jobs.define(StrictJob, async () => {
          strictRuns += 1;
        });
      },
    });
    municipalityStaff = await t.staffSession('municipality_staff', '062014');
  });
  afterAll(async () => {
    await t?.close();
  });

  const failedJobs = async (session: Session = t.admin) => {
    const res = await session.request({ method: 'GET', url: '/api/admin/jobs?state=failed&limit=100' });
    expect(res.statusCode).toBe(200);
    return res.json() as { items: FailedJobBody[]; total: number };
  };
  const failedJob = (id: string) => until(async () => (await failedJobs()).items.find((j) => j.id === id));

  it('logs each failure with name, id and attempt, lists the job once its retries are spent, and runs it again on retry (audited)', async () => {
    const id = randomUUID();
    const personId = randomUUID();
    await t.app.jobs.enqueue(FlakyJob, { personId, note: 'free text 山形' }, { id });
    const job = await failedJob(id);
    expect(job).toMatchObject({
      id,
      name: 'test.flaky',
      attempts: 2,
      payload: { personId, note: '[redacted]' },
      lastError: 'partner system refused [redacted]',
    });
    expect(Number.isNaN(Date.parse(job.failedAt))).toBe(false);
    expect(flakyAttempts).toEqual([1, 2]);
    expect(lines.filter((l) => l.jobId === id).map((l) => [l.level, l.job, l.attempt])).toEqual([
      [40, 'test.flaky', 1],
      [50, 'test.flaky', 2],
    ]);
    expect(JSON.stringify(lines)).not.toContain('someone@example.jp');

    failing = false;
    const retried = await t.admin.request({ method: 'POST', url: `/api/admin/jobs/${id}/retry` });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ job: { id, name: 'test.flaky', attempts: 2 } });
    await until(async () => (flakyAttempts.length === 3 ? true : undefined));
    expect(flakyAttempts).toEqual([1, 2, 3]);
    await until(async () => ((await failedJobs()).items.some((j) => j.id === id) ? undefined : true));

    const audit = await t.admin.request({ method: 'GET', url: '/api/audit?action=job.retry' });
    expect(audit.json().items).toMatchObject([
      { action: 'job.retry', entityType: 'job', entityId: id, details: { name: 'test.flaky', attempts: 2 } },
    ]);
    // Not failed (any more): nothing to run again.
    const again = await t.admin.request({ method: 'POST', url: `/api/admin/jobs/${id}/retry` });
    expect(again.statusCode).toBe(404);
  });

  it('fails a job whose payload does not match its schema at once, without retry, and logs it', async () => {
    const id = randomUUID();
    await t.app.jobs.enqueue(OlderStrictJob, { personId: 'P-17' }, { id });
    const job = await failedJob(id);
    expect(job).toMatchObject({ id, name: 'test.strict', attempts: 1, payload: { personId: '[redacted]' } });
    expect(job.lastError).toContain('does not match');
    expect(strictRuns).toBe(0);
    const logged = lines.filter((l) => l.jobId === id);
    expect(logged.map((l) => [l.level, l.job, l.attempt])).toEqual([[50, 'test.strict', 1]]);
    expect(logged[0]!.msg).toContain('not retried');
  });

  it('answers the list and the retry to prefecture admins only', async () => {
    const list = await municipalityStaff.request({ method: 'GET', url: '/api/admin/jobs?state=failed' });
    expect(list.statusCode).toBe(403);
    const retry = await municipalityStaff.request({ method: 'POST', url: `/api/admin/jobs/${randomUUID()}/retry` });
    expect(retry.statusCode).toBe(403);
    const unknown = await t.admin.request({ method: 'POST', url: `/api/admin/jobs/${randomUUID()}/retry` });
    expect(unknown.statusCode).toBe(404);
    const noState = await t.admin.request({ method: 'GET', url: '/api/admin/jobs' });
    expect(noState.statusCode).toBe(400);
  });
});

describe.runIf(TEST_DATABASE_URL)('connection errors on postgres', () => {
  it('logs an idle connection lost by the app’s pool and by pg-boss instead of dropping it', async () => {
    const database = await createTestDatabase('postgres');
    const lines: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    const url = new URL(database.url!);
    url.searchParams.set('application_name', 'kankei-pool-probe');
    const probed = await openDatabase({ driver: 'postgres', url: url.toString(), poolSize: 1, logger });
    const jobs = createPgBossQueue(database.url!, { pollingIntervalSeconds: 0.5, logger });
    try {
      await probed.db.execute(sql`select 1`);
      await jobs.start();
      // A database restart, as the pools see it: their idle connections are cut from the server side.
      // Cut again while waiting: a connection caught in the middle of a query (pg-boss polls) fails
      // that query instead of going idle-and-lost, which is not what this test is about.
      const cut = () =>
        database.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity
               where datname = current_database() and application_name in ('kankei-pool-probe', 'pgboss')`,
        );
      let cutAt = 0;
      await until(async () => {
        if (
          lines.some((l) => l.msg.includes('idle PostgreSQL connection')) &&
          lines.some((l) => l.msg.includes('pg-boss'))
        )
          return true;
        if (Date.now() - cutAt > 1000) {
          cutAt = Date.now();
          await cut();
        }
        return undefined;
      });
      expect(lines.find((l) => l.msg.includes('idle PostgreSQL connection'))).toMatchObject({ level: 50 });
      expect(lines.find((l) => l.msg.includes('pg-boss'))).toMatchObject({ level: 50 });
    } finally {
      await jobs.stop().catch(() => {});
      await probed.close();
      await database.destroy();
    }
  });
});
