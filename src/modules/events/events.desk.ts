/**
 * The event desk (staff, personal data, scoped and audited): finding registrations, check-in by
 * QR token or by hand — one conditional UPDATE (`checked_in_at is null`), so a registration is
 * checked in exactly once however many scanners race — walk-ins, cancelling a registration, and
 * attendance after the event. Check-in is for the event's days in Japan (eventDayPhase): a scan
 * weeks before is refused, and after the last day attendance is recorded only through its own
 * path (from a paper list, dated at the event, audited as such), never by a late check-in.
 */
import { and, type AnyColumn, asc, count, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, withTransaction } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { sha256 } from '../../platform/auth/auth.service.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { assertAllowed } from '../../platform/policy.js';
import { ownMunicipality } from '../../platform/scope.js';
import { assertPersonInScope } from '../people/index.js';
import { eventRegistrationScope } from './events.scope.js';
import { searchKey } from '../../shared/normalize.js';
import { recordSourcedEngagements } from '../engagement/index.js';
import { people, personTextMatches } from '../people/index.js';
import { queueRegistrationCancelledMail, queueTicketMail } from './events.jobs.js';
import {
  checkinEngagementKey,
  eventDayPhase,
  registrationMunicipalities,
  tokyoDay,
  toTokyoIso,
} from './events.rules.js';
import { boothSlots, eventBooths, eventRegistrations, events } from './events.tables.js';
import type {
  AttendanceView,
  CheckinRequestInput,
  CheckinResultView,
  EventRegistrationView,
  StaffRegistrationInput,
  StaffRegistrationResultView,
} from './events.schemas.js';
import {
  type EventMailDeps,
  type Tx,
  boothsOf,
  checkedInCounts,
  eventRow,
  loadNames,
  municipalityRef,
  organizationRef,
  presentEvent,
  slotOfEvent,
} from './events.common.js';
import { releasePlace, takePlace } from './events.places.js';
import { mayCancelRegistrations } from './events.policy.js';

// --- Staff: registrations, check-in, attendance (personal data, scoped, audited) -----------------

const registrationColumns = {
  r: eventRegistrations,
  personName: people.name,
  personKana: people.kana,
  slotStartsAt: boothSlots.startsAt,
  slotEndsAt: boothSlots.endsAt,
  boothId: eventBooths.id,
  boothName: eventBooths.name,
  boothNameEn: eventBooths.nameEn,
  boothMunicipality: eventBooths.municipalityCode,
  boothOrganization: eventBooths.organizationId,
};

type RegistrationRow = {
  r: typeof eventRegistrations.$inferSelect;
  personName: string;
  personKana: string | null;
  slotStartsAt: Date | null;
  slotEndsAt: Date | null;
  boothId: string | null;
  boothName: string | null;
  boothNameEn: string | null;
  boothMunicipality: string | null;
  boothOrganization: string | null;
};

/** Registrations of an event joined with person and slot, within the actor's scope. */
function scopedRegistrations(db: Db, ctx: StaffContext, eventId: string, extra: SQL[] = []) {
  return db
    .select(registrationColumns)
    .from(eventRegistrations)
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .leftJoin(boothSlots, eq(boothSlots.id, eventRegistrations.slotId))
    .leftJoin(eventBooths, eq(eventBooths.id, boothSlots.boothId))
    .where(
      and(
        eq(eventRegistrations.eventId, eventId),
        isNull(people.deletedAt),
        eventRegistrationScope(ctx.actor),
        ...extra,
      ),
    );
}

function presentRegistration(row: RegistrationRow): EventRegistrationView {
  const { r } = row;
  return {
    id: r.id,
    eventId: r.eventId,
    person: { id: r.personId, name: row.personName, kana: row.personKana },
    status: r.status as 'registered' | 'cancelled',
    source: r.source as 'public' | 'staff',
    municipalityCodes: r.municipalityCodes,
    slot:
      r.slotId && row.boothId && row.slotStartsAt && row.slotEndsAt
        ? {
            id: r.slotId,
            boothId: row.boothId,
            boothName: row.boothName ?? '',
            boothNameEn: row.boothNameEn,
            startsAt: toTokyoIso(row.slotStartsAt),
            endsAt: toTokyoIso(row.slotEndsAt),
          }
        : null,
    checkedInAt: r.checkedInAt ? toTokyoIso(r.checkedInAt) : null,
    checkinMethod: (r.checkinMethod as CheckinMethod | null) ?? null,
    cancelledAt: r.cancelledAt ? toTokyoIso(r.cancelledAt) : null,
    createdAt: toTokyoIso(r.createdAt),
  };
}

