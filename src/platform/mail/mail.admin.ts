/** Mail that does not leave, for admins: given up, or still queued after LONG_QUEUED_MS. */
import { and, count, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { RequestContext } from '../auth/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import { LONG_QUEUED_MS, type MailKind } from './mail.service.js';
import { outboundMail } from './mail.tables.js';

/** Lists given-up and long-queued mail (never a body) and records the look: it shows addresses. */
export async function findUndeliveredMail(db: Db, ctx: RequestContext, page: { limit: number; offset: number }) {
  const undelivered = or(
    eq(outboundMail.status, 'failed'),
    and(eq(outboundMail.status, 'queued'), lt(outboundMail.createdAt, sql`now() - ${LONG_QUEUED_MS} * interval '1 millisecond'`)),
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
  await recordAudit(db, ctx, { action: 'mail.undelivered.read', details: { count: rows.length, total: total?.n ?? 0 } });
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
