import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { municipalities } from '../../platform/places.tables.js';

/*
 * The plans the prefecture (or a municipality) is judged by, as data: a plan has a period of
 * fiscal years, indicators with a baseline, and a target increment per fiscal year — for the
 * whole plan area and, optionally, per municipality. Plans are few and read by every node: in
 * Citus all four tables are reference tables. The actuals are never stored here; they are computed
 * from the records by the rules in kpi.rules.ts / kpi.queries.ts (docs/kpi.md).
 */

/** A plan (地域再生計画 and the like): its name and the fiscal years it covers. */
export const kpiPlans = pgTable(
  'kpi_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable key: `seed-001` for the plan of seed 001, chosen by the admin for others. */
    code: varchar('code', { length: 40 }).notNull(),
    nameJa: text('name_ja').notNull(),
    nameEn: text('name_en').notNull(),
    fromFiscalYear: integer('from_fiscal_year').notNull(),
    toFiscalYear: integer('to_fiscal_year').notNull(),
    /** A municipality's own plan; null: the prefecture's. */
    municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('kpi_plans_code_idx').on(t.code),
    check(
      'kpi_plans_period',
      sql`${t.toFiscalYear} >= ${t.fromFiscalYear} and ${t.toFiscalYear} - ${t.fromFiscalYear} < 20`,
    ),
  ],
);

/** An indicator of a plan: which rule computes it (code), how it is named and its baseline. */
export const kpiIndicators = pgTable(
  'kpi_indicators',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => kpiPlans.id, { onDelete: 'cascade' }),
    /** One of KPI_CODES (kpi.schemas.ts): the rule that computes the actual. */
    code: varchar('code', { length: 40 }).notNull(),
    position: integer('position').notNull().default(0),
    labelJa: text('label_ja').notNull(),
    labelEn: text('label_en').notNull(),
    /** people | organizations | count */
    unit: varchar('unit', { length: 16 }).notNull(),
    /** The value before the plan (基準値), shown beside the targets; the targets are increments. */
    baseline: integer('baseline').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.planId, t.code] }), check('kpi_indicators_baseline', sql`${t.baseline} >= 0`)],
);

/** The target increment of an indicator in one fiscal year of its plan, for the whole plan area. */
export const kpiTargets = pgTable(
  'kpi_targets',
  {
    planId: uuid('plan_id').notNull(),
    indicatorCode: varchar('indicator_code', { length: 40 }).notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    target: integer('target').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.indicatorCode, t.fiscalYear] }),
    foreignKey({
      columns: [t.planId, t.indicatorCode],
      foreignColumns: [kpiIndicators.planId, kpiIndicators.code],
    }).onDelete('cascade'),
    check('kpi_targets_nonnegative', sql`${t.target} >= 0`),
  ],
);

/** Optional: a municipality's share of an indicator's target in one fiscal year. */
export const kpiMunicipalityTargets = pgTable(
  'kpi_municipality_targets',
  {
    planId: uuid('plan_id').notNull(),
    indicatorCode: varchar('indicator_code', { length: 40 }).notNull(),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    fiscalYear: integer('fiscal_year').notNull(),
    target: integer('target').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.indicatorCode, t.municipalityCode, t.fiscalYear] }),
    foreignKey({
      columns: [t.planId, t.indicatorCode],
      foreignColumns: [kpiIndicators.planId, kpiIndicators.code],
    }).onDelete('cascade'),
    check('kpi_municipality_targets_nonnegative', sql`${t.target} >= 0`),
  ],
);
