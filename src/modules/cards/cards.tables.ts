import { index, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { people } from '../people/index.js';

/**
 * Ed25519 keys that sign supporter cards. Reference table. A key signs while active; after
 * rotation it stays published in the JWKS until every card it signed has expired.
 */
export const signingKeys = pgTable('signing_keys', {
  kid: varchar('kid', { length: 64 }).primaryKey(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  privateJwk: jsonb('private_jwk').$type<Record<string, unknown>>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** No new signatures after this. */
  retiredAt: timestamp('retired_at', { withTimezone: true }),
  /** Latest expiry of a card this key signed; after it, the key leaves the JWKS. */
  publishedUntil: timestamp('published_until', { withTimezone: true }),
});

/** Digital supporter cards (デジタル住民票). The signed token is rebuilt from these fields. */
export const cards = pgTable(
  'cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    municipalityCodes: varchar('municipality_codes', { length: 6 }).array().notNull(),
    kid: varchar('kid', { length: 64 }).notNull(),
    token: text('token').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
    replacedBy: uuid('replaced_by'),
  },
  (t) => [index('cards_person_idx').on(t.personId), index('cards_revoked_idx').on(t.revokedAt)],
);

/**
 * Cards of people whose data was erased. The card rows go with the person, but a verifier who
 * checks offline must still learn that those cards are void until they expire: only the card id
 * and dates are kept, nothing about the person.
 */
export const erasedCards = pgTable('erased_cards', {
  id: uuid('id').primaryKey(),
  erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
