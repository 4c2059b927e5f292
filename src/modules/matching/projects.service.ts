/**
 * Projects (side jobs, pro bono, volunteering, company collaborations), their applicants, and the
 * seats: a seat is taken only when an application is accepted (or a match reaches `agreed`), by
 * one conditional UPDATE of `projects.filled_count` in the accepting transaction, so however many
 * acceptances race, never more are accepted than seats (docs/matching.md). The public side — the
 * list, a project's page, 興味ある and applying — and a supporter's own view are here too.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { assertAllowed } from '../../platform/policy.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { municipalities, organizations } from '../../platform/places.tables.js';
import type { RequestContext, SelfContext, StaffContext } from '../../platform/request-context.js';
import { todayInTokyo } from '../../shared/dates.js';
import type {
  ApplicationStatus,
  IssueCategory,
  IssueStatus,
  ProjectAcceptance,
  ProjectStatus,
} from '../../shared/matching.js';
import type { ProjectKind } from './matching.scoring.js';
import { people } from '../people/index.js';
import { issueTakesProjects } from './issues.rules.js';
import { mayManageProject } from './matching.policy.js';
import type {
  ApplyInput,
  CreateProjectInput,
  MyMatchingDataView,
  ProjectView,
  UpdateProjectInput,
} from './matching.schemas.js';
import { applicationScope, issueScope, projectScope } from './matching.scope.js';
import {
  matches,
  matchSteps,
  projectApplications,
  projectInterests,
  projects,
  regionalIssues,
} from './matching.tables.js';

type ProjectRow = typeof projects.$inferSelect;

export function presentProject(row: ProjectRow, orgName: string): ProjectView {
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    kind: row.kind as ProjectKind,
    theme: row.theme as IssueCategory,
    municipalityCode: row.municipalityCode,
    issueId: row.issueId,
    organization: { id: row.organizationId, name: orgName },
    seats: row.seats,
    filled: row.filledCount,
    acceptance: row.acceptance as ProjectAcceptance,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    hoursPerMonth: row.hoursPerMonth,
    remotePercent: row.remotePercent,
    feeMinYen: row.feeMinYen,
    feeMaxYen: row.feeMaxYen,
    requiredSkills: row.requiredSkills,
    welcomeSkills: row.welcomeSkills,
    questions: row.questions,
    status: row.status as ProjectStatus,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    isDemo: row.isDemo === 1,
    createdAt: row.createdAt.toISOString(),
  };
}

function checkOrders(p: {
  periodStart?: string | null | undefined;
  periodEnd?: string | null | undefined;
  feeMinYen?: number | null | undefined;
  feeMaxYen?: number | null | undefined;
}) {
  if (p.periodStart && p.periodEnd && p.periodEnd < p.periodStart) throw fieldError('periodEnd', 'ends_before_start');
  if (p.feeMinYen != null && p.feeMaxYen != null && p.feeMaxYen < p.feeMinYen)
    throw fieldError('feeMaxYen', 'too_small', { min: p.feeMinYen });
}

function checkQuestionIds(questions: { id: string }[] | undefined) {
  if (!questions) return;
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.id)) throw fieldError(`questions.${i}.id`, 'duplicate');
    seen.add(q.id);
  });
}

async function checkIssue(tx: Db, ctx: StaffContext, issueId: string | null | undefined) {
  if (!issueId) return;
  const [issue] = await tx
    .select({ status: regionalIssues.status })
    .from(regionalIssues)
    .where(and(eq(regionalIssues.id, issueId), issueScope(ctx.actor)));
  if (!issue) throw fieldError('issueId', 'invalid');
  if (!issueTakesProjects(issue.status as IssueStatus)) throw fieldError('issueId', 'issue_not_published');
}

export async function createProject(db: Db, ctx: StaffContext, input: CreateProjectInput): Promise<ProjectView> {
  checkOrders(input);
  checkQuestionIds(input.questions);
  const { actor } = ctx;
  const organizationId =
    actor.role === 'partner' ? (input.organizationId ?? actor.organizationId) : input.organizationId;
  if (!organizationId) throw fieldError('organizationId', 'required');
  if (actor.role === 'partner' && organizationId !== actor.organizationId)
    throw fieldError('organizationId', 'own_organization');
  if (actor.role === 'municipality_staff' && input.municipalityCode !== actor.municipalityCode)
    throw fieldError('municipalityCode', 'outside_scope');
  const { row, orgName } = await inTransaction(db, async (tx) => {
    const [m] = await tx
      .select({ code: municipalities.code })
      .from(municipalities)
      .where(eq(municipalities.code, input.municipalityCode));
    if (!m) throw fieldError('municipalityCode', 'unknown_municipality', { value: input.municipalityCode });
    const [org] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    if (!org) throw fieldError('organizationId', 'unknown_organization');
    await checkIssue(tx, ctx, input.issueId);
    assertAllowed(mayManageProject(actor, { municipalityCode: input.municipalityCode, organizationId }));
    const [created] = await tx
      .insert(projects)
      .values({
        municipalityCode: input.municipalityCode,
        issueId: input.issueId ?? null,
        organizationId,
        title: input.title,
        summary: input.summary ?? null,
        kind: input.kind,
        theme: input.theme,
        seats: input.seats,
        acceptance: input.acceptance,
        periodStart: input.periodStart ?? null,
        periodEnd: input.periodEnd ?? null,
        hoursPerMonth: input.hoursPerMonth ?? null,
        remotePercent: input.remotePercent,
        feeMinYen: input.feeMinYen ?? null,
        feeMaxYen: input.feeMaxYen ?? null,
        requiredSkills: input.requiredSkills,
        welcomeSkills: input.welcomeSkills,
        questions: input.questions,
        createdBy: actor.staffId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'project.create',
      entityType: 'project',
      entityId: created!.id,
      municipalityCode: created!.municipalityCode,
    });
    return { row: created!, orgName: org.name };
  });
  return presentProject(row, orgName);
}

export async function findProjects(
  db: Db,
  ctx: StaffContext,
  q: {
    municipality?: string;
    status?: ProjectStatus;
    kind?: ProjectKind;
    issueId?: string;
    limit: number;
    offset: number;
  },
) {
  const conditions: SQL[] = [projectScope(ctx.actor)];
  if (q.municipality) conditions.push(eq(projects.municipalityCode, q.municipality));
  if (q.status) conditions.push(eq(projects.status, q.status));
  if (q.kind) conditions.push(eq(projects.kind, q.kind));
  if (q.issueId) conditions.push(eq(projects.issueId, q.issueId));
  const where = and(...conditions);
  const rows = await db
    .select({ p: projects, orgName: organizations.name })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.organizationId))
    .where(where)
    .orderBy(desc(projects.createdAt), asc(projects.id))
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await db.select({ n: count() }).from(projects).where(where);
  return { items: rows.map(({ p, orgName }) => presentProject(p, orgName)), total: total?.n ?? 0 };
}

/** The project within the actor's scope, with its organization's name; NOT_FOUND outside. */
export async function projectInScope(db: Db, ctx: StaffContext, id: string, lock = false) {
  const query = db
    .select({ p: projects, orgName: organizations.name })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.organizationId))
    .where(and(eq(projects.id, id), projectScope(ctx.actor)));
  const [row] = lock ? await query.for('update', { of: projects }) : await query;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function getProject(db: Db, ctx: StaffContext, id: string): Promise<ProjectView> {
  const { p, orgName } = await projectInScope(db, ctx, id);
  return presentProject(p, orgName);
}

