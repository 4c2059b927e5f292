/**
 * Headcounts: visitors of an event counted without registering — at the door of a fair, a tour
 * group, the attendance of a conference or tournament brought to the prefecture (学会・大会誘致) —
 * with the day, who counted and a note on the evidence. The KPI module adds them to the checked-in
 * registrations of events held in the prefecture (docs/kpi.md, ③). Only those who may change the
 * event record them (events.policy.ts); every headcount is audited.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { assertAllowed } from '../../platform/policy.js';
import { staff } from '../../platform/auth/auth.tables.js';
import { todayInTokyo } from '../../shared/dates.js';
import { eventHeadcounts, events } from './events.tables.js';
import type { CreateHeadcountInput, HeadcountView } from './events.schemas.js';
import { mayManageEvent } from './events.policy.js';
import { toTokyoIso } from './events.rules.js';

/** The event's headcounts, oldest first, with their sum. NOT_FOUND for an unknown event. */
export async function listHeadcounts(db: Db, eventId: string): Promise<{ items: HeadcountView[]; total: number }> {
  const [e] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
  if (!e) throw new AppError('NOT_FOUND');
  const rows = await db
    .select({ h: eventHeadcounts, counterName: staff.name })
    .from(eventHeadcounts)
    .leftJoin(staff, eq(staff.id, eventHeadcounts.countedBy))
    .where(eq(eventHeadcounts.eventId, eventId))
    .orderBy(asc(eventHeadcounts.countedOn), asc(eventHeadcounts.createdAt));
  const items = rows.map(({ h, counterName }) => ({
    id: h.id,
    eventId: h.eventId,
    countedOn: h.countedOn,
    count: h.count,
    note: h.note,
    countedBy: h.countedBy ? { id: h.countedBy, name: counterName ?? '' } : null,
    createdAt: toTokyoIso(h.createdAt),
  }));
  return { items, total: items.reduce((sum, h) => sum + h.count, 0) };
}

/**
 * Records a headcount. The day may not lie in the future (Japan), and a called-off event takes
 * none; an event online or outside the prefecture takes one (it is the event's record) but the
 * KPI does not count it.
 */
export async function addHeadcount(
  db: Db,
  ctx: StaffContext,
  eventId: string,
  input: CreateHeadcountInput,
): Promise<HeadcountView> {
  const id = await inTransaction(db, async (tx) => {
    const [e] = await tx.select().from(events).where(eq(events.id, eventId)).for('share');
    if (!e) throw new AppError('NOT_FOUND');
    assertAllowed(mayManageEvent(ctx.actor, e));
    if (e.status === 'cancelled') throw fieldError('eventId', 'event_cancelled');
    if (input.countedOn > todayInTokyo()) throw fieldError('countedOn', 'future_date');
    const [row] = await tx
      .insert(eventHeadcounts)
      .values({
        eventId,
        countedOn: input.countedOn,
        count: input.count,
        note: input.note ?? null,
        countedBy: ctx.actor.staffId,
      })
      .returning({ id: eventHeadcounts.id });
    await recordAudit(tx, ctx, {
      action: 'event.headcount',
      entityType: 'event',
      entityId: eventId,
      ...(e.venueMunicipalityCode ? { municipalityCode: e.venueMunicipalityCode } : {}),
      details: { headcountId: row!.id, countedOn: input.countedOn, count: input.count },
    });
    return row!.id;
  });
  const { items } = await listHeadcounts(db, eventId);
  return items.find((h) => h.id === id)!;
}
