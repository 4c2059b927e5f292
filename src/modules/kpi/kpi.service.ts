/**
 * The plan's figures for a fiscal year: each indicator of the plan computed by its rule
 * (kpi.queries.ts) for the year and for every year from the plan's start (the cumulative
 * figures), for the whole prefecture and per municipality, beside the plan's targets. Aggregates
 * only; the reader's scope decides which municipality they are computed for (kpi.scope.ts).
 */
import type { Db } from '../../platform/db/client.js';
import type { StaffContext } from '../../platform/request-context.js';
import { AppError } from '../../platform/errors.js';
import { municipalities } from '../../platform/places.tables.js';
import { asc, eq } from 'drizzle-orm';
import { kpiMunicipality } from './kpi.scope.js';
import { achievement, cumulative, currentFiscalYear, fiscalYearDates } from './kpi.rules.js';
import {
  continuingRows,
  exchangeRows,
  relationshipRows,
  uijMoverRows,
  type ContinuingRows,
  type FigureRow,
  type YearRange,
} from './kpi.queries.js';
import { keptFigures, type KeptRequest } from './kpi.kept.js';
import { listPlans, getPlan } from './kpi.plans.js';
import type { ActualItemView, ActualsQueryInput, ActualsView, KpiCode, PlanView } from './kpi.schemas.js';

/** Figures of one indicator: per fiscal year, per municipality ('' = the whole prefecture). */
type Figures = {
  /** null: no data for this indicator (the records its rule needs do not exist yet). */
  value(fy: number, municipality: string | null): number | null;
  breakdown(fy: number, municipality: string | null): Array<{ key: string; value: number }>;
};

const NO_DATA: Figures = { value: () => null, breakdown: () => [] };

/** Sums rows per (year, municipality); the prefecture's figure is the sum over its municipalities. */
function additive(rows: ReadonlyArray<{ fiscalYear: number; municipalityCode: string; value: number }>): Figures {
  const cell = new Map<string, number>();
  const add = (key: string, n: number) => cell.set(key, (cell.get(key) ?? 0) + n);
  for (const r of rows) {
    add(`${r.fiscalYear}/${r.municipalityCode}`, r.value);
    add(`${r.fiscalYear}/`, r.value);
  }
  return { value: (fy, m) => cell.get(`${fy}/${m ?? ''}`) ?? 0, breakdown: () => [] };
}

type ContinuingRow = { fiscalYear: number; municipalityCode: string; participants: number; continuing: number };

/**
 * 例2's rows as kept: one row per year and municipality, and one per year for the prefecture
 * (`municipalityCode: ''`), from the year before the range (its participants are the first year's
 * "previous year").
 */
function continuingRequest(db: Db, range: YearRange): KeptRequest<ContinuingRow> {
  return {
    source: 'continuing',
    range: { ...range, fromFiscalYear: range.fromFiscalYear - 1 },
    compute: async (r) => {
      const computed = await continuingRows(db, r);
      return [...computed.byMunicipality, ...computed.total.map((t) => ({ ...t, municipalityCode: '' }))].filter(
        (row) => row.fiscalYear >= r.fromFiscalYear,
      );
    },
  };
}

/**
 * Computes the figures each of `codes` needs for the fiscal years of `range`, through the kept
 * figures (kpi.kept.ts: exact to the transaction, recomputed from the records where stale). The
 * indicators run side by side; those without data (④ until the readiness records exist, side-job hosts until
 * matching exists) read nothing.
 */
export async function computeFigures(
  db: Db,
  codes: readonly KpiCode[],
  range: YearRange,
): Promise<Map<KpiCode, Figures>> {
  const wanted = new Set(codes);
  const requests = {
    uij_movers: { source: 'moves', range, compute: (r: YearRange) => uijMoverRows(db, r) },
    relationship_created: { source: 'relationship', range, compute: (r: YearRange) => relationshipRows(db, r) },
    exchange_created: { source: 'exchange', range, compute: (r: YearRange) => exchangeRows(db, r) },
    continuing_participants: continuingRequest(db, range),
  } as const;
  const asked = (Object.keys(requests) as Array<keyof typeof requests>).filter((code) => wanted.has(code));
  const answers = await keptFigures(
    db,
    asked.map((code) => requests[code] as KeptRequest<{ fiscalYear: number }>),
  );
  const rowsOf = <T>(code: keyof typeof requests) => {
    const i = asked.indexOf(code);
    return i < 0 ? null : (answers[i] as T[]);
  };
  const movers = rowsOf<FigureRow & { uijType: string }>('uij_movers');
  const relationship = rowsOf<FigureRow>('relationship_created');
  const exchange = rowsOf<FigureRow>('exchange_created');
  const continuingKept = rowsOf<ContinuingRow>('continuing_participants');
  const continuing: ContinuingRows | null = continuingKept && {
    byMunicipality: continuingKept.filter((r) => r.municipalityCode !== ''),
    total: continuingKept.filter((r) => r.municipalityCode === ''),
  };
  const figures = new Map<KpiCode, Figures>();
  for (const code of codes) figures.set(code, NO_DATA);
  if (movers) {
    const base = additive(movers);
    figures.set('uij_movers', {
      value: base.value,
      breakdown: (fy, m) =>
        ['U', 'I', 'J', 'unknown'].map((key) => ({
          key,
          value: movers
            .filter((r) => r.fiscalYear === fy && r.uijType === key && (!m || r.municipalityCode === m))
            .reduce((sum, r) => sum + r.value, 0),
        })),
    });
  }
  if (relationship) figures.set('relationship_created', additive(relationship));
  if (exchange) figures.set('exchange_created', additive(exchange));
  if (continuing) {
    const row = (fy: number, m: string | null) =>
      m
        ? continuing.byMunicipality.find((r) => r.fiscalYear === fy && r.municipalityCode === m)
        : continuing.total.find((r) => r.fiscalYear === fy);
    figures.set('continuing_participants', {
      value: (fy, m) => row(fy, m)?.continuing ?? 0,
      breakdown: (fy, m) => {
        const previous = row(fy - 1, m)?.participants ?? 0;
        const count = row(fy, m)?.continuing ?? 0;
        return [
          { key: 'previousYearParticipants', value: previous },
          ...(previous > 0 ? [{ key: 'share', value: count / previous }] : []),
        ];
      },
    });
  }
  return figures;
}

