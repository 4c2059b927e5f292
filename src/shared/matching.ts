/**
 * Vocabulary of regional issues, projects and matches (地域課題・プロジェクト・マッチング), shared by the
 * server's validation and the web UI's choices. The project kinds and the match pipeline's steps,
 * end reasons and evidence are the matching rules' own (matching.scoring.ts, matching.pipeline.ts).
 * docs/matching.md.
 */

/** What a community's issue is about (seed 001 ③-1). */
export const ISSUE_CATEGORIES = [
  'shopping_access', // 買い物弱者
  'mobility', // 移動・交通
  'dx', // DX
  'abandoned_farmland', // 耕作放棄地
  'farmland_conservation', // 農地保全
  'nature', // 自然環境
  'industry_talent', // 産業人材
  'ageing', // 高齢化
  'child_rearing', // 子育て
  'traditional_culture', // 伝統文化
  'other',
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];

/** An issue is raised, brushed up by coordinators, published, matched, worked on, and runs by itself or is closed. */
export const ISSUE_STATUSES = [
  'raised',
  'brushing_up',
  'published',
  'matched',
  'collaborating',
  'self_running',
  'closed',
] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const PROJECT_STATUSES = ['draft', 'published', 'closed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * How a project's seats are given: `screening` — the receiving organization accepts applicants one
 * by one; `first_come` — an application is accepted on arrival while a seat is free (a volunteering
 * day). Either way a seat is taken only on acceptance, never by applying.
 */
export const PROJECT_ACCEPTANCE = ['screening', 'first_come'] as const;
export type ProjectAcceptance = (typeof PROJECT_ACCEPTANCE)[number];

export const APPLICATION_STATUSES = ['applied', 'accepted', 'declined', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
/** Application statuses as the supporter reads them in their own export. */
export const APPLICATION_STATUS_LABELS_JA: Readonly<Record<ApplicationStatus, string>> = {
  applied: '応募中',
  accepted: '受け入れ決定',
  declined: '見送り',
  withdrawn: '取り下げ',
};

/** What shows a collaboration runs by itself: continued N months without accompaniment, or a bank/chamber took it over. */
/** One entry of the accompaniment log (伴走支援). */
export const ACCOMPANIMENT_KINDS = ['meeting', 'advice', 'site_visit', 'online', 'training'] as const;
export type AccompanimentKind = (typeof ACCOMPANIMENT_KINDS)[number];

/** The receiving side's readiness checklist (KPI ④). */
export const READINESS_ITEMS = [
  'contactPerson',
  'publishedIssueOrProject',
  'receivingPlan',
  'trainingAttended',
] as const;
export type ReadinessItem = (typeof READINESS_ITEMS)[number];

export const TRAINING_KINDS = ['training', 'advisor_dispatch'] as const;
export type TrainingKind = (typeof TRAINING_KINDS)[number];

/** Why an issue was closed. */
export const ISSUE_CLOSE_REASONS = ['solved', 'no_taker', 'withdrawn', 'merged', 'other'] as const;
export type IssueCloseReason = (typeof ISSUE_CLOSE_REASONS)[number];

/** Field limits, shared so the forms can stop the user before the API has to. */
export const MATCHING_LIMITS = {
  title: 200,
  background: 5000,
  summary: 5000,
  comment: 2000,
  note: 2000,
  skill: 60,
  skills: 30,
  questions: 10,
  question: 500,
  answer: 2000,
  seats: 100,
  hoursPerMonth: 300,
  feeYen: 10_000_000,
  topic: 200,
  attendees: 10_000,
  /** A scout's message to the chosen candidates. */
  scoutMessage: 2000,
  /** People scouted at once: a coordinator's hand-picked few, one mail each. */
  scoutPeople: 50,
} as const;
