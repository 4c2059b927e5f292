/**
 * What Kankei writes to its log. Logs are read by more people and kept longer than the records,
 * so a log line names a request by its route pattern (`/api/public/tickets/:token`), never by the
 * address it came in on: query strings carry searches for phone numbers and emails, and paths
 * carry ticket and sign-in tokens that open a person's data. Errors keep what an operator needs
 * (type, message, SQLSTATE, constraint, table, column, the SQL with its $n placeholders, stack)
 * and drop what a failed statement carried (parameters, PostgreSQL's `detail` with the failing
 * row, values quoted in its message).
 */
import { DrizzleQueryError } from 'drizzle-orm';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';

const REDACTED = '[redacted]';

/**
 * A child of the given pino logger that serializes requests, replies and errors as above, and
 * censors a few keys that must never reach the log should some code pass them along.
 */
export function withPrivateLogging(logger: FastifyBaseLogger): FastifyBaseLogger {
  return logger.child(
    {},
    {
      serializers: { req: serializeRequest, res: serializeReply, err: serializeError },
      redact: {
        paths: [
          'token',
          'password',
          'email',
          'phone',
          'cookie',
          'authorization',
          'params',
          'parameters',
          'detail',
        ].flatMap((key) => [key, `*.${key}`]),
        censor: REDACTED,
      },
    },
  );
}

type RequestLike = Pick<FastifyRequest, 'method' | 'url' | 'ip'> & { routeOptions?: { url?: string } };

/** The route pattern of a request; for a path no route matches, the path made safe to log. */
function whereTo(request: RequestLike): { route: string } | { path: string } {
  const route = request.routeOptions?.url;
  // A wildcard (the web UI's static files) says nothing; its path is logged, made safe.
  if (route && !route.includes('*')) return { route };
  return { path: redactPath(request.url ?? '') };
}

/** Segments kept as they are: route words, UUIDs, file names of the built web UI. */
const PLAIN_SEGMENT = [
  /^\.?[a-z][a-z0-9-]{0,39}$/,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\d{1,4}$/,
  /^[\w-]{1,80}\.(?:js|mjs|css|map|html|json|txt|png|svg|ico|webmanifest|woff2?)$/,
];

/**
 * The path without query string or fragment, any segment that is not a plain route word, UUID or
 * file name replaced: `/tickets/<token>?x=1` → `/tickets/:redacted`.
 */
export function redactPath(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  return path
    .split('/')
    .map((segment) => (segment === '' || PLAIN_SEGMENT.some((plain) => plain.test(segment)) ? segment : ':redacted'))
    .join('/');
}

function serializeRequest(request: RequestLike) {
  return { method: request.method, ...whereTo(request), remoteAddress: request.ip };
}

/** The reply with the request's method and route, so "request completed" reads on its own. */
function serializeReply(reply: FastifyReply | { statusCode: number }) {
  const request = 'request' in reply ? reply.request : undefined;
  return { statusCode: reply.statusCode, ...(request ? { method: request.method, ...whereTo(request) } : {}) };
}

/** Fields of a PostgreSQL error that name things, never values (`detail`, `where`, `hint` may hold row data). */
const PG_NAMING_FIELDS = ['severity', 'constraint', 'table', 'column', 'schema', 'dataType', 'routine'] as const;
const SQLSTATE = /^[0-9A-Z]{5}$/;

const EMAIL_ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * PostgreSQL quotes both names and values in its messages (`null value in column "subject"`,
 * `invalid input syntax for type date: "090-…"`): a quoted part stays only when it is a name the
 * error or the statement itself holds.
 */
function redactPgMessage(message: string, names: Set<string>): string {
  return message.replace(/"((?:[^"]|"")*)"/g, (quoted, inner: string) => (names.has(inner) ? quoted : `"${REDACTED}"`));
}

/** Identifiers in SQL text, quoted or bare (values travel as $n parameters, not in the text). */
function identifiersIn(query: string | undefined): string[] {
  if (!query) return [];
  return [...query.matchAll(/"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g)].map((m) => m[1] ?? m[2]!);
}

type ErrorRecord = Record<string, unknown>;

/** An error as the log may hold it; causes follow to a small depth. */
export function serializeError(err: unknown, context: { query?: string; depth?: number } = {}): unknown {
  if (!(err instanceof Error)) {
    return err !== null && typeof err === 'object' ? { type: Object.prototype.toString.call(err) } : err;
  }
  const fields = err as unknown as ErrorRecord;
  const code = typeof fields.code === 'string' || typeof fields.code === 'number' ? fields.code : undefined;
  const isPg = typeof code === 'string' && SQLSTATE.test(code);
  // One name for errors PostgreSQL reported, whichever driver (PGlite's class name is minified).
  const type = isPg ? 'DatabaseError' : err.constructor?.name || err.name;
  const query = err instanceof DrizzleQueryError ? err.query : context.query;

  let message: string;
  if (err instanceof DrizzleQueryError) {
    // Drizzle's own message appends the parameter values.
    message = `Failed query: ${err.query}`;
  } else if (isPg) {
    const names = new Set<string>([
      ...PG_NAMING_FIELDS.map((f) => fields[f]).filter((v): v is string => typeof v === 'string'),
      ...identifiersIn(query),
    ]);
    message = redactPgMessage(err.message, names);
  } else {
    message = err.message;
  }
  message = message.replace(EMAIL_ADDRESS, REDACTED);

  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const serialized: ErrorRecord = { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
  if (code !== undefined) serialized.code = code;
  if (typeof fields.statusCode === 'number') serialized.statusCode = fields.statusCode;
  if (err instanceof DrizzleQueryError) serialized.query = err.query;
  if (isPg) {
    for (const f of PG_NAMING_FIELDS) if (typeof fields[f] === 'string') serialized[f] = fields[f];
  }
  const depth = context.depth ?? 0;
  if (err.cause !== undefined && depth < 3) serialized.cause = serializeError(err.cause, { query, depth: depth + 1 });
  return serialized;
}
