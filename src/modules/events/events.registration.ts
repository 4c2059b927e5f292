/**
 * The public side of events: registering on a phone (with consents, as the registry sign-up), the
 * ticket page behind the mailed token, its calendar file, and cancelling from it.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { withTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { sha256 } from '../../platform/auth/auth.service.js';
import { AppError, fieldError, type FieldProblem } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import type { EventStatus } from '../../shared/domain.js';
import { consents, people } from '../people/index.js';
import { addPersonLinks } from '../people/index.js';
import { resolveOrCreatePerson } from '../people/index.js';
import { consentRows } from '../people/index.js';
import { checkFormToken, spendFormToken } from '../../platform/forms/form-token.js';
import { queueRegistrationCancelledMail, queueTicketMail } from './events.jobs.js';
import { ticketCalendar, ticketQrSvg } from './events.mail.js';
import { toTokyoIso } from './events.rules.js';
import { eventRegistrations, events } from './events.tables.js';
import type { PublicEventRegistrationInput, PublicRegistrationResultView, TicketView } from './events.schemas.js';
import { type EventMailDeps, type Tx, loadNames, presentPublicEvent, slotOfEvent, slotRef } from './events.common.js';
import { releasePlace, takePlace } from './events.places.js';
import type { PublicContext } from '../../platform/request-context.js';

/** The latest consent decision per purpose and municipality of a person (key `purpose:code`). */
async function consentsInForce(tx: Tx, personId: string): Promise<Map<string, boolean>> {
  const rows = await tx
    .select()
    .from(consents)
    .where(eq(consents.personId, personId))
    .orderBy(desc(consents.recordedAt), desc(consents.id));
  const map = new Map<string, boolean>();
  for (const c of rows) {
    const key = `${c.purpose}:${c.municipalityCode ?? ''}`;
    if (!map.has(key)) map.set(key, c.granted);
  }
  return map;
}

/** What the public registration works with besides the request: database, mail jobs, the form's minimum fill time. */
export type PublicRegistrationDeps = EventMailDeps & { db: Db; minFillMs: number };

/**
 * Registering again resends the ticket at most once in this time: the form is open to anyone, and
 * typing someone's address into it again and again must not flood their mailbox.
 */
export const TICKET_RESEND_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The public registration (on a phone, no login). Spam protection as the registry's sign-up
 * (honeypot, minimum fill time with a signed form token that an accepted registration spends,
 * per-address rate limit on the route).
 * The same normalized email is the same person: a known person's data is never overwritten —
 * only empty fields are filled, and only consents they have not decided yet are recorded — and a
 * new one is created otherwise. `interest` links go to the chosen municipalities only where
 * sharing with them is granted. Re-registering answers with the existing registration, takes its
 * language and mails the ticket again (in it) unless it was mailed less than
 * TICKET_RESEND_INTERVAL_MS ago; it never takes a second seat.
 */
export async function registerForEvent(
  deps: PublicRegistrationDeps,
  ctx: PublicContext,
  eventId: string,
  input: PublicEventRegistrationInput,
): Promise<{ result: PublicRegistrationResultView; created: boolean }> {
  const { db } = deps;
  if (input.website) {
    await recordAudit(db, ctx, {
      action: 'event_registration.refused',
      entityType: 'event',
      entityId: eventId,
      details: { reason: 'honeypot' },
    });
    return { result: { status: 'registered', alreadyRegistered: false, eventId, slot: null }, created: true };
  }
  await checkFormToken(db, input.formToken, deps.minFillMs);
  const codes = [...new Set(input.municipalityCodes)];
  const names = await loadNames(db, codes, []);
  const fields: Record<string, FieldProblem> = {};
  input.municipalityCodes.forEach((c, i) => {
    if (!names.municipalities.has(c))
      fields[`municipalityCodes.${i}`] = { problem: 'unknown_municipality', params: { value: c } };
  });
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });

  const outcome = await withTransaction(db, async (uow) => {
    const { tx } = uow;
    // Spent only if the registration commits: a full event or a closed one leaves the form usable.
    await spendFormToken(tx, input.formToken);
    const [e] = await tx.select().from(events).where(eq(events.id, eventId));
    if (!e || e.status === 'draft') throw new AppError('NOT_FOUND');
    if (e.status !== 'published' || e.endsAt.getTime() <= Date.now()) throw new AppError('EVENT_CLOSED');
    const slot = input.slotId ? await slotOfEvent(tx, eventId, input.slotId) : null;
    if (input.slotId && !slot) throw fieldError('slotId', 'unknown_slot');

    // One person per address: simultaneous sign-ups of one address make one person, a known
    // person's fields are only filled where empty (people module's intake rule).
    const intake = await resolveOrCreatePerson(
      tx,
      ctx,
      {
        name: input.name,
        kana: input.kana,
        email: input.email,
        phone: input.phone ?? null,
        prefecture: input.prefecture,
        city: input.city,
      },
      { source: 'event_registration', eventId },
    );
    const { personId } = intake;
    const isNewPerson = intake.created;

    const place = await takePlace(tx, {
      eventId,
      personId,
      slotId: slot?.id ?? null,
      municipalityCodes: codes,
      source: 'public',
      locale: input.locale,
    });
    // Registered already: the language of this sign-up becomes the registration's, so later mails
    // (the event called off, a cancellation) follow the latest choice, as the resent ticket does.
    // Only here: a staff re-registration keeps it (its locale is a default, not the registrant's choice).
    if (!place.created)
      await tx.update(eventRegistrations).set({ locale: input.locale }).where(eq(eventRegistrations.id, place.id));
    if (place.created) {
      // Consents: all of them for a new person; for a known one only what they have not decided yet.
      const decided = isNewPerson ? new Map<string, boolean>() : await consentsInForce(tx, personId);
      const rows = consentRows(personId, input.consents, codes, 'event_registration').filter(
        (r) => !decided.has(`${r.purpose}:${r.municipalityCode ?? ''}`),
      );
      if (rows.length) await tx.insert(consents).values(rows);
      // Shared only where sharing is granted: asked for now, and not refused before by a known person.
      const sharing = input.consents.shareWithMunicipalities
        ? codes.filter((c) => decided.get(`share_with_municipalities:${c}`) !== false)
        : [];
      await addPersonLinks(tx, personId, sharing, 'interest');
      await recordAudit(tx, ctx, {
        action: 'event_registration.create',
        entityType: 'event_registration',
        entityId: place.id,
        personId,
        details: {
          eventId,
          source: 'public',
          slot: Boolean(slot),
          municipalities: codes,
          interestLinks: sharing,
          consentsRecorded: rows.length,
        },
      });
    }
    const [reg] = await tx
      .select({ slotId: eventRegistrations.slotId })
      .from(eventRegistrations)
      .where(eq(eventRegistrations.id, place.id));
    const heldSlot = reg?.slotId ? (reg.slotId === slot?.id ? slot : await slotOfEvent(tx, eventId, reg.slotId)) : null;
    // A new place always gets its ticket; registering again resends it once per interval at most
    // (the time is the database's, the same for every app process).
    const recentlyMailed = sql`${eventRegistrations.ticketMailedAt} > now() - make_interval(secs => ${TICKET_RESEND_INTERVAL_MS / 1000})`;
    const mailed = await tx
      .update(eventRegistrations)
      .set({ ticketMailedAt: sql`now()` })
      .where(
        and(
          eq(eventRegistrations.id, place.id),
          place.created ? undefined : sql`not coalesce(${recentlyMailed}, false)`,
        ),
      )
      .returning({ id: eventRegistrations.id });
    // Sent again on re-registration (in the language of this request).
    if (mailed.length > 0)
      queueTicketMail(uow, deps.jobs, {
        registrationId: place.id,
        locale: input.locale,
        resent: !place.created,
        publicUrl: deps.publicUrl,
      });
    return { created: place.created, slot: heldSlot };
  });
  return {
    result: { status: 'registered', alreadyRegistered: !outcome.created, eventId, slot: slotRef(outcome.slot) },
    created: outcome.created,
  };
}

