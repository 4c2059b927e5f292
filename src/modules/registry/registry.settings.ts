/**
 * Registration settings per prefecture: the cap on how many municipalities one person may be a
 * registered supporter of (the national ふるさと住民登録 model limits it; default 10), and the
 * privacy notice every public form links to (/privacy). One row per prefecture; without one, or
 * with a text left empty, the defaults below apply.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError } from '../../platform/errors.js';
import type { Locale } from '../../platform/i18n.js';
import type { StaffContext } from '../../platform/request-context.js';
import { servedPrefecture } from '../../platform/tenant.js';
import { registrySettings } from './registry.tables.js';
import type { RegistrySettingsInput, RegistrySettingsView } from './registry.schemas.js';

export const DEFAULT_REGISTRATION_CAP = 10;
export const MAX_REGISTRATION_CAP = 50;

/**
 * Kankei's privacy notice when the prefecture has written none. Lines starting with `## ` are
 * headings, `- ` list items, the rest paragraphs (the /privacy page renders exactly these three).
 */
export const DEFAULT_PRIVACY_NOTICE: Readonly<Record<Locale, string>> = {
  ja: `## 個人情報の取扱いについて
このサービス（ふるさとサポーター登録、イベントの申し込み、地域プロジェクトへの応募）でお預かりする個人情報は、県と、あなたが選んだ市町村が、次の目的のためだけに利用します。

## 利用目的（同意ごと）
- 登録・申し込みの確認、サポーター証の発行、お問い合わせへの回答：登録に必要なため、同意の有無にかかわらず利用します。
- メールマガジン：同意した方にだけ、地域の情報やイベントのお知らせをお送りします。
- 市町村への連絡先の提供：同意した方の連絡先だけを、応援する市町村の担当者が見られます。
- 匿名の統計への利用：同意した方の記録を、個人が分からない形に集計して施策の評価に使います。
- プロジェクトの紹介（スカウト）：同意した方にだけ、コーディネーターが地域プロジェクトを紹介します。
- 郵送物（広報誌・年末のお便り）：住所を登録し同意した方にだけ郵送します。
同意はマイページ（/me）からいつでも変更・撤回できます。

## だれが見るか
- 県と移住・関係人口総合センターの担当者：登録された全員の情報。
- 市町村の担当者：その市町村を応援・関係先として登録した方の情報だけ。
- 協力機関：紹介を受けた方の情報だけ。
- サポーター証を確認する人：証に書かれた氏名、市町村、区分（ベーシック・プレミアム）、認定だけ。
職員による閲覧・出力・変更はすべて記録（監査ログ）に残ります。

## 保存期間
- 確認されなかった登録の申し込みは1週間で削除します。
- 登録の情報は、あなたが削除するまで、または登録の目的がなくなるまで保存します。
- プレミアム登録の申請で提出された書類は、申請の審査と登録の確認のためだけに保存し、公開しません。

## 開示・訂正・利用停止・削除の求め
- マイページ（/me）で、お預かりしている情報をすべて見て、ダウンロード（JSON・CSV）し、訂正し、同意を撤回し、登録を削除できます。
- マイページで行えないご請求（開示、訂正、利用停止、削除）は、県の移住・関係人口総合センターの窓口へお申し出ください。ご本人であることを確認のうえ対応します。`,
  en: `## How we handle your personal data
The personal data you give this service (supporter sign-up, event registration, applications to regional projects) is used by the prefecture and the municipalities you chose, for the purposes below only.

## Purposes (per consent)
- Confirming your sign-up or registration, issuing your supporter card and answering your questions: needed for the registration, used whether or not you consent to anything else.
- Newsletter: only if you consent, news and events from the region.
- Sharing your contact with municipalities: only if you consent, the staff of the municipalities you support see your contact.
- Anonymous statistics: only if you consent, your records are counted, never showing who you are, to evaluate policies.
- Project proposals (scouting): only if you consent, coordinators may propose regional projects to you.
- Postal mail (public relations magazine, year-end letters): only if you give an address and consent.
You can change or withdraw each consent at any time on your page (/me).

## Who sees what
- Staff of the prefecture and the migration & relationship-population center: everyone registered.
- Municipality staff: only the people registered with or linked to their municipality.
- Partner agencies: only the people referred to them.
- Anyone checking your supporter card: only the name, municipalities, tier (basic or premium) and certifications printed on it.
Every read, export and change by staff is recorded in an audit log.

## How long we keep it
- A sign-up that is not confirmed is deleted after one week.
- Your registration is kept until you delete it or it is no longer needed for its purpose.
- Documents you submit with a premium application are kept only to review it and confirm your registration, and are never made public.

## Asking for disclosure, correction, suspension or deletion
- On your page (/me) you can see everything held about you, download it (JSON or CSV), correct it, withdraw consents and delete your registration.
- For anything you cannot do there (disclosure, correction, suspension of use, deletion), contact the prefecture's migration & relationship-population center. We will confirm that you are the person concerned and answer.`,
};

