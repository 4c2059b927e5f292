DROP INDEX "people_search_grams_idx";--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "link_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Hand-written (not generated): the link keys' one definition in SQL (linkKeysOf in
-- people.search-rules.ts is the same rule in TypeScript, tested against this function), the
-- trigger that keeps people.link_keys true to person_links for every writer, and the backfill.
-- The index is built after the backfill (once, not entry by entry).
CREATE FUNCTION kankei_link_keys(municipality_code text, kind text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY[municipality_code, municipality_code || ':' || kind, ':' || kind] $$;--> statement-breakpoint
CREATE FUNCTION kankei_person_link_keys(person uuid) RETURNS text[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(k ORDER BY k), '{}'::text[])
      FROM (SELECT DISTINCT k COLLATE "C" AS k
              FROM person_links l, unnest(kankei_link_keys(l.municipality_code, l.kind)) AS k
             WHERE l.person_id = person) keys
  $$;--> statement-breakpoint
CREATE FUNCTION kankei_refresh_link_keys() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
    DECLARE
      keys text[];
    BEGIN
      -- Only a change writes the row: writers that set link_keys with the insert cost one lookup.
      IF TG_OP <> 'DELETE' THEN
        keys := kankei_person_link_keys(NEW.person_id);
        UPDATE people SET link_keys = keys WHERE id = NEW.person_id AND link_keys IS DISTINCT FROM keys;
      END IF;
      IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.person_id <> NEW.person_id) THEN
        keys := kankei_person_link_keys(OLD.person_id);
        UPDATE people SET link_keys = keys WHERE id = OLD.person_id AND link_keys IS DISTINCT FROM keys;
      END IF;
      RETURN NULL;
    END
  $$;--> statement-breakpoint
CREATE TRIGGER person_links_keep_link_keys AFTER INSERT OR UPDATE OR DELETE ON person_links
  FOR EACH ROW EXECUTE FUNCTION kankei_refresh_link_keys();--> statement-breakpoint
UPDATE people p SET link_keys = k.keys
  FROM (SELECT l.person_id, array_agg(DISTINCT k COLLATE "C" ORDER BY k COLLATE "C") AS keys
          FROM person_links l, unnest(kankei_link_keys(l.municipality_code, l.kind)) AS k
         GROUP BY l.person_id) k
 WHERE p.id = k.person_id;--> statement-breakpoint
CREATE INDEX "people_search_idx" ON "people" USING gin ("search_grams","link_keys");
