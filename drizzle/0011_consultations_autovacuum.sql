-- The needs analysis reads a fiscal year's consultations from consultations_analysis_idx alone
-- (index-only scans, src/modules/analytics/analytics.queries.ts). That stays cheap only while the
-- visibility map is current: a page written or updated since the last vacuum costs a heap visit per
-- row, in person order. The defaults (a vacuum after 20 % of the table is new or dead: 200,000 rows
-- at 1,000,000 consultations, more than a year of them) would leave the running year almost all
-- unvisited; vacuum after every 5,000 new rows or 1 % dead ones instead (cheap: a vacuum skips the
-- pages already all-visible). Measured in docs/benchmarks.md ("Needs analysis").
ALTER TABLE "consultations" SET (
  autovacuum_vacuum_insert_threshold = 5000,
  autovacuum_vacuum_insert_scale_factor = 0,
  autovacuum_vacuum_scale_factor = 0.01
);
