/**
 * The API shape of regional issues, projects, applications, matches, readiness and trainings
 * (docs/matching.md). Shared by the routes (validation, OpenAPI) and the web UI (types). Dates may
 * be written western or in 和暦 and leave this file as ISO yyyy-mm-dd.
 */
import { z } from 'zod';
import {
  ACCOMPANIMENT_KINDS,
  APPLICATION_STATUSES,
  ISSUE_CATEGORIES,
  ISSUE_CLOSE_REASONS,
  ISSUE_STATUSES,
  MATCHING_LIMITS as L,
  PROJECT_ACCEPTANCE,
  PROJECT_STATUSES,
  TRAINING_KINDS,
} from '../../shared/matching.js';
import { MATCH_END_REASONS, MATCH_STEPS, SELF_RUNNING_EVIDENCE } from './matching.pipeline.js';
import { PROJECT_KINDS } from './matching.scoring.js';
import { MunicipalityCode, optionalText, Pagination, requiredText, tokenText } from '../../platform/validation.js';
import { dateInput } from '../../shared/schemas/consultations.js';

const Skills = z
  .array(requiredText(L.skill))
  .max(L.skills)
  .describe('Skills as words people use (Web制作, 会計, 農作業 …)');
const Hours = z.number().int().min(1).max(L.hoursPerMonth).describe('Hours per month');
const RemotePercent = z.number().int().min(0).max(100).describe('Share of the work done remotely, percent');
const OrgRef = z.object({ id: z.uuid(), name: z.string() });

// --- Regional issues ------------------------------------------------------------------------------

const IssueFields = {
  title: requiredText(L.title),
  category: z.enum(ISSUE_CATEGORIES),
  municipalityCode: MunicipalityCode,
  lat: z.number().min(-90).max(90).nullable().optional(),
  lon: z.number().min(-180).max(180).nullable().optional(),
  background: optionalText(L.background, { multiline: true }),
  skills: Skills.optional(),
  hoursPerMonth: Hours.nullable().optional(),
  remotePercent: RemotePercent.nullable().optional(),
  periodStart: dateInput().nullable().optional(),
  periodEnd: dateInput().nullable().optional(),
  contactOrganizationId: z.uuid().nullable().optional(),
};

export const CreateIssue = z
  .object(IssueFields)
  .strict()
  .meta({
    example: {
      title: '中心商店街の空き店舗を活かした買い物支援',
      category: 'shopping_access',
      municipalityCode: '062014',
      background: '高齢化で徒歩圏の店が減り、買い物に困る世帯が増えている。',
      skills: ['事業計画', 'EC'],
      hoursPerMonth: 10,
      remotePercent: 50,
    },
  });
export type CreateIssueInput = z.infer<typeof CreateIssue>;

export const UpdateIssue = z
  .object({ ...IssueFields, municipalityCode: MunicipalityCode.optional(), title: IssueFields.title.optional() })
  .extend({ category: IssueFields.category.optional() })
  .strict()
  .describe('Any subset of the fields; each save is a new version')
  .meta({ example: { background: '買い物支援の担い手と移動販売の仕組みを探している。', hoursPerMonth: 12 } });
export type UpdateIssueInput = z.infer<typeof UpdateIssue>;

export const IssueStatusChange = z
  .object({
    status: z
      .enum(ISSUE_STATUSES)
      .describe('raised → brushing_up → published → matched → collaborating → self_running | closed'),
    closeReason: z.enum(ISSUE_CLOSE_REASONS).optional().describe('Required for closed'),
  })
  .strict()
  .meta({ example: { status: 'brushing_up' } });
export type IssueStatusChangeInput = z.infer<typeof IssueStatusChange>;

export const IssueComment = z
  .object({ body: requiredText(L.comment) })
  .strict()
  .meta({ example: { body: '受け入れ側の窓口を商工会に確認済み。' } });

