/**
 * Admins' view of background jobs whose retries are spent, on either queue kind, and the way to run
 * one again. A job's payload holds ids and codes only (jobs.ts), so the list shows no personal data
 * and reading it is not audited; running a job again is.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAudit } from './audit/audit.service.js';
import { staffContext } from './request-context.js';
import type { StaffContext } from './request-context.js';
import type { Db } from './db/client.js';
import { AppError } from './errors.js';
import type { FailedJob, JobQueue } from './jobs.js';
import { ErrorResponse, IdParams, Pagination } from './validation.js';
import { JOB_ADMINS } from './jobs.policy.js';

export const FailedJobSummary = z.object({
  id: z.uuid(),
  name: z.string().describe('The job, e.g. events.ticket-mail'),
  payload: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .describe('Ids, flags and short codes of the payload; any other value shows as [redacted]'),
  attempts: z.number().int(),
  lastError: z.string().nullable().describe('The last error as the log keeps it: no statement values, no addresses'),
  failedAt: z.string(),
});

const present = (job: FailedJob) => ({ ...job, failedAt: job.failedAt.toISOString() });

/** Runs a failed job once more and records who did. NOT_FOUND when no failed job has that id. */
export async function retryFailedJob(db: Db, jobs: JobQueue, ctx: StaffContext, id: string) {
  const job = await jobs.retry(id);
  if (!job) throw new AppError('NOT_FOUND');
  await recordAudit(db, ctx, {
    action: 'job.retry',
    entityType: 'job',
    entityId: job.id,
    details: { name: job.name, attempts: job.attempts, queue: jobs.kind },
  });
  return { job: present(job) };
}

export async function jobRoutes(appBase: FastifyInstance, { db, jobs }: { db: Db; jobs: JobQueue }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/admin/jobs',
    {
      config: { roles: JOB_ADMINS },
      schema: {
        tags: ['jobs'],
        summary:
          'Background jobs whose retries are spent, last failed first (admin). Embedded: kept in memory, lost on restart; PostgreSQL: kept by pg-boss for a week',
        querystring: z
          .object({ state: z.enum(['failed']).describe('Only failed jobs are listed'), ...Pagination })
          .strict(),
        response: {
          200: z.object({ items: z.array(FailedJobSummary), total: z.number().int() }),
          400: ErrorResponse,
        },
      },
    },
    async (request) => {
      const page = await jobs.findFailed(request.query);
      return { items: page.items.map(present), total: page.total };
    },
  );

  app.post(
    '/admin/jobs/:id/retry',
    {
      config: { roles: JOB_ADMINS },
      schema: {
        tags: ['jobs'],
        summary: 'Runs a failed job once more (admin; audited). Answers with the job as it failed',
        params: IdParams,
        response: { 200: z.object({ job: FailedJobSummary }), 404: ErrorResponse },
      },
    },
    (request) => retryFailedJob(db, jobs, staffContext(request), request.params.id),
  );
}
