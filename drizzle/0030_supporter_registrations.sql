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
CREATE TABLE "premium_application_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"step" varchar(16) NOT NULL,
	"message" text,
	"staff_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "premium_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"activity" varchar(24) NOT NULL,
	"description" text NOT NULL,
	"status" varchar(16) DEFAULT 'submitted' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "premium_applications_status_check" CHECK ("premium_applications"."status" in ('submitted','more_requested','approved','refused'))
);
--> statement-breakpoint
CREATE TABLE "premium_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"media_type" varchar(40) NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_settings" (
	"prefecture_code" varchar(2) PRIMARY KEY NOT NULL,
	"registration_cap" integer DEFAULT 10 NOT NULL,
	"privacy_notice_ja" text,
	"privacy_notice_en" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "registry_settings_cap_range" CHECK ("registry_settings"."registration_cap" between 1 and 50)
);
--> statement-breakpoint
ALTER TABLE "supporter_registrations" ADD CONSTRAINT "supporter_registrations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_registrations" ADD CONSTRAINT "supporter_registrations_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_application_steps" ADD CONSTRAINT "premium_application_steps_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_application_steps" ADD CONSTRAINT "premium_application_steps_application_id_premium_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."premium_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_applications" ADD CONSTRAINT "premium_applications_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_applications" ADD CONSTRAINT "premium_applications_registration_id_supporter_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."supporter_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_evidence" ADD CONSTRAINT "premium_evidence_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_evidence" ADD CONSTRAINT "premium_evidence_application_id_premium_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."premium_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "supporter_registrations_municipality_idx" ON "supporter_registrations" USING btree ("municipality_code","tier");--> statement-breakpoint
CREATE INDEX "premium_application_steps_app_idx" ON "premium_application_steps" USING btree ("application_id","at");--> statement-breakpoint
CREATE INDEX "premium_applications_person_idx" ON "premium_applications" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "premium_applications_queue_idx" ON "premium_applications" USING btree ("municipality_code","status","updated_at");--> statement-breakpoint
CREATE INDEX "premium_evidence_app_idx" ON "premium_evidence" USING btree ("application_id");