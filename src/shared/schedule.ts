/**
 * Event times and the schedule checks of an event with its slots: pure, so the server's events
 * module and the web's event form apply the same rules.
 */
import type { FieldProblem } from './codes.js';

const OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * The instant of an ISO 8601 date-time that states its offset (…Z or …+09:00); null for anything
 * else — a local time without offset would be ambiguous, and 2025-02-30 is not a date.
 */
export function parseOffsetDateTime(input: string): Date | null {
  const m = OFFSET_DATE_TIME.exec(input.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00', , offset] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  let offsetMinutes = 0;
  if (offset!.toUpperCase() !== 'Z') {
    const sign = offset![0] === '-' ? -1 : 1;
    const oh = Number(offset!.slice(1, 3));
    const om = Number(offset!.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = m[7] ? Math.floor(Number(m[7]) * 1000) : 0;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
}

export type Span = { startsAt: Date; endsAt: Date };

/**
 * Field problems of an event's times and its booths' slots: an event ends at or after it starts;
 * a slot ends after it starts and lies within the event. Paths name the field as sent
 * (`booths.0.slots.1.endsAt`).
 */
export function scheduleProblems(
  event: Span,
  booths: ReadonlyArray<{ slots?: ReadonlyArray<Span> }>,
): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  if (event.endsAt.getTime() < event.startsAt.getTime()) fields.endsAt = { problem: 'ends_before_start' };
  for (const [i, b] of booths.entries()) {
    for (const [j, s] of (b.slots ?? []).entries()) {
      const at = `booths.${i}.slots.${j}`;
      if (s.endsAt.getTime() <= s.startsAt.getTime()) fields[`${at}.endsAt`] = { problem: 'ends_before_start' };
      else if (s.startsAt.getTime() < event.startsAt.getTime() || s.endsAt.getTime() > event.endsAt.getTime()) {
        fields[`${at}.startsAt`] = { problem: 'slot_outside_event' };
      }
    }
  }
  return fields;
}
