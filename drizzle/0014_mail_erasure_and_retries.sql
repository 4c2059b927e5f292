DROP INDEX "outbound_mail_status_idx";--> statement-breakpoint
ALTER TABLE "outbound_mail" ALTER COLUMN "text_body" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "kind" varchar(48) DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "registration_id" uuid;--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "outbound_mail_registration_idx" ON "outbound_mail" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "outbound_mail_status_idx" ON "outbound_mail" USING btree ("status","next_attempt_at");--> statement-breakpoint
-- Hand-written below. Mail already queued: `failed` used to mean "the last try failed" and is now
-- "given up"; a mail that failed within the last day is queued again, an older one is given up.
UPDATE "outbound_mail" SET "status" = 'queued' WHERE "status" = 'failed' AND "created_at" > now() - interval '1 day';--> statement-breakpoint
-- Sign-up confirmations were queued without a key to their sign-up: tie them to it by address.
UPDATE "outbound_mail" m SET "registration_id" = r."id", "kind" = 'registry.confirmation'
  FROM "registrations" r
  WHERE m."person_id" IS NULL AND r."email_key" = lower(trim(m."to_address"))
    AND r."created_at" = (SELECT max(r2."created_at") FROM "registrations" r2 WHERE r2."email_key" = r."email_key");--> statement-breakpoint
-- A mail with neither a person nor a sign-up is what erasures and expired sign-ups left behind.
DELETE FROM "outbound_mail" WHERE "person_id" IS NULL AND "registration_id" IS NULL;--> statement-breakpoint
-- Sent and given-up mail keeps no body: the links and ticket codes in it may still work.
UPDATE "outbound_mail" SET "text_body" = NULL, "html_body" = NULL, "attachments" = NULL, "headers" = NULL WHERE "status" <> 'queued';--> statement-breakpoint
-- The audit trail stays append-only with one exception, for erasure: the origin (IP, user agent)
-- of what a member of the public did themselves (via public / self) may be forgotten — set to
-- NULL, every other column unchanged. Anything else is refused as before: other columns, other
-- values, staff rows, DELETE, TRUNCATE. The comparison covers every column, present and future.
CREATE OR REPLACE FUNCTION kankei_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.via IN ('public', 'self')
      AND NEW.ip IS NULL AND NEW.user_agent IS NULL
      AND (to_jsonb(NEW) - 'ip' - 'user_agent') = (to_jsonb(OLD) - 'ip' - 'user_agent') THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
-- People and sign-ups erased before this migration: forget where their own actions came from.
UPDATE "audit_events" a SET "ip" = NULL, "user_agent" = NULL
  WHERE a."via" IN ('public', 'self') AND (a."ip" IS NOT NULL OR a."user_agent" IS NOT NULL)
    AND (
      (a."person_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "people" p WHERE p."id" = a."person_id"))
      OR (a."person_id" IS NULL AND a."entity_type" = 'registration'
          AND NOT EXISTS (SELECT 1 FROM "registrations" r WHERE r."id"::text = a."entity_id"))
    );
