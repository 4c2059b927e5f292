/**
 * The API shape of consultations (移住相談), cases (the pipeline from first contact to settled),
 * referrals (オール山形) and follow-ups after the move (定住・定着). Shared by the routes
 * (validation, OpenAPI) and the web UI (types via z.infer / z.input). Input is checked here at the
 * edge; dates may be written western (2024-06-01, 2024/6/1) or in 和暦 (令和6年6月1日, R6.6.1) and
 * leave this file as ISO yyyy-mm-dd.
 */
import { z } from 'zod';
import {
  CONSULTATION_LIMITS,
  CASE_END_REASONS,
  CASE_STEPS,
  CONSULTATION_CHANNELS,
  CONSULTATION_TOPICS,
  DESIRED_TIMINGS,
  FOLLOWUP_STATUSES,
  HOUSEHOLD_SIZE,
  PREFECTURES,
  REFERRAL_AREAS,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  UIJ_TYPES,
} from '../../shared/domain.js';
import { MunicipalityCode, optionalText, Pagination } from '../../platform/validation.js';
import { dateInput, ReferralTarget } from '../../shared/schemas/consultations.js';

// --- Building blocks ------------------------------------------------------------------------------

const PersonRef = z.object({ id: z.uuid(), name: z.string(), kana: z.string().nullable() });
const StaffRef = z.object({ id: z.uuid(), name: z.string() }).nullable();

// --- Consultations -------------------------------------------------------------------------------

export {
  CreateConsultation,
  type CreateConsultationForm,
  type CreateConsultationInput,
  dateInput,
  NewConsultationPerson,
  ReferralTarget,
} from '../../shared/schemas/consultations.js';

export const UpdateConsultation = z
  .object({
    notes: optionalText(CONSULTATION_LIMITS.notes, { multiline: true }),
    nextAction: optionalText(CONSULTATION_LIMITS.nextAction),
    nextActionDue: dateInput().nullable().optional(),
    nextActionDone: z.boolean().optional().describe('true: the next action is done (dated now); false: reopen it'),
  })
  .strict()
  .describe('Any subset of the fields')
  .meta({ example: { nextActionDone: true, notes: '物件情報を送付済み' } });
export type UpdateConsultationInput = z.infer<typeof UpdateConsultation>;

export const Consultation = z.object({
  id: z.uuid(),
  person: PersonRef,
  caseId: z.uuid(),
  channel: z.enum(CONSULTATION_CHANNELS),
  occurredOn: z.string(),
  consultant: StaffRef,
  topics: z.array(z.enum(CONSULTATION_TOPICS)),
  municipalityCodes: z.array(z.string()),
  desiredTiming: z.enum(DESIRED_TIMINGS).nullable(),
  householdSize: z.number().int().nullable(),
  withChildren: z.boolean().nullable(),
  familyNote: z.string().nullable(),
  residencePrefecture: z.string().nullable().describe('Where the person lived when consulting (snapshot)'),
  notes: z.string().nullable(),
  nextAction: z.string().nullable(),
  nextActionDue: z.string().nullable(),
  nextActionDoneAt: z.string().nullable(),
  eventId: z.uuid().nullable(),
  boothId: z.uuid().nullable(),
  isDemo: z.boolean(),
  createdAt: z.string(),
});
export type ConsultationView = z.infer<typeof Consultation>;

export const ConsultationsQuery = z
  .object({
    from: dateInput().optional().describe('Occurred on or after'),
    to: dateInput().optional().describe('Occurred on or before'),
    channel: z.enum(CONSULTATION_CHANNELS).optional(),
    municipality: MunicipalityCode.optional().describe('Names this municipality of interest'),
    personId: z.uuid().optional(),
    eventId: z.uuid().optional(),
    caseId: z.uuid().optional(),
    nextAction: z
      .enum(['overdue'])
      .optional()
      .describe('overdue: a next action not done whose due day is before today (Asia/Tokyo)'),
    ...Pagination,
  })
  .strict();
export type ConsultationsFilter = z.infer<typeof ConsultationsQuery>;
export const ConsultationsPage = z.object({ items: z.array(Consultation), total: z.number().int() });

// --- Cases ---------------------------------------------------------------------------------------

export const CaseStepView = z.object({
  id: z.uuid(),
  step: z.enum(CASE_STEPS),
  occurredOn: z.string(),
  municipalityCode: z.string().nullable(),
  endReason: z.enum(CASE_END_REASONS).nullable(),
  householdSize: z.number().int().nullable().describe('moved: people who moved together (null on other steps)'),
  uijType: z.enum(UIJ_TYPES).nullable().describe('moved: U, I or J turn; null when not recorded'),
  note: z.string().nullable(),
  createdBy: StaffRef,
  createdAt: z.string(),
});
export type CaseStepItem = z.infer<typeof CaseStepView>;

