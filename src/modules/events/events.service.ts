/**
 * Events: the center's fairs, mini consultation days, seminars, online sessions, tours and trial
 * stays — their booths and bookable slots, the public registration (with consents, as the registry
 * sign-up), the ticket mail with calendar file and QR code, check-in at the door, and attendance.
 *
 * Capacity holds under concurrency without locks on whole tables: a registration increments
 * `events.registered_count` (and `booth_slots.booked_count`) with one conditional UPDATE inside its
 * transaction; when no row comes back the event (slot) is full and the transaction rolls back.
 * Check-in is one conditional UPDATE (`checked_in_at is null`), so a registration is checked in
 * exactly once however many scanners race.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { RequestContext } from '../../platform/auth/actor.js';
import { recordAudit, type AuditOrigin } from '../../platform/audit/audit.service.js';
import { sha256 } from '../../platform/auth/auth.service.js';
import { AppError, fieldError, type FieldProblem } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs.js';
import type { Mailer } from '../../platform/mail/mail.service.js';
import type { Locale } from '../../platform/i18n.js';
import { assertPersonInScope, eventRegistrationScope, seesAllPeople } from '../../platform/scope.js';
import { getSecret, hmac } from '../../platform/secrets.js';
import { queryGrams, searchKey, normalizeEmail } from '../../shared/normalize.js';
import type { EventKind, EventStatus } from '../../shared/domain.js';
import { recordSourcedEngagements } from '../engagement/engagement.service.js';
import { consultations } from '../consultations/consultations.tables.js';
import { municipalities, organizations } from '../places/places.tables.js';
import { people } from '../people/people.tables.js';
import { addPersonLinks, derivedColumns } from '../people/people.service.js';
import { checkFormToken, consentRows } from '../registry/registry.service.js';
import { consents } from '../registry/registry.tables.js';
import {
  CANCELLATION_MAIL_JOB,
  cancellationMailId,
  CancellationMailJob,
  queueCancellationMails,
  queueTicketMail,
  TICKET_MAIL_JOB,
  TicketMailJob,
  type CancellationMailJobData,
  type TicketMailJobData,
} from './events.jobs.js';
import { eventCancelledMail, ticketCalendar, ticketMail, ticketQrSvg } from './events.mail.js';
import {
  checkinEngagementKey,
  endOfTokyoDay,
  firstNameOf,
  parseOffsetDateTime,
  planBoothChanges,
  registrationMunicipalities,
  scheduleProblems,
  startOfTokyoDay,
  tokyoDay,
  toTokyoIso,
  type BoothPlanInput,
  type SlotPlanInput,
} from './events.rules.js';
import { boothSlots, eventBooths, eventRegistrations, events } from './events.tables.js';
import type {
  AttendanceView,
  BoothInputValue,
  BoothView,
  CheckinRequestInput,
  CheckinResultView,
  CreateEventInput,
  EventDetailView,
  EventRegistrationView,
  EventSummaryView,
  EventsPageView,
  EventsQueryInput,
  PublicEventDetailView,
  PublicEventRegistrationInput,
  PublicEventView,
  PublicRegistrationResultView,
  StaffRegistrationInput,
  StaffRegistrationResultView,
  TicketView,
  UpdateEventInput,
} from './events.schemas.js';

type EventRow = typeof events.$inferSelect;
type Tx = Db;

const publicOrigin = (ip: string | null): AuditOrigin => ({ actor: null, via: 'public', ip, userAgent: null });
/** Parsed by the schema already; a null here would be a bug, not bad input. */
const instant = (iso: string): Date => parseOffsetDateTime(iso) ?? (() => { throw new AppError('BAD_REQUEST'); })();

// --- Presenting ----------------------------------------------------------------------------------

type Names = { municipalities: Map<string, string>; organizations: Map<string, string> };

async function loadNames(db: Db, codes: Array<string | null>, orgIds: Array<string | null>): Promise<Names> {
  const c = [...new Set(codes.filter((x): x is string => Boolean(x)))];
  const o = [...new Set(orgIds.filter((x): x is string => Boolean(x)))];
  const [ms, os] = await Promise.all([
    c.length ? db.select({ code: municipalities.code, name: municipalities.name }).from(municipalities).where(inArray(municipalities.code, c)) : [],
    o.length ? db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, o)) : [],
  ]);
  return { municipalities: new Map(ms.map((m) => [m.code, m.name])), organizations: new Map(os.map((x) => [x.id, x.name])) };
}

const municipalityRef = (names: Names, code: string | null) => (code ? { code, name: names.municipalities.get(code) ?? code } : null);
const organizationRef = (names: Names, id: string | null) => (id ? { id, name: names.organizations.get(id) ?? '' } : null);

function presentEvent(e: EventRow, checkedInCount: number, names: Names): EventSummaryView {
  return {
    id: e.id,
    kind: e.kind as EventKind,
    title: e.title,
    description: e.description,
    startsAt: toTokyoIso(e.startsAt),
    endsAt: toTokyoIso(e.endsAt),
    venue: e.venue,
    onlineUrl: e.onlineUrl,
    capacity: e.capacity,
    registeredCount: e.registeredCount,
    checkedInCount,
    status: e.status as EventStatus,
    hostMunicipality: municipalityRef(names, e.hostMunicipalityCode),
    isDemo: e.isDemo === 1,
    createdAt: toTokyoIso(e.createdAt),
    updatedAt: toTokyoIso(e.updatedAt),
  };
}

function presentPublicEvent(e: EventRow, names: Names): PublicEventView {
  const freePlaces = e.capacity === null ? null : Math.max(0, e.capacity - e.registeredCount);
  return {
    id: e.id,
    kind: e.kind as EventKind,
    title: e.title,
    description: e.description,
    startsAt: toTokyoIso(e.startsAt),
    endsAt: toTokyoIso(e.endsAt),
    venue: e.venue,
    isOnline: Boolean(e.onlineUrl),
    freePlaces,
    isFull: freePlaces === 0,
    hostMunicipality: municipalityRef(names, e.hostMunicipalityCode),
  };
}

