/**
 * The events module's background work, as job names and payloads. The public registration only
 * enqueues a ticket-mail job (one row in pg-boss, or an in-process run), so signing the ticket
 * token, drawing the QR PNG and writing the .ics — ~15 ms of CPU — stay out of the request.
 *
 * Payloads carry ids, flags and the public address only: pg-boss keeps jobs in its own tables,
 * which the erasure of a person does not reach, so no name or address goes into them.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { JobQueue } from '../../platform/jobs.js';

export const TICKET_MAIL_JOB = 'events.ticket-mail';
export const CANCELLATION_MAIL_JOB = 'events.cancellation-mail';

export const TicketMailJob = z.object({
  registrationId: z.uuid(),
  /**
   * The outbound_mail id this send will use, chosen when the job is enqueued: a retry of the job
   * after the mail was queued finds the row and queues nothing new, while a re-registration (a
   * new job, a new id) does send the ticket again.
   */
  mailId: z.uuid(),
  locale: z.enum(['ja', 'en']),
  /** The address was already registered and the ticket is sent again. */
  resent: z.boolean(),
  /** Base of the ticket link: the configured public address or the registering request's origin. */
  publicUrl: z.string(),
});
export type TicketMailJobData = z.infer<typeof TicketMailJob>;

/** Enqueues the ticket mail of a registration; call after the registration's transaction has committed. */
export function queueTicketMail(jobs: JobQueue, job: Omit<TicketMailJobData, 'mailId'>): Promise<void> {
  return jobs.enqueue(TICKET_MAIL_JOB, { ...job, mailId: randomUUID() });
}
