CREATE TABLE "supporter_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"tier" varchar(16) DEFAULT 'basic' NOT NULL,
	"premium_since" timestamp with time zone,
	"identity_assurance" varchar(24) DEFAULT 'none' NOT NULL,
	"identity_checked_on" varchar(10),
	"identity_checked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supporter_registrations_person_municipality" UNIQUE("person_id","municipality_code"),
	CONSTRAINT "supporter_registrations_tier_check" CHECK ("supporter_registrations"."tier" in ('basic','premium')),
	CONSTRAINT "supporter_registrations_identity_check" CHECK ("supporter_registrations"."identity_assurance" in ('none','email','document_checked') and ("supporter_registrations"."identity_assurance" = 'document_checked') = ("supporter_registrations"."identity_checked_on" is not null and "supporter_registrations"."identity_checked_by" is not null))
);
--> statement-breakpoint
ALTER TABLE "supporter_registrations" ADD CONSTRAINT "supporter_registrations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_registrations" ADD CONSTRAINT "supporter_registrations_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supporter_registrations_municipality_idx" ON "supporter_registrations" USING btree ("municipality_code","tier");