/**
 * Regional issues (地域課題): raised by communities through their municipality, brushed up by
 * coordinators — every edit a new version with its author and date —, commented on, moved along
 * their status (issues.rules.ts). Not personal data; scoped like everything else (matching.scope.ts).
 */
import { and, asc, count, desc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { assertAllowed } from '../../platform/policy.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { municipalities, organizations } from '../../platform/places.tables.js';
import type { StaffContext } from '../../platform/request-context.js';
import type { IssueCategory, IssueCloseReason, IssueStatus } from '../../shared/matching.js';
import { issueStatusProblem } from './issues.rules.js';
import { mayCoordinate, mayEditIssue } from './matching.policy.js';
import type { CreateIssueInput, IssueStatusChangeInput, IssueView, UpdateIssueInput } from './matching.schemas.js';
import { issueScope } from './matching.scope.js';
import { projects, regionalIssueComments, regionalIssues, regionalIssueVersions } from './matching.tables.js';

type IssueRow = typeof regionalIssues.$inferSelect;

/** The fields a version records and a diff compares. */
const VERSIONED = [
  'title',
  'category',
  'municipalityCode',
  'lat',
  'lon',
  'background',
  'skills',
  'hoursPerMonth',
  'remotePercent',
  'periodStart',
  'periodEnd',
  'contactOrganizationId',
  'status',
  'closeReason',
] as const;

const snapshotOf = (row: IssueRow): Record<string, unknown> =>
  Object.fromEntries(VERSIONED.map((k) => [k, row[k] ?? null]));

function present(row: IssueRow, org: { id: string; name: string } | null): IssueView {
  return {
    id: row.id,
    title: row.title,
    category: row.category as IssueCategory,
    municipalityCode: row.municipalityCode,
    lat: row.lat,
    lon: row.lon,
    background: row.background,
    skills: row.skills,
    hoursPerMonth: row.hoursPerMonth,
    remotePercent: row.remotePercent,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    contactOrganization: org,
    status: row.status as IssueStatus,
    closeReason: (row.closeReason as IssueCloseReason | null) ?? null,
    version: row.version,
    isDemo: row.isDemo === 1,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Municipality staff write only their own municipality; the municipality and organization must exist. */
async function checkRefs(
  tx: Db,
  ctx: StaffContext,
  input: { municipalityCode?: string; contactOrganizationId?: string | null },
) {
  if (input.municipalityCode !== undefined) {
    if (ctx.actor.role === 'municipality_staff' && input.municipalityCode !== ctx.actor.municipalityCode)
      throw fieldError('municipalityCode', 'outside_scope');
    const [m] = await tx
      .select({ code: municipalities.code })
      .from(municipalities)
      .where(eq(municipalities.code, input.municipalityCode));
    if (!m) throw fieldError('municipalityCode', 'unknown_municipality', { value: input.municipalityCode });
  }
  if (input.contactOrganizationId) {
    const [o] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, input.contactOrganizationId));
    if (!o) throw fieldError('contactOrganizationId', 'unknown_organization');
  }
}

function checkPeriod(start: string | null | undefined, end: string | null | undefined) {
  if (start && end && end < start) throw fieldError('periodEnd', 'ends_before_start');
}

async function orgRef(db: Db, id: string | null) {
  if (!id) return null;
  const [o] = await db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, id));
  return o ?? null;
}

export async function createIssue(db: Db, ctx: StaffContext, input: CreateIssueInput): Promise<IssueView> {
  checkPeriod(input.periodStart, input.periodEnd);
  const row = await inTransaction(db, async (tx) => {
    await checkRefs(tx, ctx, input);
    const [created] = await tx
      .insert(regionalIssues)
      .values({
        title: input.title,
        category: input.category,
        municipalityCode: input.municipalityCode,
        lat: input.lat ?? null,
        lon: input.lon ?? null,
        background: input.background ?? null,
        skills: input.skills ?? [],
        hoursPerMonth: input.hoursPerMonth ?? null,
        remotePercent: input.remotePercent ?? null,
        periodStart: input.periodStart ?? null,
        periodEnd: input.periodEnd ?? null,
        contactOrganizationId: input.contactOrganizationId ?? null,
        createdBy: ctx.actor.staffId,
      })
      .returning();
    await writeVersion(tx, ctx, created!, [...VERSIONED]);
    await recordAudit(tx, ctx, {
      action: 'regional_issue.create',
      entityType: 'regional_issue',
      entityId: created!.id,
      municipalityCode: created!.municipalityCode,
    });
    return created!;
  });
  return present(row, await orgRef(db, row.contactOrganizationId));
}

async function writeVersion(tx: Tx, ctx: StaffContext, row: IssueRow, changedFields: string[]) {
  await tx.insert(regionalIssueVersions).values({
    issueId: row.id,
    municipalityCode: row.municipalityCode,
    version: row.version,
    snapshot: snapshotOf(row),
    changedFields,
    authorStaffId: ctx.actor.staffId,
    authorName: ctx.actor.name,
  });
}

export async function findIssues(
  db: Db,
  ctx: StaffContext,
  q: { municipality?: string; status?: IssueStatus; category?: IssueCategory; limit: number; offset: number },
) {
  const conditions: SQL[] = [issueScope(ctx.actor)];
  if (q.municipality) conditions.push(eq(regionalIssues.municipalityCode, q.municipality));
  if (q.status) conditions.push(eq(regionalIssues.status, q.status));
  if (q.category) conditions.push(eq(regionalIssues.category, q.category));
  const where = and(...conditions);
  const rows = await db
    .select({ i: regionalIssues, orgName: organizations.name })
    .from(regionalIssues)
    .leftJoin(organizations, eq(organizations.id, regionalIssues.contactOrganizationId))
    .where(where)
    .orderBy(desc(regionalIssues.updatedAt), asc(regionalIssues.id))
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await db.select({ n: count() }).from(regionalIssues).where(where);
  return {
    items: rows.map(({ i, orgName }) =>
      present(i, i.contactOrganizationId && orgName ? { id: i.contactOrganizationId, name: orgName } : null),
    ),
    total: total?.n ?? 0,
  };
}

