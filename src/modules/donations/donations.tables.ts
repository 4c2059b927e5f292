import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { municipalities } from '../../platform/places.tables.js';
import { people } from '../people/index.js';

/** One uploaded donor file (ふるさと納税 寄附者一覧) for one receiving municipality. */
export const donationImports = pgTable(
  'donation_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    encoding: varchar('encoding', { length: 16 }).notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>().notNull(),
    status: varchar('status', { length: 16 }).notNull(),
    totalRows: integer('total_rows').notNull().default(0),
    importedRows: integer('imported_rows').notNull().default(0),
    duplicateRows: integer('duplicate_rows').notNull().default(0),
    refusedRows: integer('refused_rows').notNull().default(0),
    newPeople: integer('new_people').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('donation_imports_municipality_idx').on(t.municipalityCode, t.createdAt)],
);

/**
 * What the import did with each row, and why it refused one. A line stands for `row_count`
 * consecutive rows from `row_number` on with the same outcome: refused and duplicate rows have a
 * line each, a run of imported rows shares one (person and donation record of each row are found
 * through the record's id, derived from the import id and the row number — see
 * importEngagementId). GET /api/imports/:id presents the report row by row.
 */
export const donationImportRows = pgTable(
  'donation_import_rows',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => donationImports.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    rowCount: integer('row_count').notNull().default(1),
    /** imported | duplicate | refused */
    outcome: varchar('outcome', { length: 16 }).notNull(),
    /** Problems as {field, problem} pairs for refused rows. */
    problems: jsonb('problems').$type<Array<{ field: string; problem: string; value?: string }>>(),
    personId: uuid('person_id'),
    engagementId: uuid('engagement_id'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] })],
);

/** The certification rule of a prefecture (e.g. 山形 心のふるさと県民: donations in 3 consecutive years). */
export const certificationRules = pgTable(
  'certification_rules',
  {
    prefectureCode: varchar('prefecture_code', { length: 2 }).notNull(),
    kind: varchar('kind', { length: 32 }).notNull(),
    label: text('label').notNull(),
    consecutiveYears: integer('consecutive_years').notNull(),
    /** calendar (Jan–Dec, as ふるさと納税 deductions are counted) or fiscal (Apr–Mar). */
    yearBasis: varchar('year_basis', { length: 16 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefectureCode, t.kind] })],
);

/** Certifications held, recomputed from donation records after each import. */
export const certifications = pgTable(
  'certifications',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    kind: varchar('kind', { length: 32 }).notNull(),
    prefectureCode: varchar('prefecture_code', { length: 2 }).notNull(),
    since: date('since', { mode: 'string' }).notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.kind, t.prefectureCode] })],
);
