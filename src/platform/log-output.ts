/**
 * Where the server's log goes and how it reads. Piped to a file or a log collector (stdout not a
 * terminal), it stays one JSON object per line, as machines read it. In a terminal — someone ran
 * `npm start` in the foreground — each line is printed readably instead (pino-pretty): the time,
 * the level, and for a request one line `GET /api/people/:id 200 12ms`. The "incoming request"
 * line Fastify writes before each request is left out there, so a request is one line.
 *
 * pino-pretty is a development dependency (installed by `npm install`); where it is missing (an
 * install without dev dependencies) the log stays JSON, which says so once.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type LogFormat = 'pretty' | 'json';

/** The format asked for, or by default: readable in a terminal, JSON elsewhere. */
export const logFormatFor = (asked: LogFormat | undefined, stdoutIsTerminal: boolean): LogFormat =>
  asked ?? (stdoutIsTerminal ? 'pretty' : 'json');

type LogRecord = Record<string, unknown>;

/** The one line of a finished request: method, route (or the redacted path), status, time. */
export function requestLine(log: LogRecord): string | null {
  const res = log.res as { statusCode?: number; method?: string; route?: string; path?: string } | undefined;
  if (!res || typeof res.statusCode !== 'number') return null;
  const ms = typeof log.responseTime === 'number' ? ` ${Math.round(log.responseTime)}ms` : '';
  return `${res.method ?? ''} ${res.route ?? res.path ?? ''} ${res.statusCode}${ms}`.trim();
}

/** Fields already shown by the line itself, or noise in a terminal. */
const HIDDEN = 'pid,hostname,reqId,req,res,responseTime';

async function prettyDestination(): Promise<DestinationStream | null> {
  let prettyFactory: typeof import('pino-pretty').prettyFactory;
  try {
    ({ prettyFactory } = await import('pino-pretty'));
  } catch {
    return null;
  }
  const prettify = prettyFactory({
    colorize: Boolean(process.stdout.isTTY),
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: HIDDEN,
    messageFormat: (log, messageKey) => {
      const request = requestLine(log);
      const message = String(log[messageKey] ?? '');
      return request && message === 'request completed' ? request : message;
    },
  });
  return {
    write(line: string) {
      let log: LogRecord;
      try {
        log = JSON.parse(line) as LogRecord;
      } catch {
        process.stdout.write(line);
        return;
      }
      if (log.msg === 'incoming request') return;
      process.stdout.write(prettify(log));
    },
  };
}

/** The server's logger in the given format (JSON when readable output cannot be had). */
export async function createLogger(level: string, format: LogFormat): Promise<Logger> {
  if (format === 'pretty') {
    const destination = await prettyDestination();
    if (destination) return pino({ level }, destination);
    const logger = pino({ level });
    logger.warn(
      'LOG_FORMAT=pretty needs pino-pretty (a development dependency, installed by npm install); logging JSON',
    );
    return logger;
  }
  return pino({ level });
}
