import { sql } from 'drizzle-orm';
import { check, customType, index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { people, supporterRegistrations } from '../people/index.js';

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

/**
 * Registration settings of a prefecture (one row per prefecture; none → the defaults of
 * registry.settings.ts): how many municipalities one person may be a registered supporter of, and
 * the privacy notice shown at /privacy (null → Kankei's default text in that language).
 * A reference table on Citus (tiny, read with every sign-up).
 */
export const registrySettings = pgTable(
  'registry_settings',
  {
    prefectureCode: varchar('prefecture_code', { length: 2 }).primaryKey(),
    registrationCap: integer('registration_cap').notNull().default(10),
    privacyNoticeJa: text('privacy_notice_ja'),
    privacyNoticeEn: text('privacy_notice_en'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [check('registry_settings_cap_range', sql`${t.registrationCap} between 1 and 50`)],
);

/** File contents kept in the database (evidence files: never public, erased with the person). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * Applications for the premium tier of a supporter registration (one municipality): the activity
 * it rests on, the evidence files, and the municipality's review — submitted → more_requested ⇄
 * submitted → approved | refused. Each step is a dated row of premium_application_steps.
 */
export const premiumApplications = pgTable(
  'premium_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => supporterRegistrations.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull(),
    activity: varchar('activity', { length: 24 }).notNull(),
    description: text('description').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('submitted'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    index('premium_applications_person_idx').on(t.personId),
    index('premium_applications_queue_idx').on(t.municipalityCode, t.status, t.updatedAt),
    check('premium_applications_status_check', sql`${t.status} in ('submitted','more_requested','approved','refused')`),
  ],
);

/** The dated steps of an application: submitted, more asked for, answered, approved, refused (with the message). */
export const premiumApplicationSteps = pgTable(
  'premium_application_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => premiumApplications.id, { onDelete: 'cascade' }),
    step: varchar('step', { length: 16 }).notNull(),
    message: text('message'),
    /** The reviewing staff member; null for the supporter's own steps. */
    staffId: uuid('staff_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('premium_application_steps_app_idx').on(t.applicationId, t.at)],
);

/** Evidence files of an application (images or PDF, checked by their first bytes), stored here, never public. */
export const premiumEvidence = pgTable(
  'premium_evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => premiumApplications.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    mediaType: varchar('media_type', { length: 40 }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    content: bytea('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('premium_evidence_app_idx').on(t.applicationId)],
);
