/**
 * Reading and changing server data from components: TanStack Query over the typed client. A query
 * is keyed by its path template and parameters (`['/api/people/{id}', {path: {id}}]`), so a
 * mutation invalidates every cached answer of the paths it changes by naming those templates.
 *
 * The defaults keep the behaviour of the hook they replace: every mount asks the server again
 * (cached answers only show while the fresh one comes), no silent retries, no refetch on window
 * focus, and the previous answer stays on screen while a new page or search loads.
 */
import {
  keepPreviousData,
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError } from '../api';
import { type ApiAnswer, type ApiInit, type ApiMethod, type ApiPath, type CallOptions, callApi } from './client';

/** One shared cache for the app; cleared when the staff user signs in or out (auth.tsx). */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: 0 },
    mutations: { retry: false },
  },
});

/** A server resource as a component shows it: the answer, the refusal, whether a request is under way. */
export type Loadable<T> = {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
};

export type QueryOptions = CallOptions & {
  /** False while the query cannot be asked yet (waiting for an id or a search term). */
  enabled?: boolean;
  /** How long an answer counts as fresh (ms); default 0: ask again on every mount. */
  staleTime?: number;
};

/** The init argument is optional exactly when the route needs no parameters or body. */
type InitAndOptions<M extends ApiMethod, P extends ApiPath<M>, O> =
  undefined extends ApiInit<M, P> ? [init?: ApiInit<M, P>, options?: O] : [init: ApiInit<M, P>, options?: O];

/** The cache key of a GET: its path template and parameters. */
export function apiQueryKey<P extends ApiPath<'get'>>(path: P, init?: ApiInit<'get', P>): QueryKey {
  const params = (init as { params?: unknown } | undefined)?.params;
  return [path, params ?? {}];
}

/**
 * GETs a route and keeps its answer, typed by the path: `useApiQuery('/api/people/{id}',
 * { params: { path: { id } } })` is a Person. A 401 sends staff to the login page unless
 * `redirectOn401: false`.
 */
export function useApiQuery<P extends ApiPath<'get'>>(
  path: P,
  ...[init, options = {}]: InitAndOptions<'get', P, QueryOptions>
): Loadable<ApiAnswer<'get', P>> {
  const { enabled = true, staleTime, ...call } = options;
  const query = useQuery({
    queryKey: apiQueryKey(path, init),
    queryFn: ({ signal }) => callApi('get', path, { ...(init as object), signal } as ApiInit<'get', P>, call),
    enabled,
    placeholderData: keepPreviousData,
    ...(staleTime !== undefined ? { staleTime } : {}),
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    data: query.data,
    // A new attempt clears the old refusal, as a retry button promises.
    error: query.isFetching || !query.error ? null : ApiError.from(query.error),
    loading: query.isFetching,
    reload,
  };
}

export type MutationOptions = CallOptions & {
  /** GET path templates whose cached answers this change makes stale (refetched when shown). */
  invalidates?: readonly ApiPath<'get'>[];
};

/**
 * A state-changing call of one route: `send(init)` answers the route's typed success body or
 * throws ApiError (for useAction's message and field errors); after success the named queries are
 * invalidated, and `send` resolves once the shown ones have been fetched again.
 */
export function useApiMutation<M extends Exclude<ApiMethod, 'get'>, P extends ApiPath<M>>(
  method: M,
  path: P,
  options: MutationOptions = {},
) {
  const client = useQueryClient();
  const { invalidates = [], ...call } = options;
  const mutation = useMutation({
    mutationFn: (init: ApiInit<M, P>) => callApi(method, path, init, call),
    onSuccess: () =>
      Promise.all(invalidates.map((invalidated) => client.invalidateQueries({ queryKey: [invalidated] }))),
  });
  return { send: mutation.mutateAsync, busy: mutation.isPending };
}
