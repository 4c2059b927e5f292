/**
 * The API shape of plans and their figures (`/api/kpi/*`), shared by the routes (validation,
 * OpenAPI) and the web UI (types through the generated client). Definitions: docs/kpi.md.
 */
import { z } from 'zod';
import { MunicipalityCode, optionalText, requiredText } from '../../platform/validation.js';

/**
 * The indicators Kankei has a rule for (docs/kpi.md). A plan's indicator names one of them; its
 * actual is computed by that rule, never typed in.
 * - uij_movers ①: people who moved in through the center's counters (household sizes of `moved` steps)
 * - relationship_created ②: people whose first step up into 関与, 協働 or 二地域居住 falls in the year
 * - exchange_created ③: visits to events held in the prefecture (checked-in registrations + headcounts)
 * - ready_organizations ④: organizations whose receiving readiness was first confirmed (no data yet)
 * - side_job_hosts (national example 1): local organizations collaborating through a side-job match (no data yet)
 * - continuing_participants (national example 2): people taking part in this and the previous fiscal year
 */
export const KPI_CODES = [
  'uij_movers',
  'relationship_created',
  'exchange_created',
  'ready_organizations',
  'side_job_hosts',
  'continuing_participants',
] as const;
export type KpiCode = (typeof KPI_CODES)[number];

export const KPI_UNITS = ['people', 'organizations', 'count'] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

const FiscalYear = z.coerce
  .number()
  .int()
  .min(2000)
  .max(2100)
  .describe('Fiscal year (April–March, Asia/Tokyo): 2025 = 2025-04-01…2026-03-31');

// --- Plans ---------------------------------------------------------------------------------------

const TargetInput = z.object({ fiscalYear: FiscalYear, target: z.number().int().min(0).max(100_000_000) }).strict();

const IndicatorInput = z
  .object({
    code: z.enum(KPI_CODES).describe('The rule that computes the actual (docs/kpi.md)'),
    labelJa: requiredText(200),
    labelEn: requiredText(200),
    unit: z.enum(KPI_UNITS),
    baseline: z.number().int().min(0).max(100_000_000).default(0).describe('基準値: the value before the plan'),
    targets: z
      .array(TargetInput)
      .max(20)
      .describe('Target increment per fiscal year of the plan (each year once, within the period)'),
    municipalityTargets: z
      .array(TargetInput.extend({ municipalityCode: MunicipalityCode }).strict())
      .max(2000)
      .default([])
      .describe('Optional: a municipality’s target increment in a fiscal year'),
  })
  .strict();

export const CreatePlan = z
  .object({
    code: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,39}$/)
      .describe('Stable key, lower-case letters, digits and hyphens (seed-001 is the seeded plan)'),
    nameJa: requiredText(200),
    nameEn: requiredText(200),
    fromFiscalYear: FiscalYear,
    toFiscalYear: FiscalYear,
    municipalityCode: MunicipalityCode.nullable()
      .optional()
      .describe('A municipality’s own plan; null: the prefecture’s'),
    note: optionalText(500),
    indicators: z.array(IndicatorInput).min(1).max(KPI_CODES.length),
  })
  .strict()
  .meta({
    example: {
      code: 'tsuruoka-2025',
      nameJa: '鶴岡市 関係人口計画',
      nameEn: 'Tsuruoka relationship-population plan',
      fromFiscalYear: 2025,
      toFiscalYear: 2026,
      municipalityCode: '062031',
      indicators: [
        {
          code: 'relationship_created',
          labelJa: '関係人口の創出数',
          labelEn: 'Relationship population created',
          unit: 'people',
          baseline: 0,
          targets: [
            { fiscalYear: 2025, target: 30 },
            { fiscalYear: 2026, target: 40 },
          ],
        },
      ],
    },
  });
export type CreatePlanInput = z.infer<typeof CreatePlan>;

/** A plan as edited: everything but its code (the code is how reports and links name it). */
export const UpdatePlan = CreatePlan.omit({ code: true }).meta({
  example: {
    nameJa: '地域づくりの新たな担い手となる関係人口創出・拡大推進計画',
    nameEn: 'Plan for creating and expanding the relationship population',
    fromFiscalYear: 2024,
    toFiscalYear: 2027,
    municipalityCode: null,
    indicators: [
      {
        code: 'relationship_created',
        labelJa: '本事業により創出された関係人口',
        labelEn: 'Relationship population created by the project',
        unit: 'people',
        baseline: 0,
        targets: [
          { fiscalYear: 2024, target: 131 },
          { fiscalYear: 2025, target: 204 },
          { fiscalYear: 2026, target: 252 },
          { fiscalYear: 2027, target: 260 },
        ],
      },
    ],
  },
});
export type UpdatePlanInput = z.infer<typeof UpdatePlan>;