export const Issue = z.object({
  id: z.uuid(),
  title: z.string(),
  category: z.enum(ISSUE_CATEGORIES),
  municipalityCode: z.string(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  background: z.string().nullable(),
  skills: z.array(z.string()),
  hoursPerMonth: z.number().int().nullable(),
  remotePercent: z.number().int().nullable(),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  contactOrganization: OrgRef.nullable(),
  status: z.enum(ISSUE_STATUSES),
  closeReason: z.enum(ISSUE_CLOSE_REASONS).nullable(),
  version: z.number().int(),
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IssueView = z.infer<typeof Issue>;

export const IssueDetail = Issue.extend({
  comments: z.array(z.object({ id: z.uuid(), body: z.string(), author: z.string().nullable(), createdAt: z.string() })),
  projects: z.array(z.object({ id: z.uuid(), title: z.string(), status: z.enum(PROJECT_STATUSES) })),
});

export const IssueVersion = z.object({
  version: z.number().int(),
  author: z.string().nullable(),
  createdAt: z.string(),
  changedFields: z.array(z.string()),
  snapshot: z.record(z.string(), z.unknown()),
});

export const IssuesQuery = z
  .object({
    municipality: MunicipalityCode.optional(),
    status: z.enum(ISSUE_STATUSES).optional(),
    category: z.enum(ISSUE_CATEGORIES).optional(),
    ...Pagination,
  })
  .strict();
export const IssuesPage = z.object({ items: z.array(Issue), total: z.number().int() });

// --- Projects -------------------------------------------------------------------------------------

const Question = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9_-]{1,20}$/)
    .describe('Short id the answers name, e.g. q1'),
  text: requiredText(L.question),
  required: z.boolean().default(true),
});

const ProjectFields = {
  title: requiredText(L.title),
  summary: optionalText(L.summary, { multiline: true }),
  kind: z.enum(PROJECT_KINDS),
  theme: z.enum(ISSUE_CATEGORIES),
  municipalityCode: MunicipalityCode,
  issueId: z.uuid().nullable().optional(),
  organizationId: z.uuid().optional().describe('The receiving organization; partners always post for their own'),
  seats: z.number().int().min(1).max(L.seats),
  acceptance: z.enum(PROJECT_ACCEPTANCE).default('screening'),
  periodStart: dateInput().nullable().optional(),
  periodEnd: dateInput().nullable().optional(),
  hoursPerMonth: Hours.nullable().optional(),
  remotePercent: RemotePercent.default(0),
  feeMinYen: z.number().int().min(0).max(L.feeYen).nullable().optional(),
  feeMaxYen: z.number().int().min(0).max(L.feeYen).nullable().optional(),
  requiredSkills: Skills.default([]),
  welcomeSkills: Skills.default([]),
  questions: z.array(Question).max(L.questions).default([]),
};

export const CreateProject = z
  .object(ProjectFields)
  .strict()
  .meta({
    example: {
      title: '商店街の EC サイト立ち上げ(副業)',
      kind: 'side_job',
      theme: 'dx',
      municipalityCode: '062014',
      seats: 2,
      hoursPerMonth: 10,
      remotePercent: 80,
      feeMinYen: 30000,
      feeMaxYen: 50000,
      requiredSkills: ['EC'],
      welcomeSkills: ['写真撮影'],
      questions: [{ id: 'q1', text: '関わりたい理由を教えてください', required: true }],
    },
  });
export type CreateProjectInput = z.infer<typeof CreateProject>;

export const UpdateProject = z
  .object({
    title: ProjectFields.title.optional(),
    summary: ProjectFields.summary,
    kind: ProjectFields.kind.optional(),
    theme: ProjectFields.theme.optional(),
    issueId: ProjectFields.issueId,
    seats: ProjectFields.seats.optional(),
    acceptance: z.enum(PROJECT_ACCEPTANCE).optional(),
    periodStart: ProjectFields.periodStart,
    periodEnd: ProjectFields.periodEnd,
    hoursPerMonth: ProjectFields.hoursPerMonth,
    remotePercent: RemotePercent.optional(),
    feeMinYen: ProjectFields.feeMinYen,
    feeMaxYen: ProjectFields.feeMaxYen,
    requiredSkills: Skills.optional(),
    welcomeSkills: Skills.optional(),
    questions: z.array(Question).max(L.questions).optional(),
    status: z.enum(PROJECT_STATUSES).optional().describe('draft → published → closed (closed is final)'),
  })
  .strict()
  .describe('Any subset of the fields')
  .meta({ example: { status: 'published' } });
