/**
 * Consultations (移住相談) and the cases they form. A consultation is recorded in one request:
 * the person (found, or created through the people service with its dedupe rule), the case it
 * joins or opens (pipeline.ts decides), `interest` links for the municipalities named, and
 * optionally a referral. Steps of a case follow the pipeline rules; `moved` also records the
 * move-in link, an engagement record (so the person's stage becomes 移住) and the follow-ups.
 * Everything is scoped by platform/scope and audited in the same transaction as the change.
 */
import {
  and,
  type AnyColumn,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  notInArray,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { staff } from '../../platform/auth/auth.tables.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { assertPersonInScope } from '../people/index.js';
import { caseScope, consultationScope, followupScope, referralScope } from './consultations.scope.js';
import type { CaseStep } from '../../shared/domain.js';
import { todayInTokyo } from '../../shared/dates.js';
import { consultationPersonProblems } from '../../shared/schemas/consultations.js';
import { recordSourcedEngagements } from '../engagement/index.js';
import { eventBooths, events } from '../events/index.js';
import { municipalities, organizations } from '../../platform/places.tables.js';
import { people } from '../people/index.js';
import { addPersonLinks, createPerson } from '../people/index.js';
import { caseSteps, cases, consultations, followups, referrals } from './consultations.tables.js';
import { loadCases, loadConsultations, loadFollowups, loadReferrals, loadSteps } from './consultations.present.js';
import type {
  AddCaseStepInput,
  CaseDetailView,
  CasesFilter,
  ConsultationsFilter,
  ConsultationView,
  CreateConsultationInput,
  CreatedConsultationView,
  MyConsultationDataView,
  UpdateConsultationInput,
} from './consultations.schemas.js';
import { scheduleFollowups } from './followups.service.js';
import { isMoveSql } from './consultations.moves.js';
import { consultationEffect, CLOSING_STEPS, stepProblems } from './pipeline.js';
import { checkReferralTarget, insertReferral } from './referrals.service.js';
import { CONSULTING_ROLES } from './consultations.policy.js';

const CLOSED = [...CLOSING_STEPS];

function fail(fields: Record<string, FieldProblem>): never {
  throw new AppError('VALIDATION', { fields });
}

/** Unknown codes, and for municipality staff codes outside their municipality, by field path. */
async function checkMunicipalityCodes(
  db: Db,
  ctx: StaffContext,
  codes: string[],
  field: string,
  fields: Record<string, FieldProblem>,
) {
  const unique = [...new Set(codes)];
  const known = unique.length
    ? new Set(
        (
          await db
            .select({ code: municipalities.code })
            .from(municipalities)
            .where(inArray(municipalities.code, unique))
        ).map((r) => r.code),
      )
    : new Set<string>();
  const scope = scopedMunicipalities(ctx.actor);
  codes.forEach((code, i) => {
    if (!known.has(code)) fields[`${field}.${i}`] = { problem: 'unknown_municipality', params: { value: code } };
    else if (scope && !scope.includes(code)) fields[`${field}.${i}`] = { problem: 'outside_scope' };
  });
  // Municipality staff record consultations about their own municipality (and so keep seeing them).
  if (scope && !codes.some((c) => scope.includes(c))) fields[field] ??= { problem: 'must_include_own_municipality' };
}

async function checkMunicipality(
  db: Db,
  ctx: StaffContext,
  code: string,
  field: string,
  fields: Record<string, FieldProblem>,
) {
  const [known] = await db
    .select({ code: municipalities.code })
    .from(municipalities)
    .where(eq(municipalities.code, code));
  const scope = scopedMunicipalities(ctx.actor);
  if (!known) fields[field] = { problem: 'unknown_municipality', params: { value: code } };
  else if (scope && !scope.includes(code)) fields[field] = { problem: 'outside_scope' };
}

/** A consultant is an active staff member of a role that consults (the center, the prefecture or a municipality). */
async function checkConsultant(db: Db, consultantId: string, fields: Record<string, FieldProblem>) {
  const [row] = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.id, consultantId), isNull(staff.disabledAt), inArray(staff.role, [...CONSULTING_ROLES])));
  if (!row) fields.consultantId = { problem: 'unknown_staff' };
}

