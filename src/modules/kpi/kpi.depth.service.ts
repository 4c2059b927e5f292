/**
 * The depth views for a reader: the scope decides the municipality (kpi.scope.ts), as for the
 * figures; `roots` limits them to the people who declared those roots (ルーツ).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { StaffContext } from '../../platform/request-context.js';
import { AppError } from '../../platform/errors.js';
import { municipalities } from '../../platform/places.tables.js';
import { todayInTokyo } from '../../shared/dates.js';
import { kpiMunicipality } from './kpi.scope.js';
import { currentFiscalYear, fiscalYearOfDate } from './kpi.rules.js';
import { activityYears, cohortRows, personActivity, stageTransitions } from './kpi.depth.js';
import type { DepthQueryInput, DepthView } from './kpi.depth.schemas.js';

/** How many fiscal years the cohort and activity tables reach back. */
const YEARS_BACK = 3;

export async function getDepth(db: Db, ctx: StaffContext, query: DepthQueryInput): Promise<DepthView> {
  const municipality = kpiMunicipality(ctx.actor, query.municipality);
  const fiscalYear = query.fiscalYear ?? currentFiscalYear();
  const roots = query.roots ?? null;
  let place: { code: string; name: string } | undefined;
  if (municipality) {
    [place] = await db
      .select({ code: municipalities.code, name: municipalities.name })
      .from(municipalities)
      .where(eq(municipalities.code, municipality));
    if (!place) throw new AppError('NOT_FOUND');
  }
  const today = todayInTokyo();
  const lastEnded = fiscalYearOfDate(today) - 1;
  const first = fiscalYear - YEARS_BACK + 1;
  const [transitions, people] = await Promise.all([
    stageTransitions(db, fiscalYear, municipality, today, roots),
    personActivity(db, Math.max(fiscalYear, Math.min(fiscalYear + 2, lastEnded + 1)), municipality, roots),
  ]);
  return {
    fiscalYear,
    municipality: place ?? null,
    roots,
    stageTransitions: transitions ? { stages: transitions.stages, counts: transitions.counts } : null,
    cohortRetention: cohortRows(people, first, fiscalYear, 2, lastEnded),
    activity: activityYears(people, first, fiscalYear),
  };
}
