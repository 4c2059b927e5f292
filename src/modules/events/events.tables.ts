import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { municipalities, organizations } from '../../platform/places.tables.js';
import { people } from '../people/index.js';

/**
 * An event the center (or a municipality) runs. Not personal data; in Citus distributed by id
 * (registrations are co-located with people, not with events). `registered_count` is kept by a
 * conditional UPDATE in the registration transaction, so capacity holds under concurrent sign-ups
 * without table locks or SERIALIZABLE.
 */
export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: varchar('kind', { length: 32 }).notNull(),
    title: text('title').notNull(),
    description: text('description'),
    /** English title and description for the public pages in English; null: the Japanese ones are shown. */
    titleEn: text('title_en'),
    descriptionEn: text('description_en'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    venue: text('venue'),
    onlineUrl: text('online_url'),
    /** null: no limit. */
    capacity: integer('capacity'),
    registeredCount: integer('registered_count').notNull().default(0),
    status: varchar('status', { length: 16 }).notNull().default('published'),
    /** The municipality that hosts it; null for the center's own (prefecture-wide) events. */
    hostMunicipalityCode: varchar('host_municipality_code', { length: 6 }).references(() => municipalities.code),
    /**
     * The municipality of the prefecture the event takes place in; null: outside the prefecture
     * (a fair in Tokyo) or online. Only events held in the prefecture bring visitors (KPI ③).
     */
    venueMunicipalityCode: varchar('venue_municipality_code', { length: 6 }).references(() => municipalities.code),
    isDemo: integer('is_demo').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('events_starts_idx').on(t.startsAt),
    index('events_venue_municipality_idx').on(t.venueMunicipalityCode),
    check('events_time_order', sql`${t.endsAt} >= ${t.startsAt}`),
    check('events_capacity_positive', sql`${t.capacity} is null or ${t.capacity} > 0`),
    check('events_capacity_held', sql`${t.capacity} is null or ${t.registeredCount} <= ${t.capacity}`),
  ],
);

/** A booth at an event, staffed by a municipality and/or a partner agency (or the center when both are null). */
export const eventBooths = pgTable(
  'event_booths',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // English pages show this when set, the Japanese name otherwise (a booth's name is its own, not its organization's).
    nameEn: text('name_en'),
    municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
    organizationId: uuid('organization_id').references(() => organizations.id),
    position: integer('position').notNull().default(0),
  },
  (t) => [index('event_booths_event_idx').on(t.eventId, t.position)],
);

/** A bookable consultation slot at a booth. `booked_count` is kept like events.registered_count. */
export const boothSlots = pgTable(
  'booth_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    boothId: uuid('booth_id')
      .notNull()
      .references(() => eventBooths.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull().default(1),
    bookedCount: integer('booked_count').notNull().default(0),
  },
  (t) => [
    index('booth_slots_booth_idx').on(t.boothId, t.startsAt),
    check('booth_slots_capacity_held', sql`${t.capacity} > 0 and ${t.bookedCount} between 0 and ${t.capacity}`),
  ],
);

/**
 * A person's registration for an event. Personal data, co-located with people (person_id).
 * The QR code carries a random token; only its hash is stored. Check-in is one conditional UPDATE
 * (`checked_in_at is null`), so a registration is checked in exactly once however many scanners race.
 */
export const eventRegistrations = pgTable(
  'event_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    slotId: uuid('slot_id').references(() => boothSlots.id, { onDelete: 'set null' }),
    /** Municipalities the registrant wants to talk to (and, with consent, shares their data with). */
    municipalityCodes: varchar('municipality_codes', { length: 6 }).array().notNull().default(sql`'{}'`),
    status: varchar('status', { length: 16 }).notNull().default('registered'),
    qrTokenHash: text('qr_token_hash').notNull(),
    source: varchar('source', { length: 16 }).notNull().default('public'),
    checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
    checkedInBy: uuid('checked_in_by'),
    checkinMethod: varchar('checkin_method', { length: 16 }),
    /** The language the registrant used (ja | en): later mails about the registration are written in it. */
    locale: varchar('locale', { length: 2 }).notNull().default('ja'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** When the public registration last had its ticket mailed: registering again resends it at most once per interval. */
    ticketMailedAt: timestamp('ticket_mailed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('event_registrations_person_idx').on(t.personId, t.eventId),
    uniqueIndex('event_registrations_qr_idx').on(t.qrTokenHash),
    index('event_registrations_event_idx').on(t.eventId, t.createdAt),
    // KPI ③ counts the check-ins of a fiscal year (docs/kpi.md).
    index('event_registrations_checked_in_idx').on(t.checkedInAt, t.eventId).where(sql`${t.checkedInAt} is not null`),
    check('event_registrations_status_check', sql`${t.status} in ('registered','cancelled')`),
  ],
);

/**
 * Visitors counted at an event without registering (fair visitors at the door, a tour group, a
 * conference or tournament brought to the prefecture — 学会・大会誘致), with the date, who counted
 * and a note on the evidence. Not personal data; co-located with events (event_id) in Citus.
 */
export const eventHeadcounts = pgTable(
  'event_headcounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** The day the people were there (Japan): it decides the fiscal year they count in. */
    countedOn: date('counted_on', { mode: 'string' }).notNull(),
    count: integer('count').notNull(),
    note: text('note'),
    countedBy: uuid('counted_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('event_headcounts_event_idx').on(t.eventId, t.countedOn),
    index('event_headcounts_counted_idx').on(t.countedOn),
    check('event_headcounts_count_positive', sql`${t.count} between 1 and 1000000`),
  ],
);
