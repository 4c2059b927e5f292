/**
 * Notifications (docs/outreach.md): a partner organization's staff are mailed when a referral is
 * addressed to it. The mail names no one — the person's data stays behind the partner's sign-in —
 * and comes from the organization's sender identity, as every mail does.
 */
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { staff } from '../../platform/auth/auth.tables.js';
import type { Db } from '../../platform/db/client.js';
import type { Mailer } from '../../platform/mail/mail.service.js';
import type { PublicUrl } from '../../platform/public-url.js';

export type NotificationDeps = { db: Db; mailer: Mailer; publicUrl: PublicUrl };

/** A name-based UUID, so telling the same referral twice queues one mail per recipient. */
function noticeId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join(':')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The referral notice, without the person's name or contact. */
export function referralNoticeMail(p: { organization: string; area: string; link: string }) {
  return {
    locale: 'ja' as const,
    subject: '紹介が届きました',
    text: [
      `${p.organization} ご担当者様`,
      '',
      `移住・関係人口の相談者について、貴団体あての紹介（分野：${p.area}）が届きました。`,
      '内容と相談者の連絡先は、Kankei にログインして紹介の受信箱でご確認ください：',
      p.link,
      '',
      'A referral has been addressed to your organization. Sign in to see it in your referral inbox (link above).',
    ].join('\n'),
  };
}

/**
 * Mails every active partner account of the organization a referral is addressed to (nothing
 * for a referral to a municipality: its staff see it on their dashboard). Returns how many.
 */
export async function notifyReferral(
  deps: NotificationDeps,
  referral: { id: string; area: string; toOrganization: { id: string; name: string } | null },
): Promise<number> {
  const org = referral.toOrganization;
  if (!org) return 0;
  const recipients = await deps.db
    .select({ id: staff.id, email: staff.email })
    .from(staff)
    .where(and(eq(staff.organizationId, org.id), eq(staff.role, 'partner'), isNull(staff.disabledAt)));
  const link = `${deps.publicUrl()}/referrals`;
  for (const r of recipients)
    await deps.mailer.queue(deps.db, {
      id: noticeId('referral', referral.id, r.id),
      kind: 'consultations.referral',
      to: r.email,
      ...referralNoticeMail({ organization: org.name, area: referral.area, link }),
    });
  return recipients.length;
}
