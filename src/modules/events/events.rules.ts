/**
 * Pure rules of the events module: reading and writing event times (Asia/Tokyo), the schedule
 * checks of an event with its slots, the plan of a booth/slot edit, which municipalities a
 * registration concerns, and what a public ticket may show of a name. No database here; the
 * service applies these.
 */
import type { FieldProblem } from '../../platform/errors.js';
import type { Span } from '../../shared/schedule.js';

// The time parsing and schedule checks are shared with the web's event form.
export { parseOffsetDateTime, scheduleProblems, type Span } from '../../shared/schedule.js';

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant written in Japan time: 2025-02-01T11:00:00+09:00 (Japan has no daylight saving). */
export function toTokyoIso(instant: Date): string {
  const t = new Date(instant.getTime() + TOKYO_OFFSET_MS);
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+09:00`;
}

/** The calendar day (yyyy-mm-dd) of an instant in Japan. */
export function tokyoDay(instant: Date): string {
  return toTokyoIso(instant).slice(0, 10);
}

/** The first instant of a Japanese calendar day (yyyy-mm-dd). */
export function startOfTokyoDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - TOKYO_OFFSET_MS);
}

/** The first instant after a Japanese calendar day. */
export function endOfTokyoDay(day: string): Date {
  return new Date(startOfTokyoDay(day).getTime() + 24 * 60 * 60 * 1000);
}

/**
 * Where a moment falls against an event's days in Japan (from the calendar day it starts to the
 * calendar day it ends, whole days): check-in is for the event's days; attendance from a paper
 * list is recorded after them.
 */
export function eventDayPhase(event: { startsAt: Date; endsAt: Date }, now: Date): 'before' | 'during' | 'after' {
  const today = tokyoDay(now);
  if (today < tokyoDay(event.startsAt)) return 'before';
  if (today > tokyoDay(event.endsAt)) return 'after';
  return 'during';
}

const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土'];

/** How a mail or page shows an event's time in Japanese: 2025年2月1日（土）11:00〜17:00. */
export function formatTokyoRangeJa(start: Date, end: Date): string {
  const s = new Date(start.getTime() + TOKYO_OFFSET_MS);
  const e = new Date(end.getTime() + TOKYO_OFFSET_MS);
  const day = (t: Date) =>
    `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日（${WEEKDAYS_JA[t.getUTCDay()]}）`;
  const time = (t: Date) => `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  return tokyoDay(start) === tokyoDay(end)
    ? `${day(s)}${time(s)}〜${time(e)}`
    : `${day(s)}${time(s)}〜${day(e)}${time(e)}`;
}

