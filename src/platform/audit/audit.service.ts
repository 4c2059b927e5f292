import { and, count, desc, eq, inArray, isNotNull, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { RequestContext } from '../request-context.js';
import { staff } from '../auth/auth.tables.js';
import { auditEvents } from './audit.tables.js';

export type AuditEntry = {
  action: string;
  entityType?: string;
  entityId?: string;
  personId?: string;
  municipalityCode?: string;
  /** Never personal data: field names, counts, ids. */
  details?: Record<string, unknown>;
};

/**
 * Appends one row to the audit trail, inside the caller's transaction when given one. The row's
 * `via` is how staff signed in (`session`, `token`) or else the context's kind (`public`, `self`,
 * `system`). The browser (user agent) is kept for staff and Kankei's own rows, not for the public
 * or a signed-in supporter: their IP is enough to trace abuse, and erasure forgets it.
 */
export async function recordAudit(db: Db, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  const userAgent = ctx.via === 'public' || ctx.via === 'self' ? null : ctx.userAgent;
  await db.insert(auditEvents).values({
    actorStaffId: ctx.actor?.staffId ?? null,
    actorLabel: ctx.actor?.email ?? null,
    via: ctx.via === 'staff' ? ctx.actor.via : ctx.via,
    action: entry.action,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    personId: entry.personId ?? null,
    municipalityCode: entry.municipalityCode ?? null,
    ip: ctx.ip,
    userAgent: userAgent?.slice(0, 500) ?? null,
    details: entry.details ?? {},
  });
}

/**
 * Erasure: the audit trail forgets where a person's own actions came from — the IP and user agent
 * of rows written for the public or a signed-in supporter (via public / self) about the person or
 * their sign-ups. The rows stay, naming the person by id only. This is the one change the
 * append-only trigger allows (migration 0014); staff rows keep their origin.
 */
export async function forgetPublicOrigins(
  db: Db,
  about: { personIds: string[]; registrationIds: string[] },
): Promise<void> {
  const concerns = or(
    about.personIds.length ? inArray(auditEvents.personId, about.personIds) : undefined,
    about.registrationIds.length
      ? and(eq(auditEvents.entityType, 'registration'), inArray(auditEvents.entityId, about.registrationIds))
      : undefined,
  );
  if (!concerns) return;
  await db
    .update(auditEvents)
    .set({ ip: null, userAgent: null })
    .where(
      and(
        inArray(auditEvents.via, ['public', 'self']),
        or(isNotNull(auditEvents.ip), isNotNull(auditEvents.userAgent)),
        concerns,
      ),
    );
}

export type AuditFilter = {
  personId?: string;
  actorId?: string;
  action?: string;
  limit: number;
  offset: number;
};

export async function findAuditEvents(db: Db, filter: AuditFilter) {
  const conditions: SQL[] = [];
  if (filter.personId) conditions.push(eq(auditEvents.personId, filter.personId));
  if (filter.actorId) conditions.push(eq(auditEvents.actorStaffId, filter.actorId));
  if (filter.action) conditions.push(eq(auditEvents.action, filter.action));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({ event: auditEvents, actorName: staff.name, actorEmail: staff.email })
      .from(auditEvents)
      .leftJoin(staff, eq(staff.id, auditEvents.actorStaffId))
      .where(where)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: count() }).from(auditEvents).where(where),
  ]);
  return {
    total: total?.n ?? 0,
    items: rows.map(({ event, actorName, actorEmail }) => ({
      id: event.id,
      at: event.at.toISOString(),
      actor: event.actorStaffId
        ? {
            id: event.actorStaffId,
            email: actorEmail ?? event.actorLabel ?? '',
            name: actorName ?? event.actorLabel ?? '',
          }
        : null,
      via: event.via,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      personId: event.personId,
      municipalityCode: event.municipalityCode,
      ip: event.ip,
      userAgent: event.userAgent,
      details: event.details,
    })),
  };
}
