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
CREATE INDEX "segments_owner_idx" ON "segments" USING btree ("prefecture_code","municipality_code");