async function scopedRegistration(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  condition: SQL,
): Promise<RegistrationRow> {
  const [row] = await scopedRegistrations(db, ctx, eventId, [condition]).limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** The check-in desk's search: registrations in scope by name or kana (any width, katakana or hiragana). */
export async function findRegistrations(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  query: { q?: string; limit: number; offset: number },
) {
  await eventRow(db, eventId);
  const extra: SQL[] = [];
  const key = query.q ? searchKey(query.q) : '';
  if (key) extra.push(personTextMatches(key));
  const rows = await scopedRegistrations(db, ctx, eventId, extra)
    .orderBy(key ? asc(people.searchText) : asc(people.kana), asc(eventRegistrations.id))
    .limit(query.limit)
    .offset(query.offset);
  const [total] = await db
    .select({ n: count() })
    .from(eventRegistrations)
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .where(
      and(
        eq(eventRegistrations.eventId, eventId),
        isNull(people.deletedAt),
        eventRegistrationScope(ctx.actor),
        ...extra,
      ),
    );
  await recordAudit(db, ctx, {
    action: 'event_registration.search',
    entityType: 'event',
    entityId: eventId,
    details: { hasQuery: Boolean(key), results: rows.length, total: Number(total?.n ?? 0) },
  });
  return { items: rows.map(presentRegistration), total: Number(total?.n ?? 0) };
}

/**
 * Engagement records for an attendance, one per municipality the registration concerns
 * (idempotent by external key `event:<registration>:<code>`).
 */
async function recordAttendance(
  tx: Tx,
  input: { registrationId: string; personId: string; codes: string[]; day: string; staffId: string | null },
) {
  const recorded = await recordSourcedEngagements(
    tx,
    input.codes.map((code) => ({
      personId: input.personId,
      municipalityCode: code,
      kind: 'event' as const,
      occurredOn: input.day,
      source: 'event',
      sourceRef: input.registrationId,
      externalKey: checkinEngagementKey(input.registrationId, code),
      createdBy: input.staffId,
    })),
  );
  return recorded.length;
}

/** Refuses a check-in outside the event's days (Japan time), naming them in the details. */
function assertCheckinDay(e: { startsAt: Date; endsAt: Date }) {
  const phase = eventDayPhase(e, new Date());
  if (phase === 'during') return;
  throw new AppError('CONFLICT', {
    messageKey: phase === 'before' ? 'CHECKIN_BEFORE_EVENT' : 'CHECKIN_AFTER_EVENT',
    details: { firstDay: tokyoDay(e.startsAt), lastDay: tokyoDay(e.endsAt) },
  });
}

type CheckinMethod = 'qr' | 'desk' | 'walk_in' | 'after_event';

/**
 * Checks a registration in: exactly once (the conditional UPDATE), then records the attendance.
 * `at` is when they came: now at the desk; the event's start for attendance recorded afterwards.
 */
async function checkInRow(
  tx: Tx,
  ctx: StaffContext,
  row: RegistrationRow,
  method: CheckinMethod,
  at: Date | null = null,
  auditDetails: Record<string, unknown> = {},
) {
  const [done] = await tx
    .update(eventRegistrations)
    .set({ checkedInAt: at ?? sql`now()`, checkedInBy: ctx.actor.staffId, checkinMethod: method })
    .where(
      and(
        eq(eventRegistrations.id, row.r.id),
        isNull(eventRegistrations.checkedInAt),
        eq(eventRegistrations.status, 'registered'),
      ),
    )
    .returning();
  if (!done) return null;
  const [e] = await tx.select({ host: events.hostMunicipalityCode }).from(events).where(eq(events.id, row.r.eventId));
  const codes = registrationMunicipalities({
    chosen: done.municipalityCodes,
    boothMunicipality: row.boothMunicipality,
    hostMunicipality: e?.host,
  });
  const recorded = await recordAttendance(tx, {
    registrationId: done.id,
    personId: done.personId,
    codes,
    day: tokyoDay(done.checkedInAt!),
    staffId: ctx.actor.staffId,
  });
  await recordAudit(tx, ctx, {
    action: method === 'after_event' ? 'event.attendance_after' : 'event.checkin',
    entityType: 'event_registration',
    entityId: done.id,
    personId: done.personId,
    details: { eventId: done.eventId, method, engagements: recorded, municipalities: codes, ...auditDetails },
  });
  return done;
}

export async function checkIn(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  body: CheckinRequestInput,
): Promise<{ status: 200 | 201; result: CheckinResultView }> {
  const e = await eventRow(db, eventId);
  const condition = body.registrationId
    ? eq(eventRegistrations.id, body.registrationId)
    : eq(eventRegistrations.qrTokenHash, sha256(body.qrToken!));
  const row = await scopedRegistration(db, ctx, eventId, condition);
  if (row.r.status === 'cancelled') throw new AppError('REGISTRATION_CANCELLED');
  assertCheckinDay(e);
  const done = await inTransaction(db, (tx) => checkInRow(tx, ctx, row, body.qrToken ? 'qr' : 'desk'));
  const fresh = await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, row.r.id));
  // Cancelled between the read and the UPDATE (the UPDATE only matches held places).
  if (fresh.r.status === 'cancelled') throw new AppError('REGISTRATION_CANCELLED');
  const view = presentRegistration(fresh);
  return {
    status: done ? 201 : 200,
    result: { alreadyCheckedIn: !done, checkedInAt: view.checkedInAt!, registration: view },
  };
}