export const PlanIndicator = z.object({
  code: z.enum(KPI_CODES),
  labelJa: z.string(),
  labelEn: z.string(),
  unit: z.enum(KPI_UNITS),
  baseline: z.number().int(),
  targets: z.array(z.object({ fiscalYear: z.number().int(), target: z.number().int() })),
  municipalityTargets: z.array(
    z.object({ municipalityCode: z.string(), fiscalYear: z.number().int(), target: z.number().int() }),
  ),
});
export type PlanIndicatorView = z.infer<typeof PlanIndicator>;

export const Plan = z.object({
  id: z.uuid(),
  code: z.string(),
  nameJa: z.string(),
  nameEn: z.string(),
  fromFiscalYear: z.number().int(),
  toFiscalYear: z.number().int(),
  municipalityCode: z.string().nullable(),
  indicators: z.array(PlanIndicator),
  createdAt: z.string(),
});
export type PlanView = z.infer<typeof Plan>;
export const PlansList = z.object({ items: z.array(Plan) });

// --- Actuals -------------------------------------------------------------------------------------

export const ActualsQuery = z
  .object({
    fiscalYear: FiscalYear.optional().describe('Default: the current fiscal year in Japan'),
    municipality: MunicipalityCode.optional().describe(
      'Only this municipality. Municipality staff always get their own (another code answers 404)',
    ),
    plan: z
      .string()
      .max(40)
      .optional()
      .describe('Plan code or id; default: the prefecture’s plan covering the fiscal year (else the latest)'),
  })
  .strict();
export type ActualsQueryInput = z.infer<typeof ActualsQuery>;

const Figure = z.number().nullable();

export const ActualItem = z.object({
  code: z.enum(KPI_CODES),
  label: z.string().describe('In the language of Accept-Language'),
  labelJa: z.string(),
  labelEn: z.string(),
  unit: z.enum(KPI_UNITS),
  baseline: z.number().int(),
  target: Figure.describe('Target increment of the year (the municipality’s when filtered; null when none is set)'),
  actual: Figure.describe('Computed from the records; null = no data (the records it needs do not exist yet)'),
  cumulativeTarget: Figure.describe('Sum of the targets from the plan’s first year to this one'),
  cumulativeActual: Figure.describe('Sum of the actuals from the plan’s first year to this one'),
  achievement: Figure.describe('actual / target (fraction; null when either is null or the target is 0)'),
  trend: z
    .array(
      z.object({
        fiscalYear: z.number().int(),
        target: Figure,
        actual: Figure,
        cumulativeTarget: Figure,
        cumulativeActual: Figure,
      }),
    )
    .describe('Each fiscal year of the plan up to this one (for the chart: bars per year, cumulative line)'),
  breakdown: z
    .array(z.object({ key: z.string(), value: z.number() }))
    .describe('① by UIJ type (U, I, J, unknown); continuing_participants: previous-year participants and share'),
});
export type ActualItemView = z.infer<typeof ActualItem>;

export const Actuals = z.object({
  fiscalYear: z.number().int(),
  from: z.string().describe('First day of the fiscal year, yyyy-mm-dd'),
  to: z.string().describe('Last day, yyyy-mm-dd'),
  municipality: z.object({ code: z.string(), name: z.string() }).nullable(),
  plan: z.object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    fromFiscalYear: z.number().int(),
    toFiscalYear: z.number().int(),
  }),
  items: z.array(ActualItem),
  /** Per municipality of the prefecture (all of them for prefecture and center; the own one for municipality staff). */
  municipalities: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      figures: z.array(z.object({ code: z.enum(KPI_CODES), actual: Figure, target: Figure })),
    }),
  ),
  generatedAt: z.string(),
});
export type ActualsView = z.infer<typeof Actuals>;

export const RecordsParams = z.object({ code: z.enum(KPI_CODES) }).strict();
export const RecordsQuery = z
  .object({
    fiscalYear: FiscalYear.optional(),
    municipality: MunicipalityCode.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type RecordsQueryInput = z.infer<typeof RecordsQuery>;

export const CountedRecord = z.object({
  kind: z.enum(['case', 'person', 'event']).describe('What the row is: a moved case, a person, an event'),
  id: z.uuid(),
  personId: z.uuid().nullable(),
  name: z.string().describe('Person’s name, or the event’s title'),
  on: z.string().describe('The date that put it in the year (yyyy-mm-dd, Japan)'),
  municipalityCode: z.string().nullable(),
  municipalityName: z.string().nullable(),
  value: z.number().describe('What it adds to the figure: household size, 1 person, visitors of the event'),
  detail: z.string().nullable().describe('UIJ type, stage reached, or checked-in + headcount split'),
});
export type CountedRecordView = z.infer<typeof CountedRecord>;

export const CountedRecords = z.object({
  code: z.enum(KPI_CODES),
  fiscalYear: z.number().int(),
  total: z.number().int().describe('Rows in all'),
  sum: z.number().nullable().describe('Sum of `value` over all rows: equals the actual'),
  items: z.array(CountedRecord),
});
export type CountedRecordsView = z.infer<typeof CountedRecords>;
