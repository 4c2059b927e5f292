/**
 * Matches and what follows them: a pair the coordinator accepts, the accompaniment log (伴走支援),
 * the receiving side's readiness and the trainings. Matches are personal data: every read is
 * audited with the person's id, and outside the caller's scope they answer NOT_FOUND.
 */
import { and, asc, count, desc, eq, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { assertAllowed } from '../../platform/policy.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { municipalities, organizations } from '../../platform/places.tables.js';
import type { StaffContext } from '../../platform/request-context.js';
import { ownMunicipality, seesAllPeople } from '../../platform/scope.js';
import { selfRunningMonths } from './matching.settings.js';
import { todayInTokyo } from '../../shared/dates.js';
import type { AccompanimentKind, TrainingKind } from '../../shared/matching.js';
import {
  engagementForStep,
  type MatchEndReason,
  type MatchStep,
  matchStepProblems,
  type SelfRunningEvidence,
} from './matching.pipeline.js';
import type { ProjectKind } from './matching.scoring.js';
import { recordSourcedEngagements } from '../engagement/index.js';
import { people } from '../people/index.js';
import { mayCoordinate, mayManageProject } from './matching.policy.js';
import type { AddAccompanimentInput, AddMatchStepInput, MatchDetailView } from './matching.schemas.js';
import { matchScope } from './matching.scope.js';
import {
  matchAccompaniments,
  matches,
  matchSteps,
  organizationProfiles,
  organizationReadiness,
  projects,
  trainings,
} from './matching.tables.js';
import { projectInScope, releaseSeat, takeSeat } from './projects.service.js';
import { proposedPair, wording } from './proposals.service.js';

type MatchRow = typeof matches.$inferSelect;

const matchSelect = {
  m: matches,
  title: projects.title,
  kind: projects.kind,
  orgId: projects.organizationId,
  orgName: organizations.name,
  personName: people.name,
};

type Words = Awaited<ReturnType<typeof wording>>;

function presentMatch(
  words: Words,
  r: {
    m: MatchRow;
    title: string;
    kind: string;
    orgId: string;
    orgName: string;
    personName: string;
  },
) {
  return {
    id: r.m.id,
    project: {
      id: r.m.projectId,
      title: r.title,
      kind: r.kind as ProjectKind,
      organization: { id: r.orgId, name: r.orgName },
    },
    person: { id: r.m.personId, name: r.personName },
    municipalityCode: r.m.municipalityCode,
    step: r.m.step as MatchStep,
    stepOn: r.m.stepOn,
    score: r.m.score,
    reasons: words(r.m.reasons),
    endReason: (r.m.endReason as MatchEndReason | null) ?? null,
    selfRunningEvidence: (r.m.selfRunningEvidence as SelfRunningEvidence | null) ?? null,
    holdsSeat: r.m.holdsSeat === 1,
    isDemo: r.m.isDemo === 1,
    createdAt: r.m.createdAt.toISOString(),
  };
}

const matchBase = (db: Db) =>
  db
    .select(matchSelect)
    .from(matches)
    .innerJoin(projects, eq(projects.id, matches.projectId))
    .innerJoin(organizations, eq(organizations.id, projects.organizationId))
    .innerJoin(people, eq(people.id, matches.personId));

/**
 * A pair the coordinator accepts — from the candidates or a proposal — opened at `proposed` with
 * the score and reasons it was found with. Nothing is sent to the person.
 */
export async function createMatch(
  db: Db,
  ctx: StaffContext,
  input: { projectId: string; personId: string; note?: string | null; proposalId?: string },
) {
  const proposed = input.proposalId ? await proposedPair(db, input.proposalId, input.projectId, input.personId) : null;
  if (input.proposalId && !proposed) throw fieldError('proposalId', 'invalid');
  const id = await inTransaction(db, async (tx) => {
    const { p } = await projectInScope(tx, ctx, input.projectId, true);
    assertAllowed(mayManageProject(ctx.actor, p), { personalData: true });
    const [person] = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.id, input.personId), isNull(people.deletedAt)));
    if (!person) throw fieldError('personId', 'invalid');
    const [live] = await tx
      .select({ id: matches.id })
      .from(matches)
      .where(
        and(eq(matches.personId, input.personId), eq(matches.projectId, input.projectId), ne(matches.step, 'ended')),
      );
    if (live) throw new AppError('CONFLICT', { details: { matchId: live.id } });
    const today = todayInTokyo();
    const [created] = await tx
      .insert(matches)
      .values({
        projectId: p.id,
        personId: input.personId,
        municipalityCode: p.municipalityCode,
        step: 'proposed',
        stepOn: today,
        score: proposed?.score ?? null,
        reasons: proposed?.reasons ?? [],
        createdBy: ctx.actor.staffId,
      })
      .returning({ id: matches.id });
    await tx.insert(matchSteps).values({
      matchId: created!.id,
      personId: input.personId,
      step: 'proposed',
      occurredOn: today,
      note: input.note ?? null,
      createdBy: ctx.actor.staffId,
    });
    await recordAudit(tx, ctx, {
      action: 'match.create',
      entityType: 'match',
      entityId: created!.id,
      personId: input.personId,
      municipalityCode: p.municipalityCode,
    });
    return created!.id;
  });
  return getMatch(db, ctx, id);
}

