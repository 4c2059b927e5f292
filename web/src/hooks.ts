import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type FieldErrors } from './api';
import { useApiQuery } from './data/queries';
import { byCodeMap, municipalityLabel } from './format';
import { useLang } from './i18n';
import type { Municipality } from './types';

/**
 * The municipalities never change while the app runs: fetched once per session and shared by
 * every picker and label (a failed fetch is asked again at the next mount).
 */
export function useMunicipalities(): { municipalities: Municipality[]; error: ApiError | null } {
  const { data, error } = useApiQuery('/api/municipalities', undefined, { staleTime: Number.POSITIVE_INFINITY });
  return { municipalities: data ?? NO_MUNICIPALITIES, error };
}
const NO_MUNICIPALITIES: Municipality[] = [];

/** A municipality code as its name in the UI language; the em dash for none. */
export function useMunicipalityName(): (code: string | null | undefined) => string {
  const { lang } = useLang();
  const { municipalities } = useMunicipalities();
  const byCode = useMemo(() => byCodeMap(municipalities), [municipalities]);
  return (code) => (code ? municipalityLabel(byCode.get(code), code, lang) : '—');
}

/**
 * After a refused submit, moves focus to the first field marked aria-invalid (or, when none is,
 * to `fallbackSelector` inside the form, e.g. the error summary), once the errors have rendered.
 */
export function useFocusFirstInvalid(options: { fallbackSelector?: string } = {}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [attempt, setAttempt] = useState(0);
  const { fallbackSelector } = options;
  useEffect(() => {
    if (attempt === 0) return;
    const form = formRef.current;
    const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (first ?? (fallbackSelector ? form?.querySelector<HTMLElement>(fallbackSelector) : null))?.focus();
  }, [attempt, fallbackSelector]);
  const focusFirstInvalid = useCallback(() => setAttempt((a) => a + 1), []);
  return { formRef, focusFirstInvalid };
}

/**
 * One user action that calls the server (a button, a small form): busy while it runs, and the
 * refusal's message and field errors afterwards. `run` answers whether the work succeeded, so the
 * caller decides what follows (close a dialog, move on).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const run = useCallback(async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await work();
      return true;
    } catch (cause) {
      const e = ApiError.from(cause);
      setError(e.message);
      setFieldErrors(e.fields ?? {});
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  const reset = useCallback(() => {
    setError(null);
    setFieldErrors({});
  }, []);
  return { busy, error, fieldErrors, setFieldErrors, run, reset };
}
