/**
 * Forms on react-hook-form: the errors it keeps (nested like the values) read as the flat
 * `path → message` map the field components take, and the server's field errors put back on
 * their fields.
 */
import type { FieldErrors as FormErrors, FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { ApiError, FieldErrors } from '../api';

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
  error: ApiError,
  setError: UseFormSetError<V>,
  hasField: (path: string) => boolean,
): string[] {
  const unplaced: string[] = [];
  for (const [key, message] of Object.entries(error.fields ?? {})) {
    const path = key.replace(/^body\./, '');
    setError(path as Path<V>, { type: 'server', message });
    if (!hasField(path)) unplaced.push(message);
  }
  return unplaced;
}
