import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { municipalities } from '../../platform/places.tables.js';
import { PROFILE_LIMITS } from '../../shared/domain.js';

/**
 * Text compared byte by byte (code point order) whatever the database's locale: the people list's
 * kana order is the same on PGlite, PostgreSQL and every Citus worker, and a prefix is a range.
 */
const textC = customType<{ data: string; driverData: string }>({ dataType: () => 'text collate "C"' });

/**
 * People: the contacts at the heart of Kankei. A person spans municipalities, so the table is
 * distributed by `id` in Citus and `person_links` is co-located on `person_id`.
 */
export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kana: text('kana'),
    email: text('email'),
    /** Dedupe key: NFKC, trimmed, lower-case. */
    emailKey: text('email_key'),
    phone: text('phone'),
    /** Dedupe key: digits only, +81 folded to 0. */
    phoneKey: text('phone_key'),
    postalCode: varchar('postal_code', { length: 8 }),
    prefecture: varchar('prefecture', { length: 8 }),
    city: text('city'),
    birthYear: integer('birth_year'),
    notes: text('notes'),
    /** Normalized name, kana, email and phone digits, compared by search. */
    searchText: text('search_text').notNull(),
    /** Characters and bigrams of searchText; GIN-indexed. */
    searchGrams: text('search_grams').array().notNull(),
    /**
     * The people list's order: the reading (normalized kana) when there is one, else the normalized
     * name — lines of searchText, so every way a person is written (the service, the donor import's
     * bulk path, a COPY) keeps it right. Kept by the database; read docs/people-search.md.
     */
    sortKey: textC('sort_key')
      .notNull()
      .generatedAlwaysAs(
        sql`case when kana is not null and split_part(search_text, E'\\n', 2) not in (coalesce(email_key, ''), coalesce(phone_key, '')) then split_part(search_text, E'\\n', 2) else split_part(search_text, E'\\n', 1) end`,
      ),
    /** The normalized name (first line of searchText): a search's name-prefix hits are a range of its index. */
    nameKey: textC('name_key').notNull().generatedAlwaysAs(sql`split_part(search_text, E'\\n', 1)`),
    /**
     * The person's links as search keys (`linkKeysOf`: each link's municipality, municipality:kind
     * and :kind), in the search GIN index beside the grams, so a municipality's share of a search
     * is one index scan instead of a lookup of every match's links. person_links is the truth: a
     * trigger on it keeps this column (migration 0021); writers that know the links at insert
     * (createPerson, the donor import) set it then, so the trigger finds nothing to change.
     */
    linkKeys: text('link_keys').array().notNull().default(sql`'{}'::text[]`),
    isDemo: integer('is_demo').notNull().default(0),
    mergedInto: uuid('merged_into'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('people_email_key_idx').on(t.emailKey),
    index('people_phone_key_idx').on(t.phoneKey),
    // One GIN index over both: a search within a municipality intersects the grams' and the
    // municipality's entries inside the index (docs/people-search.md).
    index('people_search_idx').using('gin', t.searchGrams, t.linkKeys),
    // The interactive list walks these in order (keyset paging), so a page never sorts every match.
    // people_sort_idx also carries (INCLUDE) the columns a walk tests — name, email and phone keys,
    // created_at, search_text, link_keys — so its walks are index-only: migration 0026 (Drizzle
    // cannot declare INCLUDE; key and predicate here are the index's own).
    index('people_sort_idx').on(t.sortKey, t.id).where(sql`${t.deletedAt} is null`),
    index('people_created_idx').on(t.createdAt, t.id).where(sql`${t.deletedAt} is null`),
    // A search's prefix hits, per key: ranges in byte order whatever the database's locale.
    index('people_name_key_idx').on(t.nameKey, t.id).where(sql`${t.deletedAt} is null`),
    index('people_email_prefix_idx')
      .on(sql`${t.emailKey} collate "C"`, t.id)
      .where(sql`${t.deletedAt} is null and ${t.emailKey} is not null`),
    index('people_phone_prefix_idx')
      .on(sql`${t.phoneKey} collate "C"`, t.id)
      .where(sql`${t.deletedAt} is null and ${t.phoneKey} is not null`),
    check('people_birth_year_range', sql`${t.birthYear} is null or ${t.birthYear} between 1900 and 2100`),
  ],
);

export const personLinks = pgTable(
  'person_links',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    kind: varchar('kind', { length: 16 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.municipalityCode, t.kind] }),
    index('person_links_municipality_idx').on(t.municipalityCode, t.personId),
    check('person_links_kind_check', sql`${t.kind} in ('roots','interest','supporter','moved_in')`),
  ],
);