const checkedInCounts = async (db: Db, eventIds: string[]) => {
  if (!eventIds.length) return new Map<string, number>();
  const rows = await db
    .select({ eventId: eventRegistrations.eventId, n: count() })
    .from(eventRegistrations)
    .where(and(inArray(eventRegistrations.eventId, eventIds), isNotNull(eventRegistrations.checkedInAt), eq(eventRegistrations.status, 'registered')))
    .groupBy(eventRegistrations.eventId);
  return new Map(rows.map((r) => [r.eventId, Number(r.n)]));
};

async function boothsOf(db: Db, eventId: string) {
  const [booths, slots] = await Promise.all([
    db.select().from(eventBooths).where(eq(eventBooths.eventId, eventId)).orderBy(asc(eventBooths.position), asc(eventBooths.name)),
    db.select().from(boothSlots).where(eq(boothSlots.eventId, eventId)).orderBy(asc(boothSlots.startsAt), asc(boothSlots.id)),
  ]);
  return { booths, slots };
}

// --- Reading events (not personal data: any staff role) ------------------------------------------

export async function listEvents(db: Db, query: EventsQueryInput): Promise<EventsPageView> {
  const conditions: SQL[] = [];
  if (query.from) conditions.push(gte(events.endsAt, startOfTokyoDay(query.from)));
  if (query.to) conditions.push(sql`${events.startsAt} < ${endOfTokyoDay(query.to)}`);
  if (query.kind) conditions.push(eq(events.kind, query.kind));
  if (query.status) conditions.push(eq(events.status, query.status));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(events).where(where).orderBy(asc(events.startsAt), asc(events.id)).limit(query.limit).offset(query.offset),
    db.select({ n: count() }).from(events).where(where),
  ]);
  const [checked, names] = await Promise.all([
    checkedInCounts(db, rows.map((r) => r.id)),
    loadNames(db, rows.map((r) => r.hostMunicipalityCode), []),
  ]);
  return { items: rows.map((r) => presentEvent(r, checked.get(r.id) ?? 0, names)), total: Number(total?.n ?? 0) };
}

async function eventRow(db: Db, id: string): Promise<EventRow> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function getEvent(db: Db, id: string): Promise<EventDetailView> {
  const e = await eventRow(db, id);
  const [{ booths, slots }, checked] = await Promise.all([boothsOf(db, id), checkedInCounts(db, [id])]);
  const names = await loadNames(db, [e.hostMunicipalityCode, ...booths.map((b) => b.municipalityCode)], booths.map((b) => b.organizationId));
  return {
    ...presentEvent(e, checked.get(id) ?? 0, names),
    booths: booths.map(
      (b): BoothView => ({
        id: b.id,
        name: b.name,
        municipality: municipalityRef(names, b.municipalityCode),
        organization: organizationRef(names, b.organizationId),
        position: b.position,
        slots: slots
          .filter((s) => s.boothId === b.id)
          .map((s) => ({ id: s.id, boothId: s.boothId, startsAt: toTokyoIso(s.startsAt), endsAt: toTokyoIso(s.endsAt), capacity: s.capacity, bookedCount: s.bookedCount })),
      }),
    ),
  };
}

// --- Creating and changing events ----------------------------------------------------------------

/** Municipality staff create and change only events their municipality hosts. */
function assertMayManage(ctx: RequestContext, hostCode: string | null) {
  if (seesAllPeople(ctx.actor)) return;
  if (ctx.actor.role === 'municipality_staff' && ctx.actor.municipalityCode && hostCode === ctx.actor.municipalityCode) return;
  throw new AppError('FORBIDDEN');
}

/** Unknown municipality codes and organizations named by the event or its booths, as field problems. */
async function referenceProblems(db: Db, input: { hostMunicipalityCode?: string | null; booths?: BoothInputValue[] }) {
  const fields: Record<string, FieldProblem> = {};
  const booths = input.booths ?? [];
  const names = await loadNames(db, [input.hostMunicipalityCode ?? null, ...booths.map((b) => b.municipalityCode ?? null)], booths.map((b) => b.organizationId ?? null));
  if (input.hostMunicipalityCode && !names.municipalities.has(input.hostMunicipalityCode)) {
    fields.hostMunicipalityCode = { problem: 'unknown_municipality', params: { value: input.hostMunicipalityCode } };
  }
  booths.forEach((b, i) => {
    if (b.municipalityCode && !names.municipalities.has(b.municipalityCode)) {
      fields[`booths.${i}.municipalityCode`] = { problem: 'unknown_municipality', params: { value: b.municipalityCode } };
    }
    if (b.organizationId && !names.organizations.has(b.organizationId)) fields[`booths.${i}.organizationId`] = { problem: 'unknown_organization' };
  });
  return fields;
}

const toPlanBooth = (b: BoothInputValue): BoothPlanInput => ({
  id: b.id,
  name: b.name,
  municipalityCode: b.municipalityCode ?? null,
  organizationId: b.organizationId ?? null,
  slots: b.slots?.map((s): SlotPlanInput => ({ id: s.id, startsAt: instant(s.startsAt), endsAt: instant(s.endsAt), capacity: s.capacity })),
});

async function insertBooth(tx: Tx, eventId: string, position: number, booth: BoothPlanInput) {
  const [row] = await tx
    .insert(eventBooths)
    .values({ eventId, name: booth.name, municipalityCode: booth.municipalityCode ?? null, organizationId: booth.organizationId ?? null, position })
    .returning({ id: eventBooths.id });
  if (booth.slots?.length) {
    await tx.insert(boothSlots).values(booth.slots.map((s) => ({ eventId, boothId: row!.id, startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity })));
  }
}