/** The event and booth of a consultation at a fair; a booth alone names its event. */
async function resolveEvent(
  db: Db,
  eventId: string | null | undefined,
  boothId: string | null | undefined,
  fields: Record<string, FieldProblem>,
) {
  let event = eventId ?? null;
  if (boothId) {
    const [booth] = await db
      .select({ eventId: eventBooths.eventId })
      .from(eventBooths)
      .where(eq(eventBooths.id, boothId));
    if (!booth) fields.boothId = { problem: 'unknown_event' };
    else if (event && booth.eventId !== event) fields.boothId = { problem: 'booth_not_in_event' };
    else event = booth.eventId;
  }
  if (eventId) {
    const [row] = await db.select({ id: events.id }).from(events).where(eq(events.id, eventId));
    if (!row) fields.eventId = { problem: 'unknown_event' };
  }
  return { eventId: event, boothId: boothId ?? null };
}

async function getCaseSummary(db: Db, caseId: string) {
  const { items } = await loadCases(db, eq(cases.id, caseId));
  if (!items[0]) throw new AppError('NOT_FOUND');
  return items[0];
}

// --- Consultations -------------------------------------------------------------------------------

export async function createConsultation(
  db: Db,
  ctx: StaffContext,
  input: CreateConsultationInput,
): Promise<CreatedConsultationView> {
  const fields: Record<string, FieldProblem> = consultationPersonProblems(input);
  if (input.occurredOn > todayInTokyo()) fields.occurredOn = { problem: 'future_date' };
  await checkMunicipalityCodes(db, ctx, input.municipalityCodes, 'municipalityCodes', fields);
  const consultantId = input.consultantId ?? ctx.actor.staffId;
  if (input.consultantId) await checkConsultant(db, input.consultantId, fields);
  const event = await resolveEvent(db, input.eventId, input.boothId, fields);
  if (input.referral) await checkReferralTarget(db, input.referral, fields, 'referral.');
  if (Object.keys(fields).length) fail(fields);

  return inTransaction(db, async (tx) => {
    let personId: string;
    let prefecture: string | null;
    let linksAdded: string[] = [];
    const personCreated = !input.personId;
    if (input.personId) {
      const person = await assertPersonInScope(tx, ctx.actor, input.personId);
      personId = person.id;
      prefecture = person.prefecture;
      linksAdded = await addPersonLinks(tx, personId, input.municipalityCodes, 'interest');
    } else {
      // Same rule as POST /api/people: a matching email or phone answers 409 with the candidates.
      const created = await createPerson(tx, ctx, {
        ...input.person!,
        links: [...new Set(input.municipalityCodes)].map((municipalityCode) => ({
          municipalityCode,
          kind: 'interest' as const,
        })),
      });
      personId = created.id;
      prefecture = created.prefecture;
      linksAdded = created.links.map((l) => l.municipalityCode);
    }
    // One writer per person at a time, so two consultations cannot open two cases.
    await tx.execute(sql`select id from ${people} where id = ${personId} for update`);
    const personCaseRows = await tx.select().from(cases).where(eq(cases.personId, personId));
    const effect = consultationEffect(
      personCaseRows.map((k) => ({ id: k.id, step: k.step as CaseStep, stepOn: k.stepOn, openedOn: k.openedOn })),
      input.occurredOn,
    );
    const mainMunicipality = input.municipalityCodes[0] ?? null;
    let caseId: string;
    if (effect.kind === 'open') {
      const [opened] = await tx
        .insert(cases)
        .values({
          personId,
          municipalityCode: mainMunicipality,
          step: 'first_contact',
          stepOn: input.occurredOn,
          openedOn: input.occurredOn,
          consultantId,
        })
        .returning({ id: cases.id });
      caseId = opened!.id;
      await tx.insert(caseSteps).values({
        caseId,
        personId,
        step: 'first_contact',
        occurredOn: input.occurredOn,
        createdBy: ctx.actor.staffId,
      });
    } else {
      caseId = effect.caseId;
      const target = personCaseRows.find((k) => k.id === caseId)!;
      const changes: Partial<typeof cases.$inferInsert> = {};
      if (effect.firstContactOn) {
        changes.openedOn = effect.firstContactOn;
        await tx
          .update(caseSteps)
          .set({ occurredOn: effect.firstContactOn })
          .where(and(eq(caseSteps.caseId, caseId), eq(caseSteps.step, 'first_contact')));
      }
      if (effect.kind === 'join') {
        if (effect.consulting) {
          changes.step = 'consulting';
          changes.stepOn = effect.consulting.on;
          await tx.insert(caseSteps).values({
            caseId,
            personId,
            step: 'consulting',
            occurredOn: effect.consulting.on,
            createdBy: ctx.actor.staffId,
          });
        }
        if (!target.municipalityCode && mainMunicipality) changes.municipalityCode = mainMunicipality;
        if (!target.consultantId) changes.consultantId = consultantId;
      }
      if (Object.keys(changes).length)
        await tx
          .update(cases)
          .set({ ...changes, updatedAt: new Date() })
          .where(eq(cases.id, caseId));
    }
    const [row] = await tx
      .insert(consultations)
      .values({
        personId,
        caseId,
        channel: input.channel,
        occurredOn: input.occurredOn,
        consultantId,
        topics: [...new Set(input.topics)],
        municipalityCodes: [...new Set(input.municipalityCodes)],
        desiredTiming: input.desiredTiming ?? null,
        householdSize: input.householdSize ?? null,
        withChildren: input.withChildren ?? null,
        familyNote: input.familyNote ?? null,
        residencePrefecture: prefecture,
        notes: input.notes ?? null,
        nextAction: input.nextAction ?? null,
        nextActionDue: input.nextActionDue ?? null,
        eventId: event.eventId,
        boothId: event.boothId,
        createdBy: ctx.actor.staffId,
      })
      .returning({ id: consultations.id });
    const referralId = input.referral
      ? await insertReferral(tx, ctx, { ...input.referral, personId, caseId, consultationId: row!.id })
      : null;
    await recordAudit(tx, ctx, {
      action: 'consultation.create',
      entityType: 'consultation',
      entityId: row!.id,
      personId,
      municipalityCode: mainMunicipality ?? undefined,
      details: {
        caseId,
        case: effect.kind,
        personCreated,
        channel: input.channel,
        municipalities: input.municipalityCodes,
        interestLinksAdded: linksAdded,
        referralId,
      },
    });
    const consultation = (await loadConsultations(tx, eq(consultations.id, row!.id))).items[0]!;
    const referral = referralId ? (await loadReferrals(tx, eq(referrals.id, referralId))).items[0]! : null;
    return {
      consultation,
      case: await getCaseSummary(tx, caseId),
      caseOpened: effect.kind === 'open',
      personCreated,
      referral,
    };
  });
}

