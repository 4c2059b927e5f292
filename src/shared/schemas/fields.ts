/**
 * Zod building blocks for request fields, so that every text field rejects the same bad input
 * (NUL and other control characters, broken UTF-16) with a message naming the field. Pure (zod and
 * src/shared only), so the web's forms validate with the very same rules and limits as the server;
 * the server reads them through src/platform/validation.ts.
 */
import { z } from 'zod';
import { ERROR_CODES, type FieldProblem, type PlainFieldProblemCode } from '../codes.js';
import { searchKey } from '../normalize.js';

/** A problem named by its code alone (its message reads no parameter), or with its parameters. */
type ProblemSpec = PlainFieldProblemCode | FieldProblem;

function problemParams(spec: ProblemSpec) {
  const { problem, params } = typeof spec === 'string' ? { problem: spec, params: undefined } : spec;
  return { problem, ...params };
}

/**
 * The options of a Zod refinement that fails with a catalogued field problem, which the error
 * handler words: `.refine(isIsoDate, refineProblem('invalid_date'))`.
 */
export function refineProblem(spec: ProblemSpec) {
  return { params: problemParams(spec) };
}

/** A custom Zod issue with a catalogued field problem, for `ctx.issues.push` in transforms. */
export function problemIssue(input: unknown, spec: ProblemSpec) {
  const params = problemParams(spec);
  return { code: 'custom' as const, input, message: params.problem, params };
}

// NUL cannot be stored in PostgreSQL text; other C0/C1 controls are never intended in these fields.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_CHARS_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Trimmed text, 1..max characters: one line unless `multiline` (a letter, a message). */
export function requiredText(max: number, options: { multiline?: boolean } = {}) {
  const forbidden = options.multiline ? CONTROL_CHARS : CONTROL_CHARS_SINGLE_LINE;
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !forbidden.test(s) && !LONE_SURROGATE.test(s), refineProblem('control_characters'));
}

/**
 * A person's name: required text that also has something to find the person by — a name of only
 * long-vowel marks, dashes or spaces (e.g. "ー") normalizes to nothing, so search and the
 * no-contact dedupe of imports could never find that person again.
 */
export function personNameText(max: number) {
  return requiredText(max).refine((s) => searchKey(s) !== '', refineProblem('no_letters'));
}

/**
 * A password: any characters people type, but not NUL or broken UTF-16 — a lone surrogate would
 * be hashed as U+FFFD, making different inputs the same password.
 */
export function passwordText(min: number) {
  return z
    .string()
    .min(min)
    .max(200)
    .refine((s) => !s.includes('\u0000') && !LONE_SURROGATE.test(s), refineProblem('control_characters'));
}

/** An email as people type it (full-width letters and ＠ too), checked after NFKC, lower-cased. */
export function emailText() {
  return z
    .string()
    .max(254)
    .transform((s) => s.normalize('NFKC').trim().toLowerCase())
    .pipe(z.email());
}

/** An opaque token we issued (base64url, optionally dot-separated): nothing else can match one. */
export function tokenText(max: number) {
  return z
    .string()
    .min(10)
    .max(max)
    .regex(/^[A-Za-z0-9._~-]+$/);
}

/** Search text: any characters but control characters. */
export function searchText(max: number) {
  return z
    .string()
    .max(max)
    .refine((s) => !CONTROL_CHARS_SINGLE_LINE.test(s) && !LONE_SURROGATE.test(s), refineProblem('control_characters'));
}

/** Optional text: empty or whitespace-only becomes null. `multiline` allows line breaks and tabs. */
export function optionalText(max: number, options: { multiline?: boolean } = {}) {
  const forbidden = options.multiline ? CONTROL_CHARS : CONTROL_CHARS_SINGLE_LINE;
  return z
    .string()
    .max(max)
    .refine((s) => !forbidden.test(s) && !LONE_SURROGATE.test(s), refineProblem('control_characters'))
    .transform((s) => (s.trim() === '' ? null : s.trim()))
    .nullable()
    .optional();
}

/** Runs a normalizer; null from it becomes a field problem. Empty input is null. */
export function normalizedText(max: number, normalize: (s: string) => string | null, problem: PlainFieldProblemCode) {
  return z
    .string()
    .max(max)
    .transform((s, ctx) => {
      if (s.trim() === '') return null;
      const value = normalize(s);
      if (value === null) {
        ctx.issues.push(problemIssue(s, problem));
        return z.NEVER;
      }
      return value;
    })
    .nullable()
    .optional();
}

export const MunicipalityCode = z
  .string()
  .regex(/^\d{6}$/)
  .describe('Six-digit 全国地方公共団体コード, e.g. 062014');
export const Uuid = z.uuid();
export const IdParams = z.object({ id: z.uuid() }).strict();

export const Pagination = {
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1–100'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** The error envelope every non-2xx answer uses; documented on each route. */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .describe('Error; message in the language of Accept-Language (ja default, en)');
