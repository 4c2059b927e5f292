ALTER TABLE "supporter_profiles" ADD COLUMN "skill_keys" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "supporter_profiles" ADD COLUMN "hours_per_month" integer;--> statement-breakpoint
ALTER TABLE "supporter_profiles" ADD COLUMN "project_capacity" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "supporter_profiles_skill_keys_idx" ON "supporter_profiles" USING gin ("skill_keys");--> statement-breakpoint
ALTER TABLE "supporter_profiles" ADD CONSTRAINT "supporter_profiles_hours_range" CHECK ("supporter_profiles"."hours_per_month" is null or "supporter_profiles"."hours_per_month" between 0 and 200);--> statement-breakpoint
ALTER TABLE "supporter_profiles" ADD CONSTRAINT "supporter_profiles_capacity_range" CHECK ("supporter_profiles"."project_capacity" between 1 and 5);
--> statement-breakpoint
-- hand-written below
-- Profiles written before this migration: their skill keys as shared/normalize searchKey computes
-- them (NFKC, lower case, katakana to hiragana, whitespace and dashes removed).
UPDATE "supporter_profiles" SET "skill_keys" = coalesce((
  SELECT array_agg(DISTINCT k) FROM (
    SELECT regexp_replace(
      translate(lower(normalize(s, NFKC)), 'ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶ', 'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ'),
      '[[:space:]　‐‑‒–—―−ー－ｰ⁃﹘﹣-]', '', 'g') AS k
    FROM unnest("skills") AS s
  ) AS keys WHERE k <> ''), '{}')
WHERE cardinality("skills") > 0;
