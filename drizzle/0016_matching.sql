DROP INDEX "matches_person_project_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "matches_person_project_idx" ON "matches" USING btree ("person_id","project_id") WHERE "matches"."step" <> 'ended';