/**
 * Staff register a known person (a walk-in at the door, or by phone), optionally checking them in
 * at once. Municipality staff register people in their scope, for their own municipality. A new
 * registration (or one taken up again) of a person with an email address gets the ticket mail,
 * through the same job as a public registration; answering with an existing one sends nothing.
 */
export async function registerByStaff(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  input: StaffRegistrationInput,
  mail: EventMailDeps,
): Promise<{ status: 200 | 201; result: StaffRegistrationResultView }> {
  const person = await assertPersonInScope(db, ctx.actor, input.personId);
  const e = await eventRow(db, eventId);
  if (e.status === 'cancelled') throw new AppError('EVENT_CLOSED');
  if (input.checkIn) assertCheckinDay(e);
  const slot = input.slotId ? await slotOfEvent(db, eventId, input.slotId) : null;
  if (input.slotId && !slot) throw fieldError('slotId', 'unknown_slot');
  const own = ownMunicipality(ctx.actor);
  const codes = own ? [own] : [];
  const place = await withTransaction(db, async (uow) => {
    const { tx } = uow;
    const taken = await takePlace(tx, {
      eventId,
      personId: input.personId,
      slotId: slot?.id ?? null,
      municipalityCodes: codes,
      source: 'staff',
      locale: input.locale,
    });
    if (taken.created) {
      await recordAudit(tx, ctx, {
        action: 'event_registration.create',
        entityType: 'event_registration',
        entityId: taken.id,
        personId: input.personId,
        details: {
          eventId,
          source: 'staff',
          slot: Boolean(slot),
          checkIn: input.checkIn,
          ticketMail: Boolean(person.email),
        },
      });
    }
    if (input.checkIn) {
      const [row] = await scopedRegistrations(tx, ctx, eventId, [eq(eventRegistrations.id, taken.id)]).limit(1);
      if (row) await checkInRow(tx, ctx, row, taken.created ? 'walk_in' : 'desk');
    }
    if (taken.created && person.email) {
      queueTicketMail(uow, mail.jobs, {
        registrationId: taken.id,
        locale: input.locale,
        resent: false,
        publicUrl: mail.publicUrl,
      });
    }
    return taken;
  });
  const fresh = await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, place.id));
  return {
    status: place.created ? 201 : 200,
    result: { alreadyRegistered: !place.created, registration: presentRegistration(fresh) },
  };
}

/**
 * Staff cancel a registration (a call to the center, a no-show known in advance): the center and
 * prefecture any, municipality staff those in their scope. Partners check people in at their booth
 * but do not cancel: for them every registration is out of reach (404). Idempotent as cancelTicket,
 * and, as there, the registrant gets the cancellation mail once.
 */
export async function cancelRegistration(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  registrationId: string,
  mail: EventMailDeps,
): Promise<EventRegistrationView> {
  assertAllowed(mayCancelRegistrations(ctx.actor), { personalData: true });
  await eventRow(db, eventId);
  const row = await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, registrationId));
  await withTransaction(db, async (uow) => {
    const done = await releasePlace(uow.tx, row.r.id);
    if (!done) return;
    await recordAudit(uow.tx, ctx, {
      action: 'event_registration.cancel',
      entityType: 'event_registration',
      entityId: done.id,
      personId: done.personId,
      details: { eventId, by: 'staff', slot: done.slotId !== null },
    });
    // The registrant is told, as after their own cancellation: their ticket stops working, and a
    // cancellation they did not ask for (the wrong row at the desk) comes to light before the day.
    queueRegistrationCancelledMail(uow, mail.jobs, {
      registrationId: row.r.id,
      by: 'staff',
      publicUrl: mail.publicUrl,
    });
  });
  return presentRegistration(await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, row.r.id)));
}

