CREATE TABLE "match_accompaniments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"match_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"occurred_on" date NOT NULL,
	"kind" varchar(16) NOT NULL,
	"note" text,
	"next_step" text,
	"next_due_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"match_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"step" varchar(16) NOT NULL,
	"occurred_on" date NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"application_id" uuid,
	"step" varchar(16) DEFAULT 'proposed' NOT NULL,
	"step_on" date NOT NULL,
	"holds_seat" integer DEFAULT 0 NOT NULL,
	"score" double precision,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"end_reason" varchar(32),
	"self_running_evidence" varchar(40),
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matching_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" varchar(16) DEFAULT 'queued' NOT NULL,
	"municipality_code" varchar(6),
	"requested_by" uuid,
	"assignments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"total_score" double precision,
	"open_seats_left" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "organization_profiles" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"strengths" text[] DEFAULT '{}' NOT NULL,
	"interests" text[] DEFAULT '{}' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organization_readiness" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"contact_person" integer DEFAULT 0 NOT NULL,
	"published_issue_or_project" integer DEFAULT 0 NOT NULL,
	"receiving_plan" integer DEFAULT 0 NOT NULL,
	"training_attended" integer DEFAULT 0 NOT NULL,
	"note" text,
	"confirmed_by" uuid,
	"confirmed_by_name" text,
	"confirmed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"message" text,
	"status" varchar(16) DEFAULT 'applied' NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"withdrawn_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_applications_status_check" CHECK ("project_applications"."status" in ('applied','accepted','declined','withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "project_interests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"issue_id" uuid,
	"organization_id" uuid NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"kind" varchar(32) NOT NULL,
	"theme" varchar(32) NOT NULL,
	"seats" integer NOT NULL,
	"filled_count" integer DEFAULT 0 NOT NULL,
	"acceptance" varchar(16) DEFAULT 'screening' NOT NULL,
	"period_start" date,
	"period_end" date,
	"hours_per_month" integer,
	"remote_percent" integer DEFAULT 0 NOT NULL,
	"fee_min_yen" integer,
	"fee_max_yen" integer,
	"required_skills" text[] DEFAULT '{}' NOT NULL,
	"welcome_skills" text[] DEFAULT '{}' NOT NULL,
	"questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" varchar(16) DEFAULT 'draft' NOT NULL,
	"published_at" timestamp with time zone,
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_seats_held" CHECK ("projects"."seats" > 0 and "projects"."filled_count" between 0 and "projects"."seats"),
	CONSTRAINT "projects_remote_percent" CHECK ("projects"."remote_percent" between 0 and 100),
	CONSTRAINT "projects_fee_order" CHECK ("projects"."fee_max_yen" is null or "projects"."fee_min_yen" is null or "projects"."fee_max_yen" >= "projects"."fee_min_yen"),
	CONSTRAINT "projects_period_order" CHECK ("projects"."period_end" is null or "projects"."period_start" is null or "projects"."period_end" >= "projects"."period_start")
);
--> statement-breakpoint
CREATE TABLE "regional_issue_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"body" text NOT NULL,
	"author_staff_id" uuid,
	"author_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regional_issue_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_fields" text[] DEFAULT '{}' NOT NULL,
	"author_staff_id" uuid,
	"author_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regional_issues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" varchar(6) NOT NULL,
	"title" text NOT NULL,
	"category" varchar(32) NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"background" text,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"hours_per_month" integer,
	"remote_percent" integer,
	"period_start" date,
	"period_end" date,
	"contact_organization_id" uuid,
	"status" varchar(16) DEFAULT 'raised' NOT NULL,
	"close_reason" varchar(32),
	"version" integer DEFAULT 1 NOT NULL,
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "regional_issues_remote_percent" CHECK ("regional_issues"."remote_percent" is null or "regional_issues"."remote_percent" between 0 and 100),
	CONSTRAINT "regional_issues_period_order" CHECK ("regional_issues"."period_end" is null or "regional_issues"."period_start" is null or "regional_issues"."period_end" >= "regional_issues"."period_start"),
	CONSTRAINT "regional_issues_closed_reason" CHECK (("regional_issues"."status" = 'closed') = ("regional_issues"."close_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "trainings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" varchar(24) NOT NULL,
	"held_on" date NOT NULL,
	"topic" text NOT NULL,
	"municipality_code" varchar(6),
	"organization_ids" uuid[] DEFAULT '{}' NOT NULL,
	"attendees" integer DEFAULT 0 NOT NULL,
	"note" text,
	"is_demo" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trainings_attendees_nonnegative" CHECK ("trainings"."attendees" >= 0)
);
--> statement-breakpoint
ALTER TABLE "match_accompaniments" ADD CONSTRAINT "match_accompaniments_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_steps" ADD CONSTRAINT "match_steps_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_application_id_project_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."project_applications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_profiles" ADD CONSTRAINT "organization_profiles_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_readiness" ADD CONSTRAINT "organization_readiness_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_applications" ADD CONSTRAINT "project_applications_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_applications" ADD CONSTRAINT "project_applications_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_interests" ADD CONSTRAINT "project_interests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_interests" ADD CONSTRAINT "project_interests_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_issue_id_regional_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."regional_issues"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regional_issue_comments" ADD CONSTRAINT "regional_issue_comments_issue_id_regional_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."regional_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regional_issue_versions" ADD CONSTRAINT "regional_issue_versions_issue_id_regional_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."regional_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regional_issues" ADD CONSTRAINT "regional_issues_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regional_issues" ADD CONSTRAINT "regional_issues_contact_organization_id_organizations_id_fk" FOREIGN KEY ("contact_organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trainings" ADD CONSTRAINT "trainings_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "match_accompaniments_match_idx" ON "match_accompaniments" USING btree ("match_id","occurred_on");--> statement-breakpoint
CREATE INDEX "match_steps_match_idx" ON "match_steps" USING btree ("match_id","occurred_on");--> statement-breakpoint
CREATE UNIQUE INDEX "matches_person_project_idx" ON "matches" USING btree ("person_id","project_id") WHERE "matches"."step" <> 'ended';--> statement-breakpoint
CREATE INDEX "matches_project_idx" ON "matches" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "matches_municipality_idx" ON "matches" USING btree ("municipality_code","step");--> statement-breakpoint
CREATE UNIQUE INDEX "project_applications_person_idx" ON "project_applications" USING btree ("person_id","project_id");--> statement-breakpoint
CREATE INDEX "project_applications_project_idx" ON "project_applications" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "project_interests_person_idx" ON "project_interests" USING btree ("person_id","project_id");--> statement-breakpoint
CREATE INDEX "project_interests_project_idx" ON "project_interests" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "projects_municipality_idx" ON "projects" USING btree ("municipality_code","status");--> statement-breakpoint
CREATE INDEX "projects_organization_idx" ON "projects" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "projects_issue_idx" ON "projects" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "regional_issue_comments_issue_idx" ON "regional_issue_comments" USING btree ("issue_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "regional_issue_versions_idx" ON "regional_issue_versions" USING btree ("issue_id","version");--> statement-breakpoint
CREATE INDEX "regional_issues_municipality_idx" ON "regional_issues" USING btree ("municipality_code","status");--> statement-breakpoint
CREATE INDEX "trainings_held_idx" ON "trainings" USING btree ("held_on");