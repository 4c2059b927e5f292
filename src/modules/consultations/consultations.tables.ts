import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { municipalities, organizations } from '../../platform/places.tables.js';
import { people } from '../people/index.js';
import { staff } from '../../platform/auth/auth.tables.js';
import { eventBooths, events } from '../events/index.js';
import { CONSULTATION_CHANNELS, CONSULTATION_TOPICS, PREFECTURES } from '../../shared/domain.js';

/*
 * Derived columns of consultations for the needs analysis (docs/analytics.md), computed by the
 * database on every write so that they can never disagree with the columns they come from; the
 * lists come from src/shared/domain.ts, so changing a list changes the expression and drizzle-kit
 * writes the migration that recomputes the column.
 */
/** The fiscal year (April–March) of occurred_on, as kankei_fiscal_year() of migration 0009. */
const FISCAL_YEAR_OF_OCCURRED_ON = sql`(extract(year from (occurred_on - interval '3 months')))::integer`;
/** 1–12: the month of the fiscal year of occurred_on (April = 1, March = 12). */
const FISCAL_MONTH_OF_OCCURRED_ON = sql`((extract(month from occurred_on))::integer + 8) % 12 + 1`;
/** 2^i for the channel CONSULTATION_CHANNELS[i]; 0 for any other value. */
const CHANNEL_BIT_OF_CHANNEL = sql.raw(
  `coalesce(1 << (array_position('{${CONSULTATION_CHANNELS.join(',')}}'::varchar[], channel) - 1), 0)`,
);
/** Bit i set when topics names CONSULTATION_TOPICS[i] (a topic named twice is one topic; unknown values set no bit). */
const TOPIC_MASK_OF_TOPICS = sql.raw(
  CONSULTATION_TOPICS.map((topic, i) => `(case when topics @> '{${topic}}'::varchar[] then ${2 ** i} else 0 end)`).join(
    ' | ',
  ),
);
/** 1–47: the JIS index of residence_prefecture; 0 when none is recorded or it is not one of the 47. */
const JIS_INDEX_OF_RESIDENCE = sql.raw(
  `coalesce(array_position('{${PREFECTURES.join(',')}}'::varchar[], residence_prefecture), 0)`,
);

/*
 * Every table here is personal data about one person and carries person_id: in Citus they are
 * distributed by person_id and co-located with people. The municipalities they concern are
 * columns (case municipality, consultation municipality_codes, referral target, follow-up
 * municipality), which the scope rules in src/platform/scope.ts read.
 */

/**
 * A person's way towards a move: first contact → consulting → visited / trial stay → decided →
 * moved → settled, or ended without a move (with a reason). At most one open case per person.
 * `step` and `step_on` mirror the latest row of case_steps.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The municipality the case is mainly about (the move-in municipality once moved). */
    municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
    step: varchar('step', { length: 16 }).notNull().default('first_contact'),
    stepOn: date('step_on', { mode: 'string' }).notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    consultantId: uuid('consultant_id').references(() => staff.id),
    movedMunicipalityCode: varchar('moved_municipality_code', { length: 6 }).references(() => municipalities.code),
    movedOn: date('moved_on', { mode: 'string' }),
    endReason: varchar('end_reason', { length: 32 }),
    endNote: text('end_note'),
    isDemo: integer('is_demo').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cases_open_per_person_idx').on(t.personId).where(sql`${t.step} not in ('settled','ended')`),
    index('cases_municipality_idx').on(t.municipalityCode, t.step),
    index('cases_opened_idx').on(t.openedOn),
    index('cases_moved_idx').on(t.movedOn),
    index('cases_moved_municipality_idx').on(t.movedMunicipalityCode),
    check(
      'cases_moved_has_place',
      sql`${t.step} not in ('moved','settled') or (${t.movedMunicipalityCode} is not null and ${t.movedOn} is not null)`,
    ),
    check('cases_ended_has_reason', sql`${t.step} <> 'ended' or ${t.endReason} is not null`),
  ],
);

/** Each dated step of a case, in the order it happened (the timeline). */
export const caseSteps = pgTable(
  'case_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    step: varchar('step', { length: 16 }).notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    municipalityCode: varchar('municipality_code', { length: 6 }).references(() => municipalities.code),
    endReason: varchar('end_reason', { length: 32 }),
    /** `moved` only: how many people moved together (KPI ① counts people, not cases). */
    householdSize: smallint('household_size'),
    /** `moved` only: U, I or J turn (UIJ_TYPES); null: not recorded. */
    uijType: varchar('uij_type', { length: 1 }),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('case_steps_household_size', sql`${t.householdSize} is null or ${t.householdSize} between 1 and 20`),
    check('case_steps_uij_type', sql`${t.uijType} is null or ${t.uijType} in ('U','I','J')`),
    check('case_steps_move_fields', sql`${t.step} = 'moved' or (${t.householdSize} is null and ${t.uijType} is null)`),
    // step as a key column: the needs analysis reads an ended case's furthest step from this index alone.
    index('case_steps_case_idx').on(t.caseId, t.occurredOn, t.step),
    index('case_steps_step_idx').on(t.step, t.occurredOn),
  ],
);

