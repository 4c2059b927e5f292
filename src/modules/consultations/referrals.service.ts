/**
 * Referrals (オール山形): a person referred to a partner agency or a municipality. The receiving
 * side sees only what was sent to it — with the person's name and contact, so that it can act —
 * accepts or declines, and reports the outcome; the center sees every referral and how long each
 * has waited.
 */
import { and, asc, desc, eq, inArray, notInArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { assertPersonInScope } from '../people/index.js';
import { caseScope, consultationScope, referralScope } from './consultations.scope.js';
import { municipalities, organizations } from '../../platform/places.tables.js';
import { cases, consultations, referrals } from './consultations.tables.js';
import { isOpenReferral, loadReferrals } from './consultations.present.js';
import type {
  CreateReferralInput,
  ReferralsFilter,
  ReferralView,
  UpdateReferralInput,
} from './consultations.schemas.js';
import { CLOSING_STEPS } from './pipeline.js';

type Target = Pick<CreateReferralInput, 'toOrganizationId' | 'toMunicipalityCode'>;

/** Exactly one target, and it exists. `prefix` names the fields inside a consultation body (`referral.`). */
export async function checkReferralTarget(
  db: Db,
  target: Target,
  fields: Record<string, FieldProblem>,
  prefix = '',
): Promise<void> {
  if (Boolean(target.toOrganizationId) === Boolean(target.toMunicipalityCode)) {
    fields[`${prefix}${target.toOrganizationId ? 'toMunicipalityCode' : 'toOrganizationId'}`] = {
      problem: 'one_target',
    };
    return;
  }
  if (target.toOrganizationId) {
    const [org] = await db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, target.toOrganizationId));
    if (!org) fields[`${prefix}toOrganizationId`] = { problem: 'unknown_organization' };
  } else {
    const [m] = await db
      .select({ code: municipalities.code })
      .from(municipalities)
      .where(eq(municipalities.code, target.toMunicipalityCode!));
    if (!m)
      fields[`${prefix}toMunicipalityCode`] = {
        problem: 'unknown_municipality',
        params: { value: target.toMunicipalityCode! },
      };
  }
}

type NewReferral = Omit<CreateReferralInput, 'personId' | 'caseId' | 'consultationId'> & {
  personId: string;
  caseId: string | null;
  consultationId: string | null;
};

/** Inserts a checked referral inside the caller's transaction and audits it; returns its id. */
export async function insertReferral(tx: Tx, ctx: StaffContext, input: NewReferral): Promise<string> {
  const [row] = await tx
    .insert(referrals)
    .values({
      personId: input.personId,
      caseId: input.caseId,
      consultationId: input.consultationId,
      toOrganizationId: input.toOrganizationId ?? null,
      toMunicipalityCode: input.toMunicipalityCode ?? null,
      area: input.area,
      message: input.message ?? null,
      createdBy: ctx.actor.staffId,
    })
    .returning({ id: referrals.id });
  await recordAudit(tx, ctx, {
    action: 'referral.create',
    entityType: 'referral',
    entityId: row!.id,
    personId: input.personId,
    municipalityCode: input.toMunicipalityCode ?? undefined,
    details: {
      area: input.area,
      toOrganizationId: input.toOrganizationId ?? null,
      toMunicipalityCode: input.toMunicipalityCode ?? null,
      caseId: input.caseId,
    },
  });
  return row!.id;
}

async function getReferralView(db: Db, id: string): Promise<ReferralView> {
  const { items } = await loadReferrals(db, eq(referrals.id, id));
  if (!items[0]) throw new AppError('NOT_FOUND');
  return items[0];
}

/**
 * Refers a person: named directly, or through a case or consultation the caller may see (which
 * also ties the referral to it). Without a case, the person's open case takes it when there is one.
 */
