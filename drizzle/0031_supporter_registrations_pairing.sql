-- Hand-written: every `supporter` link has its supporter registration (tier, identity assurance),
-- whoever writes the link — the sign-up confirmation, staff editing a person, a merge. A new
-- registration is basic with no identity check claimed; the sign-up confirmation then records
-- `email`. Removing the link ends the registration. Row triggers only (Citus: co-located on person_id).
CREATE FUNCTION kankei_pair_supporter_registration() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO supporter_registrations (person_id, municipality_code)
             VALUES (NEW.person_id, NEW.municipality_code)
        ON CONFLICT (person_id, municipality_code) DO NOTHING;
      ELSE
        DELETE FROM supporter_registrations
         WHERE person_id = OLD.person_id AND municipality_code = OLD.municipality_code;
      END IF;
      RETURN NULL;
    END
  $$;--> statement-breakpoint
CREATE TRIGGER person_links_add_supporter_registration AFTER INSERT ON person_links
  FOR EACH ROW WHEN (NEW.kind = 'supporter')
  EXECUTE FUNCTION kankei_pair_supporter_registration();--> statement-breakpoint
CREATE TRIGGER person_links_end_supporter_registration AFTER DELETE ON person_links
  FOR EACH ROW WHEN (OLD.kind = 'supporter')
  EXECUTE FUNCTION kankei_pair_supporter_registration();--> statement-breakpoint
-- The supporters there already: basic; `email` where a confirmed sign-up of theirs named the municipality.
INSERT INTO supporter_registrations (person_id, municipality_code, identity_assurance, created_at)
SELECT l.person_id, l.municipality_code,
       CASE WHEN EXISTS (SELECT 1 FROM registrations r
                          WHERE r.person_id = l.person_id AND r.status = 'confirmed'
                            AND l.municipality_code = ANY (r.municipality_codes))
            THEN 'email' ELSE 'none' END,
       l.created_at
  FROM person_links l
 WHERE l.kind = 'supporter'
ON CONFLICT (person_id, municipality_code) DO NOTHING;
