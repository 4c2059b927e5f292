/**
 * Events: the center's fairs, mini consultation days, seminars, online sessions, tours and trial
 * stays — creating and changing them with their booths and bookable slots, and the public list.
 * Registrations: events.registration.ts (public) and events.desk.ts (staff); places and capacity:
 * events.places.ts; the mails: events.mailing.ts.
 */
import { and, asc, count, eq, gt, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, withTransaction } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, fieldError, type FieldProblem } from '../../platform/errors.js';
import { ownMunicipality } from '../../platform/scope.js';
import { assertAllowed } from '../../platform/policy.js';
import { queueCancellationMails } from './events.jobs.js';
import {
  endOfTokyoDay,
  planBoothChanges,
  scheduleProblems,
  startOfTokyoDay,
  toTokyoIso,
  type BoothPlanInput,
  type SlotPlanInput,
} from './events.rules.js';
import { boothSlots, eventBooths, eventRegistrations, events } from './events.tables.js';
import type {
  BoothInputValue,
  BoothView,
  CreateEventInput,
  EventDetailView,
  EventsPageView,
  EventsQueryInput,
  PublicEventDetailView,
  PublicEventView,
  UpdateEventInput,
} from './events.schemas.js';
import {
  type EventMailDeps,
  type Tx,
  boothsOf,
  checkedInCounts,
  eventRow,
  instant,
  loadNames,
  municipalityRef,
  organizationRef,
  presentEvent,
  presentPublicEvent,
} from './events.common.js';
import { mayManageEvent } from './events.policy.js';

export async function listEvents(db: Db, query: EventsQueryInput): Promise<EventsPageView> {
  const conditions: SQL[] = [];
  if (query.from) conditions.push(gte(events.endsAt, startOfTokyoDay(query.from)));
  if (query.to) conditions.push(sql`${events.startsAt} < ${endOfTokyoDay(query.to)}`);
  if (query.kind) conditions.push(eq(events.kind, query.kind));
  if (query.status) conditions.push(eq(events.status, query.status));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(events)
      .where(where)
      .orderBy(asc(events.startsAt), asc(events.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(events).where(where),
  ]);
  const [checked, names] = await Promise.all([
    checkedInCounts(
      db,
      rows.map((r) => r.id),
    ),
    loadNames(
      db,
      rows.map((r) => r.hostMunicipalityCode),
      [],
    ),
  ]);
  return { items: rows.map((r) => presentEvent(r, checked.get(r.id) ?? 0, names)), total: Number(total?.n ?? 0) };
}

export async function getEvent(db: Db, id: string): Promise<EventDetailView> {
  const e = await eventRow(db, id);
  const [{ booths, slots }, checked] = await Promise.all([boothsOf(db, id), checkedInCounts(db, [id])]);
  const names = await loadNames(
    db,
    [e.hostMunicipalityCode, ...booths.map((b) => b.municipalityCode)],
    booths.map((b) => b.organizationId),
  );
  return {
    ...presentEvent(e, checked.get(id) ?? 0, names),
    booths: booths.map(
      (b): BoothView => ({
        id: b.id,
        name: b.name,
        nameEn: b.nameEn,
        municipality: municipalityRef(names, b.municipalityCode),
        organization: organizationRef(names, b.organizationId),
        position: b.position,
        slots: slots
          .filter((s) => s.boothId === b.id)
          .map((s) => ({
            id: s.id,
            boothId: s.boothId,
            startsAt: toTokyoIso(s.startsAt),
            endsAt: toTokyoIso(s.endsAt),
            capacity: s.capacity,
            bookedCount: s.bookedCount,
          })),
      }),
    ),
  };
}

// --- Creating and changing events ----------------------------------------------------------------

