/**
 * The typed API client: openapi-fetch over the paths generated from the server's OpenAPI document
 * (schema.gen.d.ts, `npm run api:types`), so a caller names a path and gets that route's own
 * parameter, body and answer types instead of choosing a type for a string.
 *
 * It keeps the conventions of the app's first client (../api.ts): same-origin requests with the
 * session cookie, the staff session's CSRF token on every state-changing request (a supporter's
 * own session passes its token per call), Accept-Language from the UI language so refusals come
 * worded for the reader, and failures thrown as ApiError with the server's typed code.
 */
import createClient, { type FetchOptions, type FetchResponse, type Middleware } from 'openapi-fetch';
import { ApiError, currentCsrfToken, errorFromBody, networkError, reportUnauthorized } from '../api';
import { getCurrentLang } from '../i18n';
import type { paths } from './schema.gen';

export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The API paths that answer the method, e.g. `ApiPath<'get'>` includes `'/api/people/{id}'`. */
export type ApiPath<M extends ApiMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: unknown } ? P : never;
}[keyof paths];

/** The OpenAPI operation of a method on a path. */
type Operation<M extends ApiMethod, P extends ApiPath<M>> = paths[P] extends { [K in M]: infer O } ? O : never;

/**
 * What a call of the route takes: `params` (path, query), `body`, `headers`, `signal`; may be left
 * out (undefined) when the route needs none of them.
 */
export type ApiInit<M extends ApiMethod, P extends ApiPath<M>> =
  Record<never, never> extends FetchOptions<Operation<M, P>>
    ? FetchOptions<Operation<M, P>> | undefined
    : FetchOptions<Operation<M, P>>;

/** The route's success answer (its JSON body; `undefined` for a 204). */
export type ApiAnswer<M extends ApiMethod, P extends ApiPath<M>> = Exclude<
  FetchResponse<Operation<M, P> & Record<string | number, unknown>, unknown, 'application/json'>['data'],
  undefined
>;

export type CallOptions = {
  /**
   * False where 401 means "wrong credentials" or "no supporter session" rather than "the staff
   * session expired" (login, public pages), so the user is not sent to the login page.
   */
  redirectOn401?: boolean;
  /** The CSRF token for this call instead of the staff session's (a supporter's `/api/me` session). */
  csrfToken?: string | undefined;
};

/** Query strings as the server reads them: empty, null and undefined values are left out. */
function serializeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  return params.toString();
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Headers every request carries; read at send time, since the language and session change while the app runs. */
const conventions: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', getCurrentLang());
    const csrf = currentCsrfToken();
    if (!SAFE_METHODS.has(request.method) && csrf && !request.headers.has('x-csrf-token')) {
      request.headers.set('x-csrf-token', csrf);
    }
    return request;
  },
};

/** A client with Kankei's conventions; `baseUrl` and `fetch` are for tests outside a browser. */
export function createApiClient(options: { baseUrl?: string; fetch?: (request: Request) => Promise<Response> } = {}) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
    querySerializer: serializeQuery,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(conventions);
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

let defaultClient: ApiClient | null = null;
/** The app's client (created on first use, so tests can build their own first). */
function appClient(): ApiClient {
  defaultClient ??= createApiClient();
  return defaultClient;
}

/**
 * Calls a route and answers its success body, or throws ApiError: the server's refusal with its
 * code, message and field problems, NETWORK when no answer came. An aborted call rethrows the
 * AbortError so a superseded request is never shown as a failure.
 */
export async function callApi<M extends ApiMethod, P extends ApiPath<M>>(
  method: M,
  path: P,
  init: ApiInit<M, P>,
  options: CallOptions & { client?: ApiClient } = {},
): Promise<ApiAnswer<M, P>> {
  const client = options.client ?? appClient();
  const headers = options.csrfToken ? { 'x-csrf-token': options.csrfToken } : undefined;
  const request = { ...(init as object), ...(headers ? { headers } : {}) };
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    // The generic signature is checked at the call site (method, path, init); the client's own
    // overloads cannot be re-proven over an abstract path.
    result = await client.request(method as never, path as never, request as never);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    if (cause instanceof ApiError) throw cause;
    // fetch rejects with a TypeError when no answer came; anything else is a bug worth its own text.
    throw cause instanceof TypeError ? networkError() : ApiError.from(cause);
  }
  const { response } = result;
  if (!response.ok) {
    const error = errorFromBody(response.status, result.error);
    if (response.status === 401 && options.redirectOn401 !== false) reportUnauthorized();
    throw error;
  }
  return result.data as ApiAnswer<M, P>;
}