/** The same in English: Sat, 1 Feb 2025, 11:00–17:00 (Japan time). */
export function formatTokyoRangeEn(start: Date, end: Date): string {
  const fmt = (t: Date, withDay: boolean) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Tokyo',
      ...(withDay ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(t);
  return tokyoDay(start) === tokyoDay(end)
    ? `${fmt(start, true)}–${fmt(end, false)} (Japan time)`
    : `${fmt(start, true)} – ${fmt(end, true)} (Japan time)`;
}

// --- Schedule ------------------------------------------------------------------------------------

export type SlotPlanInput = Span & { id?: string; capacity: number };
export type BoothPlanInput = {
  id?: string;
  name: string;
  /** undefined: unchanged on an existing booth (none on a new one); null: none. */
  nameEn?: string | null;
  municipalityCode?: string | null;
  organizationId?: string | null;
  slots?: SlotPlanInput[];
};

// --- Booth and slot edits -------------------------------------------------------------------------

export type ExistingSlot = { id: string; boothId: string; bookedCount: number };
export type ExistingBooth = { id: string };

export type BoothPlan = {
  /** Booths to insert, with their position and slots. */
  add: Array<{ index: number; position: number; booth: BoothPlanInput }>;
  /** Booths to change (name, municipality, organization, position); `slots` undefined: slots unchanged. */
  update: Array<{ index: number; id: string; position: number; booth: BoothPlanInput }>;
  removeBooths: string[];
  /** Slots to insert into an existing booth. */
  addSlots: Array<{ boothId: string; slot: SlotPlanInput }>;
  updateSlots: Array<{ id: string; slot: SlotPlanInput }>;
  removeSlots: string[];
  problems: Record<string, FieldProblem>;
};

/**
 * Plans a PATCH of the booth list: the list sent replaces the booths. Items with an id change that
 * booth, items without are added, booths left out are removed; inside a booth that sends `slots`,
 * the same for its slots. Nothing that holds bookings is removed, no slot's capacity falls below
 * its bookings, and ids must belong to this event (and a slot to its booth).
 */
export function planBoothChanges(
  existingBooths: readonly ExistingBooth[],
  existingSlots: readonly ExistingSlot[],
  sent: readonly BoothPlanInput[],
): BoothPlan {
  const plan: BoothPlan = {
    add: [],
    update: [],
    removeBooths: [],
    addSlots: [],
    updateSlots: [],
    removeSlots: [],
    problems: {},
  };
  const boothIds = new Set(existingBooths.map((b) => b.id));
  const slotsById = new Map(existingSlots.map((s) => [s.id, s]));
  const keptBooths = new Set<string>();
  sent.forEach((booth, index) => {
    if (booth.id === undefined) {
      plan.add.push({ index, position: index, booth });
      return;
    }
    if (!boothIds.has(booth.id) || keptBooths.has(booth.id)) {
      plan.problems[`booths.${index}.id`] = { problem: 'not_in_event' };
      return;
    }
    keptBooths.add(booth.id);
    plan.update.push({ index, id: booth.id, position: index, booth });
    if (booth.slots === undefined) return;
    const keptSlots = new Set<string>();
    booth.slots.forEach((slot, j) => {
      const at = `booths.${index}.slots.${j}`;
      if (slot.id === undefined) {
        plan.addSlots.push({ boothId: booth.id!, slot });
        return;
      }
      const known = slotsById.get(slot.id);
      if (!known || known.boothId !== booth.id || keptSlots.has(slot.id)) {
        plan.problems[`${at}.id`] = { problem: 'not_in_event' };
        return;
      }
      keptSlots.add(slot.id);
      if (slot.capacity < known.bookedCount)
        plan.problems[`${at}.capacity`] = { problem: 'below_booked', params: { count: known.bookedCount } };
      plan.updateSlots.push({ id: slot.id, slot });
    });
    existingSlots
      .filter((s) => s.boothId === booth.id && !keptSlots.has(s.id))
      .forEach((s) => {
        if (s.bookedCount > 0)
          plan.problems[`booths.${index}.slots`] = { problem: 'slot_has_bookings', params: { count: s.bookedCount } };
        plan.removeSlots.push(s.id);
      });
  });
  for (const b of existingBooths) {
    if (keptBooths.has(b.id)) continue;
    const booked = existingSlots.filter((s) => s.boothId === b.id).reduce((n, s) => n + s.bookedCount, 0);
    if (booked > 0) plan.problems.booths = { problem: 'booth_has_bookings', params: { count: booked } };
    plan.removeBooths.push(b.id);
  }
  return plan;
}

// --- Registrations --------------------------------------------------------------------------------

/**
 * The municipalities a registration concerns, for engagement records and scope: the ones the
 * person chose, the municipality of the booth they booked, and the host municipality. Sorted, unique.
 */
export function registrationMunicipalities(input: {
  chosen: readonly string[];
  boothMunicipality?: string | null;
  hostMunicipality?: string | null;
}): string[] {
  const all = new Set(input.chosen);
  if (input.boothMunicipality) all.add(input.boothMunicipality);
  if (input.hostMunicipality) all.add(input.hostMunicipality);
  return [...all].sort();
}

/** Idempotency key of the engagement a check-in records for one municipality. */
export function checkinEngagementKey(registrationId: string, municipalityCode: string): string {
  return `event:${registrationId}:${municipalityCode}`;
}
