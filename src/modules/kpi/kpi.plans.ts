/**
 * Plans as data: reading them, adding one (prefecture admin), and seeding the plan of seed 001 on
 * every database. Targets are increments per fiscal year; the figures behind them are computed
 * (kpi.service.ts), never stored.
 */
import { and, asc, eq, inArray, max } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import type { RequestContext, StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { municipalities } from '../../platform/places.tables.js';
import { kpiEvaluations, kpiIndicators, kpiMunicipalityTargets, kpiPlans, kpiTargets } from './kpi.tables.js';
import type { CreatePlanInput, KpiCode, KpiUnit, PlanView, UpdatePlanInput } from './kpi.schemas.js';
import { approvedPlanProblems, planProblems } from './kpi.rules.js';

/**
 * The plan of seed 001 (地域再生計画「地域づくりの新たな担い手となる関係人口創出・拡大推進計画」,
 * 【数値目標】): FY2024–FY2026, four indicators, increments per fiscal year as DESIGN.md §2 reads
 * the seed's scrambled table (each series adds up to its stated total).
 */
export const SEED_001_PLAN: CreatePlanInput = {
  code: 'seed-001',
  nameJa: '地域づくりの新たな担い手となる関係人口創出・拡大推進計画',
  nameEn: 'Plan for creating and expanding the relationship population as new actors of regional development',
  fromFiscalYear: 2024,
  toFiscalYear: 2026,
  municipalityCode: null,
  indicators: [
    {
      code: 'uij_movers',
      labelJa: '県の相談窓口を通じたUIJターン移住者数',
      labelEn: 'UIJ-turn movers through the prefecture’s consultation counters',
      unit: 'people',
      baseline: 268,
      targets: series([72, 85, 87]),
      municipalityTargets: [],
    },
    {
      code: 'relationship_created',
      labelJa: '本事業により創出された関係人口',
      labelEn: 'Relationship population created by the project',
      unit: 'people',
      baseline: 0,
      targets: series([131, 204, 252]),
      municipalityTargets: [],
    },
    {
      code: 'exchange_created',
      labelJa: '本事業により創出された交流人口（学会・大会誘致等を含む）',
      labelEn: 'Exchange population created by the project (incl. conferences and events brought to the prefecture)',
      unit: 'people',
      baseline: 0,
      targets: series([7178, 7671, 8148]),
      municipalityTargets: [],
    },
    {
      code: 'ready_organizations',
      labelJa: '関係人口の受入れ体制が整った地域・団体数',
      labelEn: 'Areas and organizations ready to receive the relationship population',
      unit: 'organizations',
      baseline: 0,
      targets: series([16, 18, 18]),
      municipalityTargets: [],
    },
  ],
};

function series(values: number[]) {
  return values.map((target, i) => ({ fiscalYear: 2024 + i, target }));
}

/** Every plan with its indicators and targets, the prefecture's first, then by period and code. */
export async function listPlans(db: Db, where?: { id?: string; code?: string }): Promise<PlanView[]> {
  const plans = await db
    .select()
    .from(kpiPlans)
    .where(where?.id ? eq(kpiPlans.id, where.id) : where?.code ? eq(kpiPlans.code, where.code) : undefined)
    .orderBy(asc(kpiPlans.fromFiscalYear), asc(kpiPlans.code));
  if (plans.length === 0) return [];
  const ids = plans.map((p) => p.id);
  const [indicators, targets, municipal] = await Promise.all([
    db.select().from(kpiIndicators).where(inArray(kpiIndicators.planId, ids)).orderBy(asc(kpiIndicators.position)),
    db.select().from(kpiTargets).where(inArray(kpiTargets.planId, ids)).orderBy(asc(kpiTargets.fiscalYear)),
    db
      .select()
      .from(kpiMunicipalityTargets)
      .where(inArray(kpiMunicipalityTargets.planId, ids))
      .orderBy(asc(kpiMunicipalityTargets.municipalityCode), asc(kpiMunicipalityTargets.fiscalYear)),
  ]);
  return plans
    .map((p) => ({
      id: p.id,
      code: p.code,
      nameJa: p.nameJa,
      nameEn: p.nameEn,
      fromFiscalYear: p.fromFiscalYear,
      toFiscalYear: p.toFiscalYear,
      municipalityCode: p.municipalityCode,
      createdAt: p.createdAt.toISOString(),
      indicators: indicators
        .filter((i) => i.planId === p.id)
        .map((i) => ({
          code: i.code as KpiCode,
          labelJa: i.labelJa,
          labelEn: i.labelEn,
          unit: i.unit as KpiUnit,
          baseline: i.baseline,
          targets: targets
            .filter((t) => t.planId === p.id && t.indicatorCode === i.code)
            .map((t) => ({ fiscalYear: t.fiscalYear, target: t.target })),
          municipalityTargets: municipal
            .filter((t) => t.planId === p.id && t.indicatorCode === i.code)
            .map((t) => ({ municipalityCode: t.municipalityCode, fiscalYear: t.fiscalYear, target: t.target })),
        })),
    }))
    .sort((a, b) => Number(a.municipalityCode !== null) - Number(b.municipalityCode !== null));
}

/** One plan by code or id; NOT_FOUND when there is none. */
export async function getPlan(db: Db, codeOrId: string): Promise<PlanView> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(codeOrId);
  const [plan] = await listPlans(db, isId ? { id: codeOrId } : { code: codeOrId });
  if (!plan) throw new AppError('NOT_FOUND');
  return plan;
}

