CREATE TABLE "spent_form_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "registrations" ADD COLUMN "mailed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD COLUMN "ticket_mailed_at" timestamp with time zone;--> statement-breakpoint
-- Hand-written: pending sign-ups from before this migration had their confirmation mailed when
-- they were created, so the interval between confirmation mails counts from then.
UPDATE "registrations" SET "mailed_at" = "created_at" WHERE "status" = 'pending' AND "mailed_at" IS NULL;