export type UpdateProjectInput = z.infer<typeof UpdateProject>;

export const Project = z.object({
  id: z.uuid(),
  title: z.string(),
  summary: z.string().nullable(),
  kind: z.enum(PROJECT_KINDS),
  theme: z.enum(ISSUE_CATEGORIES),
  municipalityCode: z.string(),
  issueId: z.uuid().nullable(),
  organization: OrgRef,
  seats: z.number().int(),
  filled: z.number().int(),
  acceptance: z.enum(PROJECT_ACCEPTANCE),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  hoursPerMonth: z.number().int().nullable(),
  remotePercent: z.number().int(),
  feeMinYen: z.number().int().nullable(),
  feeMaxYen: z.number().int().nullable(),
  requiredSkills: z.array(z.string()),
  welcomeSkills: z.array(z.string()),
  questions: z.array(z.object({ id: z.string(), text: z.string(), required: z.boolean() })),
  status: z.enum(PROJECT_STATUSES),
  publishedAt: z.string().nullable(),
  isDemo: z.boolean(),
  createdAt: z.string(),
});
export type ProjectView = z.infer<typeof Project>;

export const ProjectsQuery = z
  .object({
    municipality: MunicipalityCode.optional(),
    status: z.enum(PROJECT_STATUSES).optional(),
    kind: z.enum(PROJECT_KINDS).optional(),
    issueId: z.uuid().optional(),
    ...Pagination,
  })
  .strict();
export const ProjectsPage = z.object({ items: z.array(Project), total: z.number().int() });

export const Reason = z.object({
  factor: z.string().describe('skills, welcome_skills, ties, stage, involvement, availability, remote, history …'),
  points: z.number(),
  detail: z.string().describe('The reason in words'),
});
export const Candidates = z.object({
  items: z.array(
    z.object({
      personId: z.uuid(),
      name: z.string(),
      score: z.number(),
      reasons: z.array(Reason),
    }),
  ),
});
export const CandidatesQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

// --- Scouts ---------------------------------------------------------------------------------------

export const SCOUT_ANSWERS = ['interested', 'declined'] as const;
export const SCOUT_STATUSES = ['sent', ...SCOUT_ANSWERS] as const;

export const SendScouts = z
  .object({
    personIds: z
      .array(z.uuid())
      .min(1)
      .max(L.scoutPeople)
      .describe('Chosen candidates of the project (supporters who consented to scouting); one mail each'),
    message: requiredText(L.scoutMessage, { multiline: true }).describe('The coordinator’s message, mailed as written'),
  })
  .strict()
  .meta({
    example: {
      personIds: ['1c7a0b4f-3d2e-4f9a-8b6c-6d5e4f3a2b1c'],
      message: 'デザインの経験を活かして、地域の商店街のDXに関わってみませんか。',
    },
  });
export type SendScoutsInput = z.infer<typeof SendScouts>;

export const Scout = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  person: z.object({ id: z.uuid(), name: z.string() }),
  message: z.string(),
  sentBy: z.string().describe('The coordinator who sent it'),
  sentAt: z.string(),
  status: z.enum(SCOUT_STATUSES).describe('sent until the person replies through the mail'),
  repliedAt: z.string().nullable(),
});
export const ScoutsPage = z.object({ items: z.array(Scout) });

export const ScoutTokenParams = z.object({ token: tokenText(100) });

