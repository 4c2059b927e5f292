/**
 * The donor import API's shapes (validation and OpenAPI). The upload is multipart/form-data:
 * the file is spooled to disk as it arrives and reaches validation as an inspected upload.
 */
import { z } from 'zod';
import { CERTIFICATION_KINDS } from '../../shared/domain.js';
import { MunicipalityCode, problemIssue, refineProblem } from '../../platform/validation.js';
import type { EncodingVerdict } from './donations.encoding.js';
import { DONOR_FIELDS, MAPPING_TARGETS } from './donations.fields.js';

/** What the multipart handler makes of the `file` part (never the bytes themselves). */
export type SpooledUpload = {
  kind: 'kankei-upload';
  path: string;
  fileName: string;
  bytes: number;
  sha256: string;
  verdict: EncodingVerdict;
};

export const isSpooledUpload = (v: unknown): v is SpooledUpload =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'kankei-upload';

const FILE_HELP =
  'The donor CSV as platforms and Excel export it: UTF-8 with or without BOM, or CP932 (Shift_JIS). ' +
  'Usual Japanese headers (寄附者氏名/氏名, フリガナ, 寄附日/入金日, 寄附金額/金額, 郵便番号, 住所, 電話番号, メールアドレス, 受付番号 …) are recognized.';

export const DonationImportBody = z
  .object({
    file: z
      .any()
      .refine(isSpooledUpload, refineProblem('required'))
      .meta({ type: 'string', format: 'binary', description: FILE_HELP }),
    municipalityCode: MunicipalityCode.describe('Receiving municipality (municipality staff: their own only)'),
    mapping: z
      .string()
      .max(20_000)
      .transform((s, ctx) => {
        let value: unknown;
        try {
          value = s.trim() === '' ? {} : JSON.parse(s);
        } catch {
          value = undefined;
        }
        const ok =
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => v === null || typeof v === 'string');
        if (!ok) {
          ctx.issues.push(problemIssue(s, 'invalid_json'));
          return z.NEVER;
        }
        return value as Record<string, string | null>;
      })
      .optional()
      .describe(
        `JSON object: header as in the file → field (${MAPPING_TARGETS.join(', ')}); overrides the recognized mapping`,
      ),
    dryRun: z
      .enum(['true', 'false', '1', '0', 'on', 'off'])
      .optional()
      .transform((v) => v === 'true' || v === '1' || v === 'on')
      .describe(
        'true: preview (encoding, headers, mapping, first 20 rows with their problems) without writing anything',
      ),
  })
  .strict()
  .meta({
    example: { file: '(binary)', municipalityCode: '062014', mapping: '{"入金日":"donatedOn"}', dryRun: 'true' },
  });

const Problem = z.object({
  column: z.string().describe('The column as the file names it (empty for the whole row)'),
  field: z.string().describe(`One of ${DONOR_FIELDS.join(', ')}, or row`),
  problem: z.string(),
  message: z.string().describe('In the language of Accept-Language'),
  value: z.string().optional().describe('The cell as written, shortened'),
});

export const ImportTotals = z.object({
  rows: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  refused: z.number().int(),
  newPeople: z.number().int(),
});

export const ImportRow = z.object({
  rowNumber: z.number().int().describe('Row in the spreadsheet; the header is row 1'),
  outcome: z.enum(['imported', 'duplicate', 'refused']),
  personId: z.uuid().nullable().describe('The donor; null when refused or outside your scope'),
  personName: z.string().nullable().describe("The donor's name as registered; null when personId is"),
  engagementId: z.uuid().nullable().describe('The donation record created by this row'),
  problems: z.array(Problem),
});

export const ImportSummary = z.object({
  id: z.uuid(),
  status: z.string(),
  municipalityCode: z.string(),
  fileName: z.string(),
  encoding: z.string(),
  mapping: z.record(z.string(), z.string().nullable()),
  totals: ImportTotals,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const ImportReport = ImportSummary.extend({
  rows: z.array(ImportRow).describe('One page of the row report, in file order'),
  rowsTotal: z.number().int().describe('Rows matching the outcome filter'),
});

export const ImportPreview = z.object({
  dryRun: z.literal(true),
  fileName: z.string(),
  encoding: z.string(),
  headers: z.array(z.string()),
  mapping: z.record(z.string(), z.string().nullable()).describe('Header → field as it would be used (null: ignored)'),
  missing: z.array(z.string()).describe('Required fields no column is mapped to; the import would be refused'),
  rows: z.array(
    z.object({
      rowNumber: z.number().int(),
      outcome: z.enum(['ok', 'refused']),
      values: z.record(z.string(), z.union([z.string(), z.number()])).describe('Values as they would be stored'),
      problems: z.array(Problem),
    }),
  ),
});

export const ImportQuery = z
  .object({
    outcome: z.enum(['imported', 'duplicate', 'refused']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

export const ImportListQuery = z
  .object({
    municipality: MunicipalityCode.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const ImportList = z.object({ items: z.array(ImportSummary), total: z.number().int() });

export const CertificationsQuery = z
  .object({
    kind: z.enum(CERTIFICATION_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

export const Certification = z.object({
  personId: z.uuid(),
  name: z.string(),
  kind: z.string().describe('kokoro_furusato: 山形 心のふるさと県民'),
  label: z.string(),
  prefectureCode: z.string(),
  since: z.string().describe('The donation that completed the qualifying run (yyyy-mm-dd)'),
});

export const CertificationList = z.object({ items: z.array(Certification), total: z.number().int() });
