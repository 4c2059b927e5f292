import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { sessions, staff } from '../../platform/auth/auth.tables.js';
import { hashPassword } from '../../platform/auth/password.js';
import { weakPassword } from '../../platform/auth/password-policy.js';
import { accountKey, accountWaits, clearAttempts } from '../../platform/auth/login-throttle.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { municipalities, organizations } from '../../platform/places.tables.js';
import { normalizeEmail } from '../../shared/normalize.js';
import type { StaffRole } from '../../shared/domain.js';
import type { Actor } from '../../platform/auth/actor.js';
import { ownMunicipality } from '../../platform/scope.js';
import { mayListAllStaff } from './staff.policy.js';
import type { RequestContext } from '../../platform/request-context.js';

export type CreateStaffInput = {
  email: string;
  name: string;
  role: StaffRole;
  municipalityCode?: string | null;
  organizationId?: string | null;
  password: string;
  isDemo?: boolean;
};

/** `waitUntil`: the account must wait before its next sign-in attempt (failed sign-ins; login-throttle.ts). */
export const presentStaff = (s: typeof staff.$inferSelect, waitUntil: Date | null = null) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  role: s.role as StaffRole,
  municipalityCode: s.municipalityCode,
  organizationId: s.organizationId,
  disabled: s.disabledAt !== null,
  lockedUntil: waitUntil?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
});

/** Creates a staff account; the role decides which binding (municipality or organization) it needs. */
export async function createStaff(db: Db, origin: RequestContext, input: CreateStaffInput) {
  const fields: Record<string, FieldProblem> = {};
  const email = normalizeEmail(input.email);
  const municipalityCode = input.municipalityCode ?? null;
  const organizationId = input.organizationId ?? null;
  if (input.role === 'municipality_staff') {
    if (!municipalityCode) fields.municipalityCode = { problem: 'requires_municipality' };
    else {
      const [m] = await db.select().from(municipalities).where(eq(municipalities.code, municipalityCode));
      if (!m) fields.municipalityCode = { problem: 'unknown_municipality', params: { value: municipalityCode } };
    }
  } else if (municipalityCode) fields.municipalityCode = { problem: 'not_allowed_for_role' };
  if (input.role === 'partner') {
    if (!organizationId) fields.organizationId = { problem: 'requires_organization' };
    else {
      const [o] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
      if (!o) fields.organizationId = { problem: 'unknown_organization' };
    }
  } else if (organizationId) fields.organizationId = { problem: 'not_allowed_for_role' };
  const [existing] = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, email));
  if (existing) fields.email = { problem: 'duplicate' };
  const weak = weakPassword(input.password);
  if (weak) fields.password = { problem: weak };
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });

  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(staff)
      .values({
        email,
        name: input.name,
        role: input.role,
        municipalityCode,
        organizationId,
        passwordHash,
        isDemo: input.isDemo ? 1 : 0,
      })
      .returning();
    await recordAudit(tx, origin, {
      action: 'staff.create',
      entityType: 'staff',
      entityId: row!.id,
      municipalityCode: municipalityCode ?? undefined,
      details: { role: input.role },
    });
    return presentStaff(row!);
  });
}

export async function listStaff(db: Db) {
  const rows = await db.select().from(staff).orderBy(asc(staff.role), asc(staff.email));
  const waits = await accountWaits(
    db,
    rows.map((r) => r.email),
  );
  return rows.map((r) => presentStaff(r, waits.get(r.email) ?? null));
}

export async function updateStaff(
  db: Db,
  origin: RequestContext,
  id: string,
  input: { name?: string; disabled?: boolean },
) {
  return inTransaction(db, async (tx) => {
    const [row] = await tx.select().from(staff).where(eq(staff.id, id));
    if (!row) throw new AppError('NOT_FOUND');
    if (input.disabled && origin.actor?.staffId === id) {
      throw new AppError('VALIDATION', { fields: { disabled: { problem: 'invalid' } } });
    }
    const changes: Partial<typeof staff.$inferInsert> = { updatedAt: new Date() };
    if (input.name !== undefined) changes.name = input.name;
    if (input.disabled !== undefined) changes.disabledAt = input.disabled ? (row.disabledAt ?? new Date()) : null;
    // Re-enabling also lifts a wait after failed sign-ins: the admin vouches for the account.
    if (input.disabled === false) await clearAttempts(tx, [accountKey(row.email)]);
    const [updated] = await tx.update(staff).set(changes).where(eq(staff.id, id)).returning();
    // Disabling ends every session for good: re-enabling must not revive an old (maybe stolen) cookie.
    if (input.disabled === true) await tx.delete(sessions).where(eq(sessions.staffId, id));
    await recordAudit(tx, origin, {
      action: 'staff.update',
      entityType: 'staff',
      entityId: id,
      details: { fields: Object.keys(input) },
    });
    return presentStaff(updated!, (await accountWaits(tx, [updated!.email])).get(updated!.email) ?? null);
  });
}

/**
 * Who may be named as consultant, for the consultation forms of non-admins: active prefecture and
 * center accounts, plus the municipality staff the caller may see (their own municipality; an admin
 * all of them, as in the full staff list). Names and roles only, no e-mail addresses.
 */
export async function listConsultants(db: Db, actor: Actor) {
  const central = inArray(staff.role, ['prefecture_admin', 'center_staff']);
  const own = ownMunicipality(actor);
  const municipal = mayListAllStaff(actor)
    ? eq(staff.role, 'municipality_staff')
    : own
      ? and(eq(staff.role, 'municipality_staff'), eq(staff.municipalityCode, own))
      : undefined;
  const rows = await db
    .select({ id: staff.id, name: staff.name, role: staff.role, municipalityCode: staff.municipalityCode })
    .from(staff)
    .where(and(isNull(staff.disabledAt), municipal ? or(central, municipal) : central))
    .orderBy(asc(staff.role), asc(staff.name), asc(staff.id));
  return rows.map((r) => ({ ...r, role: r.role as StaffRole }));
}