export async function createEvent(db: Db, ctx: RequestContext, input: CreateEventInput): Promise<EventDetailView> {
  const own = ctx.actor.role === 'municipality_staff' ? ctx.actor.municipalityCode : null;
  const host = input.hostMunicipalityCode ?? own ?? null;
  if (!seesAllPeople(ctx.actor) && (!own || host !== own)) throw fieldError('hostMunicipalityCode', 'host_own_municipality');
  if (input.booths.some((b) => b.id !== undefined || b.slots?.some((s) => s.id !== undefined))) {
    const i = input.booths.findIndex((b) => b.id !== undefined || b.slots?.some((s) => s.id !== undefined));
    throw fieldError(`booths.${i}.id`, 'not_in_event');
  }
  const booths = input.booths.map(toPlanBooth);
  const span = { startsAt: instant(input.startsAt), endsAt: instant(input.endsAt) };
  const fields = { ...scheduleProblems(span, booths), ...(await referenceProblems(db, { hostMunicipalityCode: host, booths: input.booths })) };
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(events)
      .values({
        kind: input.kind,
        title: input.title,
        description: input.description ?? null,
        ...span,
        venue: input.venue ?? null,
        onlineUrl: input.onlineUrl ?? null,
        capacity: input.capacity ?? null,
        status: input.status,
        hostMunicipalityCode: host,
        createdBy: ctx.actor.staffId,
      })
      .returning({ id: events.id });
    for (const [position, booth] of booths.entries()) await insertBooth(tx, row!.id, position, booth);
    await recordAudit(tx, ctx, {
      action: 'event.create',
      entityType: 'event',
      entityId: row!.id,
      ...(host ? { municipalityCode: host } : {}),
      details: { kind: input.kind, booths: booths.length, slots: booths.reduce((n, b) => n + (b.slots?.length ?? 0), 0) },
    });
    return row!.id;
  });
  return getEvent(db, id);
}

/**
 * Changes an event. Setting status `cancelled` (from another status) calls the event off: the
 * registrations are kept, the cancellation is audited once with the number of registrations held, and
 * after commit one job mails each registrant still registered, in their language.
 */
export async function updateEvent(db: Db, ctx: RequestContext, id: string, patch: UpdateEventInput, mail: MailJobContext): Promise<EventDetailView> {
  const sentBooths = patch.booths?.map(toPlanBooth);
  const refs = await referenceProblems(db, { booths: patch.booths });
  const calledOff = await db.transaction(async (tx) => {
    // The row lock also holds back registrations (their counter UPDATE), so the capacity check is exact.
    const [e] = await tx.select().from(events).where(eq(events.id, id)).for('update');
    if (!e) throw new AppError('NOT_FOUND');
    assertMayManage(ctx, e.hostMunicipalityCode);
    const span = {
      startsAt: patch.startsAt !== undefined ? instant(patch.startsAt) : e.startsAt,
      endsAt: patch.endsAt !== undefined ? instant(patch.endsAt) : e.endsAt,
    };
    const fields: Record<string, FieldProblem> = { ...refs, ...scheduleProblems(span, sentBooths ?? []) };
    if (fields.endsAt && patch.endsAt === undefined) {
      fields.startsAt = fields.endsAt;
      delete fields.endsAt;
    }
    if (patch.capacity !== undefined && patch.capacity !== null && patch.capacity < e.registeredCount) {
      fields.capacity = { problem: 'below_registered', params: { count: e.registeredCount } };
    }
    const existingSlots = await tx.select().from(boothSlots).where(eq(boothSlots.eventId, id)).for('update');
    const existingBooths = await tx.select({ id: eventBooths.id }).from(eventBooths).where(eq(eventBooths.eventId, id));
    const plan = sentBooths ? planBoothChanges(existingBooths, existingSlots, sentBooths) : null;
    if (plan) Object.assign(fields, plan.problems);
    // Slots that stay as they are must still lie within the (possibly moved) event.
    const touched = new Set([...(plan?.updateSlots.map((s) => s.id) ?? []), ...(plan?.removeSlots ?? [])]);
    const removedBooths = new Set(plan?.removeBooths ?? []);
    const untouchedOutside = existingSlots.some(
      (s) => !touched.has(s.id) && !removedBooths.has(s.boothId) && (s.startsAt < span.startsAt || s.endsAt > span.endsAt),
    );
    if (untouchedOutside && (patch.startsAt !== undefined || patch.endsAt !== undefined)) {
      fields[patch.startsAt !== undefined ? 'startsAt' : 'endsAt'] ??= { problem: 'slot_outside_event' };
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });

    const changed = Object.keys(patch).filter((k) => k !== 'booths' && patch[k as keyof UpdateEventInput] !== undefined);
    const set: Partial<typeof events.$inferInsert> = { updatedAt: new Date() };
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.startsAt !== undefined) set.startsAt = span.startsAt;
    if (patch.endsAt !== undefined) set.endsAt = span.endsAt;
    if (patch.venue !== undefined) set.venue = patch.venue;
    if (patch.onlineUrl !== undefined) set.onlineUrl = patch.onlineUrl;
    if (patch.capacity !== undefined) set.capacity = patch.capacity;
    if (patch.status !== undefined) set.status = patch.status;
    await tx.update(events).set(set).where(eq(events.id, id));

    if (plan) {
      if (plan.removeSlots.length) await tx.delete(boothSlots).where(inArray(boothSlots.id, plan.removeSlots));
      if (plan.removeBooths.length) await tx.delete(eventBooths).where(inArray(eventBooths.id, plan.removeBooths));
      for (const u of plan.update) {
        await tx
          .update(eventBooths)
          .set({ name: u.booth.name, municipalityCode: u.booth.municipalityCode ?? null, organizationId: u.booth.organizationId ?? null, position: u.position })
          .where(eq(eventBooths.id, u.id));
      }
      for (const u of plan.updateSlots) {
        await tx.update(boothSlots).set({ startsAt: u.slot.startsAt, endsAt: u.slot.endsAt, capacity: u.slot.capacity }).where(eq(boothSlots.id, u.id));
      }
      if (plan.addSlots.length) {
        await tx.insert(boothSlots).values(plan.addSlots.map((a) => ({ eventId: id, boothId: a.boothId, startsAt: a.slot.startsAt, endsAt: a.slot.endsAt, capacity: a.slot.capacity })));
      }
      for (const a of plan.add) await insertBooth(tx, id, a.position, a.booth);
    }
    await recordAudit(tx, ctx, {
      action: 'event.update',
      entityType: 'event',
      entityId: id,
      ...(e.hostMunicipalityCode ? { municipalityCode: e.hostMunicipalityCode } : {}),
      details: {
        fields: changed,
        ...(plan
          ? { booths: { added: plan.add.length, changed: plan.update.length, removed: plan.removeBooths.length }, slots: { added: plan.addSlots.length + plan.add.reduce((n, a) => n + (a.booth.slots?.length ?? 0), 0), changed: plan.updateSlots.length, removed: plan.removeSlots.length } }
          : {}),
      },
    });
    if (patch.status !== 'cancelled' || e.status === 'cancelled') return false;
    const [held] = await tx
      .select({ n: count() })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.eventId, id), eq(eventRegistrations.status, 'registered')));
    await recordAudit(tx, ctx, {
      action: 'event.cancel',
      entityType: 'event',
      entityId: id,
      ...(e.hostMunicipalityCode ? { municipalityCode: e.hostMunicipalityCode } : {}),
      details: { registrationsHeld: Number(held?.n ?? 0), previousStatus: e.status },
    });
    return true;
  });
  if (calledOff) await queueCancellationMails(mail.jobs, { eventId: id, publicUrl: mail.publicUrl });
  return getEvent(db, id);
}

