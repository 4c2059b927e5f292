-- Kept KPI figures (kpi_kept_figures, src/modules/kpi/kpi.kept.ts) must know exactly when they go
-- stale: every statement that may change what a rule reads records its transaction id under the
-- rule's source key in kpi_changes. A kept figure is valid while no such transaction committed
-- outside the snapshot it was computed from. Plain statement-level triggers (no transition tables):
-- one small insert per statement and source, never a shared row to lock. Updates only of the
-- columns the rules read.
CREATE OR REPLACE FUNCTION kankei_kpi_changed() RETURNS trigger AS $$
BEGIN
  INSERT INTO kpi_changes (source, xid)
    SELECT s, pg_current_xact_id()::text::bigint FROM unnest(TG_ARGV) AS s
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER cases_kpi AFTER INSERT OR DELETE OR TRUNCATE
  OR UPDATE OF person_id, moved_on, moved_municipality_code ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('moves');
--> statement-breakpoint
CREATE TRIGGER case_steps_kpi AFTER INSERT OR DELETE OR TRUNCATE
  OR UPDATE OF case_id, step, household_size, uij_type ON case_steps
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('moves');
--> statement-breakpoint
CREATE TRIGGER people_kpi AFTER DELETE OR TRUNCATE OR UPDATE OF deleted_at ON people
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('moves', 'relationship', 'continuing');
--> statement-breakpoint
CREATE TRIGGER engagements_kpi AFTER INSERT OR DELETE OR TRUNCATE
  OR UPDATE OF person_id, municipality_code, kind, occurred_on ON engagements
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('relationship', 'continuing');
--> statement-breakpoint
CREATE TRIGGER person_links_kpi AFTER INSERT OR DELETE OR TRUNCATE
  OR UPDATE OF person_id, municipality_code, kind, created_at ON person_links
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('relationship');
--> statement-breakpoint
CREATE TRIGGER events_kpi AFTER INSERT OR DELETE OR TRUNCATE
  OR UPDATE OF status, venue_municipality_code ON events
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('exchange');
--> statement-breakpoint
CREATE TRIGGER event_registrations_kpi AFTER INSERT OR DELETE OR TRUNCATE
  OR UPDATE OF event_id, status, checked_in_at ON event_registrations
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('exchange');
--> statement-breakpoint
CREATE TRIGGER event_headcounts_kpi AFTER INSERT OR DELETE OR TRUNCATE
  OR UPDATE OF event_id, counted_on, count ON event_headcounts
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_kpi_changed('exchange');