/**
 * SQL on `consultations`: a next action is set, not done, and was due before `today` — the list
 * behind the dashboard's overdue next actions, and the count on it.
 */
export function nextActionOverdue(today: string): SQL {
  return and(
    isNotNull(consultations.nextAction),
    isNull(consultations.nextActionDoneAt),
    lt(consultations.nextActionDue, today),
  )!;
}

/**
 * SQL on `cases`: a move (isMoveSql, the one rule) with its move-in date within the days given
 * (either end may be open) — so the dashboard's figure and the list behind it count the same cases.
 */
export function movedBetween(from: string | undefined, to: string | undefined): SQL {
  return isMoveSql({ alias: 'cases', from, to });
}

export async function findConsultations(db: Db, ctx: StaffContext, filter: ConsultationsFilter) {
  const conditions: SQL[] = [consultationScope(ctx.actor)];
  if (filter.from) conditions.push(gte(consultations.occurredOn, filter.from));
  if (filter.to) conditions.push(lte(consultations.occurredOn, filter.to));
  if (filter.channel) conditions.push(eq(consultations.channel, filter.channel));
  if (filter.municipality)
    conditions.push(sql`${consultations.municipalityCodes} @> array[${filter.municipality}]::varchar[]`);
  if (filter.personId) conditions.push(eq(consultations.personId, filter.personId));
  if (filter.eventId) conditions.push(eq(consultations.eventId, filter.eventId));
  if (filter.caseId) conditions.push(eq(consultations.caseId, filter.caseId));
  if (filter.nextAction === 'overdue') conditions.push(nextActionOverdue(todayInTokyo()));
  const page = await loadConsultations(db, and(...conditions), filter);
  await recordAudit(db, ctx, {
    action: 'consultations.search',
    entityType: 'consultation',
    details: {
      filters: Object.keys(filter).filter(
        (k) => !['limit', 'offset'].includes(k) && filter[k as keyof ConsultationsFilter] !== undefined,
      ),
      results: page.items.length,
      total: page.total,
      personIds: [...new Set(page.items.map((c) => c.person.id))],
    },
  });
  return page;
}

