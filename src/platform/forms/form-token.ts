/**
 * The signed form token of the public sign-up forms (ふるさと住民票 and event registration): issued
 * with the form, it proves that the form was fetched at least the minimum fill time before it was
 * sent, at most a day before, and — once a sign-up with it is accepted — that it was not used yet.
 */
import { randomBytes } from 'node:crypto';
import { lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { Tx } from '../db/unit-of-work.js';
import { sha256 } from '../auth/auth.service.js';
import { AppError } from '../errors.js';
import { getSecret, signValue, unsignValue } from '../secrets.js';
import { spentFormTokens } from './forms.tables.js';

/** A form submitted faster than a person can fill it in is a bot. */
export const DEFAULT_MIN_FILL_MS = 3000;
const FORM_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const SECRET = 'registration-form';

/**
 * `issued-ms.nonce.signature`. The nonce makes every token distinct (two forms loaded in the same
 * millisecond must not share one), so that spending one spends nothing else.
 */
export async function issueFormToken(db: Db): Promise<string> {
  return signValue(await getSecret(db, SECRET), `${Date.now()}.${randomBytes(12).toString('base64url')}`);
}

/** When the token was issued (ms), or null if it is forged or malformed. */
async function issuedAt(db: Db, token: string): Promise<number | null> {
  const value = unsignValue(await getSecret(db, SECRET), token);
  const issued = Number(value?.split('.')[0]);
  return Number.isSafeInteger(issued) && issued > 0 ? issued : null;
}

/**
 * Refuses a form sent too fast (a bot) or with a forged or day-old token. Used by every public form
 * before it looks at the rest of the input; it does not spend the token (see spendFormToken).
 *
 * Too fast is also what a person gets who lets the browser autofill and presses at once: the
 * answer says so, when the same token will be accepted (details.retryAfterSeconds, Retry-After),
 * and that pressing again is enough — the form keeps what was typed and its token.
 */
export async function checkFormToken(db: Db, token: string, minFillMs: number): Promise<void> {
  const issued = await issuedAt(db, token);
  const age = issued === null ? Number.NaN : Date.now() - issued;
  if (issued !== null && age >= 0 && age < minFillMs) {
    const retryAfterSeconds = Math.ceil((minFillMs - age) / 1000);
    throw new AppError('BAD_REQUEST', {
      messageKey: 'FORM_TOO_FAST',
      retryAfterSeconds,
      details: { reason: 'too_fast', retryAfterSeconds },
    });
  }
  if (!(age >= minFillMs && age <= FORM_TOKEN_TTL_MS))
    throw new AppError('BAD_REQUEST', { messageKey: 'FORM_EXPIRED', details: { reason: 'expired' } });
}

/**
 * Spends a checked token, inside the transaction that accepts the sign-up: if the sign-up is
 * refused after all (a full event), the rollback gives the token back, so a refused form can be
 * sent again as it is. Of two sign-ups with one token, the second waits for the first's insert
 * of the same key and — once that commits — is refused with FORM_ALREADY_SENT (the form must be
 * reloaded, which fetches a new token).
 */
export async function spendFormToken(tx: Tx, token: string): Promise<void> {
  // The token was checked a moment ago, so it expires within a day from now: kept that long.
  const expiresAt = new Date(Date.now() + FORM_TOKEN_TTL_MS);
  const spent = await tx
    .insert(spentFormTokens)
    .values({ tokenHash: sha256(token), expiresAt })
    .onConflictDoNothing()
    .returning({ tokenHash: spentFormTokens.tokenHash });
  if (!spent.length) throw new AppError('CONFLICT', { messageKey: 'FORM_ALREADY_SENT' });
}

/** Spent tokens matter only while they could still be used; the hourly sweep drops the rest. */
export async function purgeExpiredFormTokens(db: Db): Promise<number> {
  const gone = await db
    .delete(spentFormTokens)
    .where(lt(spentFormTokens.expiresAt, new Date()))
    .returning({ tokenHash: spentFormTokens.tokenHash });
  return gone.length;
}
