/**
 * The places every scope is keyed by: regions, municipalities, organizations. Platform owns these
 * tables — staff accounts belong to a municipality or an organization, and every module's scope
 * condition and Citus distribution is keyed by the municipality code — while the places module
 * seeds them and serves them over HTTP.
 */
import { doublePrecision, index, integer, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/** Reference table (Citus: replicated to every node). A 総合支庁 area such as 村山. */
export const regions = pgTable('regions', {
  code: varchar('code', { length: 32 }).primaryKey(),
  prefectureCode: varchar('prefecture_code', { length: 2 }).notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  /** Official order within the prefecture (村山, 最上, 置賜, 庄内), not alphabetical. */
  position: integer('position').notNull().default(0),
});

/** Reference table. Code is the six-digit 全国地方公共団体コード with check digit. */
export const municipalities = pgTable(
  'municipalities',
  {
    code: varchar('code', { length: 6 }).primaryKey(),
    prefectureCode: varchar('prefecture_code', { length: 2 }).notNull(),
    regionCode: varchar('region_code', { length: 32 })
      .notNull()
      .references(() => regions.code),
    name: text('name').notNull(),
    kana: text('kana').notNull(),
    romaji: text('romaji').notNull(),
    type: varchar('type', { length: 16 }).notNull(),
    lat: doublePrecision('lat').notNull(),
    lon: doublePrecision('lon').notNull(),
  },
  (t) => [index('municipalities_region_idx').on(t.regionCode)],
);

/** Partner agencies, intermediaries, companies: who a `partner` staff account speaks for. */
export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: varchar('kind', { length: 32 }).notNull(),
  municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
