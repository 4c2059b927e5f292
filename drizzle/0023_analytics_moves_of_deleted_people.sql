-- A move counts only while its person is on record (src/modules/consultations/consultations.moves.ts),
-- so deleting a person (or merging them away), or bringing one back, changes the needs analysis of
-- every year from their first consultation or case on: the kept answers of those years go stale
-- (analytics_changes, migration 0009). Other changes to people (names, contacts) change nothing.
CREATE OR REPLACE FUNCTION kankei_analytics_people_changed() RETURNS trigger AS $$
BEGIN
  WITH changed AS (
    SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.deleted_at IS NULL) <> (n.deleted_at IS NULL)
  ), first AS (
    SELECT least(
      (SELECT min(c.occurred_on) FROM consultations c WHERE c.person_id IN (SELECT id FROM changed)),
      (SELECT min(k.opened_on) FROM cases k WHERE k.person_id IN (SELECT id FROM changed))
    ) AS first_day
  )
  INSERT INTO analytics_changes (fiscal_year, xid)
    SELECT fy, pg_current_xact_id()::text::bigint
    FROM first CROSS JOIN LATERAL kankei_fiscal_years_from(kankei_fiscal_year(first.first_day)) AS fy
    WHERE first.first_day IS NOT NULL
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER people_analytics_update AFTER UPDATE ON people
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_people_changed();
