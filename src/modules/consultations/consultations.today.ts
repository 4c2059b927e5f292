/**
 * What a consultant's day starts with, counted within the staff member's scope by the same
 * conditions the lists behind the figures use: today's consultations, overdue next actions and
 * follow-ups, and the moves of the fiscal year.
 */
import { and, count, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Actor } from '../../platform/auth/actor.js';
import { caseScope, consultationScope, followupScope } from './consultations.scope.js';
import { cases, consultations, followups } from './consultations.tables.js';
import { movedBetween, nextActionOverdue } from './consultations.service.js';

export type ConsultingDay = {
  consultationsToday: number;
  overdueNextActions: number;
  overdueFollowups: number;
  movesThisYear: number;
};

/** `today` and the fiscal year's first and last day are Japan's (yyyy-mm-dd). */
export async function consultingDay(
  db: Db,
  actor: Actor,
  days: { today: string; yearFrom: string; yearTo: string },
): Promise<ConsultingDay> {
  const countOf = async (table: typeof consultations | typeof cases | typeof followups, where: SQL | undefined) =>
    Number((await db.select({ n: count() }).from(table).where(where))[0]?.n ?? 0);
  const [consultationsToday, overdueNextActions, overdueFollowups, movesThisYear] = await Promise.all([
    countOf(
      consultations,
      and(
        consultationScope(actor),
        gte(consultations.occurredOn, days.today),
        lte(consultations.occurredOn, days.today),
      ),
    ),
    countOf(consultations, and(consultationScope(actor), nextActionOverdue(days.today))),
    countOf(followups, and(followupScope(actor), eq(followups.status, 'open'), lt(followups.dueOn, days.today))),
    countOf(cases, and(caseScope(actor), movedBetween(days.yearFrom, days.yearTo))),
  ]);
  return { consultationsToday, overdueNextActions, overdueFollowups, movesThisYear };
}