const STATUS_ORDER: readonly ProjectStatus[] = ['draft', 'published', 'closed'];

export async function updateProject(
  db: Db,
  ctx: StaffContext,
  id: string,
  input: UpdateProjectInput,
): Promise<ProjectView> {
  checkQuestionIds(input.questions);
  const { row, orgName } = await inTransaction(db, async (tx) => {
    const { p, orgName } = await projectInScope(tx, ctx, id, true);
    assertAllowed(mayManageProject(ctx.actor, p));
    if (p.status === 'closed') throw fieldError('status', 'project_closed_final');
    if (input.status && STATUS_ORDER.indexOf(input.status) < STATUS_ORDER.indexOf(p.status as ProjectStatus))
      throw fieldError('status', 'status_backwards', { from: p.status, to: input.status });
    if (input.seats !== undefined && input.seats < p.filledCount)
      throw fieldError('seats', 'below_filled', { count: p.filledCount });
    const pick = <K extends keyof ProjectRow>(k: K, v: ProjectRow[K] | undefined) => (v === undefined ? p[k] : v);
    checkOrders({
      periodStart: pick('periodStart', input.periodStart),
      periodEnd: pick('periodEnd', input.periodEnd),
      feeMinYen: pick('feeMinYen', input.feeMinYen),
      feeMaxYen: pick('feeMaxYen', input.feeMaxYen),
    });
    if (input.issueId !== undefined && input.issueId !== p.issueId) await checkIssue(tx, ctx, input.issueId);
    const changes: Partial<typeof projects.$inferInsert> = { updatedAt: new Date() };
    const fields: string[] = [];
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined) continue;
      fields.push(k);
      (changes as Record<string, unknown>)[k] = v;
    }
    if (input.status === 'published' && !p.publishedAt) changes.publishedAt = new Date();
    const [updated] = await tx.update(projects).set(changes).where(eq(projects.id, id)).returning();
    await recordAudit(tx, ctx, {
      action: 'project.update',
      entityType: 'project',
      entityId: id,
      municipalityCode: p.municipalityCode,
      details: { fields, ...(input.status && input.status !== p.status ? { from: p.status, to: input.status } : {}) },
    });
    return { row: updated!, orgName };
  });
  return presentProject(row, orgName);
}

