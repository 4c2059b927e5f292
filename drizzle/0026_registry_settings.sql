CREATE TABLE "registry_settings" (
	"prefecture_code" varchar(2) PRIMARY KEY NOT NULL,
	"registration_cap" integer DEFAULT 10 NOT NULL,
	"privacy_notice_ja" text,
	"privacy_notice_en" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "registry_settings_cap_range" CHECK ("registry_settings"."registration_cap" between 1 and 50)
);
