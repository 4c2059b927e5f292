CREATE TABLE "matching_settings" (
	"prefecture_code" varchar(2) PRIMARY KEY NOT NULL,
	"self_running_months" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "matching_settings_months_range" CHECK ("matching_settings"."self_running_months" between 1 and 60)
);