// --- Seats ----------------------------------------------------------------------------------------

/**
 * Takes one seat of a published project, or throws PROJECT_FULL (PROJECT_CLOSED when it is not
 * published). One conditional UPDATE: concurrent callers are serialized on the project's row, and
 * only those that find a seat free get a row back.
 */
export async function takeSeat(tx: Tx, projectId: string): Promise<void> {
  const [taken] = await tx
    .update(projects)
    .set({ filledCount: sql`${projects.filledCount} + 1` })
    .where(and(eq(projects.id, projectId), eq(projects.status, 'published'), lt(projects.filledCount, projects.seats)))
    .returning({ id: projects.id });
  if (taken) return;
  const [p] = await tx.select({ status: projects.status }).from(projects).where(eq(projects.id, projectId));
  throw new AppError(p?.status === 'published' ? 'PROJECT_FULL' : 'PROJECT_CLOSED');
}

/** Gives a seat back (a match that held one ended, an accepted application withdrawn). */
export async function releaseSeat(tx: Tx, projectId: string): Promise<void> {
  await tx
    .update(projects)
    .set({ filledCount: sql`${projects.filledCount} - 1` })
    .where(and(eq(projects.id, projectId), gte(projects.filledCount, 1)));
}

/**
 * The match an accepted application leads to: at `agreed` (both sides said yes), holding the seat
 * the acceptance took. Its history climbs the pipeline's ladder one rung at a time
 * (matching.pipeline.ts): the application proposed the pair and introduced the person on the day
 * it was sent, the acceptance is the agreement. A match the coordinator had already opened for the
 * pair is moved on the same way.
 */
