CREATE TABLE "organization_settings" (
	"prefecture_code" varchar(2) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"short_name" text NOT NULL,
	"sender_address" text NOT NULL,
	"reply_to" text,
	"signature" text NOT NULL,
	"contact" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "from_name" text;--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "from_address" text;--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "reply_to" text;