export async function getConsultation(db: Db, ctx: StaffContext, id: string): Promise<ConsultationView> {
  const { items } = await loadConsultations(db, and(eq(consultations.id, id), consultationScope(ctx.actor)));
  const consultation = items[0];
  if (!consultation) throw new AppError('NOT_FOUND');
  await recordAudit(db, ctx, {
    action: 'consultation.read',
    entityType: 'consultation',
    entityId: id,
    personId: consultation.person.id,
  });
  return consultation;
}

export async function updateConsultation(
  db: Db,
  ctx: StaffContext,
  id: string,
  input: UpdateConsultationInput,
): Promise<ConsultationView> {
  return inTransaction(db, async (tx) => {
    const { items } = await loadConsultations(tx, and(eq(consultations.id, id), consultationScope(ctx.actor)));
    const current = items[0];
    if (!current) throw new AppError('NOT_FOUND');
    const changes: Partial<typeof consultations.$inferInsert> = {};
    if (input.notes !== undefined && input.notes !== current.notes) changes.notes = input.notes;
    if (input.nextAction !== undefined && input.nextAction !== current.nextAction)
      changes.nextAction = input.nextAction;
    if (input.nextActionDue !== undefined && input.nextActionDue !== current.nextActionDue)
      changes.nextActionDue = input.nextActionDue;
    if (input.nextActionDone === true && !current.nextActionDoneAt) changes.nextActionDoneAt = new Date();
    if (input.nextActionDone === false && current.nextActionDoneAt) changes.nextActionDoneAt = null;
    if (!Object.keys(changes).length) return current;
    await tx.update(consultations).set(changes).where(eq(consultations.id, id));
    await recordAudit(tx, ctx, {
      action: 'consultation.update',
      entityType: 'consultation',
      entityId: id,
      personId: current.person.id,
      details: { fields: Object.keys(changes) },
    });
    return (await loadConsultations(tx, eq(consultations.id, id))).items[0]!;
  });
}

// --- Cases ---------------------------------------------------------------------------------------

export async function findCases(db: Db, ctx: StaffContext, filter: CasesFilter) {
  const conditions: SQL[] = [caseScope(ctx.actor)];
  if (filter.step) conditions.push(eq(cases.step, filter.step));
  if (filter.municipality)
    conditions.push(
      or(eq(cases.municipalityCode, filter.municipality), eq(cases.movedMunicipalityCode, filter.municipality))!,
    );
  if (filter.consultant) conditions.push(eq(cases.consultantId, filter.consultant));
  if (filter.personId) conditions.push(eq(cases.personId, filter.personId));
  if (filter.open === 'true') conditions.push(notInArray(cases.step, CLOSED));
  if (filter.open === 'false') conditions.push(inArray(cases.step, CLOSED));
  if (filter.movedFrom || filter.movedTo) conditions.push(movedBetween(filter.movedFrom, filter.movedTo));
  const page = await loadCases(db, and(...conditions), filter);
  await recordAudit(db, ctx, {
    action: 'cases.search',
    entityType: 'case',
    details: {
      step: filter.step ?? null,
      municipality: filter.municipality ?? null,
      results: page.items.length,
      total: page.total,
      personIds: [...new Set(page.items.map((c) => c.person.id))],
    },
  });
  return page;
}