async function matchForAcceptance(
  tx: Tx,
  app: typeof projectApplications.$inferSelect,
  createdBy: string | null,
): Promise<string> {
  const today = todayInTokyo();
  const appliedOn = todayInTokyo(app.createdAt);
  const [existing] = await tx
    .select()
    .from(matches)
    .where(and(eq(matches.personId, app.personId), eq(matches.projectId, app.projectId), ne(matches.step, 'ended')))
    .for('update');
  const steps = (matchId: string, list: { step: string; occurredOn: string; note?: string }[]) =>
    list.length
      ? tx.insert(matchSteps).values(list.map((s) => ({ ...s, matchId, personId: app.personId, createdBy })))
      : Promise.resolve();
  if (existing) {
    if (existing.holdsSeat) await releaseSeat(tx, app.projectId); // the acceptance took it again
    const next =
      existing.step === 'proposed'
        ? [
            { step: 'introduced', occurredOn: today },
            { step: 'agreed', occurredOn: today },
          ]
        : existing.step === 'introduced'
          ? [{ step: 'agreed', occurredOn: today }]
          : [];
    await tx
      .update(matches)
      .set({
        applicationId: app.id,
        holdsSeat: 1,
        ...(next.length ? { step: 'agreed', stepOn: today } : {}),
        updatedAt: new Date(),
      })
      .where(eq(matches.id, existing.id));
    await steps(existing.id, next);
    return existing.id;
  }
  const [created] = await tx
    .insert(matches)
    .values({
      projectId: app.projectId,
      personId: app.personId,
      municipalityCode: app.municipalityCode,
      applicationId: app.id,
      step: 'agreed',
      stepOn: today,
      holdsSeat: 1,
      createdBy,
    })
    .returning({ id: matches.id });
  await steps(created!.id, [
    { step: 'proposed', occurredOn: appliedOn, note: 'application' },
    { step: 'introduced', occurredOn: appliedOn },
    { step: 'agreed', occurredOn: today },
  ]);
  return created!.id;
}

// --- Applicants (staff and partners) --------------------------------------------------------------

/**
 * The applicants of a project, with what the receiving side needs: name, the contact they gave by
 * applying, their answers. Each applicant's read is audited with the person's id.
 */
export async function listApplicants(db: Db, ctx: StaffContext, projectId: string) {
  await projectInScope(db, ctx, projectId);
  const rows = await db
    .select({
      a: projectApplications,
      name: people.name,
      email: people.email,
      phone: people.phone,
      matchId: matches.id,
    })
    .from(projectApplications)
    .innerJoin(people, eq(people.id, projectApplications.personId))
    .leftJoin(
      matches,
      and(
        eq(matches.personId, projectApplications.personId),
        eq(matches.projectId, projectApplications.projectId),
        ne(matches.step, 'ended'),
      ),
    )
    .where(and(eq(projectApplications.projectId, projectId), applicationScope(ctx.actor), isNull(people.deletedAt)))
    .orderBy(asc(projectApplications.createdAt));
  const [interested] = await db
    .select({ n: count() })
    .from(projectInterests)
    .where(and(eq(projectInterests.projectId, projectId), isNull(projectInterests.withdrawnAt)));
  for (const r of rows)
    await recordAudit(db, ctx, {
      action: 'project_application.read',
      entityType: 'project_application',
      entityId: r.a.id,
      personId: r.a.personId,
      municipalityCode: r.a.municipalityCode,
    });
  return {
    items: rows.map((r) => {
      // A withdrawn applicant took their consent to be contacted back with the application.
      const contact = r.a.status !== 'withdrawn';
      return {
        id: r.a.id,
        projectId: r.a.projectId,
        person: {
          id: r.a.personId,
          name: r.name,
          email: contact ? r.email : null,
          phone: contact ? r.phone : null,
        },
        answers: r.a.answers,
        message: r.a.message,
        status: r.a.status as ApplicationStatus,
        createdAt: r.a.createdAt.toISOString(),
        decidedAt: r.a.decidedAt?.toISOString() ?? null,
        matchId: r.matchId,
      };
    }),
    interested: interested?.n ?? 0,
  };
}