/**
 * Attendance recorded after the event, from a paper list: an explicit path, not a late check-in.
 * Only once the event's last day (Japan time) has passed; each registration (in scope, not
 * cancelled) is marked as come at the event's start, method `after_event`, its engagement records
 * dated on the event's first day, and audited as `event.attendance_after` with the day it was
 * recorded. Registrations already checked in are left as they are. All or nothing: an id that is
 * not a registration of this event within scope answers 404 and nothing is written.
 */
export async function recordAttendanceAfterEvent(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  input: { registrationIds: string[] },
): Promise<{ recorded: string[]; alreadyCheckedIn: string[] }> {
  const e = await eventRow(db, eventId);
  if (eventDayPhase(e, new Date()) !== 'after') {
    throw new AppError('CONFLICT', {
      messageKey: 'ATTENDANCE_NOT_AFTER_EVENT',
      details: { firstDay: tokyoDay(e.startsAt), lastDay: tokyoDay(e.endsAt) },
    });
  }
  const ids = [...new Set(input.registrationIds)];
  return inTransaction(db, async (tx) => {
    const rows = await scopedRegistrations(tx, ctx, eventId, [inArray(eventRegistrations.id, ids)]);
    if (rows.length !== ids.length) throw new AppError('NOT_FOUND');
    if (rows.some((row) => row.r.status === 'cancelled')) throw new AppError('REGISTRATION_CANCELLED');
    const recorded: string[] = [];
    const alreadyCheckedIn: string[] = [];
    for (const row of rows) {
      const done = await checkInRow(tx, ctx, row, 'after_event', e.startsAt, {
        recordedOn: tokyoDay(new Date()),
        from: 'paper_list',
      });
      (done ? recorded : alreadyCheckedIn).push(row.r.id);
    }
    return { recorded, alreadyCheckedIn };
  });
}

/**
 * Whether a person has been followed up since a day (for the attendance list), as SQL on the
 * registration's person id. The consultations module answers it (a consultation recorded on or
 * after the day); app.ts hands it in, because consultations depend on events, not the reverse.
 */
export type FollowUpSince = (personId: SQL | AnyColumn, day: string) => SQL<boolean>;

/**
 * After the event: who registered, who came and when, who booked which booth, and who came but
 * has no follow-up yet (no consultation recorded on or after the event's day). Within scope.
 */
export async function eventAttendance(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  followUpSince: FollowUpSince,
): Promise<AttendanceView> {
  const e = await eventRow(db, eventId);
  const eventDay = tokyoDay(e.startsAt);
  const followUp = followUpSince(eventRegistrations.personId, eventDay);
  const rows = await db
    .select({ ...registrationColumns, hasFollowUp: followUp })
    .from(eventRegistrations)
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .leftJoin(boothSlots, eq(boothSlots.id, eventRegistrations.slotId))
    .leftJoin(eventBooths, eq(eventBooths.id, boothSlots.boothId))
    .where(and(eq(eventRegistrations.eventId, eventId), isNull(people.deletedAt), eventRegistrationScope(ctx.actor)))
    .orderBy(asc(people.kana), asc(eventRegistrations.id));
  const items = rows.map((row) => ({ ...presentRegistration(row), hasFollowUp: Boolean(row.hasFollowUp) }));
  const held = items.filter((i) => i.status === 'registered');
  const came = held.filter((i) => i.checkedInAt !== null);
  const withoutFollowUp = came.filter((i) => !i.hasFollowUp);
  const { booths } = await boothsOf(db, eventId);
  const names = await loadNames(
    db,
    [e.hostMunicipalityCode, ...booths.map((b) => b.municipalityCode)],
    booths.map((b) => b.organizationId),
  );
  const checked = await checkedInCounts(db, [eventId]);
  await recordAudit(db, ctx, {
    action: 'event.attendance',
    entityType: 'event',
    entityId: eventId,
    details: { registrations: items.length, checkedIn: came.length },
  });
  return {
    event: presentEvent(e, checked.get(eventId) ?? 0, names),
    totals: {
      registered: held.length,
      checkedIn: came.length,
      notCheckedIn: held.length - came.length,
      walkIns: held.filter((i) => i.checkinMethod === 'walk_in').length,
      slotBookings: held.filter((i) => i.slot !== null).length,
      checkedInWithoutFollowUp: withoutFollowUp.length,
    },
    booths: booths.map((b) => {
      const at = held.filter((i) => i.slot?.boothId === b.id);
      return {
        id: b.id,
        name: b.name,
        municipality: municipalityRef(names, b.municipalityCode),
        organization: organizationRef(names, b.organizationId),
        booked: at.length,
        checkedIn: at.filter((i) => i.checkedInAt !== null).length,
      };
    }),
    items,
    withoutFollowUp,
  };
}
