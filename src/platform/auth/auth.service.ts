/**
 * Sign-in, sessions, API tokens and passwords. Secrets handed to clients are random 256-bit values;
 * only their SHA-256 is stored.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inTransaction } from '../db/unit-of-work.js';
import { AppError, fieldError } from '../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { normalizeEmail } from '../../shared/normalize.js';
import type { StaffRole } from '../../shared/domain.js';
import type { Actor } from './actor.js';
import { apiTokens, sessions, staff } from './auth.tables.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.js';
import { weakPassword } from './password-policy.js';
import {
  ACCOUNT_RULE,
  IP_RULE,
  accountKey,
  admitAttempt,
  clearAttempts,
  ipKey,
  waitSecondsAfter,
} from './login-throttle.js';
import type { PublicContext, StaffContext, SystemContext } from '../request-context.js';

export const SESSION_COOKIE = 'kankei_session';
/** A session ends after this long without use... */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** ...and at the latest this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;

const newSecret = (prefix = '') => prefix + randomBytes(32).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

type StaffRow = typeof staff.$inferSelect;

function actorFromStaff(row: StaffRow, via: Actor['via'], ids: { sessionId?: string; tokenId?: string }): Actor {
  return {
    staffId: row.id,
    email: row.email,
    name: row.name,
    role: row.role as StaffRole,
    municipalityCode: row.municipalityCode,
    organizationId: row.organizationId,
    via,
    ...ids,
  };
}

export function presentUser(actor: Actor) {
  return {
    id: actor.staffId,
    email: actor.email,
    name: actor.name,
    role: actor.role,
    municipalityCode: actor.municipalityCode,
    organizationId: actor.organizationId,
  };
}

export type LoginResult = { sessionToken: string; csrfToken: string; actor: Actor; expiresAt: Date };

/** A sign-in refused because its account or its IP must wait; the answer carries Retry-After. */
export class LoginThrottled extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', { messageKey: 'LOGIN_WAIT', retryAfterSeconds });
  }
}

/**
 * Signs a staff member in. Unknown emails, disabled accounts and wrong passwords get the same
 * answer, after the same work (a password check against a dummy hash, the same counting), and are
 * throttled alike (`login-throttle.ts`): first per IP, then per account.
 */
export async function login(
  db: Db,
  ctx: PublicContext,
  input: { email: string; password: string },
): Promise<LoginResult> {
  const email = normalizeEmail(input.email);
  // Attempts are audited as 'system', as the trail always has: nobody is signed in yet. The row's
  // IP and user agent say where the attempt came from.
  const attempt: SystemContext = { ...ctx, via: 'system' };
  const [found] = await db.select().from(staff).where(eq(staff.email, email)).limit(1);
  const row = found && !found.disabledAt ? found : undefined;
  const about = row ? { entityType: 'staff', entityId: row.id } : {};
  const reason = !found ? 'unknown_email' : found.disabledAt ? 'disabled' : 'wrong_password';

  const keys = { account: accountKey(email), ip: ctx.ip ? ipKey(ctx.ip) : null };
  const byIp = keys.ip ? await admitAttempt(db, keys.ip, IP_RULE) : null;
  const admission = byIp && !byIp.admitted ? byIp : await admitAttempt(db, keys.account, ACCOUNT_RULE);
  if (!admission.admitted) {
    await recordAudit(db, attempt, {
      action: 'auth.login_locked',
      ...about,
      details: { throttled: byIp && !byIp.admitted ? 'ip' : 'account', ...(row ? {} : { reason }) },
    });
    throw new LoginThrottled(admission.retryAfterSeconds);
  }

  let passwordOk = false;
  if (row) passwordOk = await verifyPassword(row.passwordHash, input.password);
  else await burnPasswordCheck(input.password);
  if (!row || !passwordOk) {
    const failures = admission.failures;
    const waits = waitSecondsAfter(failures, ACCOUNT_RULE) > 0;
    await recordAudit(db, attempt, {
      action: waits && row ? 'auth.locked' : 'auth.login_failed',
      ...about,
      details: { reason, ...(row ? { failures } : {}) },
    });
    throw new AppError('INVALID_CREDENTIALS');
  }
  const now = new Date();
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  const actor = await inTransaction(db, async (tx) => {
    await clearAttempts(tx, keys.ip ? [keys.account, keys.ip] : [keys.account]);
    const [session] = await tx
      .insert(sessions)
      .values({
        tokenHash: sha256(sessionToken),
        staffId: row.id,
        csrfToken,
        ip: ctx.ip,
        userAgent: ctx.userAgent?.slice(0, 500) ?? null,
        expiresAt,
      })
      .returning({ id: sessions.id });
    const actor = actorFromStaff(row, 'session', { sessionId: session!.id });
    await recordAudit(
      tx,
      { ...ctx, via: 'staff', actor },
      { action: 'auth.login', entityType: 'staff', entityId: row.id },
    );
    return actor;
  });
  return { sessionToken, csrfToken, actor, expiresAt };
}