/**
 * The plan the figures are read against: the one asked for (code or id), else the prefecture's
 * plan covering the year, else the prefecture's latest. NOT_FOUND when there is none.
 */
export async function choosePlan(db: Db, requested: string | undefined, fy: number): Promise<PlanView> {
  if (requested) return getPlan(db, requested);
  const plans = (await listPlans(db)).filter((p) => p.municipalityCode === null);
  const plan =
    plans.find((p) => p.fromFiscalYear <= fy && fy <= p.toFiscalYear) ??
    [...plans].sort((a, b) => b.toFiscalYear - a.toFiscalYear)[0];
  if (!plan) throw new AppError('NOT_FOUND');
  return plan;
}

type Indicator = PlanView['indicators'][number];

/** The target of an indicator in a year: the municipality's when one is asked for (null when it has none). */
function targetOf(indicator: Indicator, fy: number, municipality: string | null): number | null {
  const found = municipality
    ? indicator.municipalityTargets.find((t) => t.municipalityCode === municipality && t.fiscalYear === fy)
    : indicator.targets.find((t) => t.fiscalYear === fy);
  return found?.target ?? null;
}

/** The figures for the reader: NOT_FOUND when they may not see the municipality asked for. */
export async function getActuals(db: Db, ctx: StaffContext, query: ActualsQueryInput): Promise<ActualsView> {
  const municipality = kpiMunicipality(ctx.actor, query.municipality);
  const fiscalYear = query.fiscalYear ?? currentFiscalYear();
  const plan = await choosePlan(db, query.plan, fiscalYear);
  const range = { fromFiscalYear: Math.min(plan.fromFiscalYear, fiscalYear), toFiscalYear: fiscalYear };
  const codes = plan.indicators.map((i) => i.code);
  const [figures, places] = await Promise.all([
    computeFigures(db, codes, range),
    db
      .select({ code: municipalities.code, name: municipalities.name })
      .from(municipalities)
      .where(municipality ? eq(municipalities.code, municipality) : undefined)
      .orderBy(asc(municipalities.code)),
  ]);
  if (municipality && places.length === 0) throw new AppError('NOT_FOUND');
  const years = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  const planYears = years(plan.fromFiscalYear, plan.toFiscalYear);

  const items: ActualItemView[] = plan.indicators.map((indicator) => {
    const f = figures.get(indicator.code)!;
    const actual = f.value(fiscalYear, municipality);
    const target = targetOf(indicator, fiscalYear, municipality);
    const actualByYear = new Map(planYears.map((y) => [y, y <= fiscalYear ? f.value(y, municipality) : null]));
    const targetByYear = new Map(planYears.map((y) => [y, targetOf(indicator, y, municipality)]));
    return {
      code: indicator.code,
      label: ctx.locale === 'en' ? indicator.labelEn : indicator.labelJa,
      labelJa: indicator.labelJa,
      labelEn: indicator.labelEn,
      unit: indicator.unit,
      baseline: indicator.baseline,
      target,
      actual,
      cumulativeTarget: cumulative(targetByYear, plan, fiscalYear),
      cumulativeActual: cumulative(actualByYear, plan, fiscalYear),
      achievement: achievement(actual, target),
      trend: planYears
        .filter((y) => y <= fiscalYear)
        .map((y) => ({
          fiscalYear: y,
          target: targetByYear.get(y) ?? null,
          actual: actualByYear.get(y) ?? null,
          cumulativeTarget: cumulative(targetByYear, plan, y),
          cumulativeActual: cumulative(actualByYear, plan, y),
        })),
      breakdown: actual === null ? [] : f.breakdown(fiscalYear, municipality),
    };
  });

  const { from, to } = fiscalYearDates(fiscalYear);
  return {
    fiscalYear,
    from,
    to,
    municipality: municipality ? { code: municipality, name: places[0]!.name } : null,
    plan: {
      id: plan.id,
      code: plan.code,
      name: ctx.locale === 'en' ? plan.nameEn : plan.nameJa,
      fromFiscalYear: plan.fromFiscalYear,
      toFiscalYear: plan.toFiscalYear,
    },
    items,
    municipalities: places.map((place) => ({
      code: place.code,
      name: place.name,
      figures: plan.indicators.map((indicator) => ({
        code: indicator.code,
        actual: figures.get(indicator.code)!.value(fiscalYear, place.code),
        target: targetOf(indicator, fiscalYear, place.code),
      })),
    })),
    generatedAt: new Date().toISOString(),
  };
}
