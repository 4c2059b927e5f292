/** The API shape of the depth views (`GET /api/kpi/depth`): definitions in kpi.depth.ts and docs/kpi.md. */
import { z } from 'zod';
import { MunicipalityCode } from '../../platform/validation.js';
import { ROOT_KINDS } from '../../shared/domain.js';

export const DepthQuery = z
  .object({
    fiscalYear: z.coerce
      .number()
      .int()
      .min(2000)
      .max(2100)
      .optional()
      .describe('Default: the current fiscal year in Japan'),
    municipality: MunicipalityCode.optional().describe(
      'Only this municipality. Municipality staff always get their own (another code answers 404)',
    ),
    roots: z
      .enum(ROOT_KINDS)
      .optional()
      .describe('Only people who declared these roots (ルーツ: birthplace, parents’ birthplace …); none: everyone'),
  })
  .strict();
export type DepthQueryInput = z.infer<typeof DepthQuery>;

export const Depth = z.object({
  fiscalYear: z.number().int(),
  municipality: z.object({ code: z.string(), name: z.string() }).nullable(),
  roots: z.enum(ROOT_KINDS).nullable().describe('The roots the views are limited to; null: everyone'),
  stageTransitions: z
    .object({
      stages: z.array(z.string()).describe('Row and column labels: （なし）, 関心 … 定住'),
      counts: z.array(z.array(z.number().int())).describe('counts[from][to]: person × municipality pairs'),
    })
    .nullable()
    .describe('null before the year has begun'),
  cohortRetention: z.array(
    z.object({
      cohortFiscalYear: z.number().int(),
      cohortSize: z.number().int().describe('People registered in the year'),
      retained: z
        .array(z.number().int().nullable())
        .describe('retained[k]: of them, active in the year + k + 1; null while that year is not over'),
    }),
  ),
  activity: z.array(
    z.object({
      fiscalYear: z.number().int(),
      registered: z.number().int(),
      active: z.number().int(),
      activeNew: z.number().int().describe('Active and registered in the same year'),
      continuing: z.number().int().describe('Active in this and the previous year (= continuing_participants)'),
    }),
  ),
});
export type DepthView = z.infer<typeof Depth>;
