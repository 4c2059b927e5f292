/**
 * Staff routes of regional issues, projects, applicants, matches, readiness and trainings
 * (docs/matching.md). Thin: rules live in the services, roles in matching.policy.ts, records in
 * matching.scope.ts. Routes about people (applicants, candidates, matches, proposals) are
 * personal data: outside the caller's scope they answer 404.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs.js';
import type { Mailer } from '../../platform/mail/mail.service.js';
import type { PublicUrl } from '../../platform/public-url.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  addIssueComment,
  changeIssueStatus,
  createIssue,
  findIssues,
  getIssue,
  issueVersions,
  updateIssue,
} from './issues.service.js';
import {
  COORDINATORS,
  ISSUE_WRITERS,
  MATCH_WORKERS,
  MATCHING_SETTINGS_EDITORS,
  TRAINING_RECORDERS,
} from './matching.policy.js';
import { getMatchingSettings, updateMatchingSettings } from './matching.settings.js';
import {
  AddAccompaniment,
  AddMatchStep,
  ApplicantsPage,
  Candidates,
  CandidatesQuery,
  CreateProposal,
  Proposal,
  ProposalQuery,
  CreateIssue,
  CreateMatch,
  CreateProject,
  CreateTraining,
  DecideApplication,
  Issue,
  IssueComment,
  IssueDetail,
  IssuesPage,
  IssuesQuery,
  IssueStatusChange,
  IssueVersion,
  MatchDetail,
  MatchesPage,
  MatchingSettings,
  UpdateMatchingSettings,
  MatchesQuery,
  MyApplicationResult,
  Project,
  ProjectsPage,
  ProjectsQuery,
  Readiness,
  ScoutsPage,
  SendScouts,
  Training,
  TrainingsPage,
  TrainingsQuery,
  UpdateIssue,
  UpdateProject,
  UpdateReadiness,
} from './matching.schemas.js';
import {
  addAccompaniment,
  addMatchStep,
  createMatch,
  createTraining,
  findMatches,
  findTrainings,
  getMatch,
  getReadiness,
  updateReadiness,
} from './matching.service.js';
import { getProposal, projectCandidates, requestProposal } from './proposals.service.js';
import { listScouts, sendScouts } from './scouts.service.js';
import {
  createProject,
  decideApplication,
  findProjects,
  getProject,
  listApplicants,
  updateProject,
} from './projects.service.js';

const errors = { 400: ErrorResponse, 404: ErrorResponse };
const personalData = { personalData: true } as const;

export async function matchingRoutes(
  appBase: FastifyInstance,
  { db, jobs, mailer, publicUrl }: { db: Db; jobs: JobQueue; mailer: Mailer; publicUrl: PublicUrl },
) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const issueTags = ['regional issues'];
  const projectTags = ['projects'];
  const matchTags = ['matches'];

  // --- Regional issues ----------------------------------------------------------------------------

  app.get(
    '/regional-issues',
    {
      schema: {
        tags: issueTags,
        summary: 'Regional issues within your scope (filter by municipality, status, category)',
        querystring: IssuesQuery,
        response: { 200: IssuesPage, 400: ErrorResponse },
      },
    },
    (request) => findIssues(db, staffContext(request), request.query),
  );

  app.post(
    '/regional-issues',
    {
      config: { roles: ISSUE_WRITERS },
      schema: {
        tags: issueTags,
        summary: 'Register a regional issue (地域課題); it starts as raised, version 1',
        description: 'Municipality staff register issues of their own municipality only.',
        body: CreateIssue,
        response: { 201: Issue, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createIssue(db, staffContext(request), request.body)),
  );

  app.get(
    '/regional-issues/:id',
    {
      schema: {
        tags: issueTags,
        summary: 'A regional issue with its comments and the projects cut from it',
        params: IdParams,
        response: { 200: IssueDetail, 404: ErrorResponse },
      },
    },
    (request) => getIssue(db, staffContext(request), request.params.id),
  );

  app.patch(
    '/regional-issues/:id',
    {
      config: { roles: ISSUE_WRITERS },
      schema: {
        tags: issueTags,
        summary: 'Brush an issue up: every save that changes something is a new version (author, date, fields)',
        params: IdParams,
        body: UpdateIssue,
        response: { 200: Issue, ...errors },
      },
    },
    (request) => updateIssue(db, staffContext(request), request.params.id, request.body),
  );

  app.get(
    '/regional-issues/:id/versions',
    {
      schema: {
        tags: issueTags,
        summary: 'The versions of an issue, newest first: who changed which fields when, and the whole issue as it was',
        params: IdParams,
        response: { 200: z.object({ items: z.array(IssueVersion) }), 404: ErrorResponse },
      },
    },
    (request) => issueVersions(db, staffContext(request), request.params.id),
  );

  app.post(
    '/regional-issues/:id/status',
    {
      config: { roles: COORDINATORS },
      schema: {
        tags: issueTags,
        summary:
          'Move an issue along: raised → brushing_up → published → matched → collaborating → self_running | closed',
        description:
          'Forward only (steps may be skipped); closed needs closeReason and is possible from any open status; nothing after self_running or closed. Each change is a version.',
        params: IdParams,
        body: IssueStatusChange,
        response: { 200: Issue, ...errors },
      },
    },
    (request) => changeIssueStatus(db, staffContext(request), request.params.id, request.body),
  );

  app.post(
    '/regional-issues/:id/comments',
    {
      config: { roles: ISSUE_WRITERS },
      schema: {
        tags: issueTags,
        summary: 'Comment on an issue',
        params: IdParams,
        body: IssueComment,
        response: {
          201: z.object({ id: z.uuid(), body: z.string(), author: z.string().nullable(), createdAt: z.string() }),
          ...errors,
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addIssueComment(db, staffContext(request), request.params.id, request.body.body)),
  );

  // --- Projects -----------------------------------------------------------------------------------

  app.get(
    '/projects',
    {
      schema: {
        tags: projectTags,
        summary: 'Projects within your scope (a partner: its own organization’s)',
        querystring: ProjectsQuery,
        response: { 200: ProjectsPage, 400: ErrorResponse },
      },
    },
    (request) => findProjects(db, staffContext(request), request.query),
  );

  app.post(
    '/projects',
    {
      schema: {
        tags: projectTags,
        summary: 'Post a project (side job, pro bono, volunteering, company collaboration); it starts as a draft',
        description:
          'Partners post for their own organization; municipality staff for their municipality. `issueId` must name a published issue. `acceptance`: screening (the organization accepts applicants) or first_come (accepted on arrival while seats last).',
        body: CreateProject,
        response: { 201: Project, ...errors, 403: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createProject(db, staffContext(request), request.body)),
  );

  app.get(
    '/projects/:id',
    {
      schema: {
        tags: projectTags,
        summary: 'One project',
        params: IdParams,
        response: { 200: Project, 404: ErrorResponse },
      },
    },
    (request) => getProject(db, staffContext(request), request.params.id),
  );

  app.patch(
    '/projects/:id',
    {
      schema: {
        tags: projectTags,
        summary: 'Change a project, or publish / close it (draft → published → closed)',
        description: 'Seats never below those taken; a closed project is not changed any more.',
        params: IdParams,
        body: UpdateProject,
        response: { 200: Project, ...errors, 403: ErrorResponse },
      },
    },
    (request) => updateProject(db, staffContext(request), request.params.id, request.body),
  );

  app.get(
    '/projects/:id/candidates',
    {
      config: { ...personalData, roles: MATCH_WORKERS },
      schema: {
        tags: projectTags,
        summary: 'The best candidates for a project, each with its score and the reasons in words (audited)',
        description:
          'Supporters who consented to be proposed projects (scouting) and share one of its skills; municipality staff only among people linked to their municipality. Factors and weights: docs/matching.md.',
        params: IdParams,
        querystring: CandidatesQuery,
        response: { 200: Candidates, ...errors },
      },
    },
    (request) => projectCandidates(db, staffContext(request), request.params.id, request.query.limit),
  );

  app.post(
    '/projects/:id/scouts',
    {
      config: { ...personalData, roles: MATCH_WORKERS },
      schema: {
        tags: projectTags,
        summary: 'Scout chosen candidates: one mail each with the message and 興味あり / 辞退 links (audited)',
        description:
          'Each person must be a candidate of the project (consented to scouting, shares one of its skills; municipality staff: linked to their municipality), have an address and not have been scouted for it yet; otherwise nothing is sent and the answer names them by index (personIds.2). The project must be published (409 PROJECT_CLOSED).',
        params: IdParams,
        body: SendScouts,
        response: { 201: ScoutsPage, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await sendScouts({ db, mailer, publicUrl }, staffContext(request), request.params.id, request.body)),
  );

  app.get(
    '/projects/:id/scouts',
    {
      config: { ...personalData, roles: MATCH_WORKERS },
      schema: {
        tags: projectTags,
        summary: 'The project’s scouts with their status: sent, interested or declined (audited)',
        params: IdParams,
        response: { 200: ScoutsPage, 404: ErrorResponse },
      },
    },
    (request) => listScouts(db, staffContext(request), request.params.id),
  );

  app.post(
    '/matching/proposals',
    {
      config: { ...personalData, roles: COORDINATORS },
      schema: {
        tags: matchTags,
        summary: 'Ask for a proposal over every open project (a job); read it with GET /api/matching/proposals/:id',
        description:
          'Assigns candidates so that no project gets more than its open seats and no person more than their stated capacity (less the matches they hold), maximizing the total score. Nothing is sent: accept pairs one by one with POST /api/matches and the proposal’s id.',
        body: CreateProposal,
        response: { 202: Proposal, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await requestProposal({ db, jobs }, staffContext(request), request.body)),
  );

  app.get(
    '/matching/proposals/:id',
    {
      config: { ...personalData, roles: COORDINATORS },
      schema: {
        tags: matchTags,
        summary:
          'A proposal: status, a page of its assignments (person, project, score, reasons), total score, open seats left (audited)',
        params: IdParams,
        querystring: ProposalQuery,
        response: { 200: Proposal, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => getProposal(db, staffContext(request), request.params.id, request.query),
  );

  app.get(
    '/projects/:id/applications',
    {
      config: personalData,
      schema: {
        tags: projectTags,
        summary: 'The applicants of a project with their answers and contact (each read audited)',
        params: IdParams,
        response: { 200: ApplicantsPage, 404: ErrorResponse },
      },
    },
    (request) => listApplicants(db, staffContext(request), request.params.id),
  );

  app.post(
    '/applications/:id/decision',
    {
      config: personalData,
      schema: {
        tags: projectTags,
        summary: 'Accept (takes a seat, opens the match at agreed) or decline an application',
        description: 'A full project answers 409 PROJECT_FULL; seats hold under concurrent acceptance.',
        params: IdParams,
        body: DecideApplication,
        response: { 200: MyApplicationResult, ...errors, 409: ErrorResponse },
      },
    },
    (request) => decideApplication(db, staffContext(request), request.params.id, request.body.decision),
  );

  // --- Matches ------------------------------------------------------------------------------------

  app.post(
    '/matches',
    {
      config: { ...personalData, roles: MATCH_WORKERS },
      schema: {
        tags: matchTags,
        summary: 'Accept a pair (from the candidates or a proposal): a match at proposed; nothing is sent',
        body: CreateMatch,
        response: { 201: MatchDetail, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createMatch(db, staffContext(request), request.body)),
  );

  app.get(
    '/matches',
    {
      config: personalData,
      schema: {
        tags: matchTags,
        summary: 'Matches within your scope (filter by municipality, step, project; audited)',
        querystring: MatchesQuery,
        response: { 200: MatchesPage, 400: ErrorResponse },
      },
    },
    (request) => findMatches(db, staffContext(request), request.query),
  );

  app.get(
    '/matches/:id',
    {
      config: personalData,
      schema: {
        tags: matchTags,
        summary: 'A match with its dated steps and the accompaniment timeline (audited)',
        params: IdParams,
        response: { 200: MatchDetail, 404: ErrorResponse },
      },
    },
    (request) => getMatch(db, staffContext(request), request.params.id),
  );

  app.post(
    '/matches/:id/steps',
    {
      config: { ...personalData, roles: MATCH_WORKERS },
      schema: {
        tags: matchTags,
        summary: 'Move a match one rung: proposed → introduced → agreed → collaborating → self_running | ended',
        description:
          'One rung at a time, never back; ended (with endReason) from any open step; nothing after self_running or ended; dates not before the previous step nor in the future. agreed takes a seat (409 PROJECT_FULL); ended gives a held seat back; self_running needs evidence (no_accompaniment_for_months: that many months since the last accompaniment; taken_over). collaborating writes the person’s engagement record for the project’s municipality (side job, company collaboration → 協働; volunteering, pro bono → 関与).',
        params: IdParams,
        body: AddMatchStep,
        response: { 201: MatchDetail, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addMatchStep(db, staffContext(request), request.params.id, request.body)),
  );

  app.post(
    '/matches/:id/accompaniment',
    {
      config: { ...personalData, roles: MATCH_WORKERS },
      schema: {
        tags: matchTags,
        summary: 'Log accompaniment (伴走支援): date, kind, note, next step with due date',
        params: IdParams,
        body: AddAccompaniment,
        response: { 201: MatchDetail, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addAccompaniment(db, staffContext(request), request.params.id, request.body)),
  );

  // --- Readiness and trainings --------------------------------------------------------------------

  app.get(
    '/organizations/:id/readiness',
    {
      schema: {
        tags: ['organizations'],
        summary: 'The receiving side’s readiness (KPI ④): checklist, strengths, interests, who confirmed it when',
        params: IdParams,
        response: { 200: Readiness, 404: ErrorResponse },
      },
    },
    (request) => getReadiness(db, staffContext(request), request.params.id),
  );

  app.put(
    '/organizations/:id/readiness',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Update the checklist, strengths and interests; `confirm: true` records the coordinator and date',
        description: 'Only coordinators (center, prefecture) confirm; a partner keeps its own organization’s record.',
        params: IdParams,
        body: UpdateReadiness,
        response: { 200: Readiness, ...errors, 403: ErrorResponse },
      },
    },
    (request) => updateReadiness(db, staffContext(request), request.params.id, request.body),
  );

  app.get(
    '/trainings',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Trainings and advisor dispatches for municipal staff and community leaders',
        querystring: TrainingsQuery,
        response: { 200: TrainingsPage, 400: ErrorResponse },
      },
    },
    (request) => findTrainings(db, staffContext(request), request.query),
  );

  app.post(
    '/trainings',
    {
      config: { roles: TRAINING_RECORDERS },
      schema: {
        tags: ['organizations'],
        summary: 'Record a training or an advisor dispatch (date, topic, organizations, attendees)',
        body: CreateTraining,
        response: { 201: Training, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createTraining(db, staffContext(request), request.body)),
  );

  app.get(
    '/settings/matching',
    {
      // Read by everyone who records match steps (the self-running step checks N).
      config: { roles: MATCH_WORKERS },
      schema: {
        tags: ['settings'],
        summary:
          "The prefecture's matching settings: months without accompaniment before a collaboration counts as self-running",
        response: { 200: MatchingSettings },
      },
    },
    async () => getMatchingSettings(db),
  );

  app.put(
    '/settings/matching',
    {
      config: { roles: MATCHING_SETTINGS_EDITORS },
      schema: {
        tags: ['settings'],
        summary: 'Change the matching settings (prefecture admins; audited with the value before and after)',
        body: UpdateMatchingSettings,
        response: { 200: MatchingSettings, 400: ErrorResponse },
      },
    },
    async (request) => updateMatchingSettings(db, staffContext(request), request.body),
  );
}
