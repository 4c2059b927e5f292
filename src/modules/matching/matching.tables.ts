/**
 * Regional issues, projects, interests, applications, matches and the receiving side's readiness
 * (docs/matching.md). Every table carries the municipality it concerns (`municipality_code`), the
 * key every scope condition reads. Citus: issues and projects are distributed by their id (with
 * their versions and comments co-located on `issue_id`), like events; what is about one person —
 * interests, applications, matches, their steps and accompaniment — by `person_id`, co-located with
 * people; readiness and trainings are small reference-like tables keyed by organization / id.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { municipalities, organizations } from '../../platform/places.tables.js';
import { people } from '../people/index.js';
import type { ScoreReason } from './matching.scoring.js';

/** A community's issue as raised and brushed up (地域課題). Not personal data. */
export const regionalIssues = pgTable(
  'regional_issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    title: text('title').notNull(),
    category: varchar('category', { length: 32 }).notNull(),
    /** Optional point on the map (WGS84). */
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    background: text('background'),
    /** Help wanted: skills, hours per month, on-site vs remote share (percent remote), period. */
    skills: text('skills').array().notNull().default(sql`'{}'`),
    hoursPerMonth: integer('hours_per_month'),
    remotePercent: integer('remote_percent'),
    periodStart: date('period_start', { mode: 'string' }),
    periodEnd: date('period_end', { mode: 'string' }),
    contactOrganizationId: uuid('contact_organization_id').references(() => organizations.id),
    status: varchar('status', { length: 16 }).notNull().default('raised'),
    closeReason: varchar('close_reason', { length: 32 }),
    /** The number of the latest version in regional_issue_versions. */
    version: integer('version').notNull().default(1),
    isDemo: integer('is_demo').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('regional_issues_municipality_idx').on(t.municipalityCode, t.status),
    check('regional_issues_remote_percent', sql`${t.remotePercent} is null or ${t.remotePercent} between 0 and 100`),
    check(
      'regional_issues_period_order',
      sql`${t.periodEnd} is null or ${t.periodStart} is null or ${t.periodEnd} >= ${t.periodStart}`,
    ),
    check('regional_issues_closed_reason', sql`(${t.status} = 'closed') = (${t.closeReason} is not null)`),
  ],
);

/**
 * Every state of an issue, as written by one edit: the whole issue (`snapshot`), which fields the
 * edit changed, who and when. Version 1 is the issue as raised; the history and its diffs are read
 * from here. Append-only by use (no route changes a version).
 */