/** The cases matching `where`, each with its steps and the consultations, referrals and follow-ups the actor may see. */
async function caseDetails(db: Db, ctx: StaffContext, where: SQL): Promise<CaseDetailView[]> {
  const { items } = await loadCases(db, and(where, caseScope(ctx.actor)), undefined, [
    desc(cases.openedOn),
    desc(cases.createdAt),
  ]);
  if (!items.length) return [];
  const ids = items.map((c) => c.id);
  const [steps, consultationPage, referralPage, followupPage] = await Promise.all([
    loadSteps(db, inArray(caseSteps.caseId, ids)),
    loadConsultations(db, and(inArray(consultations.caseId, ids), consultationScope(ctx.actor)), undefined, [
      asc(consultations.occurredOn),
      asc(consultations.createdAt),
    ]),
    loadReferrals(db, and(inArray(referrals.caseId, ids), referralScope(ctx.actor)), undefined, [
      asc(referrals.sentAt),
    ]),
    loadFollowups(db, and(inArray(followups.caseId, ids), followupScope(ctx.actor))),
  ]);
  return items.map((c) => ({
    ...c,
    steps: steps.filter((s) => s.caseId === c.id).map(({ caseId: _caseId, ...s }) => s),
    consultations: consultationPage.items.filter((x) => x.caseId === c.id),
    referrals: referralPage.items.filter((r) => r.caseId === c.id),
    followups: followupPage.items.filter((f) => f.caseId === c.id),
  }));
}

export async function getCase(db: Db, ctx: StaffContext, id: string): Promise<CaseDetailView> {
  const [detail] = await caseDetails(db, ctx, eq(cases.id, id));
  if (!detail) throw new AppError('NOT_FOUND');
  await recordAudit(db, ctx, { action: 'case.read', entityType: 'case', entityId: id, personId: detail.person.id });
  return detail;
}

/** Every case of a person, newest first, for the person page's timeline. */
export async function personCases(db: Db, ctx: StaffContext, personId: string): Promise<CaseDetailView[]> {
  await assertPersonInScope(db, ctx.actor, personId);
  const details = await caseDetails(db, ctx, eq(cases.personId, personId));
  await recordAudit(db, ctx, {
    action: 'person.cases.read',
    entityType: 'person',
    entityId: personId,
    personId,
    details: { cases: details.length },
  });
  return details;
}

export async function addCaseStep(
  db: Db,
  ctx: StaffContext,
  caseId: string,
  input: AddCaseStepInput,
): Promise<CaseDetailView> {
  await inTransaction(db, async (tx) => {
    const [current] = await tx
      .select()
      .from(cases)
      .innerJoin(people, eq(people.id, cases.personId))
      .where(and(eq(cases.id, caseId), caseScope(ctx.actor), isNull(people.deletedAt)))
      .for('update', { of: cases });
    if (!current) throw new AppError('NOT_FOUND');
    const k = current.cases;
    const fields = stepProblems({ step: k.step as CaseStep, stepOn: k.stepOn }, input, todayInTokyo());
    if (input.municipalityCode && !fields.municipalityCode)
      await checkMunicipality(tx, ctx, input.municipalityCode, 'municipalityCode', fields);
    if (Object.keys(fields).length) fail(fields);

    await tx.insert(caseSteps).values({
      caseId,
      personId: k.personId,
      step: input.step,
      occurredOn: input.occurredOn,
      municipalityCode: input.municipalityCode ?? null,
      endReason: input.endReason ?? null,
      // A move without a household size is one person moving (docs/cases.md).
      householdSize: input.step === 'moved' ? (input.householdSize ?? 1) : null,
      uijType: input.step === 'moved' ? (input.uijType ?? null) : null,
      note: input.note ?? null,
      createdBy: ctx.actor.staffId,
    });
    const changes: Partial<typeof cases.$inferInsert> = {
      step: input.step,
      stepOn: input.occurredOn,
      updatedAt: new Date(),
    };
    if (input.municipalityCode && (input.step === 'moved' || input.step === 'decided' || !k.municipalityCode))
      changes.municipalityCode = input.municipalityCode;
    if (input.step === 'ended') Object.assign(changes, { endReason: input.endReason, endNote: input.note ?? null });
    const details: Record<string, unknown> = { step: input.step, occurredOn: input.occurredOn, from: k.step };
    if (input.step === 'moved')
      Object.assign(details, { householdSize: input.householdSize ?? 1, uijType: input.uijType ?? null });
    if (input.step === 'moved') {
      const moved = input.municipalityCode!;
      Object.assign(changes, { movedMunicipalityCode: moved, movedOn: input.occurredOn });
      // The move makes the person's stage 移住: a moved_in link and an engagement record, both idempotent.
      details.linkAdded = (await addPersonLinks(tx, k.personId, [moved], 'moved_in')).length > 0;
      const [recorded] = await recordSourcedEngagements(tx, [
        {
          personId: k.personId,
          municipalityCode: moved,
          kind: 'moved_in',
          occurredOn: input.occurredOn,
          source: 'case',
          sourceRef: caseId,
          externalKey: `case:${caseId}:moved`,
          createdBy: ctx.actor.staffId,
        },
      ]);
      details.engagementId = recorded ?? null;
      details.followups = await scheduleFollowups(tx, {
        caseId,
        personId: k.personId,
        municipalityCode: moved,
        movedOn: input.occurredOn,
        assigneeId: k.consultantId,
      });
    }
    await tx.update(cases).set(changes).where(eq(cases.id, caseId));
    await recordAudit(tx, ctx, {
      action: 'case.step',
      entityType: 'case',
      entityId: caseId,
      personId: k.personId,
      municipalityCode: input.municipalityCode ?? undefined,
      details,
    });
  });
  const [detail] = await caseDetails(db, ctx, eq(cases.id, caseId));
  if (!detail) throw new AppError('NOT_FOUND');
  return detail;
}

