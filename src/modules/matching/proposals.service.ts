/**
 * Candidates for one project and the proposal over every open project (docs/matching.md). The
 * candidates come from the SQL search (matching.candidates.ts: supporters who consented to
 * scouting, within the caller's municipalities); the proposal reads everyone who can be a
 * candidate once (`loadProposalTalents`), takes each open project's best candidates in memory by
 * the same rule and assigns them with the production solver (matching.assignment.ts),
 * so that no project gets more than its open seats and no person more than their stated capacity
 * less the matches they already hold. The proposal runs as a job and is kept; nothing is sent:
 * coordinators accept pairs one by one (POST /api/matches with the proposal's id).
 */
import { and, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { withTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import { defineJob, type JobQueue } from '../../platform/jobs.js';
import { municipalities } from '../../platform/places.tables.js';
import type { StaffContext } from '../../platform/request-context.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { people } from '../people/index.js';
import { candidatePairs, MIN_PAIRS_PER_PROJECT, PAIRS_PER_SEAT, solveAssignment } from './matching.assignment.js';
import { findProjectCandidates, loadProposalTalents } from './matching.candidates.js';
import {
  describeReason,
  type ProjectKind,
  type ProjectNeeds,
  type ScoreReason,
  scoreCandidate,
} from './matching.scoring.js';
import { matches, matchingProposals, projects } from './matching.tables.js';
import { projectInScope } from './projects.service.js';

type ProjectRow = typeof projects.$inferSelect;

export const needsOf = (p: ProjectRow): ProjectNeeds => ({
  kind: p.kind as ProjectKind,
  municipalityCode: p.municipalityCode,
  requiredSkills: p.requiredSkills,
  welcomeSkills: p.welcomeSkills,
  hoursPerMonth: p.hoursPerMonth,
  remoteShare: p.remotePercent,
});

/** Reasons in the reader's words, with municipality names. */
export async function wording(db: Db, locale: Locale) {
  const rows = await db
    .select({ code: municipalities.code, name: municipalities.name, romaji: municipalities.romaji })
    .from(municipalities);
  const names = new Map(rows.map((r) => [r.code, locale === 'ja' ? r.name : r.romaji]));
  return (reasons: ScoreReason[]) =>
    reasons.map((r) => ({
      factor: r.factor,
      points: r.points,
      detail: describeReason(r, locale, { municipalityName: (code) => names.get(code) }),
    }));
}

/**
 * A project's best candidates with their reasons in words. The read is audited as one event
 * naming the people listed (`details.personIds`), as the other list reads are (consultations,
 * dashboard sign-ups).
 */
export async function projectCandidates(db: Db, ctx: StaffContext, projectId: string, limit: number) {
  const { p } = await projectInScope(db, ctx, projectId);
  // The municipality names for the wording are read beside the search, not after it.
  const [words, found] = await Promise.all([
    wording(db, ctx.locale),
    findProjectCandidates(db, needsOf(p), { limit, scopeMunicipalities: scopedMunicipalities(ctx.actor) }),
  ]);
  await recordAudit(db, ctx, {
    action: 'match.candidate_read',
    entityType: 'project',
    entityId: projectId,
    municipalityCode: p.municipalityCode,
    details: { results: found.length, personIds: found.map((c) => c.personId) },
  });
  return {
    items: found.map((c) => ({
      personId: c.personId,
      name: c.name,
      score: c.score,
      reasons: words(c.reasons),
    })),
  };
}

// --- Proposals ------------------------------------------------------------------------------------

export const MatchingProposalJob = z.object({ proposalId: z.uuid() });
export const ComputeProposal = defineJob({ name: 'matching.proposal', payload: MatchingProposalJob, retries: 2 });

/** Registers the proposal job's handler (app.ts). */
export function defineMatchingJobs(jobs: JobQueue, deps: { db: Db }): void {
  jobs.define(ComputeProposal, (data) => computeProposal(deps.db, data.proposalId));
}

/** Asks for a proposal: the row now, the work in a job after COMMIT. */
export async function requestProposal(
  deps: { db: Db; jobs: JobQueue },
  ctx: StaffContext,
  input: { municipalityCode?: string },
) {
  const { db } = deps;
  const id = await withTransaction(db, async (uow) => {
    const [row] = await uow.tx
      .insert(matchingProposals)
      .values({ municipalityCode: input.municipalityCode ?? null, requestedBy: ctx.actor.staffId })
      .returning({ id: matchingProposals.id });
    await recordAudit(uow.tx, ctx, { action: 'matching.proposal', entityType: 'matching_proposal', entityId: row!.id });
    uow.enqueue(deps.jobs, ComputeProposal, { proposalId: row!.id });
    return row!.id;
  });
  return getProposal(db, ctx, id);
}

export async function computeProposal(db: Db, proposalId: string): Promise<void> {
  const [proposal] = await db.select().from(matchingProposals).where(eq(matchingProposals.id, proposalId));
  if (!proposal || proposal.status === 'done') return;
  await db.update(matchingProposals).set({ status: 'running' }).where(eq(matchingProposals.id, proposalId));
  try {
    const open = await db
      .select()
      .from(projects)
      .where(
        and(
          eq(projects.status, 'published'),
          sql`${projects.seats} > ${projects.filledCount}`,
          ...(proposal.municipalityCode ? [eq(projects.municipalityCode, proposal.municipalityCode)] : []),
        ),
      );
    // The talent pool is read once for every project (not one search per project), and the
    // candidates of each project are found in memory by the same rule (matching.assignment.ts).
    const talents = (await loadProposalTalents(db)).filter((t) => t.capacity > 0);
    const wanted = open.map((p) => ({ id: p.id, seats: p.seats - p.filledCount, needs: needsOf(p) }));
    // A person already matched (not ended) with a project is not proposed for it again.
    const live = new Set(
      (
        await db
          .select({ projectId: matches.projectId, personId: matches.personId })
          .from(matches)
          .where(ne(matches.step, 'ended'))
      ).map((r) => `${r.projectId}:${r.personId}`),
    );
    const pairs = candidatePairs(wanted, talents, (p) =>
      Math.max(MIN_PAIRS_PER_PROJECT, PAIRS_PER_SEAT * p.seats),
    ).filter((x) => !live.has(`${x.projectId}:${x.talentId}`));
    const solved = solveAssignment({
      projects: wanted,
      talents: talents.map((t) => ({ id: t.profile.personId, capacity: t.capacity })),
      pairs,
    });
    const needs = new Map(wanted.map((p) => [p.id, p.needs]));
    const profiles = new Map(talents.map((t) => [t.profile.personId, t.profile]));
    const reasonsOf = (a: { projectId: string; talentId: string }) =>
      scoreCandidate(needs.get(a.projectId)!, profiles.get(a.talentId)!).reasons;
    await db
      .update(matchingProposals)
      .set({
        status: 'done',
        assignments: solved.assignments.map((a) => ({
          projectId: a.projectId,
          personId: a.talentId,
          score: a.score,
          reasons: reasonsOf(a),
        })),
        totalScore: solved.totalScore,
        openSeatsLeft: solved.openSeatsLeft,
        finishedAt: new Date(),
      })
      .where(eq(matchingProposals.id, proposalId));
  } catch (error) {
    await db
      .update(matchingProposals)
      .set({ status: 'failed', finishedAt: new Date() })
      .where(eq(matchingProposals.id, proposalId));
    throw error;
  }
}

/**
 * A proposal with one page of its assignments (highest score first), each named: the person's
 * name and the project's title. Reading it is one audit event naming the people shown.
 */
export async function getProposal(
  db: Db,
  ctx: StaffContext,
  id: string,
  page: { limit: number; offset: number } = { limit: 20, offset: 0 },
) {
  const [row] = await db.select().from(matchingProposals).where(eq(matchingProposals.id, id));
  if (!row) throw new AppError('NOT_FOUND');
  const shown = [...row.assignments]
    .sort((a, b) => b.score - a.score || a.projectId.localeCompare(b.projectId) || a.personId.localeCompare(b.personId))
    .slice(page.offset, page.offset + page.limit);
  const personIds = [...new Set(shown.map((a) => a.personId))];
  const projectIds = [...new Set(shown.map((a) => a.projectId))];
  const [words, names, titles] = await Promise.all([
    wording(db, ctx.locale),
    personIds.length
      ? db
          .select({ id: people.id, name: people.name })
          .from(people)
          .where(and(inArray(people.id, personIds), isNull(people.deletedAt)))
      : [],
    projectIds.length
      ? db
          .select({ id: projects.id, title: projects.title, municipalityCode: projects.municipalityCode })
          .from(projects)
          .where(inArray(projects.id, projectIds))
      : [],
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n]));
  const projectOf = new Map(titles.map((p) => [p.id, p]));
  await recordAudit(db, ctx, {
    action: 'matching.proposal_read',
    entityType: 'matching_proposal',
    entityId: id,
    details: { count: row.assignments.length, offset: page.offset, personIds },
  });
  return {
    id: row.id,
    status: row.status as 'queued' | 'running' | 'done' | 'failed',
    assignments: shown.map((a) => ({
      ...a,
      reasons: words(a.reasons),
      person: nameOf.get(a.personId) ?? null,
      project: projectOf.get(a.projectId) ?? null,
    })),
    assignmentCount: row.assignments.length,
    totalScore: row.totalScore,
    openSeatsLeft: row.openSeatsLeft,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The score and reasons a proposal gave a pair, for the match a coordinator opens from it. */
export async function proposedPair(db: Db, proposalId: string, projectId: string, personId: string) {
  const [row] = await db
    .select({ assignments: matchingProposals.assignments })
    .from(matchingProposals)
    .where(and(eq(matchingProposals.id, proposalId), gt(sql`jsonb_array_length(${matchingProposals.assignments})`, 0)));
  return row?.assignments.find((a) => a.projectId === projectId && a.personId === personId) ?? null;
}
