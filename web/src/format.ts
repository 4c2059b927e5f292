import type { Lang, Translate } from './i18n';
import type { Municipality, PersonLink } from './types';
import {
  CONSENT_PURPOSES,
  ENGAGEMENT_KINDS,
  INVOLVEMENT_KINDS,
  LINK_KINDS,
  PREFECTURE_NAMES_EN,
  ROOT_KINDS,
  STAGES,
  type ConsentPurpose,
  type EngagementKind,
  type InvolvementKind,
  type LinkKind,
  type Prefecture,
  type RootKind,
  type Stage,
  type StaffRole,
} from '../../src/shared/domain';
import type { CardInvalidReason, CardRevokeReason } from '../../src/modules/cards/cards.schemas';

/** True only when the two unions hold the same members; used to pin local lists to the server's. */
type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameMembers = <T extends true>(value: T) => value;

/**
 * The card vocabularies. The server keeps them in its cards module (next to zod), which the UI
 * must not bundle, so they are repeated here — and the type check fails if the two ever differ.
 */
export const CARD_INVALID_REASONS = [
  'malformed',
  'bad_signature',
  'unknown_key',
  'expired',
  'revoked',
  'not_yet_valid',
  'wrong_issuer',
] as const;
export const CARD_REVOKE_REASONS = ['lost', 'stolen', 'withdrawn', 'issued_in_error', 'other'] as const;
sameMembers<SameMembers<(typeof CARD_INVALID_REASONS)[number], CardInvalidReason>>(true);
sameMembers<SameMembers<(typeof CARD_REVOKE_REASONS)[number] | 'replaced', CardRevokeReason>>(true);

/** Municipality names in the UI language: 山形市 in Japanese, Yamagata-shi in English. */
export function municipalityLabel(m: Municipality | undefined, code: string, lang: Lang): string {
  if (!m) return code;
  return lang === 'en' ? m.romaji : m.name;
}

/** A prefecture in the UI language: 東京都 in Japanese, Tokyo in English (the stored value stays 東京都). */
export function prefectureLabel(prefecture: Prefecture, lang: Lang): string {
  return lang === 'en' ? PREFECTURE_NAMES_EN[prefecture] : prefecture;
}

/** An event's title in the UI language: the English one on English pages where the event has one. */
export function eventTitle(e: { title: string; titleEn: string | null }, lang: Lang): string {
  return lang === 'en' && e.titleEn ? e.titleEn : e.title;
}

/** An event's description in the UI language, like eventTitle. */
export function eventDescription(e: { description: string | null; descriptionEn: string | null }, lang: Lang) {
  return lang === 'en' && e.descriptionEn ? e.descriptionEn : e.description;
}

/**
 * A booth's name in the UI language. Booth names are free text in Japanese, with an optional
 * English one staff give; on English pages that one is shown, else a municipality's booth is named
 * by the municipality's English name, and the others keep their Japanese name.
 */
export function boothLabel(
  booth: { name: string; nameEn?: string | null; municipality: { code: string } | null },
  byCode: ReadonlyMap<string, Municipality>,
  lang: Lang,
): string {
  if (lang !== 'en') return booth.name;
  if (booth.nameEn) return booth.nameEn;
  const m = booth.municipality ? byCode.get(booth.municipality.code) : undefined;
  return m ? m.romaji : booth.name;
}

export function kindLabel(t: Translate, kind: string): string {
  return (LINK_KINDS as readonly string[]).includes(kind) ? t(`kind.${kind as LinkKind}`) : kind;
}

export function roleLabel(t: Translate, role: StaffRole | string): string {
  switch (role) {
    case 'prefecture_admin':
    case 'center_staff':
    case 'municipality_staff':
    case 'partner':
      return t(`role.${role}`);
    default:
      return role;
  }
}

/** Audit actions the server records (see the server's audit calls); others are shown by their code. */
export const KNOWN_ACTIONS = [
  'person.create',
  'person.read',
  'person.update',
  'person.delete',
  'person.merge',
  'person.merged_away',
  'person.purge',
  'people.search',
  'auth.login',
  'auth.login_failed',
  'auth.login_locked',
  'auth.logout',
  'auth.password_changed',
  'auth.password_change_failed',
  'mail.undelivered.read',
  'mail.held.list',
  'mail.held.read',
  'job.retry',
  'staff.create',
  'staff.update',
  'staff.password_reset',
  'token.create',
  'token.revoke',
  'organization.create',
  'demo.seed',
  'people.export',
  'person.export',
  'engagement.create',
  'registration.create',
  'registration.confirm',
  'registration.refused',
  'supporter.sign_in',
  'consent.change',
  'card.issue',
  'card.revoke',
  'card.read',
  'card.key_rotate',
  'event.create',
  'event.update',
  'event.checkin',
  'event.attendance',
  'event_registration.create',
  'event_registration.refused',
  'event_registration.search',
  'consultation.create',
  'consultation.read',
  'consultation.update',
  'consultations.search',
  'case.read',
  'case.step',
  'cases.search',
  'person.cases.read',
  'referral.create',
  'referral.update',
  'referrals.search',
  'followup.update',
  'followups.search',
  'followup_rules.update',
  'analytics.export',
] as const;