async function issueInScope(db: Db, ctx: StaffContext, id: string, lock = false): Promise<IssueRow> {
  const query = db
    .select()
    .from(regionalIssues)
    .where(and(eq(regionalIssues.id, id), issueScope(ctx.actor)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function getIssue(db: Db, ctx: StaffContext, id: string) {
  const row = await issueInScope(db, ctx, id);
  const comments = await db
    .select()
    .from(regionalIssueComments)
    .where(eq(regionalIssueComments.issueId, id))
    .orderBy(asc(regionalIssueComments.createdAt));
  const cut = await db
    .select({ id: projects.id, title: projects.title, status: projects.status })
    .from(projects)
    .where(eq(projects.issueId, id))
    .orderBy(asc(projects.createdAt));
  return {
    ...present(row, await orgRef(db, row.contactOrganizationId)),
    comments: comments.map((c) => ({
      id: c.id,
      body: c.body,
      author: c.authorName,
      createdAt: c.createdAt.toISOString(),
    })),
    projects: cut.map((p) => ({ ...p, status: p.status as 'draft' | 'published' | 'closed' })),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Saves an edit as the next version; an edit that changes nothing writes no version. */
export async function updateIssue(db: Db, ctx: StaffContext, id: string, input: UpdateIssueInput): Promise<IssueView> {
  const row = await inTransaction(db, async (tx) => {
    const current = await issueInScope(tx, ctx, id, true);
    assertAllowed(mayEditIssue(ctx.actor, current));
    await checkRefs(tx, ctx, input);
    checkPeriod(
      input.periodStart !== undefined ? input.periodStart : current.periodStart,
      input.periodEnd !== undefined ? input.periodEnd : current.periodEnd,
    );
    const changes: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined) continue;
      if (!same(v, current[k as keyof IssueRow])) changes[k] = v;
    }
    const changed = Object.keys(changes);
    if (!changed.length) return current;
    const [updated] = await tx
      .update(regionalIssues)
      .set({ ...changes, version: current.version + 1, updatedAt: new Date() })
      .where(eq(regionalIssues.id, id))
      .returning();
    await writeVersion(tx, ctx, updated!, changed);
    await recordAudit(tx, ctx, {
      action: 'regional_issue.update',
      entityType: 'regional_issue',
      entityId: id,
      municipalityCode: updated!.municipalityCode,
      details: { fields: changed, version: updated!.version },
    });
    return updated!;
  });
  return present(row, await orgRef(db, row.contactOrganizationId));
}

export async function changeIssueStatus(
  db: Db,
  ctx: StaffContext,
  id: string,
  input: IssueStatusChangeInput,
): Promise<IssueView> {
  assertAllowed(mayCoordinate(ctx.actor));
  const row = await inTransaction(db, async (tx) => {
    const current = await issueInScope(tx, ctx, id, true);
    const problem = issueStatusProblem(current.status as IssueStatus, input.status, input.closeReason);
    if (problem === 'final') throw fieldError('status', 'status_final');
    if (problem === 'same') throw fieldError('status', 'same_step');
    if (problem === 'backwards')
      throw fieldError('status', 'status_backwards', { from: current.status, to: input.status });
    if (problem === 'reason_required') throw fieldError('closeReason', 'required_for_closed');
    if (problem === 'reason_not_allowed') throw fieldError('closeReason', 'only_for_closed');
    const [updated] = await tx
      .update(regionalIssues)
      .set({
        status: input.status,
        closeReason: input.closeReason ?? null,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(regionalIssues.id, id))
      .returning();
    await writeVersion(tx, ctx, updated!, input.closeReason ? ['status', 'closeReason'] : ['status']);
    await recordAudit(tx, ctx, {
      action: 'regional_issue.status',
      entityType: 'regional_issue',
      entityId: id,
      municipalityCode: updated!.municipalityCode,
      details: { from: current.status, to: input.status },
    });
    return updated!;
  });
  return present(row, await orgRef(db, row.contactOrganizationId));
}

export async function issueVersions(db: Db, ctx: StaffContext, id: string) {
  await issueInScope(db, ctx, id);
  const rows = await db
    .select()
    .from(regionalIssueVersions)
    .where(eq(regionalIssueVersions.issueId, id))
    .orderBy(desc(regionalIssueVersions.version));
  return {
    items: rows.map((v) => ({
      version: v.version,
      author: v.authorName,
      createdAt: v.createdAt.toISOString(),
      changedFields: v.changedFields,
      snapshot: v.snapshot,
    })),
  };
}

export async function addIssueComment(db: Db, ctx: StaffContext, id: string, body: string) {
  return inTransaction(db, async (tx) => {
    const issue = await issueInScope(tx, ctx, id);
    const [c] = await tx
      .insert(regionalIssueComments)
      .values({
        issueId: id,
        municipalityCode: issue.municipalityCode,
        body,
        authorStaffId: ctx.actor.staffId,
        authorName: ctx.actor.name,
      })
      .returning();
    return { id: c!.id, body: c!.body, author: c!.authorName, createdAt: c!.createdAt.toISOString() };
  });
}