/** Resolves a session cookie; slides the idle expiry forward at most once a minute. */
export async function resolveSession(db: Db, token: string): Promise<{ actor: Actor; csrfToken: string } | null> {
  const now = new Date();
  const [found] = await db
    .select({ session: sessions, staff })
    .from(sessions)
    .innerJoin(staff, eq(staff.id, sessions.staffId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!found || found.staff.disabledAt) return null;
  const { session } = found;
  if (now.getTime() - session.createdAt.getTime() > SESSION_ABSOLUTE_MS) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_IDLE_MS) })
      .where(eq(sessions.id, session.id));
  }
  return { actor: actorFromStaff(found.staff, 'session', { sessionId: session.id }), csrfToken: session.csrfToken };
}

export async function resolveBearer(db: Db, token: string): Promise<Actor | null> {
  const now = new Date();
  const [found] = await db
    .select({ token: apiTokens, staff })
    .from(apiTokens)
    .innerJoin(staff, eq(staff.id, apiTokens.staffId))
    .where(
      and(
        eq(apiTokens.tokenHash, sha256(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    )
    .limit(1);
  if (!found || found.staff.disabledAt) return null;
  if (!found.token.lastUsedAt || now.getTime() - found.token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, found.token.id));
  }
  return actorFromStaff(found.staff, 'token', { tokenId: found.token.id });
}

export async function logout(db: Db, ctx: StaffContext): Promise<void> {
  if (ctx.actor.sessionId) await db.delete(sessions).where(eq(sessions.id, ctx.actor.sessionId));
  await recordAudit(db, ctx, { action: 'auth.logout', entityType: 'staff', entityId: ctx.actor.staffId });
}

/**
 * Changes the actor's password and ends their other sessions. The current password is checked
 * under the same per-account throttle as sign-in: a stolen session must not become a way to guess
 * the password without waiting.
 */
export async function changePassword(
  db: Db,
  ctx: StaffContext,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const [row] = await db.select().from(staff).where(eq(staff.id, ctx.actor.staffId));
  if (!row) throw new AppError('UNAUTHENTICATED');
  const account = accountKey(row.email);
  const admission = await admitAttempt(db, account, ACCOUNT_RULE);
  if (!admission.admitted) throw new LoginThrottled(admission.retryAfterSeconds);
  if (!(await verifyPassword(row.passwordHash, input.currentPassword))) {
    await recordAudit(db, ctx, {
      action: 'auth.password_change_failed',
      entityType: 'staff',
      entityId: row.id,
      details: { failures: admission.failures },
    });
    throw fieldError('currentPassword', 'wrong_password');
  }
  const weak = weakPassword(input.newPassword);
  if (weak) throw fieldError('newPassword', weak);
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(db, async (tx) => {
    await clearAttempts(tx, [account]);
    await tx.update(staff).set({ passwordHash, updatedAt: new Date() }).where(eq(staff.id, row.id));
    const keep = ctx.actor.sessionId;
    await tx
      .delete(sessions)
      .where(keep ? and(eq(sessions.staffId, row.id), sql`${sessions.id} <> ${keep}`) : eq(sessions.staffId, row.id));
    await recordAudit(tx, ctx, { action: 'auth.password_changed', entityType: 'staff', entityId: row.id });
  });
}

export async function createApiToken(
  db: Db,
  ctx: StaffContext,
  input: { name: string; staffId?: string; expiresInDays?: number },
) {
  const staffId = input.staffId ?? ctx.actor.staffId;
  const [owner] = await db.select({ id: staff.id }).from(staff).where(eq(staff.id, staffId));
  if (!owner) throw fieldError('staffId', 'invalid');
  const token = newSecret('kk_');
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ tokenHash: sha256(token), name: input.name, staffId, createdBy: ctx.actor.staffId, expiresAt })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'token.create',
      entityType: 'api_token',
      entityId: row!.id,
      details: { staffId },
    });
    return { id: row!.id, name: row!.name, staffId, token, expiresAt: expiresAt?.toISOString() ?? null };
  });
}

export async function listApiTokens(db: Db) {
  const rows = await db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt));
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    staffId: t.staffId,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }));
}

export async function revokeApiToken(db: Db, ctx: StaffContext, id: string): Promise<void> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  if (!row) throw new AppError('NOT_FOUND');
  await recordAudit(db, ctx, { action: 'token.revoke', entityType: 'api_token', entityId: id });
}