export const regionalIssueVersions = pgTable(
  'regional_issue_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => regionalIssues.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull(),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    changedFields: text('changed_fields').array().notNull().default(sql`'{}'`),
    authorStaffId: uuid('author_staff_id'),
    authorName: text('author_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('regional_issue_versions_idx').on(t.issueId, t.version)],
);

/** Coordinators' and communities' comments on an issue. */
export const regionalIssueComments = pgTable(
  'regional_issue_comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => regionalIssues.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull(),
    body: text('body').notNull(),
    authorStaffId: uuid('author_staff_id'),
    authorName: text('author_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('regional_issue_comments_issue_idx').on(t.issueId, t.createdAt)],
);

/** What an organization is good at (得意分野) and cares about (CSR, DX, regional themes). */
export const organizationProfiles = pgTable('organization_profiles', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  strengths: text('strengths').array().notNull().default(sql`'{}'`),
  interests: text('interests').array().notNull().default(sql`'{}'`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A screening question of a project; answers name it by id. */
export type ProjectQuestion = { id: string; text: string; required: boolean };

/**
 * Work a receiving organization offers (a side job, pro bono, volunteering, a company
 * collaboration), maybe cut from a published issue. `filled_count` counts the seats taken — by an
 * accepted application or a match that reached `agreed` — and is kept by a conditional UPDATE in
 * the accepting transaction, so seats hold under concurrent acceptance (as events' capacity).
 */
export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    issueId: uuid('issue_id').references(() => regionalIssues.id, { onDelete: 'set null' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    title: text('title').notNull(),
    summary: text('summary'),
    kind: varchar('kind', { length: 32 }).notNull(),
    /** The theme, from the issue categories. */
    theme: varchar('theme', { length: 32 }).notNull(),
    seats: integer('seats').notNull(),
    filledCount: integer('filled_count').notNull().default(0),
    acceptance: varchar('acceptance', { length: 16 }).notNull().default('screening'),
    periodStart: date('period_start', { mode: 'string' }),
    periodEnd: date('period_end', { mode: 'string' }),
    hoursPerMonth: integer('hours_per_month'),
    remotePercent: integer('remote_percent').notNull().default(0),
    feeMinYen: integer('fee_min_yen'),
    feeMaxYen: integer('fee_max_yen'),
    requiredSkills: text('required_skills').array().notNull().default(sql`'{}'`),
    welcomeSkills: text('welcome_skills').array().notNull().default(sql`'{}'`),
    questions: jsonb('questions').$type<ProjectQuestion[]>().notNull().default([]),
    status: varchar('status', { length: 16 }).notNull().default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    isDemo: integer('is_demo').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('projects_municipality_idx').on(t.municipalityCode, t.status),
    index('projects_organization_idx').on(t.organizationId),
    index('projects_issue_idx').on(t.issueId),
    check('projects_seats_held', sql`${t.seats} > 0 and ${t.filledCount} between 0 and ${t.seats}`),
    check('projects_remote_percent', sql`${t.remotePercent} between 0 and 100`),
    check(
      'projects_fee_order',
      sql`${t.feeMaxYen} is null or ${t.feeMinYen} is null or ${t.feeMaxYen} >= ${t.feeMinYen}`,
    ),
    check(
      'projects_period_order',
      sql`${t.periodEnd} is null or ${t.periodStart} is null or ${t.periodEnd} >= ${t.periodStart}`,
    ),
  ],
);

/** One tap of 興味ある by a signed-in supporter (or a reply to a scout). Personal data. */
export const projectInterests = pgTable(
  'project_interests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('project_interests_person_idx').on(t.personId, t.projectId),
    index('project_interests_project_idx').on(t.projectId),
  ],
);

/**
 * A scout (スカウト): a coordinator's message mailed to one chosen candidate of a project, and the
 * candidate's reply through the mail's links (興味あり / 辞退). Only the hash of the reply token is
 * kept; the token itself lives only in the mail. One scout per person and project. Personal data,
 * distributed by `person_id` like interests.
 */
export const projectScouts = pgTable(
  'project_scouts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The project's municipality: the key of the scope condition. */
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull(),
    message: text('message').notNull(),
    sentBy: uuid('sent_by'),
    /** The coordinator's name as it was when sending (staff may be renamed or leave). */
    sentByName: text('sent_by_name').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    /** sha256 of the reply token in the mail's links. */
    replyTokenHash: varchar('reply_token_hash', { length: 64 }).notNull(),
    /** null until the candidate replies: interested | declined. */
    answer: varchar('answer', { length: 16 }),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('project_scouts_person_idx').on(t.personId, t.projectId),
    index('project_scouts_project_idx').on(t.projectId),
    uniqueIndex('project_scouts_token_idx').on(t.replyTokenHash),
    check('project_scouts_answer', sql`${t.answer} is null or ${t.answer} in ('interested', 'declined')`),
  ],
);

/** An application with the answers to the project's screening questions. Personal data. */
export const projectApplications = pgTable(
  'project_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull(),
    answers: jsonb('answers').$type<{ questionId: string; answer: string }[]>().notNull().default([]),
    message: text('message'),
    status: varchar('status', { length: 16 }).notNull().default('applied'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('project_applications_person_idx').on(t.personId, t.projectId),
    index('project_applications_project_idx').on(t.projectId, t.createdAt),
    check('project_applications_status_check', sql`${t.status} in ('applied','accepted','declined','withdrawn')`),
  ],
);

/** Why a pair was matched: the scoring's reasons, kept as they were when the match was made (worded on reading). */
export type StoredReason = ScoreReason;

/**
 * A person and a project brought together, with its place on the pipeline. `holds_seat` says
 * whether the match took one of the project's seats (at `agreed`, or from an accepted
 * application), so ending it gives exactly that seat back. Personal data, by person_id.
 */
export const matches = pgTable(
  'matches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 }).notNull(),
    applicationId: uuid('application_id').references(() => projectApplications.id, { onDelete: 'set null' }),
    step: varchar('step', { length: 16 }).notNull().default('proposed'),
    stepOn: date('step_on', { mode: 'string' }).notNull(),
    holdsSeat: integer('holds_seat').notNull().default(0),
    score: doublePrecision('score'),
    reasons: jsonb('reasons').$type<StoredReason[]>().notNull().default([]),
    endReason: varchar('end_reason', { length: 32 }),
    selfRunningEvidence: varchar('self_running_evidence', { length: 40 }),
    isDemo: integer('is_demo').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live match per person and project; an ended one stays with its log, and a new one may follow.
    uniqueIndex('matches_person_project_idx').on(t.personId, t.projectId).where(sql`${t.step} <> 'ended'`),
    index('matches_project_idx').on(t.projectId),
    index('matches_municipality_idx').on(t.municipalityCode, t.step),
  ],
);

/** The dated steps of a match (proposed → introduced → agreed → collaborating → self_running | ended). */
export const matchSteps = pgTable(
  'match_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    matchId: uuid('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').notNull(),
    step: varchar('step', { length: 16 }).notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('match_steps_match_idx').on(t.matchId, t.occurredOn)],
);