export async function createReferral(db: Db, ctx: StaffContext, input: CreateReferralInput): Promise<ReferralView> {
  const fields: Record<string, FieldProblem> = {};
  if (!input.personId && !input.caseId && !input.consultationId) fields.personId = { problem: 'referral_needs_person' };
  await checkReferralTarget(db, input, fields);
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });

  return inTransaction(db, async (tx) => {
    let personId = input.personId ?? null;
    let caseId = input.caseId ?? null;
    const consultationId = input.consultationId ?? null;
    if (consultationId) {
      const [c] = await tx
        .select({ personId: consultations.personId, caseId: consultations.caseId })
        .from(consultations)
        .where(and(eq(consultations.id, consultationId), consultationScope(ctx.actor)));
      if (!c) throw new AppError('NOT_FOUND');
      if (personId && personId !== c.personId) fields.consultationId = { problem: 'other_person' };
      if (caseId && caseId !== c.caseId) fields.caseId = { problem: 'other_person' };
      personId = c.personId;
      caseId ??= c.caseId;
    }
    if (caseId) {
      const [k] = await tx
        .select({ personId: cases.personId })
        .from(cases)
        .where(and(eq(cases.id, caseId), caseScope(ctx.actor)));
      if (!k) throw new AppError('NOT_FOUND');
      if (personId && personId !== k.personId) fields.caseId ??= { problem: 'other_person' };
      personId = k.personId;
    }
    if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
    await assertPersonInScope(tx, ctx.actor, personId!);
    if (!caseId) {
      const [open] = await tx
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.personId, personId!), notInArray(cases.step, [...CLOSING_STEPS])))
        .limit(1);
      caseId = open?.id ?? null;
    }
    const id = await insertReferral(tx, ctx, {
      personId: personId!,
      caseId,
      consultationId,
      toOrganizationId: input.toOrganizationId,
      toMunicipalityCode: input.toMunicipalityCode,
      area: input.area,
      message: input.message,
    });
    return getReferralView(tx, id);
  });
}

export async function findReferrals(db: Db, ctx: StaffContext, filter: ReferralsFilter) {
  const conditions: SQL[] = [referralScope(ctx.actor)];
  if (filter.status) conditions.push(eq(referrals.status, filter.status));
  if (filter.open === 'true') conditions.push(inArray(referrals.status, ['sent', 'accepted']));
  if (filter.open === 'false') conditions.push(inArray(referrals.status, ['declined', 'completed']));
  if (filter.personId) conditions.push(eq(referrals.personId, filter.personId));
  if (filter.caseId) conditions.push(eq(referrals.caseId, filter.caseId));
  // Open referrals: the longest waiting first.
  const order =
    filter.open === 'true' ? [asc(referrals.sentAt), asc(referrals.id)] : [desc(referrals.sentAt), asc(referrals.id)];
  const page = await loadReferrals(db, and(...conditions), filter, order);
  await recordAudit(db, ctx, {
    action: 'referrals.search',
    entityType: 'referral',
    details: {
      status: filter.status ?? null,
      open: filter.open ?? null,
      results: page.items.length,
      total: page.total,
      personIds: [...new Set(page.items.map((r) => r.person.id))],
    },
  });
  return page;
}

/**
 * The receiving partner or municipality (or the center) answers a referral: accepted, declined,
 * or completed with an outcome. Declined and completed close it; the first answer dates the
 * response time. Outside the caller's scope: NOT_FOUND.
 */
export async function updateReferral(
  db: Db,
  ctx: StaffContext,
  id: string,
  input: UpdateReferralInput,
): Promise<ReferralView> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .select()
      .from(referrals)
      .where(and(eq(referrals.id, id), referralScope(ctx.actor)))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND');
    if (!isOpenReferral(row.status))
      throw new AppError('VALIDATION', { fields: { status: { problem: 'referral_closed' } } });
    const outcome = input.outcome ?? row.outcome;
    if (input.status === 'completed' && !outcome)
      throw new AppError('VALIDATION', { fields: { outcome: { problem: 'required_with_completed' } } });
    const now = new Date();
    await tx
      .update(referrals)
      .set({
        status: input.status,
        outcome: outcome ?? null,
        ...(input.outcomeNote !== undefined ? { outcomeNote: input.outcomeNote } : {}),
        respondedAt: row.respondedAt ?? now,
        respondedBy: row.respondedBy ?? ctx.actor.staffId,
        closedAt: input.status === 'accepted' ? null : now,
      })
      .where(eq(referrals.id, id));
    await recordAudit(tx, ctx, {
      action: 'referral.update',
      entityType: 'referral',
      entityId: id,
      personId: row.personId,
      municipalityCode: row.toMunicipalityCode ?? undefined,
      details: { from: row.status, status: input.status, outcome: outcome ?? null },
    });
    return getReferralView(tx, id);
  });
}