export async function findMatches(
  db: Db,
  ctx: StaffContext,
  q: { municipality?: string; step?: MatchStep; projectId?: string; limit: number; offset: number },
) {
  const conditions: SQL[] = [matchScope(ctx.actor), isNull(people.deletedAt)];
  if (q.municipality) conditions.push(eq(matches.municipalityCode, q.municipality));
  if (q.step) conditions.push(eq(matches.step, q.step));
  if (q.projectId) conditions.push(eq(matches.projectId, q.projectId));
  const where = and(...conditions);
  const rows = await matchBase(db)
    .where(where)
    .orderBy(desc(matches.updatedAt), asc(matches.id))
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await db
    .select({ n: count() })
    .from(matches)
    .innerJoin(people, eq(people.id, matches.personId))
    .where(where);
  await recordAudit(db, ctx, { action: 'match.search', details: { count: rows.length } });
  const words = await wording(db, ctx.locale);
  return { items: rows.map((r) => presentMatch(words, r)), total: total?.n ?? 0 };
}

export async function getMatch(db: Db, ctx: StaffContext, id: string): Promise<MatchDetailView> {
  const [r] = await matchBase(db).where(and(eq(matches.id, id), matchScope(ctx.actor), isNull(people.deletedAt)));
  if (!r) throw new AppError('NOT_FOUND');
  const steps = await db
    .select()
    .from(matchSteps)
    .where(eq(matchSteps.matchId, id))
    .orderBy(asc(matchSteps.occurredOn), asc(matchSteps.createdAt));
  const log = await db
    .select()
    .from(matchAccompaniments)
    .where(eq(matchAccompaniments.matchId, id))
    .orderBy(asc(matchAccompaniments.occurredOn), asc(matchAccompaniments.createdAt));
  await recordAudit(db, ctx, {
    action: 'match.read',
    entityType: 'match',
    entityId: id,
    personId: r.m.personId,
    municipalityCode: r.m.municipalityCode,
  });
  return {
    ...presentMatch(await wording(db, ctx.locale), r),
    steps: steps.map((s) => ({
      step: s.step as MatchStep,
      occurredOn: s.occurredOn,
      note: s.note,
      createdAt: s.createdAt.toISOString(),
    })),
    accompaniment: log.map((a) => ({
      id: a.id,
      occurredOn: a.occurredOn,
      kind: a.kind as AccompanimentKind,
      note: a.note,
      nextStep: a.nextStep,
      nextDueOn: a.nextDueOn,
      createdAt: a.createdAt.toISOString(),
    })),
  };
}

/** The match within the caller's scope, locked for a change; NOT_FOUND outside or for an erased person. */
export async function matchForChange(tx: Db, ctx: StaffContext, id: string) {
  const [r] = await tx
    .select({ m: matches, p: projects })
    .from(matches)
    .innerJoin(projects, eq(projects.id, matches.projectId))
    .innerJoin(people, eq(people.id, matches.personId))
    .where(and(eq(matches.id, id), matchScope(ctx.actor), isNull(people.deletedAt)))
    .for('update', { of: matches });
  if (!r) throw new AppError('NOT_FOUND');
  assertAllowed(mayManageProject(ctx.actor, r.p), { personalData: true });
  return r;
}

