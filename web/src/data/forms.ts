/**
 * Forms on react-hook-form: a resolver that checks the request body with the server's own schema
 * and words each problem exactly as the server would, the errors react-hook-form keeps (nested
 * like the values) read as the flat `path → message` map the field components take, and the
 * server's field errors put back on their fields.
 */
import { toNestErrors } from '@hookform/resolvers';
import type {
  FieldError,
  FieldErrors as FormErrors,
  FieldValues,
  Path,
  Resolver,
  UseFormSetError,
} from 'react-hook-form';
import type { z } from 'zod';
import type { FieldProblem } from '../../../src/shared/codes';
import { fieldProblemMessage } from '../../../src/shared/messages';
import { isPresent, problemsFromIssue } from '../../../src/shared/schemas/problems';
import type { ApiError, FieldErrors } from '../api';
import type { Lang } from '../i18n';

/**
 * A resolver that turns the form's values into the request body (`toBody`, the form's own thin
 * transform: trimming, empty → null, numbers as typed), checks it with the route's Zod schema
 * (src/shared/schemas/) and words each issue as the server's error handler does — same problem
 * catalogue (src/shared/schemas/problems.ts), same messages (src/shared/messages.ts) — so a
 * problem reads the same whether the form or the server finds it. `word` lets a form keep its own
 * wording for a field (an unfinished row: "select"). Not zodResolver: its error map does not
 * reach issues a schema words itself (the normalizers), and the server's wording needs the body.
 */
export function bodySchemaResolver<Values extends FieldValues, Body>(
  toBody: (values: Values) => unknown,
  schema: z.ZodType<Body>,
  lang: Lang,
  word?: (field: string, problem: FieldProblem) => string | undefined,
): Resolver<Values, unknown, Body> {
  return async (values, _context, options) => {
    const body = toBody(values);
    const result = await schema.safeParseAsync(body);
    if (result.success) return { values: result.data, errors: {} };
    const flat: Record<string, FieldError> = {};
    for (const { code, path, message: _message, ...params } of result.error.issues) {
      const instancePath = `/${path.map(String).join('/')}`;
      const issue = { keyword: code, instancePath, params };
      for (const [field, problem] of problemsFromIssue(issue, isPresent(body, instancePath), () => {})) {
        flat[field] ??= {
          type: problem.problem,
          message: word?.(field, problem) ?? fieldProblemMessage(lang, field, problem),
        };
      }
    }
    return { values: {}, errors: toNestErrors(flat, options) };
  };
}

/** react-hook-form's nested errors as `{ 'booths.0.slots.1.endsAt': message }`. */
export function flatErrors(errors: FormErrors, prefix = ''): FieldErrors {
  const flat: FieldErrors = {};
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== 'object' || key === 'ref') continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string') flat[path] = message;
    else Object.assign(flat, flatErrors(value as FormErrors, path));
  }
  return flat;
}

/**
 * Puts a refusal's field errors on the form (paths without the `body.` prefix) and answers the
 * messages of those the form shows at no field, so they can be listed with the refusal.
 */
export function showServerErrors<V extends FieldValues>(
  fields: ApiError['fields'],
  setError: UseFormSetError<V>,
  hasField: (path: string) => boolean = () => true,
): string[] {
  const unplaced: string[] = [];
  for (const [key, message] of Object.entries(fields ?? {})) {
    const path = key.replace(/^body\./, '');
    setError(path as Path<V>, { type: 'server', message });
    if (!hasField(path)) unplaced.push(message);
  }
  return unplaced;
}