/** The prefecture this installation serves (platform/tenant.ts); NOT_FOUND before the seed. */
async function registryPrefecture(db: Db): Promise<string> {
  const code = await servedPrefecture(db);
  if (!code) throw new AppError('NOT_FOUND');
  return code;
}

/** The settings in force: the prefecture's row over the defaults. */
export async function getRegistrySettings(db: Db): Promise<RegistrySettingsView> {
  const prefectureCode = await registryPrefecture(db);
  const [row] = await db.select().from(registrySettings).where(eq(registrySettings.prefectureCode, prefectureCode));
  return {
    prefectureCode,
    registrationCap: row?.registrationCap ?? DEFAULT_REGISTRATION_CAP,
    privacyNoticeJa: row?.privacyNoticeJa ?? DEFAULT_PRIVACY_NOTICE.ja,
    privacyNoticeEn: row?.privacyNoticeEn ?? DEFAULT_PRIVACY_NOTICE.en,
    isDefaultPrivacyNotice: { ja: !row?.privacyNoticeJa, en: !row?.privacyNoticeEn },
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** The cap in force (what sign-up and adding municipalities check). */
export async function registrationCap(db: Db): Promise<number> {
  return (await getRegistrySettings(db)).registrationCap;
}

/**
 * Writes the prefecture's settings (prefecture admins: the policy is on the route). A text sent as
 * null goes back to the default. Audited with the names of the fields changed, never the texts.
 */
export async function updateRegistrySettings(
  db: Db,
  ctx: StaffContext,
  input: RegistrySettingsInput,
): Promise<RegistrySettingsView> {
  const before = await getRegistrySettings(db);
  const values = {
    registrationCap: input.registrationCap,
    privacyNoticeJa: input.privacyNoticeJa ?? null,
    privacyNoticeEn: input.privacyNoticeEn ?? null,
    updatedAt: new Date(),
    updatedBy: ctx.actor.staffId,
  };
  const changed = [
    before.registrationCap !== input.registrationCap && 'registrationCap',
    before.privacyNoticeJa !== (input.privacyNoticeJa ?? DEFAULT_PRIVACY_NOTICE.ja) && 'privacyNoticeJa',
    before.privacyNoticeEn !== (input.privacyNoticeEn ?? DEFAULT_PRIVACY_NOTICE.en) && 'privacyNoticeEn',
  ].filter((f): f is string => Boolean(f));
  await inTransaction(db, async (tx) => {
    await tx
      .insert(registrySettings)
      .values({ prefectureCode: before.prefectureCode, ...values })
      .onConflictDoUpdate({ target: registrySettings.prefectureCode, set: values });
    await recordAudit(tx, ctx, {
      action: 'settings.registry.update',
      entityType: 'registry_settings',
      details: {
        prefectureCode: before.prefectureCode,
        changed,
        registrationCap: { from: before.registrationCap, to: input.registrationCap },
      },
    });
  });
  return getRegistrySettings(db);
}
