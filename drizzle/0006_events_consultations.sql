CREATE TABLE "booth_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"booth_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer DEFAULT 1 NOT NULL,
	"booked_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "booth_slots_capacity_held" CHECK ("booth_slots"."capacity" > 0 and "booth_slots"."booked_count" between 0 and "booth_slots"."capacity")
);
--> statement-breakpoint
CREATE TABLE "event_booths" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" text NOT NULL,
	"municipality_code" varchar(6),
	"organization_id" uuid,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"slot_id" uuid,
	"municipality_codes" varchar(6)[] DEFAULT '{}' NOT NULL,
	"status" varchar(16) DEFAULT 'registered' NOT NULL,
	"qr_token_hash" text NOT NULL,
	"source" varchar(16) DEFAULT 'public' NOT NULL,
	"checked_in_at" timestamp with time zone,
	"checked_in_by" uuid,
	"checkin_method" varchar(16),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "event_registrations_status_check" CHECK ("event_registrations"."status" in ('registered','cancelled'))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" varchar(32) NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"venue" text,
	"online_url" text,
	"capacity" integer,
	"registered_count" integer DEFAULT 0 NOT NULL,
	"status" varchar(16) DEFAULT 'published' NOT NULL,
	"host_municipality_code" varchar(6),
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_time_order" CHECK ("events"."ends_at" >= "events"."starts_at"),
	CONSTRAINT "events_capacity_positive" CHECK ("events"."capacity" is null or "events"."capacity" > 0),
	CONSTRAINT "events_capacity_held" CHECK ("events"."capacity" is null or "events"."registered_count" <= "events"."capacity")
);
--> statement-breakpoint
CREATE TABLE "case_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"step" varchar(16) NOT NULL,
	"occurred_on" date NOT NULL,
	"municipality_code" varchar(6),
	"end_reason" varchar(32),
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_code" varchar(6),
	"step" varchar(16) DEFAULT 'first_contact' NOT NULL,
	"step_on" date NOT NULL,
	"opened_on" date NOT NULL,
	"consultant_id" uuid,
	"moved_municipality_code" varchar(6),
	"moved_on" date,
	"end_reason" varchar(32),
	"end_note" text,
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_moved_has_place" CHECK ("cases"."step" not in ('moved','settled') or ("cases"."moved_municipality_code" is not null and "cases"."moved_on" is not null)),
	CONSTRAINT "cases_ended_has_reason" CHECK ("cases"."step" <> 'ended' or "cases"."end_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"channel" varchar(32) NOT NULL,
	"occurred_on" date NOT NULL,
	"consultant_id" uuid,
	"topics" varchar(32)[] DEFAULT '{}' NOT NULL,
	"municipality_codes" varchar(6)[] DEFAULT '{}' NOT NULL,
	"desired_timing" varchar(32),
	"household_size" integer,
	"with_children" boolean,
	"family_note" text,
	"residence_prefecture" varchar(8),
	"notes" text,
	"next_action" text,
	"next_action_due" date,
	"next_action_done_at" timestamp with time zone,
	"event_id" uuid,
	"booth_id" uuid,
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultations_household_positive" CHECK ("consultations"."household_size" is null or "consultations"."household_size" between 1 and 20)
);
--> statement-breakpoint
CREATE TABLE "followup_rules" (
	"prefecture_code" varchar(2) PRIMARY KEY NOT NULL,
	"months" integer[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"assignee_id" uuid,
	"months_after_move" integer NOT NULL,
	"due_on" date NOT NULL,
	"status" varchar(16) DEFAULT 'open' NOT NULL,
	"note" text,
	"done_at" timestamp with time zone,
	"done_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid,
	"consultation_id" uuid,
	"to_organization_id" uuid,
	"to_municipality_code" varchar(6),
	"area" varchar(32) NOT NULL,
	"message" text,
	"status" varchar(16) DEFAULT 'sent' NOT NULL,
	"outcome" varchar(32),
	"outcome_note" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"responded_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"responded_by" uuid,
	"created_by" uuid,
	CONSTRAINT "referrals_one_target" CHECK (("referrals"."to_organization_id" is null) <> ("referrals"."to_municipality_code" is null))
);
--> statement-breakpoint
ALTER TABLE "booth_slots" ADD CONSTRAINT "booth_slots_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "booth_slots" ADD CONSTRAINT "booth_slots_booth_id_event_booths_id_fk" FOREIGN KEY ("booth_id") REFERENCES "public"."event_booths"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_booths" ADD CONSTRAINT "event_booths_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_booths" ADD CONSTRAINT "event_booths_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_booths" ADD CONSTRAINT "event_booths_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_slot_id_booth_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."booth_slots"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_host_municipality_code_municipalities_code_fk" FOREIGN KEY ("host_municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_consultant_id_staff_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_moved_municipality_code_municipalities_code_fk" FOREIGN KEY ("moved_municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_consultant_id_staff_id_fk" FOREIGN KEY ("consultant_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_booth_id_event_booths_id_fk" FOREIGN KEY ("booth_id") REFERENCES "public"."event_booths"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followups" ADD CONSTRAINT "followups_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followups" ADD CONSTRAINT "followups_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followups" ADD CONSTRAINT "followups_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "followups" ADD CONSTRAINT "followups_assignee_id_staff_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_to_organization_id_organizations_id_fk" FOREIGN KEY ("to_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_to_municipality_code_municipalities_code_fk" FOREIGN KEY ("to_municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "booth_slots_booth_idx" ON "booth_slots" USING btree ("booth_id","starts_at");--> statement-breakpoint
CREATE INDEX "event_booths_event_idx" ON "event_booths" USING btree ("event_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "event_registrations_person_idx" ON "event_registrations" USING btree ("person_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "event_registrations_qr_idx" ON "event_registrations" USING btree ("qr_token_hash");--> statement-breakpoint
CREATE INDEX "event_registrations_event_idx" ON "event_registrations" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE INDEX "events_starts_idx" ON "events" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "case_steps_case_idx" ON "case_steps" USING btree ("case_id","occurred_on");--> statement-breakpoint
CREATE INDEX "case_steps_step_idx" ON "case_steps" USING btree ("step","occurred_on");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_open_per_person_idx" ON "cases" USING btree ("person_id") WHERE "cases"."step" not in ('settled','ended');--> statement-breakpoint
CREATE INDEX "cases_municipality_idx" ON "cases" USING btree ("municipality_code","step");--> statement-breakpoint
CREATE INDEX "cases_opened_idx" ON "cases" USING btree ("opened_on");--> statement-breakpoint
CREATE INDEX "consultations_person_idx" ON "consultations" USING btree ("person_id","occurred_on");--> statement-breakpoint
CREATE INDEX "consultations_case_idx" ON "consultations" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "consultations_occurred_idx" ON "consultations" USING btree ("occurred_on");--> statement-breakpoint
CREATE INDEX "consultations_municipalities_idx" ON "consultations" USING gin ("municipality_codes");--> statement-breakpoint
CREATE INDEX "consultations_event_idx" ON "consultations" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "followups_case_month_idx" ON "followups" USING btree ("case_id","months_after_move");--> statement-breakpoint
CREATE INDEX "followups_due_idx" ON "followups" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "followups_municipality_idx" ON "followups" USING btree ("municipality_code","status","due_on");--> statement-breakpoint
CREATE INDEX "referrals_organization_idx" ON "referrals" USING btree ("to_organization_id","status","sent_at");--> statement-breakpoint
CREATE INDEX "referrals_municipality_idx" ON "referrals" USING btree ("to_municipality_code","status","sent_at");--> statement-breakpoint
CREATE INDEX "referrals_person_idx" ON "referrals" USING btree ("person_id");