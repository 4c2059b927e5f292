/**
 * The yearly evaluation of a plan's fiscal year (施策評価): the draft the prefecture and the center
 * write — commentary per indicator, the committee's opinions — and its approval by a prefecture
 * admin, which freezes the report's data. Every change is audited with the change itself. The
 * report (PDF/XLSX, kpi.report-*.ts) is drawn from `reportData`: the frozen snapshot once approved,
 * the figures computed now while a draft.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { municipalities } from '../../platform/places.tables.js';
import { fieldProblemMessage } from '../../shared/messages.js';
import { PREFECTURES } from '../../shared/domain.js';
import { todayInTokyo } from '../../shared/dates.js';
import { kpiCommitteeOpinions, kpiEvaluationCommentary, kpiEvaluations, kpiPlans } from './kpi.tables.js';
import { choosePlan, computeFigures } from './kpi.service.js';
import { achievement, cumulative } from './kpi.rules.js';
import type { KpiCode, KpiUnit, PlanView } from './kpi.schemas.js';
import { type EvaluationReportData, ZEvaluationReportData } from './kpi.report-data.js';
import {
  approvalProblems,
  evaluationAllows,
  type EvaluationState,
  opinionDateProblem,
} from './kpi.evaluation.rules.js';
import type { CreateOpinionInput, EvaluationView, PutCommentaryInput } from './kpi.evaluation.schemas.js';
import { stageTransitions, cohortRetention } from './kpi.depth.js';

/** What an approval freezes: the report's data and what the English public page needs beside it. */
export type EvaluationSnapshot = {
  data: EvaluationReportData;
  planNameEn: string;
  labelsEn: Record<string, string>;
};

export const UNIT_LABELS: Record<KpiUnit, string> = { people: '人', organizations: '団体', count: '件' };

type EvaluationRow = typeof kpiEvaluations.$inferSelect;

async function evaluationRow(db: Db, planId: string, fiscalYear: number): Promise<EvaluationRow | undefined> {
  const [row] = await db
    .select()
    .from(kpiEvaluations)
    .where(and(eq(kpiEvaluations.planId, planId), eq(kpiEvaluations.fiscalYear, fiscalYear)));
  return row;
}

/** The evaluation's row, made on first write, locked until the transaction ends (one writer at a time). */
async function lockedEvaluation(tx: Tx, planId: string, fiscalYear: number): Promise<EvaluationRow> {
  await tx.insert(kpiEvaluations).values({ planId, fiscalYear }).onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(kpiEvaluations)
    .where(and(eq(kpiEvaluations.planId, planId), eq(kpiEvaluations.fiscalYear, fiscalYear)))
    .for('update');
  return row!;
}

/**
 * The plan evaluated: the one asked for; else the prefecture's plan whose evaluation of the year
 * was approved (or, failing that, last written); else the prefecture's plan covering the year. The
 * year must lie in the plan's period.
 */
async function evaluatedPlan(db: Db, requested: string | undefined, fiscalYear: number): Promise<PlanView> {
  let chosen = requested;
  if (!chosen) {
    const [evaluated] = await db
      .select({ id: kpiPlans.id })
      .from(kpiEvaluations)
      .innerJoin(kpiPlans, eq(kpiPlans.id, kpiEvaluations.planId))
      .where(and(eq(kpiEvaluations.fiscalYear, fiscalYear), isNull(kpiPlans.municipalityCode)))
      .orderBy(sql`${kpiEvaluations.status} = 'approved' desc`, desc(kpiEvaluations.updatedAt))
      .limit(1);
    chosen = evaluated?.id;
  }
  const plan = await choosePlan(db, chosen, fiscalYear);
  if (fiscalYear < plan.fromFiscalYear || fiscalYear > plan.toFiscalYear)
    throw new AppError('VALIDATION', {
      fields: {
        fiscalYear: {
          problem: 'outside_plan_period',
          params: { from: plan.fromFiscalYear, to: plan.toFiscalYear },
        },
      },
    });
  return plan;
}

async function commentaryOf(db: Db, evaluationId: string | undefined) {
  if (!evaluationId) return [];
  return db.select().from(kpiEvaluationCommentary).where(eq(kpiEvaluationCommentary.evaluationId, evaluationId));
}

async function opinionsOf(db: Db, evaluationId: string | undefined) {
  if (!evaluationId) return [];
  return db
    .select()
    .from(kpiCommitteeOpinions)
    .where(eq(kpiCommitteeOpinions.evaluationId, evaluationId))
    .orderBy(asc(kpiCommitteeOpinions.givenOn), asc(kpiCommitteeOpinions.recordedAt));
}