// --- The supporter's own data ----------------------------------------------------------------------

/**
 * Consultations, cases (with their steps) and referrals of a person as their own data export shows
 * them. Without `actor` there is no scope (the supporter's own data); with it — the staff-side
 * export of a person — only what the actor may see (consultationScope, caseScope, referralScope).
 */
export async function myConsultationData(db: Db, personId: string, actor?: Actor): Promise<MyConsultationDataView> {
  const scoped = (condition: SQL, scope: (a: Actor) => SQL) => (actor ? and(condition, scope(actor))! : condition);
  const [consultationRows, caseRows, stepRows, referralRows] = await Promise.all([
    db
      .select()
      .from(consultations)
      .where(scoped(eq(consultations.personId, personId), consultationScope))
      .orderBy(asc(consultations.occurredOn), asc(consultations.createdAt)),
    db
      .select()
      .from(cases)
      .where(scoped(eq(cases.personId, personId), caseScope))
      .orderBy(asc(cases.openedOn), asc(cases.createdAt)),
    // Steps are attached to the cases above only, so a case out of scope brings none.
    db
      .select()
      .from(caseSteps)
      .where(eq(caseSteps.personId, personId))
      .orderBy(asc(caseSteps.occurredOn), asc(caseSteps.createdAt)),
    db
      .select({ r: referrals, organizationName: organizations.name })
      .from(referrals)
      .leftJoin(organizations, eq(organizations.id, referrals.toOrganizationId))
      .where(scoped(eq(referrals.personId, personId), referralScope))
      .orderBy(asc(referrals.sentAt)),
  ]);
  return {
    consultations: consultationRows.map((c) => ({
      occurredOn: c.occurredOn,
      channel: c.channel,
      topics: c.topics,
      municipalityCodes: c.municipalityCodes,
      desiredTiming: c.desiredTiming,
      householdSize: c.householdSize,
      withChildren: c.withChildren,
      familyNote: c.familyNote,
      residencePrefecture: c.residencePrefecture,
      notes: c.notes,
      nextAction: c.nextAction,
    })),
    cases: caseRows.map((k) => ({
      id: k.id,
      step: k.step,
      openedOn: k.openedOn,
      stepOn: k.stepOn,
      movedMunicipalityCode: k.movedMunicipalityCode,
      movedOn: k.movedOn,
      endReason: k.endReason,
      steps: stepRows
        .filter((s) => s.caseId === k.id)
        .map((s) => ({ step: s.step, occurredOn: s.occurredOn, municipalityCode: s.municipalityCode })),
    })),
    referrals: referralRows.map(({ r, organizationName }) => ({
      area: r.area,
      to: r.toOrganizationId ? (organizationName ?? '') : (r.toMunicipalityCode ?? ''),
      status: r.status,
      outcome: r.outcome,
      sentAt: r.sentAt.toISOString(),
    })),
  };
}

/**
 * SQL: the person (by id expression) has a consultation recorded on or after `day` (YYYY-MM-DD,
 * Japan time) — what "followed up" means on an event's attendance list.
 */
export function consultationSince(personId: SQL | AnyColumn, day: string): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${consultations} fc where fc.person_id = ${personId} and fc.occurred_on >= ${day}::date)`;
}
