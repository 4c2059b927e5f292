/**
 * Places at an event: taking one (a registration and its seat, and the slot it books) and giving
 * one back. Capacity holds under concurrency without locks on whole tables: taking a place
 * increments `events.registered_count` (and `booth_slots.booked_count`) with one conditional
 * UPDATE inside the caller's transaction; when no row comes back the event (slot) is full and the
 * transaction rolls back. Giving it back is one conditional UPDATE too, so it happens once.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { sha256 } from '../../platform/auth/auth.service.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { boothSlots, eventRegistrations, events } from './events.tables.js';
import { type Tx, ticketToken } from './events.common.js';

/**
 * Takes a place: the registration row first (ON CONFLICT: the person is already registered, no
 * second seat), then the conditional counter UPDATEs. Returns the registration id and whether it
 * is new. Throws EVENT_FULL / SLOT_FULL, which rolls the caller's transaction back.
 */
export async function takePlace(
  tx: Tx,
  input: {
    eventId: string;
    personId: string;
    slotId: string | null;
    municipalityCodes: string[];
    source: 'public' | 'staff';
    locale: Locale;
  },
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
      .set({
        status: 'registered',
        cancelledAt: null,
        slotId: input.slotId,
        municipalityCodes: input.municipalityCodes,
        source: input.source,
        locale: input.locale,
      })
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
    .where(
      and(eq(events.id, eventId), sql`(${events.capacity} is null or ${events.registeredCount} < ${events.capacity})`),
    )
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
export async function releasePlace(tx: Tx, registrationId: string) {
  const [done] = await tx
    .update(eventRegistrations)
    .set({ status: 'cancelled', cancelledAt: sql`now()` })
    .where(
      and(
        eq(eventRegistrations.id, registrationId),
        eq(eventRegistrations.status, 'registered'),
        isNull(eventRegistrations.checkedInAt),
      ),
    )
    .returning();
  if (!done) {
    // Read after the UPDATE, so a check-in that won the race is seen.
    const [now] = await tx
      .select({ checkedInAt: eventRegistrations.checkedInAt })
      .from(eventRegistrations)
      .where(eq(eventRegistrations.id, registrationId));
    if (now?.checkedInAt) throw new AppError('ALREADY_CHECKED_IN');
    return null;
  }
  await tx
    .update(events)
    .set({ registeredCount: sql`${events.registeredCount} - 1` })
    .where(eq(events.id, done.eventId));
  if (done.slotId)
    await tx
      .update(boothSlots)
      .set({ bookedCount: sql`${boothSlots.bookedCount} - 1` })
      .where(eq(boothSlots.id, done.slotId));
  return done;
}