/** Writes a checked plan with its indicators and targets (inside the caller's transaction). */
async function insertPlan(db: Db, input: CreatePlanInput, createdBy: string | null): Promise<string | null> {
  const [row] = await db
    .insert(kpiPlans)
    .values({
      code: input.code,
      nameJa: input.nameJa,
      nameEn: input.nameEn,
      fromFiscalYear: input.fromFiscalYear,
      toFiscalYear: input.toFiscalYear,
      municipalityCode: input.municipalityCode ?? null,
      createdBy,
    })
    // Two processes seeding one database at once: the second finds the code taken and writes nothing.
    .onConflictDoNothing({ target: kpiPlans.code })
    .returning({ id: kpiPlans.id });
  if (!row) return null;
  await insertPlanContents(db, row.id, input);
  return row.id;
}

/** A plan's indicators, targets and municipal targets (inside the caller's transaction). */
async function insertPlanContents(db: Db, planId: string, input: UpdatePlanInput): Promise<void> {
  await db.insert(kpiIndicators).values(
    input.indicators.map((i, position) => ({
      planId,
      code: i.code,
      position,
      labelJa: i.labelJa,
      labelEn: i.labelEn,
      unit: i.unit,
      baseline: i.baseline,
    })),
  );
  const targets = input.indicators.flatMap((i) => i.targets.map((t) => ({ planId, indicatorCode: i.code, ...t })));
  if (targets.length) await db.insert(kpiTargets).values(targets);
  const municipal = input.indicators.flatMap((i) =>
    i.municipalityTargets.map((t) => ({ planId, indicatorCode: i.code, ...t })),
  );
  if (municipal.length) await db.insert(kpiMunicipalityTargets).values(municipal);
}

/**
 * Adds a plan (prefecture admin). Problems are answered by field: years outside the period, a
 * year or indicator given twice, an unknown municipality, a code already taken.
 */
export async function createPlan(db: Db, ctx: StaffContext, input: CreatePlanInput): Promise<PlanView> {
  const fields = await planFieldProblems(db, input);
  const [taken] = await db.select({ id: kpiPlans.id }).from(kpiPlans).where(eq(kpiPlans.code, input.code));
  if (taken) fields.code = { problem: 'duplicate' };
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  const id = await inTransaction(db, async (tx) => {
    const planId = await insertPlan(tx, input, ctx.actor.staffId);
    if (!planId) throw new AppError('VALIDATION', { fields: { code: { problem: 'duplicate' } } });
    await recordAudit(tx, ctx, {
      action: 'kpi.plan.create',
      entityType: 'kpi_plan',
      entityId: planId,
      ...(input.municipalityCode ? { municipalityCode: input.municipalityCode } : {}),
      details: { code: input.code, indicators: input.indicators.map((i) => i.code) },
    });
    return planId;
  });
  return getPlan(db, id);
}

/**
 * Changes a plan (prefecture admin): name, period, indicators and targets, checked as a new plan
 * is, and refused field by field where an approved evaluation has fixed them (approvedPlanProblems).
 * The audit keeps every target that changed, old → new.
 */
export async function updatePlan(db: Db, ctx: StaffContext, id: string, input: UpdatePlanInput): Promise<PlanView> {
  const before = await getPlan(db, id);
  if (before.id !== id) throw new AppError('NOT_FOUND');
  const fields = await planFieldProblems(db, input);
  const [approved] = await db
    .select({ year: max(kpiEvaluations.fiscalYear) })
    .from(kpiEvaluations)
    .where(and(eq(kpiEvaluations.planId, id), eq(kpiEvaluations.status, 'approved')));
  Object.assign(fields, approvedPlanProblems(before, input, approved?.year ?? null));
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  await inTransaction(db, async (tx) => {
    await tx
      .update(kpiPlans)
      .set({
        nameJa: input.nameJa,
        nameEn: input.nameEn,
        fromFiscalYear: input.fromFiscalYear,
        toFiscalYear: input.toFiscalYear,
        municipalityCode: input.municipalityCode ?? null,
      })
      .where(eq(kpiPlans.id, id));
    await tx.delete(kpiMunicipalityTargets).where(eq(kpiMunicipalityTargets.planId, id));
    await tx.delete(kpiTargets).where(eq(kpiTargets.planId, id));
    await tx.delete(kpiIndicators).where(eq(kpiIndicators.planId, id));
    await insertPlanContents(tx, id, input);
    await recordAudit(tx, ctx, {
      action: 'kpi.plan.update',
      entityType: 'kpi_plan',
      entityId: id,
      ...(input.municipalityCode ? { municipalityCode: input.municipalityCode } : {}),
      details: { code: before.code, changes: planChanges(before, input) },
    });
  });
  return getPlan(db, id);
}

