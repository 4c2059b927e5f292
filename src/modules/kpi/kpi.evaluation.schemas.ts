/**
 * The API shape of the yearly evaluation (`/api/kpi/evaluations/*`, `/api/kpi/reports/*`) and of
 * the public KPI page (`/api/public/kpi*`). The public view carries no personal data: counts of
 * people below 10, and those that would reveal one, arrive as `hidden: true` with no value.
 */
import { z } from 'zod';
import { isIsoDate } from '../../shared/dates.js';
import { optionalText, refineProblem, requiredText } from '../../platform/validation.js';
import { KPI_CODES } from './kpi.schemas.js';
import { EVALUATION_STATES } from './kpi.evaluation.rules.js';

const FiscalYear = z.coerce
  .number()
  .int()
  .min(2000)
  .max(2100)
  .describe('Fiscal year evaluated (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31');

export const EvaluationParams = z.object({ fiscalYear: FiscalYear }).strict();
export const CommentaryParams = z.object({ fiscalYear: FiscalYear, code: z.enum(KPI_CODES) }).strict();

export const EvaluationQuery = z
  .object({
    plan: z
      .string()
      .max(40)
      .optional()
      .describe('Plan code or id; default: the prefecture’s plan covering the fiscal year'),
  })
  .strict();

/** Long text with line breaks, required. */
const requiredLongText = (max: number) =>
  optionalText(max, { multiline: true }).refine((s) => s !== null && s !== undefined, refineProblem('required'));

export const PutCommentary = z
  .object({
    text: optionalText(4000, { multiline: true }).describe(
      'The prefecture’s own assessment of the indicator in the year (empty removes it)',
    ),
  })
  .strict()
  .meta({
    example: {
      text: '相談窓口の土日開設により移住者数は目標を上回った。一方、庄内地域の相談件数は前年を下回っており、来年度はオンライン相談を強化する。',
    },
  });
export type PutCommentaryInput = z.infer<typeof PutCommentary>;

export const CreateOpinion = z
  .object({
    givenOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine(isIsoDate, refineProblem('invalid_date'))
      .describe(
        'The day the committee gave the opinion (yyyy-mm-dd, Japan): not in the future, not before the fiscal year',
      ),
    author: requiredText(200).describe('The committee or its member (山形県関係人口推進有識者会議 委員長 など)'),
    indicatorCode: z
      .enum(KPI_CODES)
      .nullable()
      .default(null)
      .describe('The indicator it is about; null: the plan as a whole'),
    text: requiredLongText(4000).describe('The opinion as recorded in the minutes'),
  })
  .strict()
  .meta({
    example: {
      givenOn: '2026-09-10',
      author: '山形県関係人口推進有識者会議',
      indicatorCode: 'relationship_created',
      text: '関係人口の創出数は順調に推移している。継続して関わる人の割合も併せて示されたい。',
    },
  });
export type CreateOpinionInput = z.infer<typeof CreateOpinion>;

export const ApproveEvaluation = z
  .object({
    confirm: z
      .literal(true)
      .describe(
        'The approver confirms the figures and texts shown; only a prefecture admin can reopen it, with a reason',
      ),
  })
  .strict()
  .meta({ example: { confirm: true } });

export const ReopenEvaluation = z
  .object({
    confirm: z.literal(true).describe('The admin confirms: the approved figures are unfrozen and unpublished'),
    reason: requiredLongText(2000)
      .transform((s) => s ?? '')
      .describe('Why the approval is undone (kept in the audit log)'),
  })
  .strict()
  .meta({ example: { confirm: true, reason: '鶴岡市の移住件数に入力漏れがあったため再集計する' } });

export const Opinion = z.object({
  id: z.uuid(),
  givenOn: z.string(),
  author: z.string(),
  indicatorCode: z.enum(KPI_CODES).nullable(),
  text: z.string(),
  recordedAt: z.string(),
});

export const Evaluation = z.object({
  fiscalYear: z.number().int(),
  plan: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  state: z.enum(EVALUATION_STATES).describe('draft until a prefecture admin approves it'),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  indicators: z.array(
    z.object({
      code: z.enum(KPI_CODES),
      label: z.string(),
      commentary: z.string().nullable(),
      commentaryUpdatedAt: z.string().nullable(),
    }),
  ),
  opinions: z.array(Opinion),
  approvalProblems: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .describe('What stops approval now (empty: a prefecture admin may approve)'),
});
export type EvaluationView = z.infer<typeof Evaluation>;

export const EvaluationsList = z.object({
  items: z.array(
    z.object({
      fiscalYear: z.number().int(),
      planCode: z.string(),
      state: z.enum(EVALUATION_STATES),
      approvedAt: z.string().nullable(),
    }),
  ),
});

export const REPORT_FORMATS = ['pdf', 'xlsx'] as const;
export const ReportQuery = EvaluationQuery.extend({
  format: z
    .enum(REPORT_FORMATS)
    .optional()
    .describe('Default: from Accept (application/pdf or the .xlsx type), else pdf'),
}).strict();
const PublicPlanCode = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/)
  .optional()
  .describe('A plan’s code (a municipality’s own plan too); default: the prefecture’s plans');

export const PublicReportQuery = z
  .object({
    format: z.enum(REPORT_FORMATS).optional().describe('Default: from Accept, else pdf'),
    plan: PublicPlanCode,
  })
  .strict();

// --- The public view ------------------------------------------------------------------------------

const Shown = z.object({
  value: z.number().nullable().describe('null: hidden (see `hidden`) or no data'),
  hidden: z.boolean().describe('X (秘匿): a small count of people, or one that would reveal it'),
});

export const PublicKpi = z.object({
  fiscalYear: z.number().int(),
  approvedYears: z.array(z.number().int()).describe('Fiscal years with an approved report of this plan, newest first'),
  plans: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        nameEn: z.string(),
        municipality: z
          .object({ code: z.string(), name: z.string() })
          .nullable()
          .describe('A municipality’s own plan; null: the prefecture’s'),
      }),
    )
    .describe('Plans with an approved report (the page’s choice): the prefecture’s first, then by municipality'),
  plan: z.object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string(),
    fromFiscalYear: z.number().int(),
    toFiscalYear: z.number().int(),
  }),
  prefectureName: z.string(),
  approvedAt: z.string(),
  indicators: z.array(
    z.object({
      code: z.enum(KPI_CODES),
      label: z.string(),
      labelEn: z.string(),
      unit: z.string(),
      baseline: Shown,
      target: Shown,
      actual: Shown,
      achievement: Shown,
      cumulativeTarget: Shown,
      cumulativeActual: Shown,
      trend: z.array(
        z.object({
          fiscalYear: z.number().int(),
          target: Shown,
          actual: Shown,
          cumulativeTarget: Shown,
          cumulativeActual: Shown,
        }),
      ),
      municipalities: z.array(z.object({ code: z.string(), name: z.string(), actual: Shown })),
      commentary: z.string().nullable(),
      opinions: z.array(z.object({ givenOn: z.string(), author: z.string(), text: z.string() })),
    }),
  ),
  generalOpinions: z.array(z.object({ givenOn: z.string(), author: z.string(), text: z.string() })),
});
export type PublicKpiView = z.infer<typeof PublicKpi>;
export const PublicKpiQuery = z
  .object({
    fiscalYear: FiscalYear.optional().describe('Default: the latest fiscal year with an approved report'),
    plan: PublicPlanCode,
  })
  .strict();
