/**
 * A person's event registrations as the supporter self-service shows and exports them
 * (GET /api/me, /api/me/export). Kept apart from the service so the registry can import it
 * without an import cycle (the events service uses the registry's spam protection).
 */
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { Actor } from '../../platform/auth/actor.js';
import { eventRegistrationScope } from './events.scope.js';
import { toTokyoIso } from './events.rules.js';
import { boothSlots, eventBooths, eventRegistrations, events } from './events.tables.js';

export const MyEventData = z.object({
  eventRegistrations: z
    .array(
      z.object({
        id: z.uuid(),
        event: z.object({
          id: z.uuid(),
          title: z.string(),
          titleEn: z.string().nullable().describe('The English title, where the event has one (English pages show it)'),
          startsAt: z.string(),
          endsAt: z.string(),
          venue: z.string().nullable(),
        }),
        status: z.enum(['registered', 'cancelled']),
        /** When it was cancelled (by the person on the ticket page or by staff); null while registered. */
        cancelledAt: z.string().nullable(),
        municipalityCodes: z.array(z.string()),
        slot: z.object({ boothName: z.string(), startsAt: z.string(), endsAt: z.string() }).nullable(),
        createdAt: z.string(),
        checkedInAt: z.string().nullable(),
      }),
    )
    .describe('Events the person registered for'),
});
export type MyEventDataView = z.infer<typeof MyEventData>;

/** Without `actor`: all of them (the supporter's own data); with it (staff-side export): those in the actor's scope. */
export async function myEventData(db: Db, personId: string, actor?: Actor): Promise<MyEventDataView> {
  const rows = await db
    .select({ r: eventRegistrations, e: events, s: boothSlots, boothName: eventBooths.name })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .leftJoin(boothSlots, eq(boothSlots.id, eventRegistrations.slotId))
    .leftJoin(eventBooths, eq(eventBooths.id, boothSlots.boothId))
    .where(
      actor
        ? and(eq(eventRegistrations.personId, personId), eventRegistrationScope(actor))
        : eq(eventRegistrations.personId, personId),
    )
    .orderBy(desc(events.startsAt));
  return {
    eventRegistrations: rows.map(({ r, e, s, boothName }) => ({
      id: r.id,
      event: {
        id: e.id,
        title: e.title,
        titleEn: e.titleEn,
        startsAt: toTokyoIso(e.startsAt),
        endsAt: toTokyoIso(e.endsAt),
        venue: e.venue,
      },
      status: r.status as 'registered' | 'cancelled',
      cancelledAt: r.cancelledAt ? toTokyoIso(r.cancelledAt) : null,
      municipalityCodes: r.municipalityCodes,
      slot:
        s && boothName !== null ? { boothName, startsAt: toTokyoIso(s.startsAt), endsAt: toTokyoIso(s.endsAt) } : null,
      createdAt: toTokyoIso(r.createdAt),
      checkedInAt: r.checkedInAt ? toTokyoIso(r.checkedInAt) : null,
    })),
  };
}