function problemList(ctx: StaffContext, problems: Record<string, FieldProblem>) {
  return Object.entries(problems).map(([field, problem]) => ({
    field,
    message: fieldProblemMessage(ctx.locale, field, problem),
  }));
}

/** The evaluation of a fiscal year as its writers see it (a draft with nothing written yet when none exists). */
export async function getEvaluation(
  db: Db,
  ctx: StaffContext,
  fiscalYear: number,
  planRequested: string | undefined,
): Promise<EvaluationView> {
  const plan = await evaluatedPlan(db, planRequested, fiscalYear);
  const row = await evaluationRow(db, plan.id, fiscalYear);
  const [commentary, opinions] = await Promise.all([commentaryOf(db, row?.id), opinionsOf(db, row?.id)]);
  const texts = new Map(commentary.map((c) => [c.indicatorCode, c.text]));
  const state = (row?.status ?? 'draft') as EvaluationState;
  const en = ctx.locale === 'en';
  return {
    fiscalYear,
    plan: { id: plan.id, code: plan.code, name: en ? plan.nameEn : plan.nameJa },
    state,
    approvedBy: row?.approvedByName ?? null,
    approvedAt: row?.approvedAt?.toISOString() ?? null,
    indicators: plan.indicators.map((i) => {
      const c = commentary.find((x) => x.indicatorCode === i.code);
      return {
        code: i.code,
        label: en ? i.labelEn : i.labelJa,
        commentary: c?.text ?? null,
        commentaryUpdatedAt: c?.updatedAt.toISOString() ?? null,
      };
    }),
    opinions: opinions.map((o) => ({
      id: o.id,
      givenOn: o.givenOn,
      author: o.author,
      indicatorCode: (o.indicatorCode as KpiCode | null) ?? null,
      text: o.text,
      recordedAt: o.recordedAt.toISOString(),
    })),
    approvalProblems:
      state === 'draft'
        ? problemList(
            ctx,
            approvalProblems(
              plan.indicators.map((i) => i.code),
              texts,
              fiscalYear,
              todayInTokyo(),
            ),
          )
        : [],
  };
}

/** Every evaluation recorded, newest year first. */
export async function listEvaluations(db: Db) {
  const rows = await db
    .select({
      fiscalYear: kpiEvaluations.fiscalYear,
      planCode: kpiPlans.code,
      state: kpiEvaluations.status,
      approvedAt: kpiEvaluations.approvedAt,
    })
    .from(kpiEvaluations)
    .innerJoin(kpiPlans, eq(kpiPlans.id, kpiEvaluations.planId))
    .orderBy(desc(kpiEvaluations.fiscalYear), asc(kpiPlans.code));
  return {
    items: rows.map((r) => ({
      ...r,
      state: r.state as EvaluationState,
      approvedAt: r.approvedAt?.toISOString() ?? null,
    })),
  };
}

function refuseUnlessDraft(row: EvaluationRow): void {
  if (!evaluationAllows(row.status as EvaluationState, 'write'))
    throw new AppError('CONFLICT', { details: { state: row.status } });
}

/** Writes (or, with empty text, removes) the prefecture's commentary on one indicator of a draft. */
export async function putCommentary(
  db: Db,
  ctx: StaffContext,
  fiscalYear: number,
  code: KpiCode,
  planRequested: string | undefined,
  input: PutCommentaryInput,
): Promise<EvaluationView> {
  const plan = await evaluatedPlan(db, planRequested, fiscalYear);
  if (!plan.indicators.some((i) => i.code === code))
    throw new AppError('VALIDATION', {
      fields: {
        code: { problem: 'invalid_choice', params: { options: plan.indicators.map((i) => i.code).join(', ') } },
      },
    });
  const text = input.text ?? null;
  await inTransaction(db, async (tx) => {
    const row = await lockedEvaluation(tx, plan.id, fiscalYear);
    refuseUnlessDraft(row);
    const key = and(eq(kpiEvaluationCommentary.evaluationId, row.id), eq(kpiEvaluationCommentary.indicatorCode, code));
    if (text === null) await tx.delete(kpiEvaluationCommentary).where(key);
    else
      await tx
        .insert(kpiEvaluationCommentary)
        .values({ evaluationId: row.id, indicatorCode: code, text, updatedBy: ctx.actor.staffId })
        .onConflictDoUpdate({
          target: [kpiEvaluationCommentary.evaluationId, kpiEvaluationCommentary.indicatorCode],
          set: { text, updatedBy: ctx.actor.staffId, updatedAt: sql`now()` },
        });
    await tx.update(kpiEvaluations).set({ updatedAt: sql`now()` }).where(eq(kpiEvaluations.id, row.id));
    await recordAudit(tx, ctx, {
      action: text === null ? 'kpi.evaluation.commentary_remove' : 'kpi.evaluation.commentary',
      entityType: 'kpi_evaluation',
      entityId: row.id,
      details: { plan: plan.code, fiscalYear, indicator: code, length: text?.length ?? 0 },
    });
  });
  return getEvaluation(db, ctx, fiscalYear, plan.id);
}

