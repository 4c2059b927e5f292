/**
 * Request text must be UTF-8 as sent. Fastify's own JSON parser decodes the body with
 * replacement characters, so `{"name":"\xff\xfe"}` would be stored as "��" and the sender would
 * never learn that the text was damaged; Fastify's query-string parser keeps an escape that is not
 * UTF-8 (`?q=%FF`) as the literal text "%FF" and searches for that. Both are refused here with 400
 * INVALID_ENCODING instead.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

/** Runs of percent-escapes: one character's UTF-8 bytes are always escaped together. */
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/** Whether every run of %XX escapes in a URL part decodes to valid UTF-8. */
export function hasUtf8Escapes(text: string): boolean {
  for (const [run] of text.matchAll(ESCAPE_RUN)) {
    if (!isUtf8(Buffer.from(run.replaceAll('%', ''), 'hex'))) return false;
  }
  return true;
}

/**
 * Replaces Fastify's JSON parser with one that reads the body as bytes (the app's bodyLimit
 * still applies: Fastify counts them as they arrive), refuses bytes that are not UTF-8, and then
 * parses exactly as Fastify does — including its refusal of `__proto__` and `constructor.prototype`
 * keys (prototype poisoning) — so every other answer (INVALID_JSON, an empty body) stays the same.
 * Also refuses query strings whose escapes are not UTF-8.
 */
export function refuseNonUtf8Input(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new AppError('INVALID_ENCODING'), undefined);
      return;
    }
    parseJson(request, bytes.toString('utf8'), done);
  });
  app.addHook('onRequest', async (request) => {
    const query = request.url.indexOf('?');
    if (query >= 0 && !hasUtf8Escapes(request.url.slice(query + 1))) throw new AppError('INVALID_ENCODING');
  });
}