/** The registration behind a ticket token (its person not erased), or LINK_INVALID. */
async function ticketRow(db: Db, token: string) {
  const [row] = await db
    .select({ r: eventRegistrations, e: events, name: people.name })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .where(and(eq(eventRegistrations.qrTokenHash, sha256(token)), isNull(people.deletedAt)));
  if (!row) throw new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' });
  return row;
}

/**
 * What the ticket page shows for a token: the event, the registration's state and the registrant's
 * full name, greeted as the ticket mail greets them (the link is as secret as the mail it came in).
 */
export async function getTicket(db: Db, token: string): Promise<TicketView> {
  const row = await ticketRow(db, token);
  const { r, e } = row;
  const slot = r.slotId ? await slotOfEvent(db, e.id, r.slotId) : null;
  const names = await loadNames(db, [e.hostMunicipalityCode], []);
  return {
    event: { ...presentPublicEvent(e, names), onlineUrl: e.onlineUrl, status: e.status as EventStatus },
    registration: {
      name: row.name,
      status: r.status as 'registered' | 'cancelled',
      cancelledAt: r.cancelledAt ? toTokyoIso(r.cancelledAt) : null,
      checkedIn: r.checkedInAt !== null,
      checkedInAt: r.checkedInAt ? toTokyoIso(r.checkedInAt) : null,
      slot: slotRef(slot),
    },
    qrSvg: await ticketQrSvg(token),
  };
}

/**
 * The ticket's calendar entry (.ics) for "add to calendar" on the ticket page: the same file the
 * confirmation mail attaches, with the slot written in `locale`.
 */
export async function getTicketCalendar(db: Db, token: string, publicUrl: string, locale: Locale): Promise<string> {
  const { r, e } = await ticketRow(db, token);
  const slot = r.slotId ? await slotOfEvent(db, e.id, r.slotId) : null;
  return ticketCalendar({ locale, registrationId: r.id, event: e, slot, ticketUrl: `${publicUrl}/tickets/${token}` });
}

/**
 * The registrant cancels from the ticket page (the token is the credential, as for viewing it):
 * the place and slot are freed at once. Idempotent: a second cancellation answers the same ticket
 * and frees nothing — and mails nothing: the confirmation mail (a job, after commit) goes only
 * with the cancellation that freed the place. A checked-in ticket cannot be cancelled.
 */
export async function cancelTicket(
  db: Db,
  mail: EventMailDeps,
  ctx: PublicContext,
  token: string,
): Promise<TicketView> {
  const { r } = await ticketRow(db, token);
  await withTransaction(db, async (uow) => {
    const done = await releasePlace(uow.tx, r.id);
    if (!done) return;
    await recordAudit(uow.tx, ctx, {
      action: 'event_registration.cancel',
      entityType: 'event_registration',
      entityId: done.id,
      personId: done.personId,
      details: { eventId: done.eventId, by: 'registrant', slot: done.slotId !== null },
    });
    queueRegistrationCancelledMail(uow, mail.jobs, {
      registrationId: r.id,
      by: 'registrant',
      publicUrl: mail.publicUrl,
    });
  });
  return getTicket(db, token);
}
