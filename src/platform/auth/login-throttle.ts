/**
 * Growing waits after failed sign-ins, per account and per client IP, instead of a hard lock.
 *
 * An attempt is let through by one atomic statement that counts it and, from the `freeFailures`-th
 * attempt on, sets the wait before the next one (2 s, 4 s, 8 s … at most MAX_WAIT_SECONDS). It is
 * counted *before* the password is checked, so simultaneous attempts cannot slip past the limit
 * while the first ones are still being verified; a successful sign-in clears the count. Attempts
 * during a wait are refused without checking the password (a right password too — otherwise the
 * wait would not slow a guesser down) and are not counted. Unknown emails are counted like
 * accounts, so the answers do not tell whether an account exists. See docs/architecture.md.
 */
import { createHash } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { normalizeEmail } from '../../shared/normalize.js';
import { loginThrottle } from './auth.tables.js';

/** Longest wait between two attempts: bounds how long an outsider can keep an account out. */
export const MAX_WAIT_SECONDS = 15 * 60;
/** A key's count starts again after this long without attempts (and its row is swept). */
const FORGET_AFTER = sql`interval '24 hours'`;

export type ThrottleRule = { kind: 'account' | 'ip'; freeFailures: number };
/** Per account: five attempts in a row, then waits of 2 s, 4 s, 8 s … 15 min. */
export const ACCOUNT_RULE: ThrottleRule = { kind: 'account', freeFailures: 5 };
/** Per IP, across accounts (password spraying); generous, as an office shares one address. */
export const IP_RULE: ThrottleRule = { kind: 'ip', freeFailures: 30 };

/** Seconds to wait after the `failures`-th attempt in a row (0: none yet). */
export function waitSecondsAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.freeFailures) return 0;
  // 2^10 s already exceeds the cap; the bounded exponent keeps the arithmetic finite for any count.
  return Math.min(2 ** Math.min(failures - rule.freeFailures + 1, 10), MAX_WAIT_SECONDS);
}

const keyHash = (kind: ThrottleRule['kind'], value: string) =>
  createHash('sha256').update(`${kind}:${value}`).digest('hex');
export const accountKey = (email: string) => keyHash('account', normalizeEmail(email));
export const ipKey = (ip: string) => keyHash('ip', ip);

export type Admission = { admitted: true; failures: number } | { admitted: false; retryAfterSeconds: number };

/**
 * Lets one attempt through for the key, or says how long to wait. One statement: the count and
 * the wait are decided under the row's lock, so concurrent attempts are counted exactly.
 */
export async function admitAttempt(db: Db, key: string, rule: ThrottleRule): Promise<Admission> {
  const t = loginThrottle;
  // The count this attempt makes: one more, or the first again when the key was quiet for a day.
  const count = sql`case when ${t.lastAttemptAt} < now() - ${FORGET_AFTER} then 1 else ${t.failures} + 1 end`;
  const waitFor = (n: ReturnType<typeof sql>) =>
    sql`case when ${n} >= ${rule.freeFailures}
          then now() + least(power(2, least(${n} - ${rule.freeFailures} + 1, 10)), ${MAX_WAIT_SECONDS}) * interval '1 second' end`;
  const [row] = await db
    .insert(t)
    .values({ keyHash: key, failures: 1, lastAttemptAt: sql`now()`, waitUntil: waitFor(sql`1`) })
    .onConflictDoUpdate({
      target: t.keyHash,
      set: { failures: count, lastAttemptAt: sql`now()`, waitUntil: waitFor(count) },
      setWhere: sql`${t.waitUntil} is null or ${t.waitUntil} <= now()`,
    })
    .returning({ failures: t.failures });
  if (row) return { admitted: true, failures: row.failures };
  const [waiting] = await db
    .select({ seconds: sql<number>`greatest(ceil(extract(epoch from ${t.waitUntil} - now())), 1)::int` })
    .from(t)
    .where(sql`${t.keyHash} = ${key}`);
  return { admitted: false, retryAfterSeconds: waiting?.seconds ?? 1 };
}

/** Forgets the attempts of these keys (a successful sign-in, an admin unlocking an account). */
export async function clearAttempts(db: Db, keys: string[]): Promise<void> {
  if (keys.length) await db.delete(loginThrottle).where(inArray(loginThrottle.keyHash, keys));
}

/** Until when each of these accounts (by email) must wait; accounts without a wait are left out. */
export async function accountWaits(db: Db, emails: string[]): Promise<Map<string, Date>> {
  if (!emails.length) return new Map();
  const byKey = new Map(emails.map((e) => [accountKey(e), e]));
  const rows = await db
    .select({ keyHash: loginThrottle.keyHash, waitUntil: loginThrottle.waitUntil })
    .from(loginThrottle)
    .where(sql`${inArray(loginThrottle.keyHash, [...byKey.keys()])} and ${loginThrottle.waitUntil} > now()`);
  return new Map(rows.map((r) => [byKey.get(r.keyHash)!, r.waitUntil!]));
}

/** Deletes the rows of keys without attempts for a day (they would start from one again anyway). */
export async function sweepAttempts(db: Db): Promise<void> {
  await db.delete(loginThrottle).where(sql`${loginThrottle.lastAttemptAt} < now() - ${FORGET_AFTER}`);
}
