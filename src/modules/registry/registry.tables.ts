import { index, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { people } from '../people/index.js';

/**
 * A public sign-up (ふるさと住民票). Pending until the email link is followed; the submitted data
 * waits in `payload` and becomes a person (or joins the existing one with that email) on
 * confirmation. One pending sign-up per address: a repeat replaces its data (see
 * createRegistration). Unconfirmed sign-ups are purged after a week.
 */
export const registrations = pgTable(
  'registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'cascade' }),
    emailKey: text('email_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    municipalityCodes: varchar('municipality_codes', { length: 6 }).array().notNull(),
    confirmTokenHash: text('confirm_token_hash').unique(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    ip: text('ip'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** When the confirmation link now valid was mailed: the address gets at most one such mail per interval. */
    mailedAt: timestamp('mailed_at', { withTimezone: true }),
  },
  (t) => [index('registrations_person_idx').on(t.personId), index('registrations_email_idx').on(t.emailKey)],
);

/** Email sign-in links and the sessions they open for supporters (not staff). */
export const supporterLogins = pgTable(
  'supporter_logins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** 'link' (one-time, from the mail) or 'session' (cookie after following the link). */
    kind: varchar('kind', { length: 16 }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('supporter_logins_person_idx').on(t.personId)],
);
