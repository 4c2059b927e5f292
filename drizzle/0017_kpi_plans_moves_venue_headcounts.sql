CREATE TABLE "event_headcounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"counted_on" date NOT NULL,
	"count" integer NOT NULL,
	"note" text,
	"counted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_headcounts_count_positive" CHECK ("event_headcounts"."count" between 1 and 1000000)
);
--> statement-breakpoint
CREATE TABLE "kpi_indicators" (
	"plan_id" uuid NOT NULL,
	"code" varchar(40) NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"label_ja" text NOT NULL,
	"label_en" text NOT NULL,
	"unit" varchar(16) NOT NULL,
	"baseline" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_indicators_plan_id_code_pk" PRIMARY KEY("plan_id","code"),
	CONSTRAINT "kpi_indicators_baseline" CHECK ("kpi_indicators"."baseline" >= 0)
);
--> statement-breakpoint
CREATE TABLE "kpi_municipality_targets" (
	"plan_id" uuid NOT NULL,
	"indicator_code" varchar(40) NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"fiscal_year" integer NOT NULL,
	"target" integer NOT NULL,
	CONSTRAINT "kpi_municipality_targets_plan_id_indicator_code_municipality_code_fiscal_year_pk" PRIMARY KEY("plan_id","indicator_code","municipality_code","fiscal_year"),
	CONSTRAINT "kpi_municipality_targets_nonnegative" CHECK ("kpi_municipality_targets"."target" >= 0)
);
--> statement-breakpoint
CREATE TABLE "kpi_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(40) NOT NULL,
	"name_ja" text NOT NULL,
	"name_en" text NOT NULL,
	"from_fiscal_year" integer NOT NULL,
	"to_fiscal_year" integer NOT NULL,
	"municipality_code" varchar(6),
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_plans_period" CHECK ("kpi_plans"."to_fiscal_year" >= "kpi_plans"."from_fiscal_year" and "kpi_plans"."to_fiscal_year" - "kpi_plans"."from_fiscal_year" < 20)
);
--> statement-breakpoint
CREATE TABLE "kpi_targets" (
	"plan_id" uuid NOT NULL,
	"indicator_code" varchar(40) NOT NULL,
	"fiscal_year" integer NOT NULL,
	"target" integer NOT NULL,
	CONSTRAINT "kpi_targets_plan_id_indicator_code_fiscal_year_pk" PRIMARY KEY("plan_id","indicator_code","fiscal_year"),
	CONSTRAINT "kpi_targets_nonnegative" CHECK ("kpi_targets"."target" >= 0)
);
--> statement-breakpoint
ALTER TABLE "case_steps" ADD COLUMN "household_size" smallint;--> statement-breakpoint
ALTER TABLE "case_steps" ADD COLUMN "uij_type" varchar(1);--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "venue_municipality_code" varchar(6);--> statement-breakpoint
ALTER TABLE "event_headcounts" ADD CONSTRAINT "event_headcounts_event_id_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_indicators" ADD CONSTRAINT "kpi_indicators_plan_id_kpi_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."kpi_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_municipality_targets" ADD CONSTRAINT "kpi_municipality_targets_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_municipality_targets" ADD CONSTRAINT "kpi_municipality_targets_plan_id_indicator_code_kpi_indicators_plan_id_code_fk" FOREIGN KEY ("plan_id","indicator_code") REFERENCES "public"."kpi_indicators"("plan_id","code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_plans" ADD CONSTRAINT "kpi_plans_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_targets" ADD CONSTRAINT "kpi_targets_plan_id_indicator_code_kpi_indicators_plan_id_code_fk" FOREIGN KEY ("plan_id","indicator_code") REFERENCES "public"."kpi_indicators"("plan_id","code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_headcounts_event_idx" ON "event_headcounts" USING btree ("event_id","counted_on");--> statement-breakpoint
CREATE INDEX "event_headcounts_counted_idx" ON "event_headcounts" USING btree ("counted_on");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_plans_code_idx" ON "kpi_plans" USING btree ("code");--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_venue_municipality_code_municipalities_code_fk" FOREIGN KEY ("venue_municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_registrations_checked_in_idx" ON "event_registrations" USING btree ("checked_in_at","event_id") WHERE "event_registrations"."checked_in_at" is not null;--> statement-breakpoint
CREATE INDEX "events_venue_municipality_idx" ON "events" USING btree ("venue_municipality_code");--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_household_size" CHECK ("case_steps"."household_size" is null or "case_steps"."household_size" between 1 and 20);--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_uij_type" CHECK ("case_steps"."uij_type" is null or "case_steps"."uij_type" in ('U','I','J'));--> statement-breakpoint
ALTER TABLE "case_steps" ADD CONSTRAINT "case_steps_move_fields" CHECK ("case_steps"."step" = 'moved' or ("case_steps"."household_size" is null and "case_steps"."uij_type" is null));--> statement-breakpoint
-- hand-written below
-- Moves recorded before the household size existed were one person each (the default of the moved step).
UPDATE "case_steps" SET "household_size" = 1 WHERE "step" = 'moved' AND "household_size" IS NULL;
