/**
 * Seeding: the municipalities always, the first admin on a fresh database, and clearly marked
 * synthetic demo data when configured (config.demoData). Every step is idempotent.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../platform/db/client.js';
import { staff } from '../platform/auth/auth.tables.js';
import { hashPassword } from '../platform/auth/password.js';
import { accountKey, clearAttempts } from '../platform/auth/login-throttle.js';
import { recordAudit } from '../platform/audit/audit.service.js';
import { seedYamagataPlaces } from '../modules/places/index.js';
import { certificationRules } from '../modules/donations/index.js';
import { seedFollowupRule } from '../modules/consultations/index.js';
import { seedKpiPlans } from '../modules/kpi/index.js';
import { seedOrganizationSettings } from '../modules/outreach/index.js';
import { createStaff } from '../modules/staff/index.js';
import { normalizeEmail } from '../shared/normalize.js';
import { retireFixedDemoPasswordOnly, seedDemoData, type DemoSeedResult } from './demo.js';
import { systemContext } from '../platform/request-context.js';

export const DEFAULT_ADMIN_EMAIL = 'admin@kankei.example';
const SYSTEM = systemContext();

export type AdminSeedResult =
  | { created: true; email: string; password: string; passwordFrom: 'env' | 'generated' }
  | { created: false; email: string };

/** Creates the first prefecture admin when there is none. */
export async function ensureFirstAdmin(db: Db, input: { email?: string; password?: string }): Promise<AdminSeedResult> {
  const [existing] = await db.select().from(staff).where(eq(staff.role, 'prefecture_admin')).limit(1);
  if (existing) return { created: false, email: existing.email };
  const email = normalizeEmail(input.email ?? DEFAULT_ADMIN_EMAIL);
  const password = input.password ?? randomBytes(12).toString('base64url');
  await createStaff(db, SYSTEM, { email, name: '管理者 (Administrator)', role: 'prefecture_admin', password });
  return { created: true, email, password, passwordFrom: input.password ? 'env' : 'generated' };
}

/**
 * Creates an admin, or resets the password of an existing account with that email and unlocks it
 * (enabled again, no wait after failed sign-ins): the way back in for an admin kept out.
 */
export async function createOrResetAdmin(db: Db, input: { email: string; password: string; name?: string }) {
  const email = normalizeEmail(input.email);
  const [existing] = await db.select().from(staff).where(eq(staff.email, email));
  if (!existing) {
    await createStaff(db, SYSTEM, {
      email,
      name: input.name ?? '管理者 (Administrator)',
      role: 'prefecture_admin',
      password: input.password,
    });
    return 'created' as const;
  }
  await db
    .update(staff)
    .set({ passwordHash: await hashPassword(input.password), disabledAt: null, updatedAt: new Date() })
    .where(eq(staff.id, existing.id));
  await clearAttempts(db, [accountKey(email)]);
  await recordAudit(db, SYSTEM, {
    action: 'staff.password_reset',
    entityType: 'staff',
    entityId: existing.id,
    details: { via: 'cli' },
  });
  return 'reset' as const;
}

export type SeedResult = { municipalities: number; admin: AdminSeedResult; demo: DemoSeedResult | null };

/** 山形 心のふるさと県民: donors of three consecutive (calendar) years. Prefectures change it here. */
export async function seedCertificationRules(db: Db): Promise<void> {
  await db
    .insert(certificationRules)
    .values({
      prefectureCode: '06',
      kind: 'kokoro_furusato',
      label: '山形 心のふるさと県民',
      consecutiveYears: 3,
      yearBasis: 'calendar',
    })
    .onConflictDoNothing();
}

/** Yamagata's follow-ups after a move: 1, 6 and 12 months (an administrator may change them later). */
export async function seedFollowupRules(db: Db): Promise<void> {
  await seedFollowupRule(db, '06', [1, 6, 12]);
}

export async function seedAll(
  db: Db,
  options: { demoData: boolean; adminEmail?: string; adminPassword?: string },
): Promise<SeedResult> {
  const municipalities = await seedYamagataPlaces(db);
  await seedCertificationRules(db);
  await seedFollowupRules(db);
  await seedOrganizationSettings(db);
  await seedKpiPlans(db, SYSTEM);
  const admin = await ensureFirstAdmin(db, { email: options.adminEmail, password: options.adminPassword });
  const demo = options.demoData ? await seedDemoData(db) : await retireFixedDemoPasswordOnly(db);
  return { municipalities, admin, demo };
}
