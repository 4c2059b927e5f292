import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { municipalities, organizations } from '../places.tables.js';

/** Staff accounts. Reference-sized; in Citus a reference table so every node can check sessions. */
export const staff = pgTable(
  'staff',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased, NFKC-normalized; unique. */
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: varchar('role', { length: 32 }).notNull(),
    municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
    organizationId: uuid('organization_id').references(() => organizations.id),
    passwordHash: text('password_hash').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    isDemo: integer('is_demo').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('staff_role_check', sql`${t.role} in ('prefecture_admin','center_staff','municipality_staff','partner')`),
    check('staff_municipality_bound', sql`(${t.role} = 'municipality_staff') = (${t.municipalityCode} is not null)`),
    check('staff_partner_bound', sql`(${t.role} = 'partner') = (${t.organizationId} is not null)`),
  ],
);

/** Cookie sessions. Only a SHA-256 of the cookie value is stored, so a database leak opens no session. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_staff_idx').on(t.staffId)],
);

/** Bearer tokens for scripts; hashed at rest, shown once, revocable. They act as `staffId`. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    name: text('name').notNull(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_staff_idx').on(t.staffId)],
);

/**
 * Sign-in attempts per key — an account by its email, whether or not such an account exists, or a
 * client IP — so that throttling answers alike for known and unknown emails. Keys are stored as
 * SHA-256 (`login-throttle.ts`): mistyped email addresses are not kept. A row is counted up when
 * an attempt is let through (before its password is checked), cleared by a successful sign-in,
 * and swept a day after its last attempt. Reference table in Citus, like staff.
 */
export const loginThrottle = pgTable('login_throttle', {
  keyHash: text('key_hash').primaryKey(),
  /** Attempts let through since the last successful sign-in (each one a failure unless it succeeded). */
  failures: integer('failures').notNull(),
  lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }).notNull(),
  /** No attempt for this key is let through before this time. */
  waitUntil: timestamp('wait_until', { withTimezone: true }),
});
