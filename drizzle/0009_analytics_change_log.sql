-- The needs analysis keeps computed answers (analytics_results) and must know exactly when one goes
-- stale: every statement that changes what it reads records its transaction id and the fiscal years
-- it touches in analytics_changes. A kept answer is valid while no such transaction committed
-- outside the snapshot it was computed from (src/modules/analytics/analytics.cache.ts).
-- Statement-level triggers with transition tables: one small insert per statement, never a shared
-- row to lock, so concurrent writers do not wait for each other.
CREATE OR REPLACE FUNCTION kankei_fiscal_year(d date) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT extract(year FROM $1 - interval '3 months')::integer $$;
--> statement-breakpoint
-- Every fiscal year from `from_year` up to next year (a change whose reach has no end, e.g. a case
-- moving changes the "later moved" of all its consultations, whatever year they fall in).
CREATE OR REPLACE FUNCTION kankei_fiscal_years_from(from_year integer) RETURNS SETOF integer
  LANGUAGE sql STABLE
  AS $$ SELECT generate_series(from_year, greatest(from_year, kankei_fiscal_year(current_date) + 1)) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kankei_analytics_consultations_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT fy, pg_current_xact_id()::text::bigint FROM kankei_fiscal_years_from(2000) AS fy
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT DISTINCT kankei_fiscal_year(n.occurred_on), pg_current_xact_id()::text::bigint FROM new_rows n
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT DISTINCT kankei_fiscal_year(o.occurred_on), pg_current_xact_id()::text::bigint FROM old_rows o
      ON CONFLICT DO NOTHING;
  ELSE
    -- Only columns the analysis reads; notes and next actions change nothing.
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT DISTINCT kankei_fiscal_year(d), pg_current_xact_id()::text::bigint
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      CROSS JOIN LATERAL (VALUES (o.occurred_on), (n.occurred_on)) AS v(d)
      WHERE (o.person_id, o.case_id, o.channel, o.occurred_on, o.topics, o.municipality_codes, o.residence_prefecture)
        IS DISTINCT FROM (n.person_id, n.case_id, n.channel, n.occurred_on, n.topics, n.municipality_codes, n.residence_prefecture)
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kankei_analytics_cases_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT fy, pg_current_xact_id()::text::bigint FROM kankei_fiscal_years_from(2000) AS fy
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'INSERT' THEN
    -- A new or removed case counts in the year it was opened and the year it moved.
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT DISTINCT kankei_fiscal_year(d), pg_current_xact_id()::text::bigint
      FROM new_rows r CROSS JOIN LATERAL (VALUES (r.opened_on), (r.moved_on)) AS v(d)
      WHERE d IS NOT NULL
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT DISTINCT kankei_fiscal_year(d), pg_current_xact_id()::text::bigint
      FROM old_rows r CROSS JOIN LATERAL (VALUES (r.opened_on), (r.moved_on)) AS v(d)
      WHERE d IS NOT NULL
      ON CONFLICT DO NOTHING;
  ELSE
    -- A changed case (its step, municipality, move) also changes how its consultations count, in
    -- every year from its first consultation on.
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT fy, pg_current_xact_id()::text::bigint
      FROM (
        SELECT min(first_day) AS first_day FROM (
          SELECT min(o.opened_on) AS first_day FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.person_id, o.municipality_code, o.step, o.opened_on, o.moved_municipality_code, o.moved_on, o.end_reason)
              IS DISTINCT FROM (n.person_id, n.municipality_code, n.step, n.opened_on, n.moved_municipality_code, n.moved_on, n.end_reason)
          UNION ALL
          SELECT min(n.opened_on) FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.person_id, o.municipality_code, o.step, o.opened_on, o.moved_municipality_code, o.moved_on, o.end_reason)
              IS DISTINCT FROM (n.person_id, n.municipality_code, n.step, n.opened_on, n.moved_municipality_code, n.moved_on, n.end_reason)
          UNION ALL
          SELECT min(c.occurred_on) FROM consultations c
            WHERE c.case_id IN (SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE (o.person_id, o.municipality_code, o.step, o.opened_on, o.moved_municipality_code, o.moved_on, o.end_reason)
                IS DISTINCT FROM (n.person_id, n.municipality_code, n.step, n.opened_on, n.moved_municipality_code, n.moved_on, n.end_reason))
        ) AS firsts
      ) AS f
      CROSS JOIN LATERAL kankei_fiscal_years_from(kankei_fiscal_year(f.first_day)) AS fy
      WHERE f.first_day IS NOT NULL
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Steps count through their case (the furthest rung of an ended case): the year the case opened.
CREATE OR REPLACE FUNCTION kankei_analytics_case_steps_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT fy, pg_current_xact_id()::text::bigint FROM kankei_fiscal_years_from(2000) AS fy
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT DISTINCT kankei_fiscal_year(k.opened_on), pg_current_xact_id()::text::bigint
      FROM (SELECT DISTINCT case_id FROM new_rows) s JOIN cases k ON k.id = s.case_id
      ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO analytics_changes (fiscal_year, xid)
      SELECT DISTINCT kankei_fiscal_year(k.opened_on), pg_current_xact_id()::text::bigint
      FROM (SELECT DISTINCT case_id FROM old_rows) s JOIN cases k ON k.id = s.case_id
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER consultations_analytics_insert AFTER INSERT ON consultations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_consultations_changed();
--> statement-breakpoint
CREATE TRIGGER consultations_analytics_update AFTER UPDATE ON consultations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_consultations_changed();
--> statement-breakpoint
CREATE TRIGGER consultations_analytics_delete AFTER DELETE ON consultations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_consultations_changed();
--> statement-breakpoint
CREATE TRIGGER consultations_analytics_truncate AFTER TRUNCATE ON consultations
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_consultations_changed();
--> statement-breakpoint
CREATE TRIGGER cases_analytics_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_cases_changed();
--> statement-breakpoint
CREATE TRIGGER cases_analytics_update AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_cases_changed();
--> statement-breakpoint
CREATE TRIGGER cases_analytics_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_cases_changed();
--> statement-breakpoint
CREATE TRIGGER cases_analytics_truncate AFTER TRUNCATE ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_cases_changed();
--> statement-breakpoint
CREATE TRIGGER case_steps_analytics_insert AFTER INSERT ON case_steps
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_case_steps_changed();
--> statement-breakpoint
CREATE TRIGGER case_steps_analytics_update AFTER UPDATE ON case_steps
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_case_steps_changed();
--> statement-breakpoint
CREATE TRIGGER case_steps_analytics_delete AFTER DELETE ON case_steps
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_case_steps_changed();
--> statement-breakpoint
CREATE TRIGGER case_steps_analytics_truncate AFTER TRUNCATE ON case_steps
  FOR EACH STATEMENT EXECUTE FUNCTION kankei_analytics_case_steps_changed();