/** One consultation (移住相談), recorded by staff in under a minute. */
export const consultations = pgTable(
  'consultations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    channel: varchar('channel', { length: 32 }).notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    consultantId: uuid('consultant_id').references(() => staff.id),
    topics: varchar('topics', { length: 32 }).array().notNull().default(sql`'{}'`),
    municipalityCodes: varchar('municipality_codes', { length: 6 }).array().notNull().default(sql`'{}'`),
    desiredTiming: varchar('desired_timing', { length: 32 }),
    householdSize: integer('household_size'),
    withChildren: boolean('with_children'),
    familyNote: text('family_note'),
    /** Where the person lived when consulting (snapshot for the needs analysis). */
    residencePrefecture: varchar('residence_prefecture', { length: 8 }),
    notes: text('notes'),
    nextAction: text('next_action'),
    nextActionDue: date('next_action_due', { mode: 'string' }),
    nextActionDoneAt: timestamp('next_action_done_at', { withTimezone: true }),
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'set null' }),
    boothId: uuid('booth_id').references(() => eventBooths.id, { onDelete: 'set null' }),
    isDemo: integer('is_demo').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Derived (needs analysis): the fiscal year of occurred_on. */
    fiscalYear: integer('fiscal_year').notNull().generatedAlwaysAs(FISCAL_YEAR_OF_OCCURRED_ON),
    /** Derived (needs analysis): the month of the fiscal year of occurred_on, April = 1. */
    fiscalMonth: smallint('fiscal_month').notNull().generatedAlwaysAs(FISCAL_MONTH_OF_OCCURRED_ON),
    /** Derived (needs analysis): the channel as a bit over CONSULTATION_CHANNELS, 0 = none of them. */
    channelBit: integer('channel_bit').notNull().generatedAlwaysAs(CHANNEL_BIT_OF_CHANNEL),
    /** Derived (needs analysis): the topics as a bit set over CONSULTATION_TOPICS. */
    topicMask: integer('topic_mask').notNull().generatedAlwaysAs(TOPIC_MASK_OF_TOPICS),
    /** Derived (needs analysis): the JIS index of residence_prefecture, 0 = unknown. */
    residenceJis: smallint('residence_jis').notNull().generatedAlwaysAs(JIS_INDEX_OF_RESIDENCE),
  },
  (t) => [
    index('consultations_person_idx').on(t.personId, t.occurredOn),
    // The needs analysis reads a fiscal year's consultations from this index alone (index-only
    // scan, also under a municipality filter), in person order so that people are counted without
    // a hash table.
    index('consultations_analysis_idx').on(
      t.fiscalYear,
      t.personId,
      t.channelBit,
      t.occurredOn,
      t.fiscalMonth,
      t.residenceJis,
      t.caseId,
      t.topicMask,
      t.municipalityCodes,
    ),
    index('consultations_case_idx').on(t.caseId),
    index('consultations_occurred_idx').on(t.occurredOn),
    index('consultations_municipalities_idx').using('gin', t.municipalityCodes),
    index('consultations_event_idx').on(t.eventId),
    check('consultations_household_positive', sql`${t.householdSize} is null or ${t.householdSize} between 1 and 20`),
  ],
);

/**
 * A referral of a person to a partner agency or a municipality (オール山形). The partner sees only
 * the referrals addressed to its organization, with the person's contact data needed to act.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'cascade' }),
    consultationId: uuid('consultation_id').references(() => consultations.id, { onDelete: 'set null' }),
    toOrganizationId: uuid('to_organization_id').references(() => organizations.id),
    toMunicipalityCode: varchar('to_municipality_code', { length: 6 }).references(() => municipalities.code),
    area: varchar('area', { length: 32 }).notNull(),
    message: text('message'),
    status: varchar('status', { length: 16 }).notNull().default('sent'),
    outcome: varchar('outcome', { length: 32 }),
    outcomeNote: text('outcome_note'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    respondedBy: uuid('responded_by'),
    createdBy: uuid('created_by'),
  },
  (t) => [
    index('referrals_organization_idx').on(t.toOrganizationId, t.status, t.sentAt),
    index('referrals_municipality_idx').on(t.toMunicipalityCode, t.status, t.sentAt),
    index('referrals_person_idx').on(t.personId),
    check('referrals_one_target', sql`(${t.toOrganizationId} is null) <> (${t.toMunicipalityCode} is null)`),
  ],
);

/** Follow-up after a move (定住・定着): due 1, 6 and 12 months after move-in unless configured. */
export const followups = pgTable(
  'followups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    municipalityCode: varchar('municipality_code', { length: 6 })
      .notNull()
      .references(() => municipalities.code),
    assigneeId: uuid('assignee_id').references(() => staff.id),
    monthsAfterMove: integer('months_after_move').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    status: varchar('status', { length: 16 }).notNull().default('open'),
    note: text('note'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneBy: uuid('done_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('followups_case_month_idx').on(t.caseId, t.monthsAfterMove),
    index('followups_due_idx').on(t.status, t.dueOn),
    index('followups_municipality_idx').on(t.municipalityCode, t.status, t.dueOn),
  ],
);

/** Reference table: per prefecture, the months after move-in at which follow-ups fall due. */
export const followupRules = pgTable('followup_rules', {
  prefectureCode: varchar('prefecture_code', { length: 2 }).primaryKey(),
  months: integer('months').array().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
