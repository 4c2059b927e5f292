import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
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

/*
 * The yearly evaluation (施策評価) of a plan's fiscal year: a draft the prefecture and the center
 * write — commentary per indicator, the external committee's opinions (有識者の意見) — until a
 * prefecture admin approves it. Approval freezes the report's data (`snapshot`, the
 * EvaluationReportData of kpi.report-data.ts with the figures as computed that day), so the public
 * page, the open data and the PDF/XLSX show what was approved even when records change later.
 * Few rows, read with the plan: reference tables in Citus like the plans.
 */
export const kpiEvaluations = pgTable(
  'kpi_evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => kpiPlans.id, { onDelete: 'cascade' }),
    fiscalYear: integer('fiscal_year').notNull(),
    /** draft | approved */
    status: varchar('status', { length: 16 }).notNull().default('draft'),
    approvedBy: uuid('approved_by'),
    /** The approver's name as printed in the report (kept: the staff record may change). */
    approvedByName: text('approved_by_name'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    /** EvaluationReportData at approval (staff figures; the public view is derived from it). */
    snapshot: jsonb('snapshot'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('kpi_evaluations_plan_year_idx').on(t.planId, t.fiscalYear),
    check('kpi_evaluations_status', sql`${t.status} in ('draft', 'approved')`),
    check(
      'kpi_evaluations_approval',
      sql`(${t.status} = 'draft' and ${t.approvedAt} is null and ${t.snapshot} is null) or (${t.status} = 'approved' and ${t.approvedAt} is not null and ${t.snapshot} is not null and ${t.approvedByName} is not null)`,
    ),
  ],
);

/** The prefecture's own assessment of one indicator in an evaluation (one text per indicator). */
export const kpiEvaluationCommentary = pgTable(
  'kpi_evaluation_commentary',
  {
    evaluationId: uuid('evaluation_id')
      .notNull()
      .references(() => kpiEvaluations.id, { onDelete: 'cascade' }),
    indicatorCode: varchar('indicator_code', { length: 40 }).notNull(),
    text: text('text').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.evaluationId, t.indicatorCode] })],
);

/** An opinion of the external committee (有識者会議), as given on a date by the committee or a member. */
export const kpiCommitteeOpinions = pgTable('kpi_committee_opinions', {
  id: uuid('id').primaryKey().defaultRandom(),
  evaluationId: uuid('evaluation_id')
    .notNull()
    .references(() => kpiEvaluations.id, { onDelete: 'cascade' }),
  givenOn: date('given_on', { mode: 'string' }).notNull(),
  author: text('author').notNull(),
  /** The indicator it is about; null: the plan as a whole. */
  indicatorCode: varchar('indicator_code', { length: 40 }),
  text: text('text').notNull(),
  recordedBy: uuid('recorded_by'),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
});

/*
 * Kept figures (kpi.kept.ts): the rows one rule computed for one fiscal year (all municipalities),
 * kept while they are exactly what a new computation would give — computed by the same code and
 * with no change to the records the rule reads committed outside the snapshot taken before the
 * computation. Every source table has a statement-level trigger (migration kpi_kept_figures)
 * logging the changing transaction per source in kpi_changes. Small, prefecture-wide rows, read
 * with every dashboard: reference tables in Citus (docs/architecture.md).
 */
export const kpiKeptFigures = pgTable(
  'kpi_kept_figures',
  {
    /** The rule's source key: moves (①), relationship (②), exchange (③), continuing (例2). */
    source: varchar('source', { length: 16 }).notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    codeVersion: varchar('code_version', { length: 16 }).notNull(),
    snapshot: text('snapshot').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    rows: jsonb('rows').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.fiscalYear] })],
);

/** Which transactions changed the records a source reads (statement triggers; pruned once no kept figure needs them). */
export const kpiChanges = pgTable(
  'kpi_changes',
  {
    source: varchar('source', { length: 16 }).notNull(),
    /** pg_current_xact_id() of the changing transaction (xid8 as bigint). */
    xid: bigint('xid', { mode: 'bigint' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.xid] }), index('kpi_changes_xid_idx').on(t.xid)],
);
