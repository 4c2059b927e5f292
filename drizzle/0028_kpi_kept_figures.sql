CREATE TABLE "kpi_changes" (
	"source" varchar(16) NOT NULL,
	"xid" bigint NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_changes_source_xid_pk" PRIMARY KEY("source","xid")
);
--> statement-breakpoint
CREATE TABLE "kpi_kept_figures" (
	"source" varchar(16) NOT NULL,
	"fiscal_year" integer NOT NULL,
	"code_version" varchar(16) NOT NULL,
	"snapshot" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"rows" jsonb NOT NULL,
	CONSTRAINT "kpi_kept_figures_source_fiscal_year_pk" PRIMARY KEY("source","fiscal_year")
);
--> statement-breakpoint
CREATE INDEX "kpi_changes_xid_idx" ON "kpi_changes" USING btree ("xid");