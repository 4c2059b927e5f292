import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { municipalities } from '../../platform/places.tables.js';
import { people } from '../people/index.js';

/**
 * One touch between a person and a municipality. Tenant-scoped (carries municipality_code);
 * in Citus distributed by person_id and co-located with people, because stages are derived per
 * person. `external_key` makes imports idempotent: the same source row never counts twice.
 */
export const engagements = pgTable(
  'engagements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    kind: varchar('kind', { length: 32 }).notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    /** Where the record came from: manual, registration, donation_import, event… */
    source: varchar('source', { length: 32 }).notNull(),
    sourceRef: text('source_ref'),
    amountYen: integer('amount_yen'),
    note: text('note'),
    externalKey: text('external_key'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('engagements_person_idx').on(t.personId, t.occurredOn),
    index('engagements_municipality_idx').on(t.municipalityCode, t.occurredOn),
    uniqueIndex('engagements_external_key_idx').on(t.personId, t.externalKey),
    check('engagements_amount_nonnegative', sql`${t.amountYen} is null or ${t.amountYen} >= 0`),
  ],
);
