CREATE TABLE "analytics_changes" (
	"fiscal_year" integer NOT NULL,
	"xid" bigint NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_changes_fiscal_year_xid_pk" PRIMARY KEY("fiscal_year","xid")
);
--> statement-breakpoint
CREATE TABLE "analytics_results" (
	"report" varchar(32) NOT NULL,
	"fiscal_year" integer NOT NULL,
	"municipality_code" varchar(6) DEFAULT '' NOT NULL,
	"code_version" varchar(16) NOT NULL,
	"snapshot" text NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"result" jsonb NOT NULL,
	CONSTRAINT "analytics_results_report_fiscal_year_municipality_code_pk" PRIMARY KEY("report","fiscal_year","municipality_code")
);
--> statement-breakpoint
CREATE INDEX "analytics_changes_xid_idx" ON "analytics_changes" USING btree ("xid");