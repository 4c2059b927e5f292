import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';

/*
 * The needs analysis keeps computed answers and knows exactly when they go stale (docs/analytics.md).
 * Neither table holds personal data: results are aggregates, changes are transaction ids.
 * Citus: both stay local to the coordinator; see docs/analytics.md for the change log there.
 */

/**
 * A computed analysis for one fiscal year and municipality ('' = all), with the database snapshot
 * it was computed from (pg_snapshot text, taken before the computation began) and the version of
 * the code that computed it. Valid while no change to that year committed outside the snapshot.
 */
export const analyticsResults = pgTable(
  'analytics_results',
  {
    report: varchar('report', { length: 32 }).notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull().default(''),
    codeVersion: varchar('code_version', { length: 16 }).notNull(),
    snapshot: text('snapshot').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    result: jsonb('result').notNull(),
  },
  (t) => [primaryKey({ columns: [t.report, t.fiscalYear, t.municipalityCode] })],
);

/**
 * Which transactions changed data the analysis reads, one row per fiscal year each change touches
 * (a change to a case touches every year from its first consultation up to next year). Written by
 * statement-level triggers on consultations, cases and case_steps (migration analytics_change_log);
 * pruned once no kept result can need a row.
 */
export const analyticsChanges = pgTable(
  'analytics_changes',
  {
    fiscalYear: integer('fiscal_year').notNull(),
    /** pg_current_xact_id() of the changing transaction (xid8 as bigint). */
    xid: bigint('xid', { mode: 'bigint' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.fiscalYear, t.xid] }), index('analytics_changes_xid_idx').on(t.xid)],
);