/** What an edit changed, in words an auditor reads: fields and targets, old → new. */
function planChanges(before: PlanView, after: UpdatePlanInput): Array<{ field: string; old: unknown; new: unknown }> {
  const changes: Array<{ field: string; old: unknown; new: unknown }> = [];
  for (const key of ['nameJa', 'nameEn', 'fromFiscalYear', 'toFiscalYear'] as const)
    if (before[key] !== after[key]) changes.push({ field: key, old: before[key], new: after[key] });
  if ((before.municipalityCode ?? null) !== (after.municipalityCode ?? null))
    changes.push({ field: 'municipalityCode', old: before.municipalityCode, new: after.municipalityCode ?? null });
  const codes = new Set([...before.indicators.map((i) => i.code), ...after.indicators.map((i) => i.code)]);
  for (const code of codes) {
    const old = before.indicators.find((i) => i.code === code);
    const now = after.indicators.find((i) => i.code === code);
    if (!old || !now) {
      changes.push({ field: `indicator ${code}`, old: old ? 'present' : null, new: now ? 'present' : null });
      continue;
    }
    for (const key of ['labelJa', 'labelEn', 'unit', 'baseline'] as const)
      if (old[key] !== now[key]) changes.push({ field: `${code}.${key}`, old: old[key], new: now[key] });
    const years = new Set([...old.targets, ...now.targets].map((t) => t.fiscalYear));
    for (const year of [...years].sort()) {
      const a = old.targets.find((t) => t.fiscalYear === year)?.target ?? null;
      const b = now.targets.find((t) => t.fiscalYear === year)?.target ?? null;
      if (a !== b) changes.push({ field: `${code}.target.FY${year}`, old: a, new: b });
    }
    const municipal = (ts: PlanView['indicators'][number]['municipalityTargets']) =>
      JSON.stringify(ts.map((t) => [t.municipalityCode, t.fiscalYear, t.target]).sort());
    if (municipal(old.municipalityTargets) !== municipal(now.municipalityTargets))
      changes.push({
        field: `${code}.municipalityTargets`,
        old: old.municipalityTargets,
        new: now.municipalityTargets,
      });
  }
  return changes;
}

/** A plan's own problems (period, years, duplicates) and its municipalities that do not exist. */
async function planFieldProblems(db: Db, input: UpdatePlanInput): Promise<Record<string, FieldProblem>> {
  const fields: Record<string, FieldProblem> = planProblems(input);
  const codes = [
    ...new Set(
      [
        input.municipalityCode,
        ...input.indicators.flatMap((i) => i.municipalityTargets.map((t) => t.municipalityCode)),
      ].filter((c): c is string => Boolean(c)),
    ),
  ];
  const known = new Set(
    codes.length
      ? (
          await db.select({ code: municipalities.code }).from(municipalities).where(inArray(municipalities.code, codes))
        ).map((m) => m.code)
      : [],
  );
  if (input.municipalityCode && !known.has(input.municipalityCode))
    fields.municipalityCode = { problem: 'unknown_municipality', params: { value: input.municipalityCode } };
  for (const [i, indicator] of input.indicators.entries()) {
    for (const [j, t] of indicator.municipalityTargets.entries()) {
      if (!known.has(t.municipalityCode))
        fields[`indicators.${i}.municipalityTargets.${j}.municipalityCode`] = {
          problem: 'unknown_municipality',
          params: { value: t.municipalityCode },
        };
    }
  }
  return fields;
}

/**
 * The plan of seed 001 on every database, once (like the municipalities): an existing plan with the
 * code is left as it is, so an admin's later corrections survive restarts.
 */
export async function seedKpiPlans(db: Db, ctx: RequestContext): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const planId = await insertPlan(tx, SEED_001_PLAN, null);
    if (!planId) return false;
    await recordAudit(tx, ctx, {
      action: 'kpi.plan.create',
      entityType: 'kpi_plan',
      entityId: planId,
      details: { code: SEED_001_PLAN.code, seeded: true },
    });
    return true;
  });
}