/** Records an opinion of the external committee in a draft. */
export async function addOpinion(
  db: Db,
  ctx: StaffContext,
  fiscalYear: number,
  planRequested: string | undefined,
  input: CreateOpinionInput,
): Promise<EvaluationView> {
  const plan = await evaluatedPlan(db, planRequested, fiscalYear);
  const fields: Record<string, FieldProblem> = {};
  const dateProblem = opinionDateProblem(input.givenOn, fiscalYear, todayInTokyo());
  if (dateProblem) fields.givenOn = dateProblem;
  if (input.indicatorCode && !plan.indicators.some((i) => i.code === input.indicatorCode))
    fields.indicatorCode = {
      problem: 'invalid_choice',
      params: { options: plan.indicators.map((i) => i.code).join(', ') },
    };
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  await inTransaction(db, async (tx) => {
    const row = await lockedEvaluation(tx, plan.id, fiscalYear);
    refuseUnlessDraft(row);
    const [opinion] = await tx
      .insert(kpiCommitteeOpinions)
      .values({
        evaluationId: row.id,
        givenOn: input.givenOn,
        author: input.author,
        indicatorCode: input.indicatorCode,
        text: input.text!,
        recordedBy: ctx.actor.staffId,
      })
      .returning({ id: kpiCommitteeOpinions.id });
    await tx.update(kpiEvaluations).set({ updatedAt: sql`now()` }).where(eq(kpiEvaluations.id, row.id));
    await recordAudit(tx, ctx, {
      action: 'kpi.evaluation.opinion',
      entityType: 'kpi_evaluation',
      entityId: row.id,
      details: {
        plan: plan.code,
        fiscalYear,
        opinion: opinion!.id,
        indicator: input.indicatorCode,
        givenOn: input.givenOn,
      },
    });
  });
  return getEvaluation(db, ctx, fiscalYear, plan.id);
}

/**
 * Approves a draft (prefecture admin): checks the approval rules, computes the report's data from
 * the records as they are now and freezes it with who approved and when. Refused (400, by field)
 * while the year is not over or an indicator has no commentary; 409 when already approved.
 */
export async function approveEvaluation(
  db: Db,
  ctx: StaffContext,
  fiscalYear: number,
  planRequested: string | undefined,
): Promise<EvaluationView> {
  const plan = await evaluatedPlan(db, planRequested, fiscalYear);
  await inTransaction(db, async (tx) => {
    const row = await lockedEvaluation(tx, plan.id, fiscalYear);
    refuseUnlessDraft(row);
    const commentary = await commentaryOf(tx, row.id);
    const problems = approvalProblems(
      plan.indicators.map((i) => i.code),
      new Map(commentary.map((c) => [c.indicatorCode, c.text])),
      fiscalYear,
      todayInTokyo(),
    );
    if (Object.keys(problems).length) throw new AppError('VALIDATION', { fields: problems });
    const approvedAt = new Date();
    const data = await reportDataNow(tx, plan, fiscalYear, row.id, {
      state: 'approved',
      approvedBy: ctx.actor.name,
      approvedAt: approvedAt.toISOString(),
    });
    const snapshot: EvaluationSnapshot = {
      data: { ...data, generatedAt: approvedAt.toISOString() },
      planNameEn: plan.nameEn,
      labelsEn: Object.fromEntries(plan.indicators.map((i) => [i.code, i.labelEn])),
    };
    await tx
      .update(kpiEvaluations)
      .set({
        status: 'approved',
        approvedBy: ctx.actor.staffId,
        approvedByName: ctx.actor.name,
        approvedAt,
        snapshot,
        updatedAt: approvedAt,
      })
      .where(eq(kpiEvaluations.id, row.id));
    await recordAudit(tx, ctx, {
      action: 'kpi.evaluation.approve',
      entityType: 'kpi_evaluation',
      entityId: row.id,
      details: {
        plan: plan.code,
        fiscalYear,
        actuals: Object.fromEntries(data.indicators.map((i) => [i.code, i.actual])),
      },
    });
  });
  return getEvaluation(db, ctx, fiscalYear, plan.id);
}