/**
 * Moves a match one rung (matching.pipeline.ts). `agreed` takes one of the project's seats
 * (PROJECT_FULL when none is left); `ended` gives a held seat back; `collaborating` writes the
 * person's engagement record for the project's municipality in the same transaction — a side job
 * or company collaboration 協働, volunteering or pro bono 関与 — so the stage follows.
 */
export async function addMatchStep(db: Db, ctx: StaffContext, id: string, input: AddMatchStepInput) {
  await inTransaction(db, async (tx) => {
    const { m, p } = await matchForChange(tx, ctx, id);
    const [last] = await tx
      .select({ on: sql<string | null>`max(${matchAccompaniments.occurredOn})::text` })
      .from(matchAccompaniments)
      .where(eq(matchAccompaniments.matchId, id));
    const fields = matchStepProblems(
      { step: m.step as MatchStep, stepOn: m.stepOn },
      {
        step: input.step,
        occurredOn: input.occurredOn,
        endReason: input.endReason ?? null,
        evidence: input.evidence ?? null,
        lastAccompanimentOn: last?.on ?? null,
      },
      todayInTokyo(),
      input.step === 'self_running' ? await selfRunningMonths(tx) : undefined,
    );
    if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
    let holdsSeat = m.holdsSeat;
    if (input.step === 'agreed' && !holdsSeat) {
      await takeSeat(tx, m.projectId);
      holdsSeat = 1;
    }
    if (input.step === 'ended' && holdsSeat) {
      await releaseSeat(tx, m.projectId);
      holdsSeat = 0;
    }
    const engagement = engagementForStep(
      input.step,
      { kind: p.kind as ProjectKind, municipalityCode: p.municipalityCode },
      input.occurredOn,
    );
    let engagementRecorded = false;
    if (engagement)
      engagementRecorded =
        (
          await recordSourcedEngagements(tx, [
            {
              personId: m.personId,
              municipalityCode: engagement.municipalityCode,
              kind: engagement.kind,
              occurredOn: engagement.occurredOn,
              source: 'match',
              sourceRef: id,
              externalKey: `match:${id}`,
              createdBy: ctx.actor.staffId,
            },
          ])
        ).length > 0;
    await tx.insert(matchSteps).values({
      matchId: id,
      personId: m.personId,
      step: input.step,
      occurredOn: input.occurredOn,
      note: input.note ?? null,
      createdBy: ctx.actor.staffId,
    });
    await tx
      .update(matches)
      .set({
        step: input.step,
        stepOn: input.occurredOn,
        holdsSeat,
        ...(input.step === 'ended' ? { endReason: input.endReason } : {}),
        ...(input.step === 'self_running' ? { selfRunningEvidence: input.evidence } : {}),
        updatedAt: new Date(),
      })
      .where(eq(matches.id, id));
    await recordAudit(tx, ctx, {
      action: 'match.step',
      entityType: 'match',
      entityId: id,
      personId: m.personId,
      municipalityCode: m.municipalityCode,
      details: { from: m.step, to: input.step, occurredOn: input.occurredOn, engagementRecorded },
    });
  });
  return getMatch(db, ctx, id);
}

export async function addAccompaniment(db: Db, ctx: StaffContext, id: string, input: AddAccompanimentInput) {
  const today = todayInTokyo();
  if (input.occurredOn > today) throw fieldError('occurredOn', 'future_date');
  if (input.nextDueOn && input.nextDueOn < input.occurredOn) throw fieldError('nextDueOn', 'ends_before_start');
  await inTransaction(db, async (tx) => {
    const { m } = await matchForChange(tx, ctx, id);
    await tx.insert(matchAccompaniments).values({
      matchId: id,
      personId: m.personId,
      occurredOn: input.occurredOn,
      kind: input.kind,
      note: input.note ?? null,
      nextStep: input.nextStep ?? null,
      nextDueOn: input.nextDueOn ?? null,
      createdBy: ctx.actor.staffId,
    });
    await tx.update(matches).set({ updatedAt: new Date() }).where(eq(matches.id, id));
    await recordAudit(tx, ctx, {
      action: 'match.accompaniment',
      entityType: 'match',
      entityId: id,
      personId: m.personId,
      municipalityCode: m.municipalityCode,
      details: { kind: input.kind },
    });
  });
  return getMatch(db, ctx, id);
}