export function actionLabel(t: Translate, action: string): string {
  const known = KNOWN_ACTIONS.find((a) => a === action);
  return known ? t(`action.${known}`) : action;
}

/** First block of a UUID, enough to tell records apart in a table; the full id goes in a title. */
export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id;
}

/** Groups a person's links by municipality: 山形市（登録サポーター・関心）. */
export function linksSummary(
  links: PersonLink[],
  byCode: Map<string, Municipality>,
  t: Translate,
  lang: Lang,
): string[] {
  const grouped = new Map<string, string[]>();
  for (const link of links) {
    const kinds = grouped.get(link.municipalityCode) ?? [];
    kinds.push(kindLabel(t, link.kind));
    grouped.set(link.municipalityCode, kinds);
  }
  const open = lang === 'ja' ? '（' : ' (';
  const close = lang === 'ja' ? '）' : ')';
  const sep = lang === 'ja' ? '・' : ', ';
  return [...grouped].map(
    ([code, kinds]) => `${municipalityLabel(byCode.get(code), code, lang)}${open}${kinds.join(sep)}${close}`,
  );
}

export function byCodeMap(municipalities: Municipality[]): Map<string, Municipality> {
  return new Map(municipalities.map((m) => [m.code, m]));
}

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** Labels of the domain vocabularies; an unknown code (a newer server) is shown as it is. */
export function stageLabel(t: Translate, stage: string): string {
  return isOneOf<Stage>(STAGES, stage) ? t(`stage.${stage}`) : stage;
}

export function engagementKindLabel(t: Translate, kind: string): string {
  return isOneOf<EngagementKind>(ENGAGEMENT_KINDS, kind) ? t(`engagement.kind.${kind}`) : kind;
}

export function rootLabel(t: Translate, root: string): string {
  return isOneOf<RootKind>(ROOT_KINDS, root) ? t(`root.${root}`) : root;
}

export function involvementLabel(t: Translate, kind: string): string {
  return isOneOf<InvolvementKind>(INVOLVEMENT_KINDS, kind) ? t(`involvement.${kind}`) : kind;
}

export function consentPurposeLabel(t: Translate, purpose: string): string {
  return isOneOf<ConsentPurpose>(CONSENT_PURPOSES, purpose) ? t(`consent.${purpose}`) : purpose;
}

export function invalidReasonLabel(t: Translate, reason: string): string | null {
  return isOneOf<CardInvalidReason>(CARD_INVALID_REASONS, reason) ? t(`verify.reason.${reason}`) : null;
}

export function revokeReasonLabel(t: Translate, reason: string): string {
  if (reason === 'replaced') return t('cards.reason.replaced');
  return isOneOf<Exclude<CardRevokeReason, 'replaced'>>(CARD_REVOKE_REASONS, reason)
    ? t(`cards.reason.${reason}`)
    : reason;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date in the UI language (2024年6月1日 / 1 Jun 2024). A yyyy-mm-dd string is a date
 * already and is shown as written; a timestamp is shown as its date in Japan.
 */
export function formatDate(value: string | null | undefined, lang: Lang): string {
  if (!value) return '—';
  const dateOnly = DATE_ONLY.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: dateOnly ? 'UTC' : 'Asia/Tokyo',
  }).format(date);
}

export function formatYen(amount: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { style: 'currency', currency: 'JPY' }).format(
    amount,
  );
}

/** Municipality names joined the way each language lists them (山形市・鶴岡市 / Yamagata-shi, Tsuruoka-shi). */
export function joinList(items: string[], lang: Lang): string {
  return items.join(lang === 'ja' ? '・' : ', ');
}

/** A period of dates, either end possibly open: 2026/11/1〜2027/3/31 in Japanese, with an en dash in English. */
export function formatPeriod(start: string | null | undefined, end: string | null | undefined, lang: Lang): string {
  const from = start ? formatDate(start, lang) : '';
  const to = end ? formatDate(end, lang) : '';
  return `${from}${lang === 'ja' ? '〜' : '–'}${to}`;
}
