/**
 * Follow-up after the move (定住・定着): tasks due some months after the move-in date, for the
 * case's consultant and the move-in municipality; the months are configured per prefecture
 * (followup_rules), 1, 6 and 12 by default. Overdue means open and due before today in Japan.
 */
import { and, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { followupScope } from './consultations.scope.js';
import { DEFAULT_FOLLOWUP_MONTHS } from '../../shared/domain.js';
import { todayInTokyo } from '../../shared/dates.js';
import { municipalities } from '../../platform/places.tables.js';
import { followupRules, followups } from './consultations.tables.js';
import { loadFollowups } from './consultations.present.js';
import type {
  FollowupsFilter,
  FollowupView,
  PutFollowupRuleInput,
  UpdateFollowupInput,
} from './consultations.schemas.js';
import { followupSchedule, normalizeMonths } from './pipeline.js';

/** The months after move-in at which follow-ups fall due in the municipality's prefecture. */
export async function followupMonthsFor(db: Db, municipalityCode: string): Promise<number[]> {
  const [row] = await db
    .select({ months: followupRules.months })
    .from(followupRules)
    .innerJoin(municipalities, eq(municipalities.prefectureCode, followupRules.prefectureCode))
    .where(eq(municipalities.code, municipalityCode));
  return row ? normalizeMonths(row.months) : [...DEFAULT_FOLLOWUP_MONTHS];
}

/**
 * Creates the follow-ups of a move (inside the caller's transaction). Idempotent: one task per
 * case and month, so recording the move again adds nothing.
 */
export async function scheduleFollowups(
  tx: Tx,
  input: { caseId: string; personId: string; municipalityCode: string; movedOn: string; assigneeId: string | null },
): Promise<number> {
  const months = await followupMonthsFor(tx, input.municipalityCode);
  const rows = followupSchedule(input.movedOn, months).map((s) => ({
    personId: input.personId,
    caseId: input.caseId,
    municipalityCode: input.municipalityCode,
    assigneeId: input.assigneeId,
    monthsAfterMove: s.monthsAfterMove,
    dueOn: s.dueOn,
  }));
  if (!rows.length) return 0;
  const inserted = await tx.insert(followups).values(rows).onConflictDoNothing().returning({ id: followups.id });
  return inserted.length;
}

export async function findFollowups(db: Db, ctx: StaffContext, filter: FollowupsFilter) {
  const today = todayInTokyo();
  const conditions: SQL[] = [followupScope(ctx.actor)];
  if (filter.due === 'overdue') conditions.push(eq(followups.status, 'open'), lt(followups.dueOn, today));
  if (filter.due === 'upcoming') conditions.push(eq(followups.status, 'open'), gte(followups.dueOn, today));
  if (filter.municipality) conditions.push(eq(followups.municipalityCode, filter.municipality));
  if (filter.caseId) conditions.push(eq(followups.caseId, filter.caseId));
  const page = await loadFollowups(db, and(...conditions), filter);
  await recordAudit(db, ctx, {
    action: 'followups.search',
    entityType: 'followup',
    details: {
      due: filter.due,
      municipality: filter.municipality ?? null,
      results: page.items.length,
      total: page.total,
      personIds: [...new Set(page.items.map((f) => f.person.id))],
    },
  });
  return page;
}

export async function updateFollowup(
  db: Db,
  ctx: StaffContext,
  id: string,
  input: UpdateFollowupInput,
): Promise<FollowupView> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .select({ id: followups.id, personId: followups.personId, municipalityCode: followups.municipalityCode })
      .from(followups)
      .where(and(eq(followups.id, id), followupScope(ctx.actor)))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND');
    await tx
      .update(followups)
      .set({
        status: input.status,
        ...(input.note !== undefined ? { note: input.note } : {}),
        doneAt: new Date(),
        doneBy: ctx.actor.staffId,
      })
      .where(eq(followups.id, id));
    await recordAudit(tx, ctx, {
      action: 'followup.update',
      entityType: 'followup',
      entityId: id,
      personId: row.personId,
      municipalityCode: row.municipalityCode,
      details: { status: input.status, note: input.note !== undefined },
    });
    const { items } = await loadFollowups(tx, eq(followups.id, id));
    if (!items[0]) throw new AppError('NOT_FOUND');
    return items[0];
  });
}

/** Every prefecture that has municipalities, with its months (stored or the default). */
export async function followupSettings(db: Db) {
  const prefectures = await db
    .selectDistinct({ code: municipalities.prefectureCode })
    .from(municipalities)
    .orderBy(municipalities.prefectureCode);
  const rules = await db.select().from(followupRules);
  const byCode = new Map(rules.map((r) => [r.prefectureCode, r]));
  return {
    items: prefectures.map(({ code }) => {
      const rule = byCode.get(code);
      return {
        prefectureCode: code,
        months: rule ? normalizeMonths(rule.months) : [...DEFAULT_FOLLOWUP_MONTHS],
        isDefault: !rule,
        updatedAt: rule?.updatedAt.toISOString() ?? null,
      };
    }),
    defaultMonths: [...DEFAULT_FOLLOWUP_MONTHS],
  };
}

/** Sets the months for a prefecture. Follow-ups already scheduled keep their dates. */
export async function putFollowupRule(db: Db, ctx: StaffContext, input: PutFollowupRuleInput) {
  const [known] = await db
    .select({ code: municipalities.code })
    .from(municipalities)
    .where(inArray(municipalities.prefectureCode, [input.prefectureCode]))
    .limit(1);
  if (!known) throw fieldError('prefectureCode', 'unknown_prefecture', { value: input.prefectureCode });
  const months = normalizeMonths(input.months);
  const updatedAt = new Date();
  await inTransaction(db, async (tx) => {
    await tx
      .insert(followupRules)
      .values({ prefectureCode: input.prefectureCode, months, updatedAt })
      .onConflictDoUpdate({ target: followupRules.prefectureCode, set: { months, updatedAt } });
    await recordAudit(tx, ctx, {
      action: 'followup_rules.update',
      entityType: 'followup_rule',
      entityId: input.prefectureCode,
      details: { months },
    });
  });
  return { prefectureCode: input.prefectureCode, months, isDefault: false, updatedAt: updatedAt.toISOString() };
}

/** Seeds a prefecture's default months once (seed); an administrator's later change is kept. */
export async function seedFollowupRule(db: Db, prefectureCode: string, months: readonly number[]): Promise<void> {
  await db
    .insert(followupRules)
    .values({ prefectureCode, months: normalizeMonths(months) })
    .onConflictDoNothing();
}
