CREATE TABLE "project_scouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"message" text NOT NULL,
	"sent_by" uuid,
	"sent_by_name" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reply_token_hash" varchar(64) NOT NULL,
	"answer" varchar(16),
	"replied_at" timestamp with time zone,
	CONSTRAINT "project_scouts_answer" CHECK ("project_scouts"."answer" is null or "project_scouts"."answer" in ('interested', 'declined'))
);
--> statement-breakpoint
ALTER TABLE "project_scouts" ADD CONSTRAINT "project_scouts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_scouts" ADD CONSTRAINT "project_scouts_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "project_scouts_person_idx" ON "project_scouts" USING btree ("person_id","project_id");--> statement-breakpoint
CREATE INDEX "project_scouts_project_idx" ON "project_scouts" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "project_scouts_token_idx" ON "project_scouts" USING btree ("reply_token_hash");