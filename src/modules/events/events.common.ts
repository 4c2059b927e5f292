/**
 * What the events module's services share: names of municipalities and organizations for views,
 * the slot of an event, the ticket token, and where the
 * background mails of a staff action go.
 */
import { and, asc, count, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import type { JobQueue } from '../../platform/jobs.js';
import { getSecret, hmac } from '../../platform/secrets.js';
import type { EventKind, EventStatus } from '../../shared/domain.js';
import { municipalities, organizations } from '../../platform/places.tables.js';
import { parseOffsetDateTime, toTokyoIso } from './events.rules.js';
import { boothSlots, eventBooths, eventRegistrations, events } from './events.tables.js';
import type { EventSummaryView, PublicEventView } from './events.schemas.js';

export type EventRow = typeof events.$inferSelect;
export type { Tx } from '../../platform/db/unit-of-work.js';

/** Parsed by the schema already; a null here would be a bug, not bad input. */
export const instant = (iso: string): Date =>
  parseOffsetDateTime(iso) ??
  (() => {
    throw new AppError('BAD_REQUEST');
  })();

// --- Presenting ----------------------------------------------------------------------------------

export type Names = { municipalities: Map<string, string>; organizations: Map<string, string> };

export async function loadNames(db: Db, codes: Array<string | null>, orgIds: Array<string | null>): Promise<Names> {
  const c = [...new Set(codes.filter((x): x is string => Boolean(x)))];
  const o = [...new Set(orgIds.filter((x): x is string => Boolean(x)))];
  const [ms, os] = await Promise.all([
    c.length
      ? db
          .select({ code: municipalities.code, name: municipalities.name })
          .from(municipalities)
          .where(inArray(municipalities.code, c))
      : [],
    o.length
      ? db
          .select({ id: organizations.id, name: organizations.name })
          .from(organizations)
          .where(inArray(organizations.id, o))
      : [],
  ]);
  return {
    municipalities: new Map(ms.map((m) => [m.code, m.name])),
    organizations: new Map(os.map((x) => [x.id, x.name])),
  };
}

export const municipalityRef = (names: Names, code: string | null) =>
  code ? { code, name: names.municipalities.get(code) ?? code } : null;
export const organizationRef = (names: Names, id: string | null) =>
  id ? { id, name: names.organizations.get(id) ?? '' } : null;

/** Where the background mails of an action go: the queue and the base of their links. */
export type EventMailDeps = { jobs: JobQueue; publicUrl: string };

/**
 * The check-in token of a registration: an HMAC of its id under a server secret. As unguessable
 * as a random token (the id is random, the key is 256 random bits), but it can be derived again,
 * so re-registering resends the same ticket instead of voiding the first one. Only its SHA-256 is
 * stored (`qr_token_hash`): the database alone cannot make a ticket.
 */
export async function ticketToken(db: Db, registrationId: string): Promise<string> {
  return hmac(await getSecret(db, 'event-ticket'), registrationId);
}

export type SlotInfo = {
  id: string;
  boothId: string;
  boothName: string;
  /** The booth's English name; null: none (English readers get the Japanese one). */
  boothNameEn: string | null;
  municipalityCode: string | null;
  startsAt: Date;
  endsAt: Date;
};

export async function slotOfEvent(db: Db, eventId: string, slotId: string): Promise<SlotInfo | null> {
  const [row] = await db
    .select({
      id: boothSlots.id,
      boothId: boothSlots.boothId,
      boothName: eventBooths.name,
      boothNameEn: eventBooths.nameEn,
      municipalityCode: eventBooths.municipalityCode,
      startsAt: boothSlots.startsAt,
      endsAt: boothSlots.endsAt,
    })
    .from(boothSlots)
    .innerJoin(eventBooths, eq(eventBooths.id, boothSlots.boothId))
    .where(and(eq(boothSlots.id, slotId), eq(boothSlots.eventId, eventId)));
  return row ?? null;
}

export const slotRef = (
  s: Pick<SlotInfo, 'id' | 'boothId' | 'boothName' | 'boothNameEn' | 'startsAt' | 'endsAt'> | null,
) =>
  s
    ? {
        id: s.id,
        boothId: s.boothId,
        boothName: s.boothName,
        boothNameEn: s.boothNameEn,
        startsAt: toTokyoIso(s.startsAt),
        endsAt: toTokyoIso(s.endsAt),
      }
    : null;

export function presentEvent(e: EventRow, checkedInCount: number, names: Names): EventSummaryView {
  return {
    id: e.id,
    kind: e.kind as EventKind,
    title: e.title,
    description: e.description,
    titleEn: e.titleEn,
    descriptionEn: e.descriptionEn,
    startsAt: toTokyoIso(e.startsAt),
    endsAt: toTokyoIso(e.endsAt),
    venue: e.venue,
    onlineUrl: e.onlineUrl,
    capacity: e.capacity,
    registeredCount: e.registeredCount,
    checkedInCount,
    status: e.status as EventStatus,
    hostMunicipality: municipalityRef(names, e.hostMunicipalityCode),
    venueMunicipalityCode: e.venueMunicipalityCode,
    isDemo: e.isDemo === 1,
    createdAt: toTokyoIso(e.createdAt),
    updatedAt: toTokyoIso(e.updatedAt),
  };
}

export function presentPublicEvent(e: EventRow, names: Names): PublicEventView {
  const freePlaces = e.capacity === null ? null : Math.max(0, e.capacity - e.registeredCount);
  return {
    id: e.id,
    kind: e.kind as EventKind,
    title: e.title,
    description: e.description,
    titleEn: e.titleEn,
    descriptionEn: e.descriptionEn,
    startsAt: toTokyoIso(e.startsAt),
    endsAt: toTokyoIso(e.endsAt),
    venue: e.venue,
    isOnline: Boolean(e.onlineUrl),
    freePlaces,
    isFull: freePlaces === 0,
    hostMunicipality: municipalityRef(names, e.hostMunicipalityCode),
  };
}

export const checkedInCounts = async (db: Db, eventIds: string[]) => {
  if (!eventIds.length) return new Map<string, number>();
  const rows = await db
    .select({ eventId: eventRegistrations.eventId, n: count() })
    .from(eventRegistrations)
    .where(
      and(
        inArray(eventRegistrations.eventId, eventIds),
        isNotNull(eventRegistrations.checkedInAt),
        eq(eventRegistrations.status, 'registered'),
      ),
    )
    .groupBy(eventRegistrations.eventId);
  return new Map(rows.map((r) => [r.eventId, Number(r.n)]));
};

export async function boothsOf(db: Db, eventId: string) {
  const [booths, slots] = await Promise.all([
    db
      .select()
      .from(eventBooths)
      .where(eq(eventBooths.eventId, eventId))
      .orderBy(asc(eventBooths.position), asc(eventBooths.name)),
    db
      .select()
      .from(boothSlots)
      .where(eq(boothSlots.eventId, eventId))
      .orderBy(asc(boothSlots.startsAt), asc(boothSlots.id)),
  ]);
  return { booths, slots };
}

export async function eventRow(db: Db, id: string): Promise<EventRow> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}
