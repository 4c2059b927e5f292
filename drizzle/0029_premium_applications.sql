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
ALTER TABLE "premium_application_steps" ADD CONSTRAINT "premium_application_steps_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_application_steps" ADD CONSTRAINT "premium_application_steps_application_id_premium_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."premium_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_applications" ADD CONSTRAINT "premium_applications_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_applications" ADD CONSTRAINT "premium_applications_registration_id_supporter_registrations_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."supporter_registrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_evidence" ADD CONSTRAINT "premium_evidence_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "premium_evidence" ADD CONSTRAINT "premium_evidence_application_id_premium_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."premium_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "premium_application_steps_app_idx" ON "premium_application_steps" USING btree ("application_id","at");--> statement-breakpoint
CREATE INDEX "premium_applications_person_idx" ON "premium_applications" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "premium_applications_queue_idx" ON "premium_applications" USING btree ("municipality_code","status","updated_at");--> statement-breakpoint
CREATE INDEX "premium_evidence_app_idx" ON "premium_evidence" USING btree ("application_id");