/** Unknown municipality codes and organizations named by the event or its booths, as field problems. */
async function referenceProblems(
  db: Db,
  input: { hostMunicipalityCode?: string | null; venueMunicipalityCode?: string | null; booths?: BoothInputValue[] },
) {
  const fields: Record<string, FieldProblem> = {};
  const booths = input.booths ?? [];
  const names = await loadNames(
    db,
    [
      input.hostMunicipalityCode ?? null,
      input.venueMunicipalityCode ?? null,
      ...booths.map((b) => b.municipalityCode ?? null),
    ],
    booths.map((b) => b.organizationId ?? null),
  );
  if (input.hostMunicipalityCode && !names.municipalities.has(input.hostMunicipalityCode)) {
    fields.hostMunicipalityCode = { problem: 'unknown_municipality', params: { value: input.hostMunicipalityCode } };
  }
  if (input.venueMunicipalityCode && !names.municipalities.has(input.venueMunicipalityCode)) {
    fields.venueMunicipalityCode = { problem: 'unknown_municipality', params: { value: input.venueMunicipalityCode } };
  }
  booths.forEach((b, i) => {
    if (b.municipalityCode && !names.municipalities.has(b.municipalityCode)) {
      fields[`booths.${i}.municipalityCode`] = {
        problem: 'unknown_municipality',
        params: { value: b.municipalityCode },
      };
    }
    if (b.organizationId && !names.organizations.has(b.organizationId))
      fields[`booths.${i}.organizationId`] = { problem: 'unknown_organization' };
  });
  return fields;
}

const toPlanBooth = (b: BoothInputValue): BoothPlanInput => ({
  id: b.id,
  name: b.name,
  nameEn: b.nameEn,
  municipalityCode: b.municipalityCode ?? null,
  organizationId: b.organizationId ?? null,
  slots: b.slots?.map(
    (s): SlotPlanInput => ({
      id: s.id,
      startsAt: instant(s.startsAt),
      endsAt: instant(s.endsAt),
      capacity: s.capacity,
    }),
  ),
});

async function insertBooth(tx: Tx, eventId: string, position: number, booth: BoothPlanInput) {
  const [row] = await tx
    .insert(eventBooths)
    .values({
      eventId,
      name: booth.name,
      nameEn: booth.nameEn ?? null,
      municipalityCode: booth.municipalityCode ?? null,
      organizationId: booth.organizationId ?? null,
      position,
    })
    .returning({ id: eventBooths.id });
  if (booth.slots?.length) {
    await tx.insert(boothSlots).values(
      booth.slots.map((s) => ({
        eventId,
        boothId: row!.id,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        capacity: s.capacity,
      })),
    );
  }
}

