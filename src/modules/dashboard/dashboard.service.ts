/**
 * The day on the dashboard: each figure asks the module that owns the records, within the staff
 * member's scope and by the same condition as the list it links to, so a figure and its list
 * agree. The new sign-ups name people, so reading them is audited like any list of people.
 */
import type { Db } from '../../platform/db/client.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { consultingDay } from '../consultations/index.js';
import { listEvents } from '../events/index.js';
import { waitingSignups } from '../registry/index.js';
import { dashboardDays, NEW_SIGNUP_DAYS } from './dashboard.rules.js';
import type { DashboardDayView } from './dashboard.schemas.js';

/** How many waiting sign-ups the dashboard names; the figure counts them all. */
const SIGNUPS_SHOWN = 10;

export async function dashboardDay(db: Db, ctx: StaffContext, now: Date = new Date()): Promise<DashboardDayView> {
  const days = dashboardDays(now);
  const [consulting, eventsToday, signups] = await Promise.all([
    consultingDay(db, ctx.actor, { today: days.today, yearFrom: days.fiscalYear.from, yearTo: days.fiscalYear.to }),
    listEvents(db, { from: days.today, to: days.today, limit: 1, offset: 0 }),
    waitingSignups(db, ctx.actor, days.signupsSince, SIGNUPS_SHOWN),
  ]);
  if (signups.items.length)
    await recordAudit(db, ctx, {
      action: 'dashboard.signups',
      entityType: 'person',
      details: { results: signups.items.length, total: signups.total, personIds: signups.items.map((s) => s.personId) },
    });
  return {
    today: days.today,
    fiscalYear: days.fiscalYear,
    ...consulting,
    eventsToday: eventsToday.total,
    newSignups: { since: days.signupsSince, days: NEW_SIGNUP_DAYS, total: signups.total, items: signups.items },
  };
}