/** What the holder of a scout's reply link sees: the project and the message, nobody else's data. */
export const PublicScout = z.object({
  project: z.object({ id: z.uuid(), title: z.string(), published: z.boolean() }),
  message: z.string(),
  sentAt: z.string(),
  answer: z.enum(SCOUT_ANSWERS).nullable(),
  repliedAt: z.string().nullable(),
});

export const ScoutReply = z
  .object({ answer: z.enum(SCOUT_ANSWERS) })
  .strict()
  .meta({ example: { answer: 'interested' } });

// --- Applications (staff side) --------------------------------------------------------------------

export const Applicant = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  person: z.object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable().describe('Contact once the person applied'),
    phone: z.string().nullable(),
  }),
  answers: z.array(z.object({ questionId: z.string(), answer: z.string() })),
  message: z.string().nullable(),
  status: z.enum(APPLICATION_STATUSES),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  matchId: z.uuid().nullable(),
});
export const ApplicantsPage = z.object({ items: z.array(Applicant), interested: z.number().int() });

export const DecideApplication = z
  .object({ decision: z.enum(['accepted', 'declined']) })
  .strict()
  .meta({ example: { decision: 'accepted' } });

// --- Matches --------------------------------------------------------------------------------------

export const CreateMatch = z
  .object({
    projectId: z.uuid(),
    personId: z.uuid(),
    note: optionalText(L.note, { multiline: true }),
    proposalId: z
      .uuid()
      .optional()
      .describe('The proposal the pair comes from: its score and reasons go with the match'),
  })
  .strict()
  .describe('A pair the coordinator accepts (from the candidates or a proposal); it starts at proposed')
  .meta({
    example: {
      projectId: '0b6f9a3e-2c1d-4e8f-9a7b-5c4d3e2f1a0b',
      personId: '1c7a0b4f-3d2e-4f9a-8b6c-6d5e4f3a2b1c',
    },
  });

export const AddMatchStep = z
  .object({
    step: z.enum(MATCH_STEPS),
    occurredOn: dateInput(),
    note: optionalText(L.note, { multiline: true }),
    endReason: z.enum(MATCH_END_REASONS).optional().describe('Required for ended'),
    evidence: z.enum(SELF_RUNNING_EVIDENCE).optional().describe('Required for self_running'),
  })
  .strict()
  .meta({ example: { step: 'introduced', occurredOn: '2026-11-02', note: 'オンラインで顔合わせ' } });
export type AddMatchStepInput = z.infer<typeof AddMatchStep>;

export const AddAccompaniment = z
  .object({
    occurredOn: dateInput(),
    kind: z.enum(ACCOMPANIMENT_KINDS),
    note: optionalText(L.note, { multiline: true }),
    nextStep: optionalText(L.note),
    nextDueOn: dateInput().nullable().optional(),
  })
  .strict()
  .meta({
    example: {
      occurredOn: '2026-11-10',
      kind: 'meeting',
      note: '役割分担を確認',
      nextStep: '現地視察の日程調整',
      nextDueOn: '2026-11-30',
    },
  });
export type AddAccompanimentInput = z.infer<typeof AddAccompaniment>;