// --- Public --------------------------------------------------------------------------------------

/** Published events that have not ended, soonest first. */
export async function listPublicEvents(db: Db): Promise<{ items: PublicEventView[] }> {
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.status, 'published'), gt(events.endsAt, new Date())))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(100);
  const names = await loadNames(db, rows.map((r) => r.hostMunicipalityCode), []);
  return { items: rows.map((r) => presentPublicEvent(r, names)) };
}

export async function getPublicEvent(db: Db, id: string): Promise<PublicEventDetailView> {
  const [e] = await db.select().from(events).where(and(eq(events.id, id), eq(events.status, 'published')));
  if (!e) throw new AppError('NOT_FOUND');
  const { booths, slots } = await boothsOf(db, id);
  const names = await loadNames(db, [e.hostMunicipalityCode, ...booths.map((b) => b.municipalityCode)], booths.map((b) => b.organizationId));
  return {
    ...presentPublicEvent(e, names),
    booths: booths.map((b) => ({
      id: b.id,
      name: b.name,
      municipality: municipalityRef(names, b.municipalityCode),
      organization: organizationRef(names, b.organizationId),
      slots: slots
        .filter((s) => s.boothId === b.id)
        .map((s) => ({ id: s.id, startsAt: toTokyoIso(s.startsAt), endsAt: toTokyoIso(s.endsAt), freePlaces: Math.max(0, s.capacity - s.bookedCount) })),
    })),
  };
}

/**
 * The check-in token of a registration: an HMAC of its id under a server secret. As unguessable
 * as a random token (the id is random, the key is 256 random bits), but it can be derived again,
 * so re-registering resends the same ticket instead of voiding the first one. Only its SHA-256 is
 * stored (`qr_token_hash`): the database alone cannot make a ticket.
 */
async function ticketToken(db: Db, registrationId: string): Promise<string> {
  return hmac(await getSecret(db, 'event-ticket'), registrationId);
}

type SlotInfo = { id: string; boothId: string; boothName: string; municipalityCode: string | null; startsAt: Date; endsAt: Date };

async function slotOfEvent(db: Db, eventId: string, slotId: string): Promise<SlotInfo | null> {
  const [row] = await db
    .select({ id: boothSlots.id, boothId: boothSlots.boothId, boothName: eventBooths.name, municipalityCode: eventBooths.municipalityCode, startsAt: boothSlots.startsAt, endsAt: boothSlots.endsAt })
    .from(boothSlots)
    .innerJoin(eventBooths, eq(eventBooths.id, boothSlots.boothId))
    .where(and(eq(boothSlots.id, slotId), eq(boothSlots.eventId, eventId)));
  return row ?? null;
}

const slotRef = (s: Pick<SlotInfo, 'id' | 'boothId' | 'boothName' | 'startsAt' | 'endsAt'> | null) =>
  s ? { id: s.id, boothId: s.boothId, boothName: s.boothName, startsAt: toTokyoIso(s.startsAt), endsAt: toTokyoIso(s.endsAt) } : null;

/**
 * Takes a place: the registration row first (ON CONFLICT: the person is already registered, no
 * second seat), then the conditional counter UPDATEs. Returns the registration id and whether it
 * is new. Throws EVENT_FULL / SLOT_FULL, which rolls the caller's transaction back.
 */