/**
 * What a supporter told us about themselves: roots, interests, skills, how to be involved, and how
 * much they can take on (hours per month, concurrent projects). It lives with the person rather
 * than with the sign-up that first fills it, because matching (docs/matching.md) searches it.
 * `skill_keys` are the skills as compared (shared/normalize searchKey: NFKC, lower case, hiragana,
 * no spaces), GIN-indexed for the candidate search; written with `skills`.
 */
export const supporterProfiles = pgTable(
  'supporter_profiles',
  {
    personId: uuid('person_id')
      .primaryKey()
      .references(() => people.id, { onDelete: 'cascade' }),
    roots: text('roots').array().notNull().default([]),
    rootsOther: text('roots_other'),
    interests: text('interests').array().notNull().default([]),
    skills: text('skills').array().notNull().default([]),
    skillKeys: text('skill_keys').array().notNull().default([]),
    involvement: text('involvement').array().notNull().default([]),
    /** Hours per month they can give to projects; null when not said. */
    hoursPerMonth: integer('hours_per_month'),
    /** Projects they can take part in at the same time. */
    projectCapacity: integer('project_capacity').notNull().default(1),
    /** The language mails to the supporter are written in: the one of their latest sign-up. */
    mailLocale: varchar('mail_locale', { length: 2 }).notNull().default('ja'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('supporter_profiles_skill_keys_idx').using('gin', t.skillKeys),
    check(
      'supporter_profiles_hours_range',
      sql`${t.hoursPerMonth} is null or ${t.hoursPerMonth} between 0 and ${sql.raw(String(PROFILE_LIMITS.hoursPerMonth))}`,
    ),
    check('supporter_profiles_mail_locale', sql`${t.mailLocale} in ('ja', 'en')`),
    check(
      'supporter_profiles_capacity_range',
      sql`${t.projectCapacity} between 1 and ${sql.raw(String(PROFILE_LIMITS.projectCapacity))}`,
    ),
  ],
);

/**
 * Consents, one row per decision (history kept): the latest row per person, purpose and
 * municipality is in force. `municipality_code` is set for sharing with one municipality.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    purpose: varchar('purpose', { length: 40 }).notNull(),
    municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
    granted: boolean('granted').notNull(),
    source: varchar('source', { length: 32 }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('consents_person_idx').on(t.personId, t.purpose, t.recordedAt)],
);

/** A supporter registration's tier (ふるさと住民登録): basic is what sign-up gives; premium is applied for and reviewed. */
export const SUPPORTER_TIERS = ['basic', 'premium'] as const;
export type SupporterTier = (typeof SUPPORTER_TIERS)[number];
/**
 * How sure Kankei is of who registered: `none` (staff typed the link; nothing checked), `email`
 * (the address was confirmed by a mailed link), `document_checked` (staff saw an ID, on a date).
 * Room for a public-key identity check later. Nothing is claimed that was not checked.
 */
export const IDENTITY_ASSURANCES = ['none', 'email', 'document_checked'] as const;
export type IdentityAssurance = (typeof IDENTITY_ASSURANCES)[number];

/**
 * A supporter registration per municipality: one for every `supporter` link (a trigger on
 * person_links keeps them paired — migration `supporter_registrations_pairing` — whoever writes the link), with its tier and
 * identity assurance. Distributed by `person_id` like the links.
 */
export const supporterRegistrations = pgTable(
  'supporter_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    tier: varchar('tier', { length: 16 }).$type<SupporterTier>().notNull().default('basic'),
    premiumSince: timestamp('premium_since', { withTimezone: true }),
    identityAssurance: varchar('identity_assurance', { length: 24 })
      .$type<IdentityAssurance>()
      .notNull()
      .default('none'),
    /** document_checked: the day staff saw the ID, and who. */
    identityCheckedOn: varchar('identity_checked_on', { length: 10 }),
    identityCheckedBy: uuid('identity_checked_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('supporter_registrations_person_municipality').on(t.personId, t.municipalityCode),
    index('supporter_registrations_municipality_idx').on(t.municipalityCode, t.tier),
    check('supporter_registrations_tier_check', sql`${t.tier} in ('basic','premium')`),
    check(
      'supporter_registrations_identity_check',
      sql`${t.identityAssurance} in ('none','email','document_checked') and (${t.identityAssurance} = 'document_checked') = (${t.identityCheckedOn} is not null and ${t.identityCheckedBy} is not null)`,
    ),
  ],
);