/** The accompaniment log (伴走支援): what was done, and the next step with its due date. */
export const matchAccompaniments = pgTable(
  'match_accompaniments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    matchId: uuid('match_id')
      .notNull()
      .references(() => matches.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    kind: varchar('kind', { length: 16 }).notNull(),
    note: text('note'),
    nextStep: text('next_step'),
    nextDueOn: date('next_due_on', { mode: 'string' }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('match_accompaniments_match_idx').on(t.matchId, t.occurredOn)],
);

/** The receiving side's readiness (KPI ④): the checklist and the coordinator who confirmed it. */
export const organizationReadiness = pgTable('organization_readiness', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  contactPerson: integer('contact_person').notNull().default(0),
  publishedIssueOrProject: integer('published_issue_or_project').notNull().default(0),
  receivingPlan: integer('receiving_plan').notNull().default(0),
  trainingAttended: integer('training_attended').notNull().default(0),
  note: text('note'),
  confirmedBy: uuid('confirmed_by'),
  confirmedByName: text('confirmed_by_name'),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Trainings and advisor dispatches for municipal staff and community leaders (seed 001 ③-2). */
export const trainings = pgTable(
  'trainings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: varchar('kind', { length: 24 }).notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    topic: text('topic').notNull(),
    /** The municipality it was held for; null for prefecture-wide ones. */
    municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
    organizationIds: uuid('organization_ids').array().notNull().default(sql`'{}'`),
    attendees: integer('attendees').notNull().default(0),
    note: text('note'),
    isDemo: integer('is_demo').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('trainings_held_idx').on(t.heldOn), check('trainings_attendees_nonnegative', sql`${t.attendees} >= 0`)],
);

/**
 * A proposal over every open project (or one municipality's): asked for by a coordinator, computed
 * by a job, kept with its assignments so pairs can be accepted one by one. Nothing is sent.
 */
export const matchingProposals = pgTable('matching_proposals', {
  id: uuid('id').primaryKey().defaultRandom(),
  status: varchar('status', { length: 16 }).notNull().default('queued'),
  municipalityCode: varchar('municipality_code', { length: 6 }),
  requestedBy: uuid('requested_by'),
  assignments: jsonb('assignments')
    .$type<{ projectId: string; personId: string; score: number; reasons: StoredReason[] }[]>()
    .notNull()
    .default([]),
  totalScore: doublePrecision('total_score'),
  openSeatsLeft: integer('open_seats_left'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/**
 * Matching settings of a prefecture (one row per prefecture; none → the defaults of
 * matching.settings.ts): the months a collaboration must run without accompaniment before it may be
 * recorded as self-running (自走) on that evidence. A reference table on Citus (tiny).
 */
export const matchingSettings = pgTable(
  'matching_settings',
  {
    prefectureCode: varchar('prefecture_code', { length: 2 }).primaryKey(),
    selfRunningMonths: integer('self_running_months').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [check('matching_settings_months_range', sql`${t.selfRunningMonths} between 1 and 60`)],
);
