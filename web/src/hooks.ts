import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type FieldErrors, type QueryValue } from './api';
import type { Municipality } from './types';

export type Loadable<T> = {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

/**
 * GET a resource and keep it in state. A null path means "not yet" (waiting for an id).
 * Earlier requests are aborted when the path or query changes, so a slow answer to an old
 * search can never overwrite the answer to the new one.
 */
export function useApiGet<T>(
  path: string | null,
  query?: Record<string, QueryValue>,
  options: { redirectOn401?: boolean } = {},
): Loadable<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState<boolean>(path !== null);
  const [generation, setGeneration] = useState(0);
  const queryKey = JSON.stringify(query ?? {});
  const redirectOn401 = options.redirectOn401 ?? true;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger: reload() bumps it to fetch again
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api<T>(path, {
      query: JSON.parse(queryKey) as Record<string, QueryValue>,
      signal: controller.signal,
      redirectOn401,
    })
      .then((result) => {
        setData(result);
        setLoading(false);
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted) return;
        setError(ApiError.from(cause));
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, queryKey, generation, redirectOn401]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}

/** The municipalities never change while the app runs; fetch them once and share. */
let municipalitiesPromise: Promise<Municipality[]> | null = null;

export function useMunicipalities(): { municipalities: Municipality[]; error: ApiError | null } {
  const [municipalities, setMunicipalities] = useState<Municipality[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    let active = true;
    municipalitiesPromise ??= api<Municipality[]>('/api/municipalities');
    municipalitiesPromise
      .then((list) => active && setMunicipalities(list))
      .catch((cause: unknown) => {
        municipalitiesPromise = null; // let a later mount try again
        if (active) setError(cause instanceof ApiError ? cause : null);
      });
    return () => {
      active = false;
    };
  }, []);
  return { municipalities, error };
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
