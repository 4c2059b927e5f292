/**
 * The events module's background work, as job declarations (name + payload schema, platform/jobs.ts). The public registration only
 * enqueues a ticket-mail job (one row in pg-boss, or an in-process run), so signing the ticket
 * token, drawing the QR PNG and writing the .ics — ~15 ms of CPU — stay out of the request.
 *
 * Payloads carry ids, flags and the public address only: pg-boss keeps jobs in its own tables,
 * which the erasure of a person does not reach, so no name or address goes into them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import { defineJob, type JobQueue } from '../../platform/jobs.js';

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
export const SendTicketMail = defineJob({ name: 'events.ticket-mail', payload: TicketMailJob });

/** Enqueues the ticket mail of a registration once the registration's unit of work has committed. */
export function queueTicketMail(uow: UnitOfWork, jobs: JobQueue, job: Omit<TicketMailJobData, 'mailId'>): void {
  uow.enqueue(jobs, SendTicketMail, { ...job, mailId: randomUUID() });
}

export const RegistrationCancelledMailJob = z.object({
  registrationId: z.uuid(),
  /** Chosen at enqueue time, as TicketMailJob's: a retry after the mail was queued queues nothing new. */
  mailId: z.uuid(),
  /** Who cancelled: the registrant on the ticket page, or staff (the mail then says the center did). */
  by: z.enum(['registrant', 'staff']),
  /** Base of the link back to the event, to register again. */
  publicUrl: z.string(),
});
export type RegistrationCancelledMailJobData = z.infer<typeof RegistrationCancelledMailJob>;
export const SendRegistrationCancelledMail = defineJob({
  name: 'events.registration-cancelled-mail',
  payload: RegistrationCancelledMailJob,
});

/**
 * Enqueues the confirmation that one registration was cancelled, once the cancelling unit of work
 * has committed; call only when it freed the place (a second cancel mails nothing).
 */
export function queueRegistrationCancelledMail(
  uow: UnitOfWork,
  jobs: JobQueue,
  job: Omit<RegistrationCancelledMailJobData, 'mailId'>,
): void {
  uow.enqueue(jobs, SendRegistrationCancelledMail, { ...job, mailId: randomUUID() });
}

export const CancellationMailJob = z.object({
  eventId: z.uuid(),
  /** One per cancellation of the event (it may be published and cancelled again): the mail ids derive from it. */
  cancellationId: z.uuid(),
  /** Base of the link to the other events in the mail. */
  publicUrl: z.string(),
});
export type CancellationMailJobData = z.infer<typeof CancellationMailJob>;
export const SendCancellationMails = defineJob({ name: 'events.cancellation-mail', payload: CancellationMailJob });

/** Enqueues the cancellation mails of an event once the cancelling unit of work has committed. */
export function queueCancellationMails(
  uow: UnitOfWork,
  jobs: JobQueue,
  job: Omit<CancellationMailJobData, 'cancellationId'>,
): void {
  uow.enqueue(jobs, SendCancellationMails, { ...job, cancellationId: randomUUID() });
}

/**
 * The outbound_mail id of one registrant's cancellation mail: a name-based UUID (version 5 layout)
 * of the cancellation and the registration, so a retry of the job after some mails were queued
 * queues only the rest.
 */
export function cancellationMailId(cancellationId: string, registrationId: string): string {
  const h = createHash('sha256').update(`event-cancellation:${cancellationId}:${registrationId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
