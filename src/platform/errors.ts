/**
 * One error type for the whole app, mapped once at the edge to `{error: {code, message, fields?}}`
 * with the message in the caller's language.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ERROR_STATUS,
  type ErrorCode,
  type FieldProblem,
  type FieldProblemCode,
  type FieldProblemParamsArg,
  type MessageKey,
  type MessageVariant,
  type MessageVariantOf,
} from '../shared/codes.js';
import { isPresent, problemsFromIssue, type ZodLikeIssue } from '../shared/schemas/problems.js';
import { errorMessage, fieldProblemMessage, pickLocale } from './i18n.js';

export { ERROR_STATUS, type ErrorCode, type FieldProblem } from '../shared/codes.js';

export type AppErrorOptions<Variant extends MessageKey = MessageVariant> = {
  fields?: Record<string, FieldProblem>;
  details?: Record<string, unknown>;
  /** A closer wording than the code's own message, among those tied to this code (same status). */
  messageKey?: Variant;
  /** When the caller may try again (seconds): sent as Retry-After with the answer. */
  retryAfterSeconds?: number;
};

/** The code, and options whose messageKey may only be a variant tied to that code. */
type AppErrorArgs = { [C in ErrorCode]: [code: C, options?: AppErrorOptions<MessageVariantOf<C>>] }[ErrorCode];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly options: AppErrorOptions;
  constructor(...[code, options = {}]: AppErrorArgs) {
    super(code);
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.options = options;
  }
}

/** Shorthand for a VALIDATION error on one field. */
export function fieldError<P extends FieldProblemCode>(
  field: string,
  problem: P,
  ...params: FieldProblemParamsArg<P>
): AppError {
  const [problemParams] = params;
  // FieldProblemParamsArg pairs the code with the parameters its message reads.
  const fieldProblem = { problem, params: problemParams } as FieldProblem;
  return new AppError('VALIDATION', { fields: { [field]: fieldProblem } });
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: ErrorCode,
  opts: {
    fields?: Record<string, FieldProblem>;
    details?: Record<string, unknown>;
    messageKey?: MessageKey;
  } = {},
) {
  const locale = pickLocale(request.headers['accept-language']);
  const fields = opts.fields
    ? Object.fromEntries(Object.entries(opts.fields).map(([f, fp]) => [f, fieldProblemMessage(locale, f, fp)]))
    : undefined;
  return reply.status(status).send({
    error: {
      code,
      message: errorMessage(locale, opts.messageKey ?? code),
      ...(fields ? { fields } : {}),
      ...(opts.details ? { details: opts.details } : {}),
    },
  });
}

/** PostgreSQL error codes that mean the client sent something unusable, not that we broke. */
const PG_CLIENT_ERRORS: Record<string, ErrorCode> = {
  '23505': 'CONFLICT',
  '22P02': 'BAD_REQUEST',
  '22021': 'BAD_REQUEST',
  '22001': 'BAD_REQUEST',
  '22003': 'BAD_REQUEST',
};

function pgCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The constraint a PostgreSQL error names (a name, never a value), on the error or its cause. */
function pgConstraint(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === 'object'; depth++) {
    const constraint = (e as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * For Fastify's `frameworkErrors` option: requests refused before routing (a path whose
 * percent-escapes are not UTF-8, `/api/people/%FF`) get the same envelope as every other error.
 */
export function answerFrameworkError(_error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return send(reply, request, 400, 'BAD_REQUEST');
}

export type ErrorHandlingOptions = {
  /** Answers GET requests outside /api that match no file (client-side routes of the web UI). */
  appShell?: (reply: FastifyReply) => FastifyReply;
};

export function installErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions = {}): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.options.retryAfterSeconds !== undefined)
        reply.header('retry-after', String(err.options.retryAfterSeconds));
      return send(reply, request, err.status, err.code, err.options);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields: Record<string, FieldProblem> = {};
      const sources: Record<string, unknown> = {
        body: request.body,
        querystring: request.query,
        params: request.params,
        headers: request.headers,
      };
      const source = sources[(err as FastifyError).validationContext ?? 'body'];
      for (const issue of err.validation as unknown as ZodLikeIssue[]) {
        const onUnknownProblem = (problem: unknown) =>
          request.log.warn(
            { problem: typeof problem === 'string' ? problem.slice(0, 64) : typeof problem },
            'validation problem without a catalogued code',
          );
        for (const [f, problem] of problemsFromIssue(issue, isPresent(source, issue.instancePath), onUnknownProblem))
          fields[f] ??= problem;
      }
      return send(reply, request, 400, 'VALIDATION', { fields });
    }
    const status = (err as FastifyError).statusCode;
    if (status === 413) return send(reply, request, 413, 'PAYLOAD_TOO_LARGE');
    if (status === 415) return send(reply, request, 415, 'UNSUPPORTED_MEDIA_TYPE');
    if (status === 429) return send(reply, request, 429, 'RATE_LIMITED');
    if (status === 400 && /JSON/i.test(`${(err as FastifyError).code} ${err.message}`)) {
      return send(reply, request, 400, 'INVALID_JSON');
    }
    // Refusals of the static file server (a path like //api/x it will not map to a file) are
    // answered as what they are to the caller: nothing there.
    if (status === 403 || status === 404) return send(reply, request, 404, 'NOT_FOUND');
    if (status && status >= 400 && status < 500) return send(reply, request, status, 'BAD_REQUEST');
    const pg = pgCode(err);
    if (pg && PG_CLIENT_ERRORS[pg]) {
      const code = PG_CLIENT_ERRORS[pg]!;
      request.log.warn({ pgCode: pg, constraint: pgConstraint(err) }, 'database refused client input');
      return send(reply, request, ERROR_STATUS[code], code);
    }
    // Serialized by platform/logging: SQL and SQLSTATE stay, the statement's values do not.
    request.log.error({ err }, 'unhandled error');
    return send(reply, request, 500, 'INTERNAL');
  });

  app.setNotFoundHandler((request, reply) => {
    if (options.appShell && request.method === 'GET' && !isApiPath(request.url)) return options.appShell(reply);
    return send(reply, request, 404, 'NOT_FOUND');
  });
}

/**
 * Whether a path that matched no route was meant for the API, however it is spelt
 * (`/%61pi/x`, `//api/x`, `/API/x`, `/web/../api/x`): such paths get the JSON 404, never the web
 * UI's page. Only chooses the shape of a 404 — access is decided by the matched route (auth.hooks.ts).
 */
export function isApiPath(url: string): boolean {
  let path = url.split(/[?#]/, 1)[0] ?? '';
  try {
    path = decodeURIComponent(path);
  } catch {
    // Malformed percent-encoding: judge the raw spelling.
  }
  const segments: string[] = [];
  for (const segment of path.replaceAll('\\', '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments[0]?.toLowerCase() === 'api';
}
