/**
 * What the public reads: the approved evaluations only, through the disclosure control of the
 * public report (kpi.report-data.ts `prepareReport(…, 'public')`), so the page, the open data and
 * the public PDF hide the same small counts. No personal data: aggregates, commentary and the
 * committee's opinions.
 */
import { asc } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { municipalities } from '../../platform/places.tables.js';
import type { KpiCode } from './kpi.schemas.js';
import { prepareReport } from './kpi.report-data.js';
import { approvedEvaluations, publishedPlans, type EvaluationSnapshot } from './kpi.evaluation.js';
import type { PublicKpiView } from './kpi.evaluation.schemas.js';
import { type OpenDataFigure, openDataCsv, openDataFileName, prefectureLocalGovernmentCode } from './kpi.opendata.js';

/** The public view of one approved evaluation. */
export function publicView(
  snapshot: EvaluationSnapshot,
  approvedYears: number[],
  plans: PublicKpiView['plans'] = [],
  planCode = '',
): PublicKpiView {
  const { data } = snapshot;
  const view = prepareReport(data, 'public');
  const opinion = (o: EvaluationSnapshot['data']['committeeOpinions'][number]) => ({
    givenOn: o.date,
    author: o.author,
    text: o.text,
  });
  return {
    fiscalYear: data.fiscalYear,
    approvedYears,
    plans,
    plan: {
      code: planCode,
      name: data.plan.name,
      nameEn: snapshot.planNameEn,
      fromFiscalYear: data.plan.firstFiscalYear,
      toFiscalYear: data.plan.lastFiscalYear,
    },
    prefectureName: data.prefectureName,
    approvedAt: data.status.state === 'approved' ? data.status.approvedAt : data.generatedAt,
    indicators: view.indicators.map((i) => ({
      code: i.code as KpiCode,
      label: i.label,
      labelEn: snapshot.labelsEn[i.code] ?? i.label,
      unit: i.unit,
      baseline: i.baseline,
      target: i.target,
      actual: i.actual,
      achievement: i.ratio,
      cumulativeTarget: i.cumulativeTarget,
      cumulativeActual: i.cumulativeActual,
      trend: i.trend
        .filter((t) => t.inPlan)
        .map((t) => ({
          fiscalYear: t.fiscalYear,
          target: t.target,
          actual: t.actual,
          cumulativeTarget: t.cumulativeTarget,
          cumulativeActual: t.cumulativeActual,
        })),
      municipalities: i.municipalities.map((m) => ({ code: m.code, name: m.name, actual: m.actual })),
      commentary: i.commentary,
      opinions: data.committeeOpinions.filter((o) => o.indicatorCode === i.code).map(opinion),
    })),
    generalOpinions: data.committeeOpinions.filter((o) => o.indicatorCode === null).map(opinion),
  };
}

/**
 * The public KPI page's data: of the plan asked for (a municipality's own plan too), else of the
 * prefecture's plans; the year asked for, else the latest approved. NOT_FOUND when none is approved.
 */
export async function publicKpi(db: Db, fiscalYear: number | undefined, planCode?: string): Promise<PublicKpiView> {
  const [approved, plans] = await Promise.all([approvedEvaluations(db, planCode), publishedPlans(db)]);
  const chosen = fiscalYear === undefined ? approved[0] : approved.find((a) => a.fiscalYear === fiscalYear);
  if (!chosen) throw new AppError('NOT_FOUND');
  return publicView(
    chosen.snapshot,
    approved.map((a) => a.fiscalYear),
    plans.map((p) => ({
      code: p.code,
      name: p.nameJa,
      nameEn: p.nameEn,
      municipality: p.municipalityCode ? { code: p.municipalityCode, name: p.municipalityName ?? '' } : null,
    })),
    chosen.planCode,
  );
}

/** The approved snapshot of a fiscal year of a plan (else the prefecture's), for the public report downloads. */
export async function approvedSnapshot(db: Db, fiscalYear: number, planCode?: string): Promise<EvaluationSnapshot> {
  const found = (await approvedEvaluations(db, planCode)).find((a) => a.fiscalYear === fiscalYear);
  if (!found) throw new AppError('NOT_FOUND');
  return found.snapshot;
}

/**
 * The open-data CSV of every approved year: per indicator and year the prefecture's figure and
 * each municipality's, as approved. NOT_FOUND when nothing is approved yet.
 */
export async function publicOpenData(db: Db): Promise<{ fileName: string; body: Buffer }> {
  const approved = await approvedEvaluations(db);
  if (approved.length === 0) throw new AppError('NOT_FOUND');
  const places = await db
    .select({ code: municipalities.code, name: municipalities.name, prefectureCode: municipalities.prefectureCode })
    .from(municipalities)
    .orderBy(asc(municipalities.code));
  const prefectureCode = places[0]?.prefectureCode ?? '06';
  const prefecture = prefectureLocalGovernmentCode(prefectureCode);
  const figures: OpenDataFigure[] = [];
  for (const { snapshot } of [...approved].reverse()) {
    const { data } = snapshot;
    for (const i of data.indicators) {
      const base = {
        indicatorCode: i.code,
        label: i.label,
        unit: i.unit,
        fiscalYear: data.fiscalYear,
        isPeopleCount: i.isPeopleCount,
      };
      figures.push({ ...base, municipalityCode: prefecture, value: i.actual });
      for (const m of i.municipalities) figures.push({ ...base, municipalityCode: m.code, value: m.actual });
    }
  }
  return {
    fileName: openDataFileName(
      prefectureCode,
      approved.map((a) => a.fiscalYear),
    ),
    body: openDataCsv(figures, { municipalities: places }),
  };
}
