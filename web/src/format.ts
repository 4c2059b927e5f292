import type { Lang, Translate } from './i18n';
import type { Municipality, PersonLink } from './types';
import { LINK_KINDS, type LinkKind, type StaffRole } from '../../src/shared/domain';

/** Municipality names in the UI language: 山形市 in Japanese, Yamagata-shi in English. */
export function municipalityLabel(m: Municipality | undefined, code: string, lang: Lang): string {
  if (!m) return code;
  return lang === 'en' ? m.romaji : m.name;
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
  'staff.create',
  'staff.update',
  'staff.password_reset',
  'token.create',
  'token.revoke',
  'organization.create',
  'demo.seed',
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
export function linksSummary(links: PersonLink[], byCode: Map<string, Municipality>, t: Translate, lang: Lang): string[] {
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
