/**
 * Matching settings per prefecture: N, the months a collaboration must have run without
 * accompaniment before it may be recorded as self-running (自走) on that evidence (seed 001 ④;
 * matching.pipeline.ts applies it). One row per prefecture; without one the default applies.
 */
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { AppError } from '../../platform/errors.js';
import type { StaffContext } from '../../platform/request-context.js';
import { servedPrefecture } from '../../platform/tenant.js';
import { DEFAULT_SELF_RUNNING_MONTHS } from './matching.pipeline.js';
import type { MatchingSettingsInput, MatchingSettingsView } from './matching.schemas.js';
import { matchingSettings } from './matching.tables.js';

/** The settings in force: the prefecture's row over the default. */
export async function getMatchingSettings(db: Db): Promise<MatchingSettingsView> {
  const prefectureCode = await servedPrefecture(db);
  const [row] = prefectureCode
    ? await db.select().from(matchingSettings).where(eq(matchingSettings.prefectureCode, prefectureCode))
    : [];
  return {
    prefectureCode,
    selfRunningMonths: row?.selfRunningMonths ?? DEFAULT_SELF_RUNNING_MONTHS,
    isDefault: !row,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** N in force (what recording a self-running step checks). */
export async function selfRunningMonths(db: Db): Promise<number> {
  return (await getMatchingSettings(db)).selfRunningMonths;
}

/** Writes the prefecture's settings (prefecture admins: the policy is on the route); audited with before and after. */
export async function updateMatchingSettings(
  db: Db,
  ctx: StaffContext,
  input: MatchingSettingsInput,
): Promise<MatchingSettingsView> {
  const before = await getMatchingSettings(db);
  if (!before.prefectureCode) throw new AppError('NOT_FOUND');
  const values = { selfRunningMonths: input.selfRunningMonths, updatedAt: new Date(), updatedBy: ctx.actor.staffId };
  await inTransaction(db, async (tx) => {
    await tx
      .insert(matchingSettings)
      .values({ prefectureCode: before.prefectureCode!, ...values })
      .onConflictDoUpdate({ target: matchingSettings.prefectureCode, set: values });
    await recordAudit(tx, ctx, {
      action: 'settings.matching.update',
      entityType: 'matching_settings',
      details: {
        prefectureCode: before.prefectureCode,
        selfRunningMonths: { from: before.selfRunningMonths, to: input.selfRunningMonths },
      },
    });
  });
  return getMatchingSettings(db);
}
