/**
 * The organization's sender identity (docs/outreach.md): name, short name, sender address,
 * Reply-To, signature and contact, stored per tenant — the prefecture the deployment serves — and
 * read by the mailer in the transaction that queues each mail.
 */
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import type { SenderIdentity } from '../../platform/mail/mail.service.js';
import type { StaffContext } from '../../platform/request-context.js';
import { servedPrefecture } from '../../platform/tenant.js';
import type { OrganizationSettingsInput, OrganizationSettingsView } from './outreach.schemas.js';
import { organizationSettings } from './outreach.tables.js';

/**
 * The seed's organization: the Yamagata center, on a domain that is clearly an example (.example,
 * RFC 2606). A deployment sets its own on the settings page before mail goes out.
 */
export const DEFAULT_ORGANIZATION = {
  prefectureCode: '06',
  organizationName: '山形県移住・関係人口総合センター',
  shortName: '山形県移住センター',
  senderAddress: 'no-reply@yamagata-center.example',
  replyTo: 'info@yamagata-center.example',
  signature: [
    '山形県移住・関係人口総合センター',
    'Yamagata Migration & Relationship Population Center',
    'https://yamagata-center.example',
  ].join('\n'),
  contact: 'info@yamagata-center.example / 023-000-0000（平日 9:00〜17:00）',
} as const;

/** The tenant's prefecture (platform/tenant.ts); the seed's before any municipality is loaded. */
export async function tenantPrefecture(db: Db): Promise<string> {
  return (await servedPrefecture(db)) ?? DEFAULT_ORGANIZATION.prefectureCode;
}

/** The settings in force: the tenant's stored row, or the seed's defaults before one is stored. */
export async function getOrganizationSettings(db: Db): Promise<OrganizationSettingsView> {
  const prefectureCode = await tenantPrefecture(db);
  const [row] = await db
    .select()
    .from(organizationSettings)
    .where(eq(organizationSettings.prefectureCode, prefectureCode));
  if (!row) return { ...DEFAULT_ORGANIZATION, prefectureCode, isDefault: true, updatedAt: null };
  return {
    prefectureCode,
    organizationName: row.name,
    shortName: row.shortName,
    senderAddress: row.senderAddress,
    replyTo: row.replyTo,
    signature: row.signature,
    contact: row.contact,
    isDefault: false,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Stores the tenant's settings (admin), audited with the names of the fields that changed. */
export async function putOrganizationSettings(
  db: Db,
  ctx: StaffContext,
  input: OrganizationSettingsInput,
): Promise<OrganizationSettingsView> {
  return inTransaction(db, async (tx) => {
    const before = await getOrganizationSettings(tx);
    const values = {
      name: input.organizationName,
      shortName: input.shortName,
      senderAddress: input.senderAddress,
      replyTo: input.replyTo ?? null,
      signature: input.signature ?? '',
      contact: input.contact ?? '',
      updatedAt: new Date(),
      updatedBy: ctx.actor.staffId,
    };
    await tx
      .insert(organizationSettings)
      .values({ prefectureCode: before.prefectureCode, ...values })
      .onConflictDoUpdate({ target: organizationSettings.prefectureCode, set: values });
    const after = await getOrganizationSettings(tx);
    const changed = (
      ['organizationName', 'shortName', 'senderAddress', 'replyTo', 'signature', 'contact'] as const
    ).filter((f) => before[f] !== after[f]);
    await recordAudit(tx, ctx, {
      action: 'organization_settings.update',
      entityType: 'organization_settings',
      entityId: before.prefectureCode,
      details: { fields: changed },
    });
    return after;
  });
}

/** Stores the seed's defaults once on a fresh database; an administrator's later change is kept. */
export async function seedOrganizationSettings(db: Db): Promise<void> {
  const d = DEFAULT_ORGANIZATION;
  await db
    .insert(organizationSettings)
    .values({
      prefectureCode: await tenantPrefecture(db),
      name: d.organizationName,
      shortName: d.shortName,
      senderAddress: d.senderAddress,
      replyTo: d.replyTo,
      signature: d.signature,
      contact: d.contact,
    })
    .onConflictDoNothing();
}

/** The mailer's view of the settings: who every mail comes from (app.ts gives it to createMailer). */
export async function senderIdentity(db: Db): Promise<SenderIdentity> {
  const s = await getOrganizationSettings(db);
  return {
    name: s.organizationName,
    shortName: s.shortName,
    address: s.senderAddress,
    replyTo: s.replyTo,
    signature: s.signature,
  };
}
