CREATE TABLE "kpi_committee_opinions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"given_on" date NOT NULL,
	"author" text NOT NULL,
	"indicator_code" varchar(40),
	"text" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_evaluation_commentary" (
	"evaluation_id" uuid NOT NULL,
	"indicator_code" varchar(40) NOT NULL,
	"text" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_evaluation_commentary_evaluation_id_indicator_code_pk" PRIMARY KEY("evaluation_id","indicator_code")
);
--> statement-breakpoint
CREATE TABLE "kpi_evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"fiscal_year" integer NOT NULL,
	"status" varchar(16) DEFAULT 'draft' NOT NULL,
	"approved_by" uuid,
	"approved_by_name" text,
	"approved_at" timestamp with time zone,
	"snapshot" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_evaluations_status" CHECK ("kpi_evaluations"."status" in ('draft', 'approved')),
	CONSTRAINT "kpi_evaluations_approval" CHECK (("kpi_evaluations"."status" = 'draft' and "kpi_evaluations"."approved_at" is null and "kpi_evaluations"."snapshot" is null) or ("kpi_evaluations"."status" = 'approved' and "kpi_evaluations"."approved_at" is not null and "kpi_evaluations"."snapshot" is not null and "kpi_evaluations"."approved_by_name" is not null))
);
--> statement-breakpoint
ALTER TABLE "kpi_committee_opinions" ADD CONSTRAINT "kpi_committee_opinions_evaluation_id_kpi_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."kpi_evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_evaluation_commentary" ADD CONSTRAINT "kpi_evaluation_commentary_evaluation_id_kpi_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."kpi_evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_evaluations" ADD CONSTRAINT "kpi_evaluations_plan_id_kpi_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."kpi_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_evaluations_plan_year_idx" ON "kpi_evaluations" USING btree ("plan_id","fiscal_year");