/**
 * Undoes an approval (prefecture admin) with a reason: the evaluation goes back to draft, its
 * frozen figures are dropped (the staff report shows today's figures again, the plan's fixed years
 * may change) and the public page and open data stop showing the year until it is approved again.
 * Audited with the old state (approver, time, frozen actuals) and the new. 409 unless approved.
 */
export async function reopenEvaluation(
  db: Db,
  ctx: StaffContext,
  fiscalYear: number,
  planRequested: string | undefined,
  reason: string,
): Promise<EvaluationView> {
  const plan = await evaluatedPlan(db, planRequested, fiscalYear);
  await inTransaction(db, async (tx) => {
    const row = await lockedEvaluation(tx, plan.id, fiscalYear);
    if (!evaluationAllows(row.status as EvaluationState, 'reopen'))
      throw new AppError('CONFLICT', { details: { state: row.status } });
    const frozen = row.snapshot as EvaluationSnapshot | null;
    await tx
      .update(kpiEvaluations)
      .set({
        status: 'draft',
        approvedBy: null,
        approvedByName: null,
        approvedAt: null,
        snapshot: null,
        updatedAt: new Date(),
      })
      .where(eq(kpiEvaluations.id, row.id));
    await recordAudit(tx, ctx, {
      action: 'kpi.evaluation.reopen',
      entityType: 'kpi_evaluation',
      entityId: row.id,
      details: {
        plan: plan.code,
        fiscalYear,
        reason,
        old: {
          status: row.status,
          approvedBy: row.approvedByName,
          approvedAt: row.approvedAt?.toISOString() ?? null,
          actuals: Object.fromEntries((frozen?.data.indicators ?? []).map((i) => [i.code, i.actual])),
        },
        new: { status: 'draft' },
      },
    });
  });
  return getEvaluation(db, ctx, fiscalYear, plan.id);
}

/**
 * The report's data computed from the records now: the plan's indicators for the year and each
 * year of the plan before it, per municipality of the prefecture, the depth tables, the
 * commentary and opinions of the evaluation.
 */
async function reportDataNow(
  db: Db,
  plan: PlanView,
  fiscalYear: number,
  evaluationId: string | undefined,
  status: EvaluationReportData['status'],
): Promise<EvaluationReportData> {
  const range = { fromFiscalYear: Math.min(plan.fromFiscalYear, fiscalYear), toFiscalYear: fiscalYear };
  const codes = plan.indicators.map((i) => i.code);
  const [figures, places, commentary, opinions, transitions, retention] = await Promise.all([
    computeFigures(db, codes, range),
    db
      .select({ code: municipalities.code, name: municipalities.name, prefectureCode: municipalities.prefectureCode })
      .from(municipalities)
      .where(plan.municipalityCode ? eq(municipalities.code, plan.municipalityCode) : undefined)
      .orderBy(asc(municipalities.code)),
    commentaryOf(db, evaluationId),
    opinionsOf(db, evaluationId),
    stageTransitions(db, fiscalYear, plan.municipalityCode),
    cohortRetention(db, fiscalYear, plan.municipalityCode),
  ]);
  // A municipality's own plan is judged by that municipality's figures; the prefecture's by its own.
  const scope = plan.municipalityCode;
  const planYears = Array.from({ length: fiscalYear - plan.fromFiscalYear + 1 }, (_, i) => plan.fromFiscalYear + i);
  const prefectureName = PREFECTURES[Number(places[0]?.prefectureCode ?? '6') - 1] ?? '山形県';
  const data: EvaluationReportData = {
    prefectureName,
    plan: { name: plan.nameJa, firstFiscalYear: plan.fromFiscalYear, lastFiscalYear: plan.toFiscalYear },
    fiscalYear,
    indicators: plan.indicators.map((indicator) => {
      const f = figures.get(indicator.code)!;
      const targetOf = (fy: number) => indicator.targets.find((t) => t.fiscalYear === fy)?.target ?? null;
      const actualByYear = new Map(planYears.map((y) => [y, f.value(y, scope)]));
      const targetByYear = new Map(planYears.map((y) => [y, targetOf(y)]));
      const actual = f.value(fiscalYear, scope);
      const target = targetOf(fiscalYear);
      return {
        code: indicator.code,
        label: indicator.labelJa,
        unit: UNIT_LABELS[indicator.unit],
        isPeopleCount: indicator.unit === 'people',
        baseline: indicator.baseline,
        target,
        actual,
        cumulativeTarget: cumulative(targetByYear, plan, fiscalYear),
        cumulativeActual: cumulative(actualByYear, plan, fiscalYear),
        achievementRatio: achievement(actual, target),
        trend: planYears.map((y) => ({
          fiscalYear: y,
          target: targetByYear.get(y) ?? null,
          actual: actualByYear.get(y) ?? null,
        })),
        municipalities: places.map((p) => ({
          code: p.code,
          name: p.name,
          target:
            indicator.municipalityTargets.find((t) => t.municipalityCode === p.code && t.fiscalYear === fiscalYear)
              ?.target ?? null,
          actual: f.value(fiscalYear, p.code),
        })),
        commentary: commentary.find((c) => c.indicatorCode === indicator.code)?.text ?? null,
      };
    }),
    depth: { stageTransitions: transitions, cohortRetention: retention },
    committeeOpinions: opinions.map((o) => ({
      date: o.givenOn,
      author: o.author,
      indicatorCode: o.indicatorCode,
      text: o.text,
    })),
    status,
    generatedAt: new Date().toISOString(),
  };
  return ZEvaluationReportData.parse(data);
}