// --- Readiness (KPI ④) ----------------------------------------------------------------------------

/** Whether the actor sees this organization's readiness: coordinators all, municipality staff theirs, a partner its own. */
function seesOrganization(ctx: StaffContext, org: { id: string; municipalityCode: string | null }) {
  if (seesAllPeople(ctx.actor)) return true;
  const code = ownMunicipality(ctx.actor);
  if (code) return org.municipalityCode === code;
  return ctx.actor.role === 'partner' && ctx.actor.organizationId === org.id;
}

export async function getReadiness(db: Db, ctx: StaffContext, organizationId: string) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org || !seesOrganization(ctx, org)) throw new AppError('NOT_FOUND');
  const [r] = await db
    .select()
    .from(organizationReadiness)
    .where(eq(organizationReadiness.organizationId, organizationId));
  const [profile] = await db
    .select()
    .from(organizationProfiles)
    .where(eq(organizationProfiles.organizationId, organizationId));
  const [published] = await db
    .select({ n: count() })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), inArray(projects.status, ['published', 'closed'])));
  const [trained] = await db
    .select({ n: count() })
    .from(trainings)
    .where(sql`${trainings.organizationIds} @> array[${organizationId}]::uuid[]`);
  return {
    organization: { id: org.id, name: org.name, kind: org.kind, municipalityCode: org.municipalityCode },
    checklist: {
      contactPerson: r?.contactPerson === 1,
      publishedIssueOrProject: r?.publishedIssueOrProject === 1,
      receivingPlan: r?.receivingPlan === 1,
      trainingAttended: r?.trainingAttended === 1,
    },
    derived: { publishedIssueOrProject: (published?.n ?? 0) > 0, trainingAttended: (trained?.n ?? 0) > 0 },
    strengths: profile?.strengths ?? [],
    interests: profile?.interests ?? [],
    note: r?.note ?? null,
    confirmedBy: r?.confirmedByName ?? null,
    confirmedAt: r?.confirmedAt?.toISOString() ?? null,
  };
}

export async function updateReadiness(
  db: Db,
  ctx: StaffContext,
  organizationId: string,
  input: {
    contactPerson?: boolean;
    publishedIssueOrProject?: boolean;
    receivingPlan?: boolean;
    trainingAttended?: boolean;
    strengths?: string[];
    interests?: string[];
    note?: string | null;
    confirm?: boolean;
  },
) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  if (!org || !seesOrganization(ctx, org)) throw new AppError('NOT_FOUND');
  // A coordinator confirms; the organization's own partner account may keep its profile and checklist.
  if (input.confirm) assertAllowed(mayCoordinate(ctx.actor));
  await inTransaction(db, async (tx) => {
    const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0);
    const checklist = {
      contactPerson: flag(input.contactPerson),
      publishedIssueOrProject: flag(input.publishedIssueOrProject),
      receivingPlan: flag(input.receivingPlan),
      trainingAttended: flag(input.trainingAttended),
      ...(input.note !== undefined ? { note: input.note } : {}),
      ...(input.confirm
        ? { confirmedBy: ctx.actor.staffId, confirmedByName: ctx.actor.name, confirmedAt: new Date() }
        : {}),
    };
    const set = Object.fromEntries(Object.entries(checklist).filter(([, v]) => v !== undefined));
    await tx
      .insert(organizationReadiness)
      .values({ organizationId, ...set })
      .onConflictDoUpdate({ target: organizationReadiness.organizationId, set: { ...set, updatedAt: new Date() } });
    if (input.strengths !== undefined || input.interests !== undefined) {
      const profile = {
        ...(input.strengths !== undefined ? { strengths: input.strengths } : {}),
        ...(input.interests !== undefined ? { interests: input.interests } : {}),
      };
      await tx
        .insert(organizationProfiles)
        .values({ organizationId, ...profile })
        .onConflictDoUpdate({
          target: organizationProfiles.organizationId,
          set: { ...profile, updatedAt: new Date() },
        });
    }
    await recordAudit(tx, ctx, {
      action: 'organization.readiness',
      entityType: 'organization',
      entityId: organizationId,
      details: { fields: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined) },
    });
  });
  return getReadiness(db, ctx, organizationId);
}

