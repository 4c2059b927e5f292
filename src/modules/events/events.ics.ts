/**
 * The calendar file (.ics) attached to an event's confirmation mail, made by the `ics` package.
 * Times are written in UTC (…Z) with the exact instant, so every calendar shows the right local
 * time without a VTIMEZONE block.
 */
import { createEvent } from 'ics';

export type CalendarEvent = {
  /** Stable across resends, so a calendar updates the entry instead of adding a second one. */
  uid: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  url: string | null;
};

/** The VCALENDAR text with one VEVENT. */
export function eventCalendar(event: CalendarEvent): string {
  const { error, value } = createEvent({
    productId: 'kankei/events',
    uid: event.uid,
    title: event.title,
    description: event.description,
    start: event.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: event.endsAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    ...(event.location ? { location: event.location } : {}),
    ...(event.url ? { url: event.url } : {}),
    method: 'PUBLISH',
  });
  if (error || !value) throw error ?? new Error('ics: no calendar produced');
  return value;
}