/** The report's data: frozen when approved, computed now for a draft. */
export async function reportData(
  db: Db,
  fiscalYear: number,
  planRequested: string | undefined,
): Promise<{ data: EvaluationReportData; evaluationId: string | null; plan: PlanView }> {
  const plan = await evaluatedPlan(db, planRequested, fiscalYear);
  const row = await evaluationRow(db, plan.id, fiscalYear);
  if (row?.status === 'approved')
    return { data: (row.snapshot as EvaluationSnapshot).data, evaluationId: row.id, plan };
  return {
    data: await reportDataNow(db, plan, fiscalYear, row?.id, { state: 'draft' }),
    evaluationId: row?.id ?? null,
    plan,
  };
}

/**
 * The approved evaluations of one plan (by code), else of the prefecture's plans, newest year
 * first, with their snapshots.
 */
export async function approvedEvaluations(db: Db, planCode?: string) {
  const rows = await db
    .select({ fiscalYear: kpiEvaluations.fiscalYear, snapshot: kpiEvaluations.snapshot, planCode: kpiPlans.code })
    .from(kpiEvaluations)
    .innerJoin(kpiPlans, eq(kpiPlans.id, kpiEvaluations.planId))
    .where(
      and(
        eq(kpiEvaluations.status, 'approved'),
        planCode ? eq(kpiPlans.code, planCode) : isNull(kpiPlans.municipalityCode),
      ),
    )
    .orderBy(desc(kpiEvaluations.fiscalYear), desc(kpiEvaluations.approvedAt));
  // One report per year on the public page: the latest approved, should two plans cover a year.
  const seen = new Set<number>();
  return rows
    .filter((r) => !seen.has(r.fiscalYear) && seen.add(r.fiscalYear))
    .map((r) => ({ fiscalYear: r.fiscalYear, planCode: r.planCode, snapshot: r.snapshot as EvaluationSnapshot }));
}

/** The plans with at least one approved evaluation (the public page's choice): the prefecture's first, then by municipality. */
export async function publishedPlans(db: Db) {
  const rows = await db
    .selectDistinct({
      code: kpiPlans.code,
      nameJa: kpiPlans.nameJa,
      nameEn: kpiPlans.nameEn,
      municipalityCode: kpiPlans.municipalityCode,
      municipalityName: municipalities.name,
    })
    .from(kpiPlans)
    .innerJoin(kpiEvaluations, and(eq(kpiEvaluations.planId, kpiPlans.id), eq(kpiEvaluations.status, 'approved')))
    .leftJoin(municipalities, eq(municipalities.code, kpiPlans.municipalityCode));
  return rows.sort(
    (a, b) => (a.municipalityCode ?? '').localeCompare(b.municipalityCode ?? '') || a.code.localeCompare(b.code),
  );
}