/** Accepts (taking a seat, opening the match at `agreed`) or declines one application. */
export async function decideApplication(
  db: Db,
  ctx: StaffContext,
  applicationId: string,
  decision: 'accepted' | 'declined',
) {
  return inTransaction(db, async (tx) => {
    const [app] = await tx
      .select()
      .from(projectApplications)
      .where(and(eq(projectApplications.id, applicationId), applicationScope(ctx.actor)))
      .for('update');
    if (!app) throw new AppError('NOT_FOUND');
    const [p] = await tx.select().from(projects).where(eq(projects.id, app.projectId));
    assertAllowed(mayManageProject(ctx.actor, p!), { personalData: true });
    if (app.status !== 'applied') throw new AppError('CONFLICT');
    let matchId: string | null = null;
    if (decision === 'accepted') {
      await takeSeat(tx, app.projectId);
      matchId = await matchForAcceptance(tx, app, ctx.actor.staffId);
    }
    await tx
      .update(projectApplications)
      .set({ status: decision, decidedAt: new Date(), decidedBy: ctx.actor.staffId })
      .where(eq(projectApplications.id, app.id));
    await recordAudit(tx, ctx, {
      action: `project_application.${decision === 'accepted' ? 'accept' : 'decline'}`,
      entityType: 'project_application',
      entityId: app.id,
      personId: app.personId,
      municipalityCode: app.municipalityCode,
    });
    return { id: app.id, status: decision, matchId };
  });
}

// --- Public ---------------------------------------------------------------------------------------

const publicCondition = eq(projects.status, 'published');

const interestCount = sql<number>`(select count(*)::int from ${projectInterests} pi where pi.project_id = ${projects.id} and pi.withdrawn_at is null)`;

function presentPublic(p: ProjectRow, orgName: string, interested: number) {
  const v = presentProject(p, orgName);
  return {
    id: v.id,
    title: v.title,
    summary: v.summary,
    kind: v.kind,
    theme: v.theme,
    municipalityCode: v.municipalityCode,
    seats: v.seats,
    seatsLeft: p.seats - p.filledCount,
    periodStart: v.periodStart,
    periodEnd: v.periodEnd,
    hoursPerMonth: v.hoursPerMonth,
    remotePercent: v.remotePercent,
    feeMinYen: v.feeMinYen,
    feeMaxYen: v.feeMaxYen,
    requiredSkills: v.requiredSkills,
    welcomeSkills: v.welcomeSkills,
    questions: v.questions,
    publishedAt: v.publishedAt,
    isDemo: v.isDemo,
    organizationName: orgName,
    interestedCount: Number(interested),
  };
}

export async function listPublicProjects(
  db: Db,
  q: {
    municipality?: string;
    theme?: IssueCategory;
    kind?: ProjectKind;
    remote?: boolean;
    limit: number;
    offset: number;
  },
) {
  const conditions: SQL[] = [publicCondition];
  if (q.municipality) conditions.push(eq(projects.municipalityCode, q.municipality));
  if (q.theme) conditions.push(eq(projects.theme, q.theme));
  if (q.kind) conditions.push(eq(projects.kind, q.kind));
  if (q.remote === true) conditions.push(gte(projects.remotePercent, 50));
  if (q.remote === false) conditions.push(lt(projects.remotePercent, 50));
  const where = and(...conditions);
  const rows = await db
    .select({ p: projects, orgName: organizations.name, interested: interestCount })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.organizationId))
    .where(where)
    .orderBy(desc(projects.publishedAt), asc(projects.id))
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await db.select({ n: count() }).from(projects).where(where);
  return { items: rows.map((r) => presentPublic(r.p, r.orgName, r.interested)), total: total?.n ?? 0 };
}

export async function getPublicProject(db: Db, id: string) {
  const [r] = await db
    .select({ p: projects, orgName: organizations.name, interested: interestCount })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.organizationId))
    .where(and(eq(projects.id, id), publicCondition));
  if (!r) throw new AppError('NOT_FOUND');
  return presentPublic(r.p, r.orgName, r.interested);
}

async function publishedProject(tx: Db, id: string): Promise<ProjectRow> {
  const [p] = await tx.select().from(projects).where(eq(projects.id, id));
  if (!p || p.status === 'draft') throw new AppError('NOT_FOUND');
  if (p.status !== 'published') throw new AppError('PROJECT_CLOSED');
  return p;
}

