/** Mail that does not leave, for admins: given up, or still queued after LONG_QUEUED_MS. */
import { and, count, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { StaffContext } from '../request-context.js';
import { recordAudit } from '../audit/audit.service.js';
import { AppError } from '../errors.js';
import { LONG_QUEUED_MS, type MailKind } from './mail.service.js';
import { outboundMail } from './mail.tables.js';

/** Lists given-up and long-queued mail (never a body) and records the look: it shows addresses. */
export async function findUndeliveredMail(db: Db, ctx: StaffContext, page: { limit: number; offset: number }) {
  const undelivered = or(
    eq(outboundMail.status, 'failed'),
    and(
      eq(outboundMail.status, 'queued'),
      lt(outboundMail.createdAt, sql`now() - ${LONG_QUEUED_MS} * interval '1 millisecond'`),
    ),
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: outboundMail.id,
        kind: outboundMail.kind,
        to: outboundMail.toAddress,
        subject: outboundMail.subject,
        status: outboundMail.status,
        attempts: outboundMail.attempts,
        lastError: outboundMail.lastError,
        createdAt: outboundMail.createdAt,
        nextAttemptAt: outboundMail.nextAttemptAt,
      })
      .from(outboundMail)
      .where(undelivered)
      .orderBy(desc(outboundMail.createdAt), desc(outboundMail.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(outboundMail).where(undelivered),
  ]);
  await recordAudit(db, ctx, {
    action: 'mail.undelivered.read',
    details: { count: rows.length, total: total?.n ?? 0 },
  });
  return {
    total: total?.n ?? 0,
    items: rows.map((r) => ({
      ...r,
      kind: r.kind as MailKind,
      status: r.status as 'queued' | 'failed',
      createdAt: r.createdAt.toISOString(),
      nextAttemptAt: r.status === 'queued' ? r.nextAttemptAt.toISOString() : null,
    })),
  };
}

/**
 * Mail held because Kankei has no mail server (SMTP_URL unset — a demo, a trial): the list, newest
 * first, without bodies. Reading one is `getHeldMail`.
 */
export async function findHeldMail(db: Db, ctx: StaffContext, page: { limit: number; offset: number }) {
  const held = eq(outboundMail.status, 'held');
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: outboundMail.id,
        kind: outboundMail.kind,
        to: outboundMail.toAddress,
        subject: outboundMail.subject,
        createdAt: outboundMail.createdAt,
      })
      .from(outboundMail)
      .where(held)
      .orderBy(desc(outboundMail.createdAt), desc(outboundMail.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(outboundMail).where(held),
  ]);
  await recordAudit(db, ctx, { action: 'mail.held.list', details: { count: rows.length, total: total?.n ?? 0 } });
  return {
    total: total?.n ?? 0,
    items: rows.map((r) => ({ ...r, kind: r.kind as MailKind, createdAt: r.createdAt.toISOString() })),
  };
}

/**
 * One held mail with its text, as the recipient would have read it. Its links are live (a sign-in
 * link opens the person's self-service), so every read is audited with the person it concerns.
 */
export async function getHeldMail(db: Db, ctx: StaffContext, id: string) {
  const [mail] = await db
    .select()
    .from(outboundMail)
    .where(and(eq(outboundMail.id, id), eq(outboundMail.status, 'held')));
  if (!mail) throw new AppError('NOT_FOUND');
  await recordAudit(db, ctx, {
    action: 'mail.held.read',
    entityType: 'mail',
    entityId: mail.id,
    personId: mail.personId ?? undefined,
    details: { kind: mail.kind, ...(mail.registrationId ? { registrationId: mail.registrationId } : {}) },
  });
  return {
    id: mail.id,
    kind: mail.kind as MailKind,
    to: mail.toAddress,
    subject: mail.subject,
    text: mail.textBody ?? '',
    attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType })),
    createdAt: mail.createdAt.toISOString(),
  };
}
