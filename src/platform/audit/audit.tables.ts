import { index, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/**
 * Append-only audit trail. A trigger (migration 0001) refuses UPDATE and DELETE, so not even a
 * bug in the app can rewrite history — except forgetting the IP and user agent of a public or
 * self-service row when its person is erased (migration 0014, forgetPublicOrigins). Rows name the person by id only: details never carry
 * personal data, so a data-subject purge leaves a trail without the person in it.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorStaffId: uuid('actor_staff_id'),
    /** The actor's email at the time, kept even if the account is later removed. */
    actorLabel: text('actor_label'),
    /** How the actor authenticated: session, token, system. */
    via: varchar('via', { length: 16 }).notNull(),
    action: varchar('action', { length: 64 }).notNull(),
    entityType: varchar('entity_type', { length: 32 }),
    entityId: text('entity_id'),
    personId: uuid('person_id'),
    municipalityCode: varchar('municipality_code', { length: 6 }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_person_idx').on(t.personId, t.at),
    index('audit_actor_idx').on(t.actorStaffId, t.at),
    index('audit_at_idx').on(t.at),
  ],
);