/** 興味ある: one tap, idempotent; tapping again after withdrawing takes the interest up again. */
export async function expressInterest(db: Db, ctx: SelfContext, personId: string, projectId: string) {
  return inTransaction(db, async (tx) => {
    const p = await publishedProject(tx, projectId);
    const [row] = await tx
      .insert(projectInterests)
      .values({ projectId, personId, municipalityCode: p.municipalityCode })
      .onConflictDoUpdate({
        target: [projectInterests.personId, projectInterests.projectId],
        set: { withdrawnAt: null },
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'project_interest.create',
      entityType: 'project',
      entityId: projectId,
      personId,
      municipalityCode: p.municipalityCode,
    });
    return { projectId, createdAt: row!.createdAt.toISOString() };
  });
}

function checkAnswers(p: ProjectRow, input: ApplyInput) {
  const byId = new Map(p.questions.map((q) => [q.id, q]));
  input.answers.forEach((a, i) => {
    if (!byId.has(a.questionId))
      throw fieldError(`answers.${i}.questionId`, 'unknown_question', { value: a.questionId });
  });
  const answered = new Set(input.answers.map((a) => a.questionId));
  for (const q of p.questions)
    if (q.required && !answered.has(q.id)) throw fieldError('answers', 'answer_required', { value: q.text });
}

/**
 * Applies with the answers. On a `first_come` project the application is accepted at once when a
 * seat is free (PROJECT_FULL otherwise, and nothing is kept); on a `screening` project it waits for
 * the receiving organization. Applying again after withdrawing sends the new answers.
 */
export async function applyToProject(
  db: Db,
  ctx: SelfContext | RequestContext,
  personId: string,
  projectId: string,
  input: ApplyInput,
) {
  return inTransaction(db, async (tx) => {
    const p = await publishedProject(tx, projectId);
    checkAnswers(p, input);
    const [existing] = await tx
      .select()
      .from(projectApplications)
      .where(and(eq(projectApplications.personId, personId), eq(projectApplications.projectId, projectId)))
      .for('update');
    if (existing && existing.status !== 'withdrawn') {
      const [m] = await tx
        .select({ id: matches.id })
        .from(matches)
        .where(and(eq(matches.personId, personId), eq(matches.projectId, projectId), ne(matches.step, 'ended')));
      return { id: existing.id, status: existing.status as ApplicationStatus, matchId: m?.id ?? null };
    }
    const values = {
      answers: input.answers,
      message: input.message ?? null,
      status: 'applied' as const,
      createdAt: new Date(),
      withdrawnAt: null,
      decidedAt: null,
      decidedBy: null,
    };
    const [app] = existing
      ? await tx.update(projectApplications).set(values).where(eq(projectApplications.id, existing.id)).returning()
      : await tx
          .insert(projectApplications)
          .values({ ...values, projectId, personId, municipalityCode: p.municipalityCode })
          .returning();
    let status: ApplicationStatus = 'applied';
    let matchId: string | null = null;
    if (p.acceptance === 'first_come') {
      await takeSeat(tx, projectId);
      matchId = await matchForAcceptance(tx, app!, null);
      await tx
        .update(projectApplications)
        .set({ status: 'accepted', decidedAt: new Date() })
        .where(eq(projectApplications.id, app!.id));
      status = 'accepted';
    }
    await recordAudit(tx, ctx, {
      action: 'project_application.create',
      entityType: 'project_application',
      entityId: app!.id,
      personId,
      municipalityCode: p.municipalityCode,
      details: { status },
    });
    return { id: app!.id, status, matchId };
  });
}

/**
 * The supporter withdraws an application (and their interest in the project). An accepted one
 * gives its seat back and ends its match unless the collaboration already runs.
 */