export const Match = z.object({
  id: z.uuid(),
  project: z.object({ id: z.uuid(), title: z.string(), kind: z.enum(PROJECT_KINDS), organization: OrgRef }),
  person: z.object({ id: z.uuid(), name: z.string() }),
  municipalityCode: z.string(),
  step: z.enum(MATCH_STEPS),
  stepOn: z.string(),
  score: z.number().nullable(),
  reasons: z.array(Reason),
  endReason: z.enum(MATCH_END_REASONS).nullable(),
  selfRunningEvidence: z.enum(SELF_RUNNING_EVIDENCE).nullable(),
  holdsSeat: z.boolean(),
  isDemo: z.boolean(),
  createdAt: z.string(),
});
export const MatchDetail = Match.extend({
  steps: z.array(
    z.object({ step: z.enum(MATCH_STEPS), occurredOn: z.string(), note: z.string().nullable(), createdAt: z.string() }),
  ),
  accompaniment: z.array(
    z.object({
      id: z.uuid(),
      occurredOn: z.string(),
      kind: z.enum(ACCOMPANIMENT_KINDS),
      note: z.string().nullable(),
      nextStep: z.string().nullable(),
      nextDueOn: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});
export type MatchDetailView = z.infer<typeof MatchDetail>;
export const MatchesQuery = z
  .object({
    municipality: MunicipalityCode.optional(),
    step: z.enum(MATCH_STEPS).optional(),
    projectId: z.uuid().optional(),
    ...Pagination,
  })
  .strict();
export const MatchesPage = z.object({ items: z.array(Match), total: z.number().int() });

// --- Proposals ------------------------------------------------------------------------------------

export const CreateProposal = z
  .object({
    municipalityCode: MunicipalityCode.optional().describe(
      'Only this municipality’s open projects; default all in scope',
    ),
  })
  .strict()
  .meta({ example: { municipalityCode: '062014' } });
export const Proposal = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  assignments: z
    .array(
      z.object({
        projectId: z.uuid(),
        personId: z.uuid(),
        score: z.number(),
        reasons: z.array(Reason),
        person: z
          .object({ id: z.uuid(), name: z.string() })
          .nullable()
          .describe('Null when the person was deleted since the proposal was made'),
        project: z.object({ id: z.uuid(), title: z.string(), municipalityCode: z.string() }).nullable(),
      }),
    )
    .describe('One page of the assignments (limit, offset), highest score first'),
  assignmentCount: z.number().int().describe('All assignments of the proposal'),
  totalScore: z.number().nullable(),
  openSeatsLeft: z.number().int().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const ProposalQuery = z.object({ ...Pagination }).strict();

// --- Readiness and trainings ----------------------------------------------------------------------

export const Readiness = z.object({
  organization: OrgRef.extend({ kind: z.string(), municipalityCode: z.string().nullable() }),
  checklist: z.object({
    contactPerson: z.boolean(),
    publishedIssueOrProject: z.boolean(),
    receivingPlan: z.boolean(),
    trainingAttended: z.boolean(),
  }),
  derived: z
    .object({ publishedIssueOrProject: z.boolean(), trainingAttended: z.boolean() })
    .describe('What Kankei’s own records show for the two items it can see'),
  strengths: z.array(z.string()),
  interests: z.array(z.string()),
  note: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
});
export const UpdateReadiness = z
  .object({
    contactPerson: z.boolean().optional(),
    publishedIssueOrProject: z.boolean().optional(),
    receivingPlan: z.boolean().optional(),
    trainingAttended: z.boolean().optional(),
    strengths: Skills.optional().describe('得意分野'),
    interests: Skills.optional().describe('CSR, DX, regional themes'),
    note: optionalText(L.note, { multiline: true }),
    confirm: z.boolean().optional().describe('true: confirmed by the caller, dated now'),
  })
  .strict()
  .meta({ example: { contactPerson: true, receivingPlan: true, confirm: true } });

export const CreateTraining = z
  .object({
    kind: z.enum(TRAINING_KINDS),
    heldOn: dateInput(),
    topic: requiredText(L.topic),
    municipalityCode: MunicipalityCode.nullable().optional(),
    organizationIds: z.array(z.uuid()).max(50).default([]),
    attendees: z.number().int().min(0).max(L.attendees),
    note: optionalText(L.note, { multiline: true }),
  })
  .strict()
  .meta({ example: { kind: 'training', heldOn: '2026-10-20', topic: '関係人口の受け入れ研修', attendees: 24 } });
export const Training = z.object({
  id: z.uuid(),
  kind: z.enum(TRAINING_KINDS),
  heldOn: z.string(),
  topic: z.string(),
  municipalityCode: z.string().nullable(),
  organizations: z.array(OrgRef),
  attendees: z.number().int(),
  note: z.string().nullable(),
  isDemo: z.boolean(),
  createdAt: z.string(),
});
export const TrainingsQuery = z
  .object({ municipality: MunicipalityCode.optional(), organizationId: z.uuid().optional(), ...Pagination })
  .strict();
export const TrainingsPage = z.object({ items: z.array(Training), total: z.number().int() });

// --- Public ---------------------------------------------------------------------------------------

export const PublicProjectsQuery = z
  .object({
    municipality: MunicipalityCode.optional(),
    theme: z.enum(ISSUE_CATEGORIES).optional(),
    kind: z.enum(PROJECT_KINDS).optional(),
    remote: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: mostly remote (at least half)'),
    ...Pagination,
  })
  .strict();
export const PublicProject = Project.pick({
  id: true,
  title: true,
  summary: true,
  kind: true,
  theme: true,
  municipalityCode: true,
  seats: true,
  periodStart: true,
  periodEnd: true,
  hoursPerMonth: true,
  remotePercent: true,
  feeMinYen: true,
  feeMaxYen: true,
  requiredSkills: true,
  welcomeSkills: true,
  questions: true,
  publishedAt: true,
  isDemo: true,
}).extend({
  organizationName: z.string(),
  seatsLeft: z.number().int(),
  interestedCount: z.number().int().describe('How many tapped 興味ある (a count, nobody named)'),
});
export const PublicProjectsPage = z.object({ items: z.array(PublicProject), total: z.number().int() });

export const Apply = z
  .object({
    answers: z
      .array(z.object({ questionId: z.string().max(20), answer: requiredText(L.answer) }).strict())
      .max(L.questions)
      .default([]),
    message: optionalText(L.answer, { multiline: true }),
  })
  .strict()
  .meta({ example: { answers: [{ questionId: 'q1', answer: '週末に関われます' }], message: 'よろしくお願いします' } });
export type ApplyInput = z.infer<typeof Apply>;

export const MyApplicationResult = z.object({
  id: z.uuid(),
  status: z.enum(APPLICATION_STATUSES),
  matchId: z.uuid().nullable(),
});

export const MyMatchingData = z.object({
  projectInterests: z.array(
    z.object({ projectId: z.uuid(), title: z.string(), createdAt: z.string(), withdrawnAt: z.string().nullable() }),
  ),
  projectApplications: z.array(
    z.object({
      id: z.uuid(),
      projectId: z.uuid(),
      title: z.string(),
      status: z.enum(APPLICATION_STATUSES),
      createdAt: z.string(),
      withdrawnAt: z.string().nullable(),
    }),
  ),
  matches: z.array(
    z.object({
      id: z.uuid(),
      projectId: z.uuid(),
      title: z.string(),
      organizationName: z.string(),
      step: z.enum(MATCH_STEPS),
      stepOn: z.string(),
    }),
  ),
});
export type MyMatchingDataView = z.infer<typeof MyMatchingData>;

/** Most months a prefecture may ask a collaboration to run alone before it counts as self-running. */
export const MAX_SELF_RUNNING_MONTHS = 60;

export const MatchingSettings = z.object({
  prefectureCode: z
    .string()
    .nullable()
    .describe('The prefecture the settings are for (the one this installation serves)'),
  selfRunningMonths: z
    .number()
    .int()
    .describe('Months without accompaniment before a collaboration may be recorded as self-running on that evidence'),
  isDefault: z.boolean().describe('True while the prefecture has not set its own value'),
  updatedAt: z.string().nullable(),
});
export type MatchingSettingsView = z.infer<typeof MatchingSettings>;

export const UpdateMatchingSettings = z
  .object({
    selfRunningMonths: z
      .number()
      .int()
      .min(1)
      .max(MAX_SELF_RUNNING_MONTHS)
      .describe('Months without accompaniment before self-running may be recorded (1–60; default 6)'),
  })
  .strict()
  .meta({ example: { selfRunningMonths: 6 } });
export type MatchingSettingsInput = z.infer<typeof UpdateMatchingSettings>;