export async function createEvent(db: Db, ctx: StaffContext, input: CreateEventInput): Promise<EventDetailView> {
  // Municipality staff host for their own municipality, which is also the host they leave unnamed.
  const host = input.hostMunicipalityCode ?? ownMunicipality(ctx.actor) ?? null;
  if (!mayManageEvent(ctx.actor, { hostMunicipalityCode: host }))
    throw fieldError('hostMunicipalityCode', 'host_own_municipality');
  if (input.booths.some((b) => b.id !== undefined || b.slots?.some((s) => s.id !== undefined))) {
    const i = input.booths.findIndex((b) => b.id !== undefined || b.slots?.some((s) => s.id !== undefined));
    throw fieldError(`booths.${i}.id`, 'not_in_event');
  }
  const booths = input.booths.map(toPlanBooth);
  const span = { startsAt: instant(input.startsAt), endsAt: instant(input.endsAt) };
  const fields = {
    ...scheduleProblems(span, booths),
    ...(await referenceProblems(db, {
      hostMunicipalityCode: host,
      venueMunicipalityCode: input.venueMunicipalityCode,
      booths: input.booths,
    })),
  };
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  const id = await inTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(events)
      .values({
        kind: input.kind,
        title: input.title,
        description: input.description ?? null,
        titleEn: input.titleEn ?? null,
        descriptionEn: input.descriptionEn ?? null,
        ...span,
        venue: input.venue ?? null,
        venueMunicipalityCode: input.venueMunicipalityCode ?? null,
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
      details: {
        kind: input.kind,
        booths: booths.length,
        slots: booths.reduce((n, b) => n + (b.slots?.length ?? 0), 0),
      },
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
export async function updateEvent(
  db: Db,
  ctx: StaffContext,
  id: string,
  patch: UpdateEventInput,
  mail: EventMailDeps,
): Promise<EventDetailView> {
  const sentBooths = patch.booths?.map(toPlanBooth);
  const refs = await referenceProblems(db, {
    venueMunicipalityCode: patch.venueMunicipalityCode,
    booths: patch.booths,
  });
  await withTransaction(db, async (uow) => {
    const { tx } = uow;
    // The row lock also holds back registrations (their counter UPDATE), so the capacity check is exact.
    const [e] = await tx.select().from(events).where(eq(events.id, id)).for('update');
    if (!e) throw new AppError('NOT_FOUND');
    assertAllowed(mayManageEvent(ctx.actor, e));
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
      (s) =>
        !touched.has(s.id) && !removedBooths.has(s.boothId) && (s.startsAt < span.startsAt || s.endsAt > span.endsAt),
    );
    if (untouchedOutside && (patch.startsAt !== undefined || patch.endsAt !== undefined)) {
      fields[patch.startsAt !== undefined ? 'startsAt' : 'endsAt'] ??= { problem: 'slot_outside_event' };
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });

    const changed = Object.keys(patch).filter(
      (k) => k !== 'booths' && patch[k as keyof UpdateEventInput] !== undefined,
    );
    const set: Partial<typeof events.$inferInsert> = { updatedAt: new Date() };
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.titleEn !== undefined) set.titleEn = patch.titleEn;
    if (patch.descriptionEn !== undefined) set.descriptionEn = patch.descriptionEn;
    if (patch.startsAt !== undefined) set.startsAt = span.startsAt;
    if (patch.endsAt !== undefined) set.endsAt = span.endsAt;
    if (patch.venue !== undefined) set.venue = patch.venue;
    if (patch.venueMunicipalityCode !== undefined) set.venueMunicipalityCode = patch.venueMunicipalityCode;
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
          .set({
            name: u.booth.name,
            // Absent keeps the English name: a client that does not know the field must not erase it.
            ...(u.booth.nameEn !== undefined ? { nameEn: u.booth.nameEn } : {}),
            municipalityCode: u.booth.municipalityCode ?? null,
            organizationId: u.booth.organizationId ?? null,
            position: u.position,
          })
          .where(eq(eventBooths.id, u.id));
      }
      for (const u of plan.updateSlots) {
        await tx
          .update(boothSlots)
          .set({ startsAt: u.slot.startsAt, endsAt: u.slot.endsAt, capacity: u.slot.capacity })
          .where(eq(boothSlots.id, u.id));
      }
      if (plan.addSlots.length) {
        await tx.insert(boothSlots).values(
          plan.addSlots.map((a) => ({
            eventId: id,
            boothId: a.boothId,
            startsAt: a.slot.startsAt,
            endsAt: a.slot.endsAt,
            capacity: a.slot.capacity,
          })),
        );
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
          ? {
              booths: { added: plan.add.length, changed: plan.update.length, removed: plan.removeBooths.length },
              slots: {
                added: plan.addSlots.length + plan.add.reduce((n, a) => n + (a.booth.slots?.length ?? 0), 0),
                changed: plan.updateSlots.length,
                removed: plan.removeSlots.length,
              },
            }
          : {}),
      },
    });
    if (patch.status !== 'cancelled' || e.status === 'cancelled') return;
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
    queueCancellationMails(uow, mail.jobs, { eventId: id, publicUrl: mail.publicUrl });
  });
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
  const names = await loadNames(
    db,
    rows.map((r) => r.hostMunicipalityCode),
    [],
  );
  return { items: rows.map((r) => presentPublicEvent(r, names)) };
}

export async function getPublicEvent(db: Db, id: string): Promise<PublicEventDetailView> {
  const [e] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.status, 'published')));
  if (!e) throw new AppError('NOT_FOUND');
  const { booths, slots } = await boothsOf(db, id);
  const names = await loadNames(
    db,
    [e.hostMunicipalityCode, ...booths.map((b) => b.municipalityCode)],
    booths.map((b) => b.organizationId),
  );
  return {
    ...presentPublicEvent(e, names),
    booths: booths.map((b) => ({
      id: b.id,
      name: b.name,
      nameEn: b.nameEn,
      municipality: municipalityRef(names, b.municipalityCode),
      organization: organizationRef(names, b.organizationId),
      slots: slots
        .filter((s) => s.boothId === b.id)
        .map((s) => ({
          id: s.id,
          startsAt: toTokyoIso(s.startsAt),
          endsAt: toTokyoIso(s.endsAt),
          freePlaces: Math.max(0, s.capacity - s.bookedCount),
        })),
    })),
  };
}