export async function withdrawApplication(db: Db, ctx: SelfContext, personId: string, applicationId: string) {
  return inTransaction(db, async (tx) => {
    const [app] = await tx
      .select()
      .from(projectApplications)
      .where(and(eq(projectApplications.id, applicationId), eq(projectApplications.personId, personId)))
      .for('update');
    if (!app) throw new AppError('NOT_FOUND');
    if (app.status === 'withdrawn') return { id: app.id, status: 'withdrawn' as const, matchId: null };
    const [m] = await tx
      .select()
      .from(matches)
      .where(and(eq(matches.personId, personId), eq(matches.projectId, app.projectId), ne(matches.step, 'ended')))
      .for('update');
    if (m && (m.step === 'collaborating' || m.step === 'self_running')) throw new AppError('CONFLICT');
    if (m) {
      if (m.holdsSeat) await releaseSeat(tx, app.projectId);
      const today = todayInTokyo();
      await tx
        .update(matches)
        .set({ step: 'ended', stepOn: today, endReason: 'person_declined', holdsSeat: 0, updatedAt: new Date() })
        .where(eq(matches.id, m.id));
      await tx.insert(matchSteps).values({ matchId: m.id, personId, step: 'ended', occurredOn: today });
    }
    await tx
      .update(projectApplications)
      .set({ status: 'withdrawn', withdrawnAt: new Date() })
      .where(eq(projectApplications.id, app.id));
    await tx
      .update(projectInterests)
      .set({ withdrawnAt: new Date() })
      .where(and(eq(projectInterests.personId, personId), eq(projectInterests.projectId, app.projectId)));
    await recordAudit(tx, ctx, {
      action: 'project_application.withdraw',
      entityType: 'project_application',
      entityId: app.id,
      personId,
      municipalityCode: app.municipalityCode,
    });
    return { id: app.id, status: 'withdrawn' as const, matchId: m?.id ?? null };
  });
}

/** Withdraws a 興味ある tap. */
export async function withdrawInterest(db: Db, ctx: SelfContext, personId: string, projectId: string) {
  await inTransaction(db, async (tx) => {
    const [row] = await tx
      .update(projectInterests)
      .set({ withdrawnAt: new Date() })
      .where(
        and(
          eq(projectInterests.personId, personId),
          eq(projectInterests.projectId, projectId),
          isNull(projectInterests.withdrawnAt),
        ),
      )
      .returning();
    if (!row) throw new AppError('NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'project_interest.withdraw',
      entityType: 'project',
      entityId: projectId,
      personId,
      municipalityCode: row.municipalityCode,
    });
  });
}

/** The supporter's interests, applications and matches, for /api/me and its export. */
export async function myMatchingData(db: Db, personId: string): Promise<MyMatchingDataView> {
  const interests = await db
    .select({ i: projectInterests, title: projects.title })
    .from(projectInterests)
    .innerJoin(projects, eq(projects.id, projectInterests.projectId))
    .where(eq(projectInterests.personId, personId))
    .orderBy(desc(projectInterests.createdAt));
  const apps = await db
    .select({ a: projectApplications, title: projects.title })
    .from(projectApplications)
    .innerJoin(projects, eq(projects.id, projectApplications.projectId))
    .where(eq(projectApplications.personId, personId))
    .orderBy(desc(projectApplications.createdAt));
  const own = await db
    .select({ m: matches, title: projects.title, orgName: organizations.name })
    .from(matches)
    .innerJoin(projects, eq(projects.id, matches.projectId))
    .innerJoin(organizations, eq(organizations.id, projects.organizationId))
    // A proposal the coordinator has not brought to the person yet is not theirs to see.
    .where(
      and(
        eq(matches.personId, personId),
        inArray(matches.step, ['introduced', 'agreed', 'collaborating', 'self_running', 'ended']),
      ),
    )
    .orderBy(desc(matches.createdAt));
  return {
    projectInterests: interests.map(({ i, title }) => ({
      projectId: i.projectId,
      title,
      createdAt: i.createdAt.toISOString(),
      withdrawnAt: i.withdrawnAt?.toISOString() ?? null,
    })),
    projectApplications: apps.map(({ a, title }) => ({
      id: a.id,
      projectId: a.projectId,
      title,
      status: a.status as ApplicationStatus,
      createdAt: a.createdAt.toISOString(),
      withdrawnAt: a.withdrawnAt?.toISOString() ?? null,
    })),
    matches: own.map(({ m, title, orgName }) => ({
      id: m.id,
      projectId: m.projectId,
      title,
      organizationName: orgName,
      step: m.step as MyMatchingDataView['matches'][number]['step'],
      stepOn: m.stepOn,
    })),
  };
}