// --- Trainings and advisor dispatches -------------------------------------------------------------

type TrainingRow = typeof trainings.$inferSelect;

async function presentTrainings(db: Db, rows: TrainingRow[]) {
  const ids = [...new Set(rows.flatMap((r) => r.organizationIds))];
  const orgs = ids.length
    ? await db
        .select({ id: organizations.id, name: organizations.name })
        .from(organizations)
        .where(inArray(organizations.id, ids))
    : [];
  const names = new Map(orgs.map((o) => [o.id, o.name]));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as TrainingKind,
    heldOn: r.heldOn,
    topic: r.topic,
    municipalityCode: r.municipalityCode,
    organizations: r.organizationIds.map((id) => ({ id, name: names.get(id) ?? '' })),
    attendees: r.attendees,
    note: r.note,
    isDemo: r.isDemo === 1,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** Municipality staff see their municipality's trainings and the prefecture-wide ones. */
function trainingScope(ctx: StaffContext): SQL {
  if (seesAllPeople(ctx.actor)) return sql`true`;
  const code = ownMunicipality(ctx.actor);
  if (code) return sql`(${trainings.municipalityCode} is null or ${trainings.municipalityCode} = ${code})`;
  if (ctx.actor.role === 'partner' && ctx.actor.organizationId)
    return sql`${trainings.organizationIds} @> array[${ctx.actor.organizationId}]::uuid[]`;
  return sql`false`;
}

export async function findTrainings(
  db: Db,
  ctx: StaffContext,
  q: { municipality?: string; organizationId?: string; limit: number; offset: number },
) {
  const conditions: SQL[] = [trainingScope(ctx)];
  if (q.municipality) conditions.push(eq(trainings.municipalityCode, q.municipality));
  if (q.organizationId) conditions.push(sql`${trainings.organizationIds} @> array[${q.organizationId}]::uuid[]`);
  const where = and(...conditions);
  const rows = await db
    .select()
    .from(trainings)
    .where(where)
    .orderBy(desc(trainings.heldOn), asc(trainings.id))
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await db.select({ n: count() }).from(trainings).where(where);
  return { items: await presentTrainings(db, rows), total: total?.n ?? 0 };
}

export async function createTraining(
  db: Db,
  ctx: StaffContext,
  input: {
    kind: TrainingKind;
    heldOn: string;
    topic: string;
    municipalityCode?: string | null;
    organizationIds: string[];
    attendees: number;
    note?: string | null;
  },
) {
  const own = ownMunicipality(ctx.actor);
  if (own && input.municipalityCode !== own) throw fieldError('municipalityCode', 'outside_scope');
  const row = await inTransaction(db, async (tx) => {
    if (input.municipalityCode) {
      const [m] = await tx
        .select({ code: municipalities.code })
        .from(municipalities)
        .where(eq(municipalities.code, input.municipalityCode));
      if (!m) throw fieldError('municipalityCode', 'unknown_municipality', { value: input.municipalityCode });
    }
    const ids = [...new Set(input.organizationIds)];
    if (ids.length) {
      const found = await tx.select({ id: organizations.id }).from(organizations).where(inArray(organizations.id, ids));
      if (found.length !== ids.length) throw fieldError('organizationIds', 'unknown_organization');
    }
    const [created] = await tx
      .insert(trainings)
      .values({
        kind: input.kind,
        heldOn: input.heldOn,
        topic: input.topic,
        municipalityCode: input.municipalityCode ?? null,
        organizationIds: ids,
        attendees: input.attendees,
        note: input.note ?? null,
        createdBy: ctx.actor.staffId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'training.create',
      entityType: 'training',
      entityId: created!.id,
      municipalityCode: created!.municipalityCode ?? undefined,
    });
    return created!;
  });
  return (await presentTrainings(db, [row]))[0]!;
}
