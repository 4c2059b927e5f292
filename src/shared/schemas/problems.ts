/**
 * Which catalogued field problem (src/shared/codes.ts) a failed Zod check is. The server's error
 * handler answers refusals with these, worded by src/shared/messages.ts; the web's forms use the
 * same mapping for what they find before sending, so both word a problem alike.
 */
import { type FieldProblem, toFieldProblem } from '../codes.js';

export type ZodLikeIssue = {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
};

/** Whether the request actually carried a value at the issue's path (Zod 4 issues omit the input). */
export function isPresent(source: unknown, instancePath: string): boolean {
  let value: unknown = source;
  for (const key of instancePath.split('/').filter(Boolean)) {
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string, unknown>)[key];
  }
  return value !== undefined;
}

/**
 * Turns one Zod issue (as fastify-type-provider-zod hands it over: `keyword` is the issue's code,
 * `instancePath` its path as /a/0/b, `params` the rest of the issue) into field problems.
 */
export function problemsFromIssue(
  issue: ZodLikeIssue,
  present: boolean,
  onUnknownProblem: (problem: unknown) => void,
): Array<[string, FieldProblem]> {
  const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(body)';
  const p = issue.params;
  switch (issue.keyword) {
    case 'unrecognized_keys':
      return ((p.keys as string[]) ?? []).map((k) => [
        field === '(body)' ? k : `${field}.${k}`,
        { problem: 'unknown_field' },
      ]);
    case 'invalid_type':
      if (!present) return [[field, { problem: 'required' }]];
      if (p.expected === 'int') return [[field, { problem: 'not_integer' }]];
      return [[field, { problem: 'invalid_type', params: { expected: String(p.expected) } }]];
    case 'too_big': {
      const max = Number(p.maximum);
      if (p.origin === 'string') return [[field, { problem: 'too_long', params: { max } }]];
      if (p.origin === 'array') return [[field, { problem: 'too_many', params: { max } }]];
      return [[field, { problem: 'too_large', params: { max } }]];
    }
    case 'too_small': {
      const min = Number(p.minimum);
      if (p.origin === 'string')
        return [[field, min <= 1 ? { problem: 'required' } : { problem: 'too_short', params: { min } }]];
      if (p.origin === 'array') return [[field, { problem: 'required' }]];
      return [[field, { problem: 'too_small', params: { min } }]];
    }
    case 'invalid_format':
      if (p.format === 'email') return [[field, { problem: 'invalid_email' }]];
      if (p.format === 'uuid' || p.format === 'guid') return [[field, { problem: 'invalid_uuid' }]];
      return [[field, { problem: 'invalid_format' }]];
    case 'invalid_value':
      return [[field, { problem: 'invalid_choice', params: { options: ((p.values as unknown[]) ?? []).join(', ') } }]];
    case 'invalid_union':
      return [[field, { problem: 'invalid' }]];
    case 'custom': {
      // Schemas raise their own problems through validation.ts's typed helpers; anything else
      // (a refinement without one) is worded as the generic problem, and said so in the log.
      const { problem, ...params } = (p.params ?? {}) as Record<string, unknown>;
      const known = toFieldProblem(problem, params);
      if (!known) onUnknownProblem(problem);
      return [[field, known ?? { problem: 'invalid' }]];
    }
    default:
      return [[field, { problem: 'invalid' }]];
  }
}