export const CaseSummary = z.object({
  id: z.uuid(),
  person: PersonRef,
  step: z.enum(CASE_STEPS),
  stepOn: z.string().describe('Date of the current step'),
  openedOn: z.string(),
  municipalityCode: z
    .string()
    .nullable()
    .describe('The municipality the case is mainly about (the move-in municipality once moved)'),
  consultant: StaffRef,
  movedMunicipalityCode: z.string().nullable(),
  movedOn: z.string().nullable(),
  endReason: z.enum(CASE_END_REASONS).nullable(),
  endNote: z.string().nullable(),
  isOpen: z.boolean().describe('Not settled or ended'),
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaseSummaryView = z.infer<typeof CaseSummary>;

export const CasesQuery = z
  .object({
    step: z.enum(CASE_STEPS).optional(),
    municipality: MunicipalityCode.optional(),
    consultant: z.uuid().optional().describe('Staff id of the consultant'),
    personId: z.uuid().optional(),
    open: z.enum(['true', 'false']).optional().describe('true: only open cases; false: only settled or ended'),
    movedFrom: dateInput().optional().describe('Moved in on or after this day'),
    movedTo: dateInput().optional().describe('Moved in on or before this day'),
    ...Pagination,
  })
  .strict();
export type CasesFilter = z.infer<typeof CasesQuery>;
export const CasesPage = z.object({ items: z.array(CaseSummary), total: z.number().int() });

export const AddCaseStep = z
  .object({
    step: z
      .enum(CASE_STEPS)
      .describe('consulting, visited, trial_stay, decided, moved, settled or ended (rules: docs/cases.md)'),
    occurredOn: dateInput(),
    municipalityCode: MunicipalityCode.optional().describe('Required for `moved`: the move-in municipality'),
    endReason: z.enum(CASE_END_REASONS).optional().describe('Required for `ended`'),
    householdSize: z
      .number()
      .int()
      .min(HOUSEHOLD_SIZE.min)
      .max(HOUSEHOLD_SIZE.max)
      .optional()
      .describe('`moved` only: people who moved together, 1–20 (default 1); KPI ① sums them'),
    uijType: z
      .enum(UIJ_TYPES)
      .optional()
      .describe('`moved` only: U (home again), I (new to the region) or J (near home)'),
    note: optionalText(CONSULTATION_LIMITS.stepNote, { multiline: true }),
  })
  .strict()
  .meta({
    example: {
      step: 'moved',
      occurredOn: '2024-10-01',
      municipalityCode: '062014',
      householdSize: 3,
      uijType: 'I',
      note: '家族3人で転入',
    },
  });
export type AddCaseStepInput = z.infer<typeof AddCaseStep>;

// --- Referrals -----------------------------------------------------------------------------------

export const CreateReferral = ReferralTarget.extend({
  personId: z.uuid().optional().describe('Who is referred; may be left out when caseId or consultationId is given'),
  caseId: z.uuid().optional(),
  consultationId: z.uuid().optional(),
})
  .strict()
  .meta({
    example: {
      personId: '0b6f9a3e-2c1d-4e8f-9a7b-5c4d3e2f1a0b',
      toMunicipalityCode: '062014',
      area: 'housing',
      message: '空き家バンクの内覧をご案内ください。',
    },
  });
export type CreateReferralInput = z.infer<typeof CreateReferral>;

export const UpdateReferral = z
  .object({
    status: z
      .enum(['accepted', 'declined', 'completed'])
      .describe('accepted 受付, declined 辞退, completed 完了 (needs outcome)'),
    outcome: z.enum(REFERRAL_OUTCOMES).optional().describe('Required with completed'),
    outcomeNote: optionalText(CONSULTATION_LIMITS.outcomeNote, { multiline: true }),
  })
  .strict()
  .meta({ example: { status: 'completed', outcome: 'matched', outcomeNote: '面接を経て内定' } });
export type UpdateReferralInput = z.infer<typeof UpdateReferral>;

export const Referral = z.object({
  id: z.uuid(),
  person: PersonRef.extend({
    email: z.string().nullable(),
    phone: z.string().nullable(),
    prefecture: z.enum(PREFECTURES).nullable(),
    city: z.string().nullable(),
  }).describe('Name and contact, so the receiving partner can act'),
  caseId: z.uuid().nullable(),
  consultationId: z.uuid().nullable(),
  toOrganization: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  toMunicipalityCode: z.string().nullable(),
  area: z.enum(REFERRAL_AREAS),
  message: z.string().nullable(),
  status: z.enum(REFERRAL_STATUSES),
  outcome: z.enum(REFERRAL_OUTCOMES).nullable(),
  outcomeNote: z.string().nullable(),
  sentAt: z.string(),
  respondedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdBy: StaffRef,
  isOpen: z.boolean().describe('sent or accepted'),
  daysSinceSent: z.number().int().describe('Calendar days (Asia/Tokyo) from sending to today'),
  daysToFirstResponse: z
    .number()
    .int()
    .nullable()
    .describe('Calendar days from sending to the first answer; null while unanswered'),
});
export type ReferralView = z.infer<typeof Referral>;

export const ReferralsQuery = z
  .object({
    status: z.enum(REFERRAL_STATUSES).optional(),
    open: z
      .enum(['true', 'false'])
      .optional()
      .describe('true: sent or accepted (longest waiting first); false: declined or completed'),
    personId: z.uuid().optional(),
    caseId: z.uuid().optional(),
    ...Pagination,
  })
  .strict();
export type ReferralsFilter = z.infer<typeof ReferralsQuery>;
export const ReferralsPage = z.object({ items: z.array(Referral), total: z.number().int() });

// --- Follow-ups ----------------------------------------------------------------------------------

export const Followup = z.object({
  id: z.uuid(),
  person: PersonRef.extend({ email: z.string().nullable(), phone: z.string().nullable() }),
  caseId: z.uuid(),
  municipalityCode: z.string(),
  assignee: StaffRef,
  monthsAfterMove: z.number().int(),
  movedOn: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(FOLLOWUP_STATUSES),
  note: z.string().nullable(),
  doneAt: z.string().nullable(),
  isOverdue: z.boolean().describe('Open and due before today (Asia/Tokyo)'),
});
export type FollowupView = z.infer<typeof Followup>;

export const FollowupsQuery = z
  .object({
    due: z
      .enum(['overdue', 'upcoming', 'all'])
      .default('all')
      .describe('overdue: open, due before today; upcoming: open, due today or later'),
    municipality: MunicipalityCode.optional(),
    caseId: z.uuid().optional(),
    ...Pagination,
  })
  .strict();
export type FollowupsFilter = z.infer<typeof FollowupsQuery>;
export const FollowupsPage = z.object({ items: z.array(Followup), total: z.number().int() });

export const UpdateFollowup = z
  .object({
    status: z.enum(['done', 'skipped']),
    note: optionalText(CONSULTATION_LIMITS.followupNote, { multiline: true }),
  })
  .strict()
  .meta({ example: { status: 'done', note: '電話で近況を確認。仕事・住まいとも順調。' } });
export type UpdateFollowupInput = z.infer<typeof UpdateFollowup>;

export const FollowupRule = z.object({
  prefectureCode: z.string(),
  months: z.array(z.number().int()),
  isDefault: z.boolean().describe('true: no rule stored; the default months apply'),
  updatedAt: z.string().nullable(),
});
export const FollowupSettings = z.object({ items: z.array(FollowupRule), defaultMonths: z.array(z.number().int()) });

export const PutFollowupRule = z
  .object({
    prefectureCode: z
      .string()
      .regex(/^\d{2}$/)
      .describe('JIS prefecture code, e.g. 06 (山形県)'),
    months: z
      .array(z.number().int().min(1).max(120))
      .min(1)
      .max(12)
      .describe('Months after the move-in date; sorted and de-duplicated'),
  })
  .strict()
  .meta({ example: { prefectureCode: '06', months: [1, 6, 12] } });
export type PutFollowupRuleInput = z.infer<typeof PutFollowupRule>;

// --- Results and the person page -----------------------------------------------------------------

export const CaseDetail = CaseSummary.extend({
  steps: z.array(CaseStepView).describe('Every dated step, oldest first'),
  consultations: z.array(Consultation),
  referrals: z.array(Referral),
  followups: z.array(Followup),
});
export type CaseDetailView = z.infer<typeof CaseDetail>;

export const CreatedConsultation = z.object({
  consultation: Consultation,
  case: CaseSummary.describe('The case the consultation joined or opened'),
  caseOpened: z.boolean().describe('true: this consultation opened a new case'),
  personCreated: z.boolean(),
  referral: Referral.nullable(),
});
export type CreatedConsultationView = z.infer<typeof CreatedConsultation>;

/** Consultations, cases and referrals as the supporter's own data export shows them. */
export const MyConsultationData = z.object({
  consultations: z.array(
    z.object({
      occurredOn: z.string(),
      channel: z.string(),
      topics: z.array(z.string()),
      municipalityCodes: z.array(z.string()),
      desiredTiming: z.string().nullable(),
      householdSize: z.number().nullable(),
      withChildren: z.boolean().nullable(),
      familyNote: z.string().nullable(),
      residencePrefecture: z.string().nullable(),
      notes: z.string().nullable(),
      nextAction: z.string().nullable(),
    }),
  ),
  cases: z.array(
    z.object({
      id: z.uuid(),
      step: z.string(),
      openedOn: z.string(),
      stepOn: z.string(),
      movedMunicipalityCode: z.string().nullable(),
      movedOn: z.string().nullable(),
      endReason: z.string().nullable(),
      steps: z.array(z.object({ step: z.string(), occurredOn: z.string(), municipalityCode: z.string().nullable() })),
    }),
  ),
  referrals: z.array(
    z.object({
      area: z.string(),
      to: z.string().describe('Organization name or municipality code'),
      status: z.string(),
      outcome: z.string().nullable(),
      sentAt: z.string(),
    }),
  ),
});
export type MyConsultationDataView = z.infer<typeof MyConsultationData>;
