CREATE TABLE "engagements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"kind" varchar(32) NOT NULL,
	"occurred_on" date NOT NULL,
	"source" varchar(32) NOT NULL,
	"source_ref" text,
	"amount_yen" integer,
	"note" text,
	"external_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagements_amount_nonnegative" CHECK ("engagements"."amount_yen" is null or "engagements"."amount_yen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"purpose" varchar(40) NOT NULL,
	"municipality_code" varchar(6),
	"granted" boolean NOT NULL,
	"source" varchar(32) NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid,
	"email_key" text NOT NULL,
	"payload" jsonb,
	"municipality_codes" varchar(6)[] NOT NULL,
	"confirm_token_hash" text,
	"status" varchar(16) DEFAULT 'pending' NOT NULL,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "registrations_confirm_token_hash_unique" UNIQUE("confirm_token_hash")
);
--> statement-breakpoint
CREATE TABLE "supporter_logins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" varchar(16) NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "supporter_logins_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "supporter_profiles" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"roots" text[] DEFAULT '{}' NOT NULL,
	"roots_other" text,
	"interests" text[] DEFAULT '{}' NOT NULL,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"involvement" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_codes" varchar(6)[] NOT NULL,
	"kid" varchar(64) NOT NULL,
	"token" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"replaced_by" uuid
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"kid" varchar(64) PRIMARY KEY NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwk" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"published_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "certification_rules" (
	"prefecture_code" varchar(2) NOT NULL,
	"kind" varchar(32) NOT NULL,
	"label" text NOT NULL,
	"consecutive_years" integer NOT NULL,
	"year_basis" varchar(16) NOT NULL,
	CONSTRAINT "certification_rules_prefecture_code_kind_pk" PRIMARY KEY("prefecture_code","kind")
);
--> statement-breakpoint
CREATE TABLE "certifications" (
	"person_id" uuid NOT NULL,
	"kind" varchar(32) NOT NULL,
	"prefecture_code" varchar(2) NOT NULL,
	"since" date NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certifications_person_id_kind_prefecture_code_pk" PRIMARY KEY("person_id","kind","prefecture_code")
);
--> statement-breakpoint
CREATE TABLE "donation_import_rows" (
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"outcome" varchar(16) NOT NULL,
	"problems" jsonb,
	"person_id" uuid,
	"engagement_id" uuid,
	CONSTRAINT "donation_import_rows_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "donation_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"encoding" varchar(16) NOT NULL,
	"mapping" jsonb NOT NULL,
	"status" varchar(16) NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"imported_rows" integer DEFAULT 0 NOT NULL,
	"duplicate_rows" integer DEFAULT 0 NOT NULL,
	"refused_rows" integer DEFAULT 0 NOT NULL,
	"new_people" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbound_mail" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text,
	"attachments" jsonb,
	"headers" jsonb,
	"status" varchar(16) DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_logins" ADD CONSTRAINT "supporter_logins_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supporter_profiles" ADD CONSTRAINT "supporter_profiles_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cards" ADD CONSTRAINT "cards_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donation_import_rows" ADD CONSTRAINT "donation_import_rows_import_id_donation_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."donation_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donation_imports" ADD CONSTRAINT "donation_imports_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engagements_person_idx" ON "engagements" USING btree ("person_id","occurred_on");--> statement-breakpoint
CREATE INDEX "engagements_municipality_idx" ON "engagements" USING btree ("municipality_code","occurred_on");--> statement-breakpoint
CREATE UNIQUE INDEX "engagements_external_key_idx" ON "engagements" USING btree ("person_id","external_key");--> statement-breakpoint
CREATE INDEX "consents_person_idx" ON "consents" USING btree ("person_id","purpose","recorded_at");--> statement-breakpoint
CREATE INDEX "registrations_person_idx" ON "registrations" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "registrations_email_idx" ON "registrations" USING btree ("email_key");--> statement-breakpoint
CREATE INDEX "supporter_logins_person_idx" ON "supporter_logins" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "cards_person_idx" ON "cards" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "cards_revoked_idx" ON "cards" USING btree ("revoked_at");--> statement-breakpoint
CREATE INDEX "donation_imports_municipality_idx" ON "donation_imports" USING btree ("municipality_code","created_at");--> statement-breakpoint
CREATE INDEX "outbound_mail_status_idx" ON "outbound_mail" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "outbound_mail_person_idx" ON "outbound_mail" USING btree ("person_id");