export async function takePlace(
  tx: Tx,
  input: { eventId: string; personId: string; slotId: string | null; municipalityCodes: string[]; source: 'public' | 'staff'; locale: Locale },
): Promise<{ id: string; created: boolean }> {
  const id = randomUUID();
  const [inserted] = await tx
    .insert(eventRegistrations)
    .values({
      id,
      eventId: input.eventId,
      personId: input.personId,
      slotId: input.slotId,
      municipalityCodes: input.municipalityCodes,
      qrTokenHash: sha256(await ticketToken(tx, id)),
      source: input.source,
      locale: input.locale,
    })
    .onConflictDoNothing({ target: [eventRegistrations.personId, eventRegistrations.eventId] })
    .returning({ id: eventRegistrations.id });
  if (!inserted) {
    const [existing] = await tx
      .select({ id: eventRegistrations.id })
      .from(eventRegistrations)
      .where(and(eq(eventRegistrations.personId, input.personId), eq(eventRegistrations.eventId, input.eventId)));
    // A cancelled registration is taken up again (same id, so the same ticket), with the choices of
    // this request; conditional, so of two at once only one takes the seat.
    const [revived] = await tx
      .update(eventRegistrations)
      .set({ status: 'registered', cancelledAt: null, slotId: input.slotId, municipalityCodes: input.municipalityCodes, source: input.source, locale: input.locale })
      .where(and(eq(eventRegistrations.id, existing!.id), eq(eventRegistrations.status, 'cancelled')))
      .returning({ id: eventRegistrations.id });
    if (!revived) return { id: existing!.id, created: false };
    await takeSeat(tx, input.eventId, input.slotId);
    return { id: existing!.id, created: true };
  }
  await takeSeat(tx, input.eventId, input.slotId);
  return { id, created: true };
}

/** The conditional counter UPDATEs of a registration: a place at the event and, if chosen, in the slot. */
async function takeSeat(tx: Tx, eventId: string, slotId: string | null) {
  const seat = await tx
    .update(events)
    .set({ registeredCount: sql`${events.registeredCount} + 1` })
    .where(and(eq(events.id, eventId), sql`(${events.capacity} is null or ${events.registeredCount} < ${events.capacity})`))
    .returning({ id: events.id });
  if (!seat.length) throw new AppError('EVENT_FULL');
  if (slotId) {
    const booked = await tx
      .update(boothSlots)
      .set({ bookedCount: sql`${boothSlots.bookedCount} + 1` })
      .where(and(eq(boothSlots.id, slotId), sql`${boothSlots.bookedCount} < ${boothSlots.capacity}`))
      .returning({ id: boothSlots.id });
    if (!booked.length) throw new AppError('SLOT_FULL');
  }
}

/**
 * Cancels a registration and gives its place (and slot) back: one conditional UPDATE on the
 * registration (`status = 'registered' and checked_in_at is null`), so of two cancellations — or a
 * cancellation and a check-in — at once exactly one wins, and the counters go down only for the
 * winner. Returns the cancelled row; null when it was cancelled already (idempotent); throws
 * ALREADY_CHECKED_IN for a checked-in one.
 */
async function releasePlace(tx: Tx, registrationId: string) {
  const [done] = await tx
    .update(eventRegistrations)
    .set({ status: 'cancelled', cancelledAt: sql`now()` })
    .where(and(eq(eventRegistrations.id, registrationId), eq(eventRegistrations.status, 'registered'), isNull(eventRegistrations.checkedInAt)))
    .returning();
  if (!done) {
    // Read after the UPDATE, so a check-in that won the race is seen.
    const [now] = await tx.select({ checkedInAt: eventRegistrations.checkedInAt }).from(eventRegistrations).where(eq(eventRegistrations.id, registrationId));
    if (now?.checkedInAt) throw new AppError('ALREADY_CHECKED_IN');
    return null;
  }
  await tx.update(events).set({ registeredCount: sql`${events.registeredCount} - 1` }).where(eq(events.id, done.eventId));
  if (done.slotId) await tx.update(boothSlots).set({ bookedCount: sql`${boothSlots.bookedCount} - 1` }).where(eq(boothSlots.id, done.slotId));
  return done;
}


/** The latest consent decision per purpose and municipality of a person (key `purpose:code`). */
async function consentsInForce(tx: Tx, personId: string): Promise<Map<string, boolean>> {
  const rows = await tx.select().from(consents).where(eq(consents.personId, personId)).orderBy(desc(consents.recordedAt), desc(consents.id));
  const map = new Map<string, boolean>();
  for (const c of rows) {
    const key = `${c.purpose}:${c.municipalityCode ?? ''}`;
    if (!map.has(key)) map.set(key, c.granted);
  }
  return map;
}

export type PublicRegistrationContext = { db: Db; jobs: JobQueue; publicUrl: string; ip: string | null; minFillMs: number };

/**
 * The public registration (on a phone, no login). Spam protection as the registry's sign-up
 * (honeypot, minimum fill time with a signed form token, per-address rate limit on the route).
 * The same normalized email is the same person: a known person's data is never overwritten —
 * only empty fields are filled, and only consents they have not decided yet are recorded — and a
 * new one is created otherwise. `interest` links go to the chosen municipalities only where
 * sharing with them is granted. Re-registering answers with the existing registration and mails
 * the ticket again; it never takes a second seat.
 */
