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
CREATE TABLE "segments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prefecture_code" varchar(2) NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"municipality_code" varchar(6),
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "from_name" text;--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "from_address" text;--> statement-breakpoint
ALTER TABLE "outbound_mail" ADD COLUMN "reply_to" text;--> statement-breakpoint
CREATE INDEX "segments_owner_idx" ON "segments" USING btree ("prefecture_code","municipality_code");