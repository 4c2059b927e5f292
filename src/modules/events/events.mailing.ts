/**
 * The events module's job handlers: the ticket mail of a registration, the confirmation of a
 * cancelled registration and the notices of an event called off, built from ids after the deciding transaction committed (events.jobs.ts).
 */
import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs.js';
import type { Mailer } from '../../platform/mail/mail.service.js';
import { people } from '../people/index.js';
import {
  cancellationMailId,
  SendCancellationMails,
  SendRegistrationCancelledMail,
  SendTicketMail,
  type CancellationMailJobData,
  type RegistrationCancelledMailJobData,
  type TicketMailJobData,
} from './events.jobs.js';
import { eventCancelledMail, registrationCancelledMail, ticketMail } from './events.mail.js';
import { eventRegistrations, events } from './events.tables.js';
import { slotOfEvent, ticketToken } from './events.common.js';

/** A registration with its event and the person on record (not erased) — what a registrant's mail is built from. */
async function registrationToMail(db: Db, registrationId: string) {
  const [row] = await db
    .select({ r: eventRegistrations, e: events, name: people.name, email: people.email })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .where(and(eq(eventRegistrations.id, registrationId), isNull(people.deletedAt)));
  return row;
}

/**
 * The ticket-mail job: the ticket mail (.ics + QR PNG) of a registration, to the address on
 * record, greeting the person on record. Nothing is sent when the registration was cancelled or
 * the person erased before the job ran. Idempotent across retries through the job's mailId (see
 * TicketMailJob).
 */
export async function sendTicketMail(db: Db, mailer: Mailer, job: TicketMailJobData): Promise<void> {
  const row = await registrationToMail(db, job.registrationId);
  if (row?.r.status !== 'registered' || row.e.status === 'cancelled' || !row.email) return;
  const { r, e } = row;
  const slot = r.slotId ? await slotOfEvent(db, e.id, r.slotId) : null;
  const token = await ticketToken(db, r.id);
  const mail = await ticketMail({
    locale: job.locale,
    name: row.name,
    registrationId: r.id,
    event: e,
    slot,
    ticketUrl: `${job.publicUrl}/tickets/${token}`,
    qrToken: token,
    resent: job.resent,
  });
  await mailer.queue(db, { id: job.mailId, kind: 'events.ticket', to: row.email, personId: r.personId, ...mail });
}

/**
 * The registration-cancelled job: tells the registrant their registration was cancelled, in the
 * language of the registration (its stored locale: the latest sign-up's). Nothing is sent when the
 * registration was taken up again before the job ran, or the person was erased or has no address.
 * Idempotent across retries through the job's mailId.
 */
export async function sendRegistrationCancelledMail(
  db: Db,
  mailer: Mailer,
  job: RegistrationCancelledMailJobData,
): Promise<void> {
  const row = await registrationToMail(db, job.registrationId);
  if (row?.r.status !== 'cancelled' || !row.email) return;
  const { r, e } = row;
  const mail = registrationCancelledMail({
    locale: r.locale === 'en' ? 'en' : 'ja',
    name: row.name,
    by: job.by,
    event: e,
    eventUrl: `${job.publicUrl}/events/${e.id}`,
  });
  await mailer.queue(db, {
    id: job.mailId,
    kind: 'events.registration_cancelled',
    to: row.email,
    personId: r.personId,
    ...mail,
  });
}

/**
 * The cancellation-mail job: every registrant still registered (person not erased, with an
 * address) gets the notice in the language they registered in. Nothing is sent when the event was
 * published again before the job ran. Each mail's id derives from the cancellation and the
 * registration, so a retry after a failure part-way queues only the mails not queued yet.
 */
export async function sendCancellationMails(db: Db, mailer: Mailer, job: CancellationMailJobData): Promise<number> {
  const [e] = await db.select().from(events).where(eq(events.id, job.eventId));
  if (e?.status !== 'cancelled') return 0;
  const rows = await db
    .select({
      id: eventRegistrations.id,
      personId: eventRegistrations.personId,
      locale: eventRegistrations.locale,
      name: people.name,
      email: people.email,
    })
    .from(eventRegistrations)
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .where(
      and(
        eq(eventRegistrations.eventId, e.id),
        eq(eventRegistrations.status, 'registered'),
        isNull(people.deletedAt),
        isNotNull(people.email),
      ),
    )
    .orderBy(asc(eventRegistrations.id));
  for (const r of rows) {
    const mail = eventCancelledMail({
      locale: r.locale === 'en' ? 'en' : 'ja',
      name: r.name,
      event: e,
      eventsUrl: `${job.publicUrl}/events`,
    });
    await mailer.queue(db, {
      id: cancellationMailId(job.cancellationId, r.id),
      kind: 'events.cancelled',
      to: r.email!,
      personId: r.personId,
      ...mail,
    });
  }
  return rows.length;
}

/** Registers the events module's job handlers; call before the queue starts. */
export function defineEventJobs(jobs: JobQueue, deps: { db: Db; mailer: Mailer }): void {
  jobs.define(SendTicketMail, (data) => sendTicketMail(deps.db, deps.mailer, data));
  jobs.define(SendRegistrationCancelledMail, (data) => sendRegistrationCancelledMail(deps.db, deps.mailer, data));
  jobs.define(SendCancellationMails, async (data) => void (await sendCancellationMails(deps.db, deps.mailer, data)));
}