export async function registerForEvent(
  rc: PublicRegistrationContext,
  eventId: string,
  input: PublicEventRegistrationInput,
): Promise<{ result: PublicRegistrationResultView; created: boolean }> {
  const { db } = rc;
  if (input.website) {
    await recordAudit(db, publicOrigin(rc.ip), { action: 'event_registration.refused', entityType: 'event', entityId: eventId, details: { reason: 'honeypot' } });
    return { result: { status: 'registered', alreadyRegistered: false, eventId, slot: null }, created: true };
  }
  await checkFormToken(db, input.formToken, rc.minFillMs);
  const codes = [...new Set(input.municipalityCodes)];
  const names = await loadNames(db, codes, []);
  const fields: Record<string, FieldProblem> = {};
  input.municipalityCodes.forEach((c, i) => {
    if (!names.municipalities.has(c)) fields[`municipalityCodes.${i}`] = { problem: 'unknown_municipality', params: { value: c } };
  });
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  const emailKey = normalizeEmail(input.email);

  const outcome = await db.transaction(async (tx) => {
    const [e] = await tx.select().from(events).where(eq(events.id, eventId));
    if (!e || e.status === 'draft') throw new AppError('NOT_FOUND');
    if (e.status !== 'published' || e.endsAt.getTime() <= Date.now()) throw new AppError('EVENT_CLOSED');
    const slot = input.slotId ? await slotOfEvent(tx, eventId, input.slotId) : null;
    if (input.slotId && !slot) throw fieldError('slotId', 'unknown_slot');

    // Sign-ups with the same address wait for each other, so two simultaneous ones make one person.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`event-signup:${emailKey}`}))`);
    const [existing] = await tx
      .select()
      .from(people)
      .where(and(eq(people.emailKey, emailKey), isNull(people.deletedAt)))
      .orderBy(asc(people.createdAt))
      .limit(1);
    let personId: string;
    let isNewPerson = false;
    if (existing) {
      personId = existing.id;
      const fill: Partial<typeof people.$inferInsert> = {};
      if (!existing.kana) fill.kana = input.kana;
      if (!existing.phone && input.phone) fill.phone = input.phone;
      if (!existing.prefecture) fill.prefecture = input.prefecture;
      if (!existing.city) fill.city = input.city;
      if (Object.keys(fill).length) {
        await tx
          .update(people)
          .set({ ...fill, ...derivedColumns({ ...existing, ...fill }), updatedAt: new Date() })
          .where(eq(people.id, personId));
        await recordAudit(tx, publicOrigin(rc.ip), {
          action: 'person.update',
          entityType: 'person',
          entityId: personId,
          personId,
          details: { source: 'event_registration', eventId, filled: Object.keys(fill) },
        });
      }
    } else {
      isNewPerson = true;
      const person = { name: input.name, kana: input.kana, email: input.email, phone: input.phone ?? null, prefecture: input.prefecture, city: input.city };
      const [created] = await tx.insert(people).values({ ...person, ...derivedColumns(person) }).returning({ id: people.id });
      personId = created!.id;
      await recordAudit(tx, publicOrigin(rc.ip), {
        action: 'person.create',
        entityType: 'person',
        entityId: personId,
        personId,
        details: { source: 'event_registration', eventId },
      });
    }

    const place = await takePlace(tx, { eventId, personId, slotId: slot?.id ?? null, municipalityCodes: codes, source: 'public', locale: input.locale });
    if (place.created) {
      // Consents: all of them for a new person; for a known one only what they have not decided yet.
      const decided = isNewPerson ? new Map<string, boolean>() : await consentsInForce(tx, personId);
      const rows = consentRows(personId, input.consents, codes, 'event_registration').filter((r) => !decided.has(`${r.purpose}:${r.municipalityCode ?? ''}`));
      if (rows.length) await tx.insert(consents).values(rows);
      // Shared only where sharing is granted: asked for now, and not refused before by a known person.
      const sharing = input.consents.shareWithMunicipalities ? codes.filter((c) => decided.get(`share_with_municipalities:${c}`) !== false) : [];
      await addPersonLinks(tx, personId, sharing, 'interest');
      await recordAudit(tx, publicOrigin(rc.ip), {
        action: 'event_registration.create',
        entityType: 'event_registration',
        entityId: place.id,
        personId,
        details: { eventId, source: 'public', slot: Boolean(slot), municipalities: codes, interestLinks: sharing, consentsRecorded: rows.length },
      });
    }
    const [reg] = await tx
      .select({ slotId: eventRegistrations.slotId })
      .from(eventRegistrations)
      .where(eq(eventRegistrations.id, place.id));
    const heldSlot = reg?.slotId ? (reg.slotId === slot?.id ? slot : await slotOfEvent(tx, eventId, reg.slotId)) : null;
    return { registrationId: place.id, created: place.created, slot: heldSlot };
  });

  // After commit: the job must find the row. Sent again on re-registration (in the language of this request).
  await queueTicketMail(rc.jobs, { registrationId: outcome.registrationId, locale: input.locale, resent: !outcome.created, publicUrl: rc.publicUrl });
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

/** What the ticket page shows for a token: the event and the registration's state, first name only. */
export async function getTicket(db: Db, token: string): Promise<TicketView> {
  const row = await ticketRow(db, token);
  const { r, e } = row;
  const slot = r.slotId ? await slotOfEvent(db, e.id, r.slotId) : null;
  const names = await loadNames(db, [e.hostMunicipalityCode], []);
  return {
    event: { ...presentPublicEvent(e, names), onlineUrl: e.onlineUrl, status: e.status as EventStatus },
    registration: {
      firstName: firstNameOf(row.name),
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
 * and frees nothing. A checked-in ticket cannot be cancelled.
 */
export async function cancelTicket(db: Db, token: string, ip: string | null): Promise<TicketView> {
  const { r } = await ticketRow(db, token);
  await db.transaction(async (tx) => {
    const done = await releasePlace(tx, r.id);
    if (!done) return;
    await recordAudit(tx, publicOrigin(ip), {
      action: 'event_registration.cancel',
      entityType: 'event_registration',
      entityId: done.id,
      personId: done.personId,
      details: { eventId: done.eventId, by: 'registrant', slot: done.slotId !== null },
    });
  });
  return getTicket(db, token);
}

// --- Background mail ------------------------------------------------------------------------------

/**
 * The ticket-mail job: the ticket mail (.ics + QR PNG) of a registration, to the address on
 * record, greeting the person on record. Nothing is sent when the registration was cancelled or
 * the person erased before the job ran. Idempotent across retries through the job's mailId (see
 * TicketMailJob).
 */
export async function sendTicketMail(db: Db, mailer: Mailer, job: TicketMailJobData): Promise<void> {
  const [row] = await db
    .select({ r: eventRegistrations, e: events, name: people.name, email: people.email })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .where(and(eq(eventRegistrations.id, job.registrationId), isNull(people.deletedAt)));
  if (!row || row.r.status !== 'registered' || row.e.status === 'cancelled' || !row.email) return;
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
  await mailer.queue(db, { id: job.mailId, to: row.email, personId: r.personId, ...mail });
}

/**
 * The cancellation-mail job: every registrant still registered (person not erased, with an
 * address) gets the notice in the language they registered in. Nothing is sent when the event was
 * published again before the job ran. Each mail's id derives from the cancellation and the
 * registration, so a retry after a failure part-way queues only the mails not queued yet.
 */
export async function sendCancellationMails(db: Db, mailer: Mailer, job: CancellationMailJobData): Promise<number> {
  const [e] = await db.select().from(events).where(eq(events.id, job.eventId));
  if (!e || e.status !== 'cancelled') return 0;
  const rows = await db
    .select({ id: eventRegistrations.id, personId: eventRegistrations.personId, locale: eventRegistrations.locale, name: people.name, email: people.email })
    .from(eventRegistrations)
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .where(and(eq(eventRegistrations.eventId, e.id), eq(eventRegistrations.status, 'registered'), isNull(people.deletedAt), isNotNull(people.email)))
    .orderBy(asc(eventRegistrations.id));
  for (const r of rows) {
    const mail = eventCancelledMail({ locale: r.locale === 'en' ? 'en' : 'ja', name: r.name, event: e, eventsUrl: `${job.publicUrl}/events` });
    await mailer.queue(db, { id: cancellationMailId(job.cancellationId, r.id), to: r.email!, personId: r.personId, ...mail });
  }
  return rows.length;
}

/** Registers the events module's job handlers; call before the queue starts. */
export function defineEventJobs(jobs: JobQueue, deps: { db: Db; mailer: Mailer }): void {
  jobs.define(TICKET_MAIL_JOB, (data) => sendTicketMail(deps.db, deps.mailer, TicketMailJob.parse(data)));
  jobs.define(CANCELLATION_MAIL_JOB, async (data) => void (await sendCancellationMails(deps.db, deps.mailer, CancellationMailJob.parse(data))));
}

// --- Staff: registrations, check-in, attendance (personal data, scoped, audited) -----------------

const registrationColumns = {
  r: eventRegistrations,
  personName: people.name,
  personKana: people.kana,
  slotStartsAt: boothSlots.startsAt,
  slotEndsAt: boothSlots.endsAt,
  boothId: eventBooths.id,
  boothName: eventBooths.name,
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
  boothMunicipality: string | null;
  boothOrganization: string | null;
};

/** Registrations of an event joined with person and slot, within the actor's scope. */
function scopedRegistrations(db: Db, ctx: RequestContext, eventId: string, extra: SQL[] = []) {
  return db
    .select(registrationColumns)
    .from(eventRegistrations)
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .leftJoin(boothSlots, eq(boothSlots.id, eventRegistrations.slotId))
    .leftJoin(eventBooths, eq(eventBooths.id, boothSlots.boothId))
    .where(and(eq(eventRegistrations.eventId, eventId), isNull(people.deletedAt), eventRegistrationScope(ctx.actor), ...extra));
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
        ? { id: r.slotId, boothId: row.boothId, boothName: row.boothName ?? '', startsAt: toTokyoIso(row.slotStartsAt), endsAt: toTokyoIso(row.slotEndsAt) }
        : null,
    checkedInAt: r.checkedInAt ? toTokyoIso(r.checkedInAt) : null,
    checkinMethod: (r.checkinMethod as 'qr' | 'desk' | 'walk_in' | null) ?? null,
    cancelledAt: r.cancelledAt ? toTokyoIso(r.cancelledAt) : null,
    createdAt: toTokyoIso(r.createdAt),
  };
}

async function scopedRegistration(db: Db, ctx: RequestContext, eventId: string, condition: SQL): Promise<RegistrationRow> {
  const [row] = await scopedRegistrations(db, ctx, eventId, [condition]).limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** LIKE pattern for a literal substring. */
const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The check-in desk's search: registrations in scope by name or kana (any width, katakana or hiragana). */
export async function findRegistrations(db: Db, ctx: RequestContext, eventId: string, query: { q?: string; limit: number; offset: number }) {
  await eventRow(db, eventId);
  const extra: SQL[] = [];
  const key = query.q ? searchKey(query.q) : '';
  if (key) {
    const grams = sql.join(queryGrams(key).map((g) => sql`${g}`), sql`, `);
    extra.push(sql`${people.searchGrams} @> array[${grams}]::text[]`);
    extra.push(sql`${people.searchText} like ${likeContains(key)}`);
  }
  const rows = await scopedRegistrations(db, ctx, eventId, extra)
    .orderBy(key ? asc(people.searchText) : asc(people.kana), asc(eventRegistrations.id))
    .limit(query.limit)
    .offset(query.offset);
  const [total] = await db
    .select({ n: count() })
    .from(eventRegistrations)
    .innerJoin(people, eq(people.id, eventRegistrations.personId))
    .where(and(eq(eventRegistrations.eventId, eventId), isNull(people.deletedAt), eventRegistrationScope(ctx.actor), ...extra));
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
async function recordAttendance(tx: Tx, input: { registrationId: string; personId: string; codes: string[]; day: string; staffId: string | null }) {
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

/** Checks a registration in: exactly once (the conditional UPDATE), then records the attendance. */
async function checkInRow(tx: Tx, ctx: RequestContext, row: RegistrationRow, method: 'qr' | 'desk' | 'walk_in') {
  const [done] = await tx
    .update(eventRegistrations)
    .set({ checkedInAt: sql`now()`, checkedInBy: ctx.actor.staffId, checkinMethod: method })
    .where(and(eq(eventRegistrations.id, row.r.id), isNull(eventRegistrations.checkedInAt), eq(eventRegistrations.status, 'registered')))
    .returning();
  if (!done) return null;
  const [e] = await tx.select({ host: events.hostMunicipalityCode }).from(events).where(eq(events.id, row.r.eventId));
  const codes = registrationMunicipalities({ chosen: done.municipalityCodes, boothMunicipality: row.boothMunicipality, hostMunicipality: e?.host });
  const recorded = await recordAttendance(tx, { registrationId: done.id, personId: done.personId, codes, day: tokyoDay(done.checkedInAt!), staffId: ctx.actor.staffId });
  await recordAudit(tx, ctx, {
    action: 'event.checkin',
    entityType: 'event_registration',
    entityId: done.id,
    personId: done.personId,
    details: { eventId: done.eventId, method, engagements: recorded, municipalities: codes },
  });
  return done;
}

export async function checkIn(db: Db, ctx: RequestContext, eventId: string, body: CheckinRequestInput): Promise<{ status: 200 | 201; result: CheckinResultView }> {
  await eventRow(db, eventId);
  const condition = body.registrationId ? eq(eventRegistrations.id, body.registrationId) : eq(eventRegistrations.qrTokenHash, sha256(body.qrToken!));
  const row = await scopedRegistration(db, ctx, eventId, condition);
  if (row.r.status === 'cancelled') throw new AppError('REGISTRATION_CANCELLED');
  const done = await db.transaction((tx) => checkInRow(tx, ctx, row, body.qrToken ? 'qr' : 'desk'));
  const fresh = await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, row.r.id));
  // Cancelled between the read and the UPDATE (the UPDATE only matches held places).
  if (fresh.r.status === 'cancelled') throw new AppError('REGISTRATION_CANCELLED');
  const view = presentRegistration(fresh);
  return { status: done ? 201 : 200, result: { alreadyCheckedIn: !done, checkedInAt: view.checkedInAt!, registration: view } };
}

/** Where the background mails of a staff action go: the queue and the base of their links. */
export type MailJobContext = { jobs: JobQueue; publicUrl: string };

/**
 * Staff register a known person (a walk-in at the door, or by phone), optionally checking them in
 * at once. Municipality staff register people in their scope, for their own municipality. A new
 * registration (or one taken up again) of a person with an email address gets the ticket mail,
 * through the same job as a public registration; answering with an existing one sends nothing.
 */
export async function registerByStaff(
  db: Db,
  ctx: RequestContext,
  eventId: string,
  input: StaffRegistrationInput,
  mail: MailJobContext,
): Promise<{ status: 200 | 201; result: StaffRegistrationResultView }> {
  const person = await assertPersonInScope(db, ctx.actor, input.personId);
  const e = await eventRow(db, eventId);
  if (e.status === 'cancelled') throw new AppError('EVENT_CLOSED');
  const slot = input.slotId ? await slotOfEvent(db, eventId, input.slotId) : null;
  if (input.slotId && !slot) throw fieldError('slotId', 'unknown_slot');
  const codes = ctx.actor.role === 'municipality_staff' && ctx.actor.municipalityCode ? [ctx.actor.municipalityCode] : [];
  const place = await db.transaction(async (tx) => {
    const taken = await takePlace(tx, { eventId, personId: input.personId, slotId: slot?.id ?? null, municipalityCodes: codes, source: 'staff', locale: input.locale });
    if (taken.created) {
      await recordAudit(tx, ctx, {
        action: 'event_registration.create',
        entityType: 'event_registration',
        entityId: taken.id,
        personId: input.personId,
        details: { eventId, source: 'staff', slot: Boolean(slot), checkIn: input.checkIn, ticketMail: Boolean(person.email) },
      });
    }
    if (input.checkIn) {
      const [row] = await scopedRegistrations(tx, ctx, eventId, [eq(eventRegistrations.id, taken.id)]).limit(1);
      if (row) await checkInRow(tx, ctx, row, taken.created ? 'walk_in' : 'desk');
    }
    return taken;
  });
  if (place.created && person.email) {
    await queueTicketMail(mail.jobs, { registrationId: place.id, locale: input.locale, resent: false, publicUrl: mail.publicUrl });
  }
  const fresh = await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, place.id));
  return { status: place.created ? 201 : 200, result: { alreadyRegistered: !place.created, registration: presentRegistration(fresh) } };
}

/**
 * Staff cancel a registration (a call to the center, a no-show known in advance): the center and
 * prefecture any, municipality staff those in their scope. Partners check people in at their booth
 * but do not cancel: for them every registration is out of reach (404). Idempotent as cancelTicket.
 */
export async function cancelRegistration(db: Db, ctx: RequestContext, eventId: string, registrationId: string): Promise<EventRegistrationView> {
  if (ctx.actor.role === 'partner') throw new AppError('NOT_FOUND');
  await eventRow(db, eventId);
  const row = await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, registrationId));
  await db.transaction(async (tx) => {
    const done = await releasePlace(tx, row.r.id);
    if (!done) return;
    await recordAudit(tx, ctx, {
      action: 'event_registration.cancel',
      entityType: 'event_registration',
      entityId: done.id,
      personId: done.personId,
      details: { eventId, by: 'staff', slot: done.slotId !== null },
    });
  });
  return presentRegistration(await scopedRegistration(db, ctx, eventId, eq(eventRegistrations.id, row.r.id)));
}

/**
 * After the event: who registered, who came and when, who booked which booth, and who came but
 * has no follow-up yet (no consultation recorded on or after the event's day). Within scope.
 */
export async function eventAttendance(db: Db, ctx: RequestContext, eventId: string): Promise<AttendanceView> {
  const e = await eventRow(db, eventId);
  const eventDay = tokyoDay(e.startsAt);
  const followUp = sql<boolean>`exists (select 1 from ${consultations} fc where fc.person_id = ${eventRegistrations.personId} and fc.occurred_on >= ${eventDay}::date)`;
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
  const names = await loadNames(db, [e.hostMunicipalityCode, ...booths.map((b) => b.municipalityCode)], booths.map((b) => b.organizationId));
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
