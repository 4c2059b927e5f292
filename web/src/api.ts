/**
 * The one way the UI talks to the server: same-origin JSON (or multipart for uploads) with the
 * session cookie, the CSRF header on every state-changing request, and Accept-Language so the server's error messages
 * arrive in the language the user reads. Failures become ApiError with the server's own message.
 */
import { type ErrorCode, isErrorCode } from '../../src/shared/codes';
import { getCurrentLang, translate } from './i18n';

export type FieldErrors = Record<string, string>;

/**
 * Codes the UI gives failures the server did not word: no answer (NETWORK), a thrown bug
 * (UNKNOWN), the form's own check before sending (LOCAL), an answer without the error envelope.
 */
export type ClientErrorCode = 'NETWORK' | 'UNKNOWN' | 'LOCAL' | `HTTP_${number}`;

export class ApiError extends Error {
  readonly status: number;
  /** The server's code (src/shared/codes.ts), so comparing with a code that does not exist fails the type-check. */
  readonly code: ErrorCode | ClientErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: {
    status: number;
    code: ErrorCode | ClientErrorCode;
    message: string;
    fields?: FieldErrors;
    details?: Record<string, unknown>;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields;
    this.details = init.details;
  }

  /** What a failed call threw, as an ApiError (a network failure or a bug becomes UNKNOWN with its text). */
  static from(cause: unknown): ApiError {
    return cause instanceof ApiError ? cause : new ApiError({ status: 0, code: 'UNKNOWN', message: String(cause) });
  }
}

let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
/** The staff session's CSRF token, sent on every state-changing request (null when signed out). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

/** Called when the server says the session is gone, so the app can send the user to the login page. */
let unauthorizedHandler: (() => void) | null = null;
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}
/** The server said 401 to a request where that means "session gone": send the user to the login page. */
export function reportUnauthorized(): void {
  unauthorizedHandler?.();
}

/** A request that got no answer at all (offline, server down). */
export function networkError(): ApiError {
  return new ApiError({ status: 0, code: 'NETWORK', message: translate(getCurrentLang(), 'error.network') });
}

export type QueryValue = string | number | boolean | null | undefined;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /**
   * False for requests where 401 means "wrong credentials" rather than "session expired"
   * (login, session probe, password change), so the user is not thrown out of the page.
   */
  redirectOn401?: boolean;
  /**
   * The CSRF token for this call instead of the staff session's: a supporter's own session
   * (`/api/me`) has its own token, handed out in the `GET /api/me` answer.
   */
  csrfToken?: string | undefined;
};

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toFieldErrors(value: unknown): FieldErrors | undefined {
  if (!isRecord(value)) return undefined;
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(value)) {
    if (typeof message === 'string') out[key] = message;
    else if (Array.isArray(message)) out[key] = message.map(String).join(' ');
  }
  return out;
}

/** A refusal as ApiError: the server's `{error: {code, message, fields?, details?}}`, else a generic message. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const lang = getCurrentLang();
  return new ApiError({
    status,
    code: error && isErrorCode(error.code) ? error.code : `HTTP_${status}`,
    message:
      error && typeof error.message === 'string' && error.message !== ''
        ? error.message
        : translate(lang, 'error.unexpected', { status }),
    fields: error ? toFieldErrors(error.fields) : undefined,
    details: error && isRecord(error.details) ? error.details : undefined,
  });
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getCurrentLang(),
  };
  const csrf = options.csrfToken ?? csrfToken;
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  // FormData (file uploads) goes as multipart; the browser writes its Content-Type with the boundary.
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError();
  }

  const text = await response.text();
  let body: unknown;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined; // e.g. an HTML error page from a proxy; handled as a generic error below
    }
  }

  if (!response.ok) {
    const error = errorFromBody(response.status, body);
    if (response.status === 401 && options.redirectOn401 !== false) reportUnauthorized();
    throw error;
  }
  return body as T;
}

/** Lists come as `{items}` from most endpoints; tolerate a bare array too. */
export function itemsOf<T>(body: T[] | { items: T[] } | null | undefined): T[] {
  if (!body) return [];
  return Array.isArray(body) ? body : body.items;
}
