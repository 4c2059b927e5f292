DROP INDEX "people_created_idx";--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "sort_key" text collate "C" GENERATED ALWAYS AS (case when kana is not null and split_part(search_text, E'\n', 2) not in (coalesce(email_key, ''), coalesce(phone_key, '')) then split_part(search_text, E'\n', 2) else split_part(search_text, E'\n', 1) end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "name_key" text collate "C" GENERATED ALWAYS AS (split_part(search_text, E'\n', 1)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "people_sort_idx" ON "people" USING btree ("sort_key","id") WHERE "people"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "people_name_key_idx" ON "people" USING btree ("name_key","id") WHERE "people"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "people_email_prefix_idx" ON "people" USING btree ("email_key" collate "C","id") WHERE "people"."deleted_at" is null and "people"."email_key" is not null;--> statement-breakpoint
CREATE INDEX "people_phone_prefix_idx" ON "people" USING btree ("phone_key" collate "C","id") WHERE "people"."deleted_at" is null and "people"."phone_key" is not null;--> statement-breakpoint
CREATE INDEX "people_created_idx" ON "people" USING btree ("created_at","id") WHERE "people"."deleted_at" is null;