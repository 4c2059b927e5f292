/**
 * Outreach's tables: the organization that speaks in every mail (sender identity), kept per tenant
 * — the prefecture whose municipalities the deployment serves (docs/outreach.md).
 */
import { index, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/**
 * Reference table (Citus: replicated, one row per prefecture). Who mails come from: the From name
 * and address, the Reply-To, the signature under every mail and the short name in subjects.
 */
export const organizationSettings = pgTable('organization_settings', {
  prefectureCode: varchar('prefecture_code', { length: 2 }).primaryKey(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  senderAddress: text('sender_address').notNull(),
  replyTo: text('reply_to'),
  signature: text('signature').notNull(),
  contact: text('contact').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

/**
 * Saved segments: a name and the filters (docs/outreach.md), saved per tenant and owned by a
 * municipality (its staff's) or the prefecture (null). Who a segment lists is decided at each read
 * and always within the reader's scope. Distributed by id (not personal data).
 */
export const segments = pgTable(
  'segments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    prefectureCode: varchar('prefecture_code', { length: 2 }).notNull(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<Record<string, unknown>>().notNull(),
    /** The municipality whose staff made it (they and the prefecture see it); null: prefecture-wide. */
    municipalityCode: varchar('municipality_code', { length: 6 }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('segments_owner_idx').on(t.prefectureCode, t.municipalityCode)],
);
