/**
 * UI text in Japanese (default) and English. `en` is typed against the keys of `ja`, so a key
 * added to one language and forgotten in the other fails the type check instead of showing a
 * raw key to a user. Placeholders are written {name} and filled by `t(key, { name })`.
 */
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export const ja = {
  'app.name': 'Kankei 関係人口・移住支援',
  'app.skipToContent': '本文へスキップ',
  'app.loading': '読み込み中…',
  'app.notFound': 'ページが見つかりません。',
  'app.backHome': 'ダッシュボードへ戻る',
  'app.forbidden': 'このページを表示する権限がありません。',

  'nav.label': 'メインメニュー',
  'nav.dashboard': 'ダッシュボード',
  'nav.people': '人',
  'nav.staff': '職員',
  'nav.audit': '監査ログ',
  'nav.tokens': 'APIトークン',
  'nav.account': 'アカウント',
  'nav.logout': 'ログアウト',
  'nav.userInfo': 'ログイン中のユーザー',
  'lang.switchTo': 'English',
  'lang.switchLabel': '表示言語を英語に切り替える',

  'role.prefecture_admin': '都道府県管理者',
  'role.center_staff': 'センター職員',
  'role.municipality_staff': '市町村職員',
  'role.partner': '連携機関',

  'kind.roots': 'ゆかり(出身等)',
  'kind.interest': '関心',
  'kind.supporter': '登録サポーター',
  'kind.moved_in': '移住済み',

  'common.save': '保存',
  'common.saving': '保存中…',
  'common.cancel': 'キャンセル',
  'common.edit': '編集',
  'common.delete': '削除',
  'common.search': '検索',
  'common.all': 'すべて',
  'common.none': '—',
  'common.select': '選択してください',
  'common.prev': '前へ',
  'common.next': '次へ',
  'common.pagination': 'ページ送り',
  'common.range': '{from}〜{to}件 / 全{total}件',
  'common.noResults': '該当するデータはありません。',
  'common.yes': 'はい',
  'common.no': 'いいえ',
  'common.close': '閉じる',
  'common.required': '必須',
  'common.retry': '再読み込み',
  'common.formHasErrors': '入力内容を確認してください。',

  'error.network': 'サーバーに接続できませんでした。通信環境を確認して、もう一度お試しください。',
  'error.unexpected': '予期しないエラーが発生しました（{status}）。',

  'login.title': 'ログイン',
  'login.email': 'メールアドレス',
  'login.password': 'パスワード',
  'login.submit': 'ログイン',
  'login.submitting': 'ログイン中…',
  'login.intro': '職員用のアカウントでログインしてください。',

  'dashboard.title': 'ダッシュボード',
  'dashboard.mapTitle': '市町村別の登録者数',
  'dashboard.mapDescription': '地図の市町村を選ぶと、その市町村に関わる人の一覧を開きます。',
  'dashboard.mapLabel': '山形県の市町村別の関係者数の地図',
  'dashboard.people': '{count}人',
  'dashboard.legend': '凡例（人数）',
  'dashboard.tableCaption': '市町村別の関係者数（地図と同じ内容の表）',
  'dashboard.municipality': '市町村',
  'dashboard.region': '地域',
  'dashboard.count': '人数',
  'dashboard.total': '合計 {count}人（延べ）',
  'dashboard.creditTranslation': '',

  'people.title': '人',
  'people.new': '新規登録',
  'people.exportUtf8': 'CSV 書き出し（UTF-8）',
  'people.exportSjis': 'CSV 書き出し（Shift_JIS・旧Excel向け）',
  'people.searchLabel': '検索（氏名・フリガナ・メール・電話番号）',
  'people.searchHint': '全角・半角、ひらがな・カタカナの違いは区別しません。',
  'people.municipalityFilter': '市町村で絞り込み',
  'people.resultCount': '{total}件見つかりました。',
  'people.tableCaption': '人の一覧',

  'person.name': '氏名',
  'person.kana': 'フリガナ',
  'person.email': 'メールアドレス',
  'person.phone': '電話番号',
  'person.postalCode': '郵便番号',
  'person.prefecture': '都道府県',
  'person.city': '市区町村',
  'person.birthYear': '生年',
  'person.notes': 'メモ',
  'person.links': '市町村とのつながり',
  'person.linkMunicipality': '市町村 {n}',
  'person.linkKind': '種類 {n}',
  'person.linkRemove': 'つながり{n}を削除',
  'person.linkAdd': 'つながりを追加',
  'person.noLinks': 'つながりは登録されていません。',
  'person.createdAt': '登録日時',
  'person.updatedAt': '更新日時',
  'person.id': 'ID',
  'person.details': '基本情報',
  'person.newTitle': '人を登録',
  'person.editTitle': '{name} を編集',
  'person.postalCodeHint': '例：990-8570',
  'person.birthYearHint': '西暦4桁（例：1985）',
  'person.duplicateCandidates': '重複の可能性がある登録：',
  'person.openInNewTab': '{name} を新しいタブで開く',
  'person.duplicateHelp': '同じ人であれば、既存の記録を開き、その画面で統合してください。',
  'person.saved': '保存しました。',
  'person.deleted': '{name} を削除しました。',
  'person.purged': '{name} のデータを完全に削除しました。',
  'person.merged': '記録を統合しました。',
  'person.delete': '削除',
  'person.exportJson': '保有データの書き出し（JSON）',
  'person.deleteTitle': 'この人を削除しますか？',
  'person.deleteBody': '{name} を一覧から削除します。管理者は監査ログで経緯を確認できます。',
  'person.history': '履歴',
  'person.noHistory': '履歴はありません。',
  'person.auditLink': 'この人の監査ログ',
  'person.systemActor': 'システム',
  'person.changedFields': '変更した項目：{fields}',
  'details.linksAdded': '追加したつながり',
  'details.linksRemoved': '削除したつながり',
  'person.mergeTitle': '別の記録をこの記録に統合',
  'person.mergeHelp': '統合すると、もう一方の記録の内容と履歴がこの記録に移り、もう一方は削除されます。',
  'person.mergeSourceId': '統合する記録のID',
  'person.mergeSubmit': '統合する',
  'person.mergeThis': 'この記録を統合',
  'person.mergeConfirmTitle': '記録を統合しますか？',
  'person.mergeConfirmBody': 'ID {id} の記録を {name} に統合します。元に戻せません。',
  'person.duplicates': '重複の可能性がある記録',
  'person.noDuplicates': '重複の可能性がある記録は見つかりませんでした。',
  'person.purgeTitle': '完全削除（本人からの削除請求）',
  'person.purgeHelp': '本人からの請求により、この人の個人データを完全に消去します。元に戻せません。監査ログには削除した事実のみ残ります。',
  'person.purgeButton': '完全削除…',
  'person.purgeConfirmTitle': '個人データを完全に削除しますか？',
  'person.purgeConfirmLabel': '確認のため、氏名「{name}」を入力してください',
  'person.purgeConfirmSubmit': '完全に削除する',

  'action.person.create': '登録',
  'action.person.update': '更新',
  'action.person.read': '閲覧',
  'action.person.merge': '統合',
  'action.person.delete': '削除',
  'action.person.purge': '完全削除',
  'action.person.merged_away': '他の記録へ統合',
  'action.people.search': '人の検索',
  'action.auth.login': 'ログイン',
  'action.auth.login_failed': 'ログイン失敗',
  'action.auth.login_locked': 'ロック中のログイン試行',
  'action.auth.locked': 'アカウントロック',
  'action.people.export': '人の書き出し',
  'action.person.export': '個人データの書き出し',
  'action.auth.logout': 'ログアウト',
  'action.auth.password_changed': 'パスワード変更',
  'action.staff.create': '職員の追加',
  'action.staff.update': '職員の変更',
  'action.staff.password_reset': '職員のパスワード再設定',
  'action.token.create': 'APIトークン作成',
  'action.token.revoke': 'APIトークン失効',
  'action.organization.create': '機関の登録',
  'action.demo.seed': 'デモデータ投入',

  'staff.title': '職員',
  'staff.listCaption': '職員の一覧',
  'staff.name': '氏名',
  'staff.email': 'メールアドレス',
  'staff.role': '役割',
  'staff.municipality': '担当市町村',
  'staff.organization': '所属機関',
  'staff.password': '初期パスワード',
  'staff.passwordHint': '12文字以上。本人に安全な方法で伝え、初回ログイン後に変更してもらってください。',
  'staff.status': '状態',
  'staff.active': '有効',
  'staff.disabled': '無効',
  'staff.locked': 'ロック中（{until}まで）',
  'staff.disable': '無効にする',
  'staff.enable': '有効にする',
  'staff.disableLabel': '{name} を無効にする',
  'staff.enableLabel': '{name} を有効にする',
  'staff.createTitle': '職員を追加',
  'staff.create': '追加',
  'staff.created': '{name} を追加しました。',
  'staff.updated': '{name} を更新しました。',

  'audit.title': '監査ログ',
  'audit.filters': '絞り込み',
  'audit.personId': '個人ID',
  'audit.actor': '操作した職員',
  'audit.actorAny': 'すべての職員',
  'audit.action': '操作',
  'audit.apply': '絞り込む',
  'audit.clear': '条件をクリア',
  'audit.at': '日時',
  'audit.entity': '対象',
  'audit.person': '個人',
  'audit.ip': 'IPアドレス',
  'audit.details': '詳細',
  'audit.tableCaption': '監査ログ（新しい順）',
  'audit.resultCount': '{total}件の記録',

  'tokens.title': 'APIトークン',
  'tokens.intro': '外部システムから Kankei の API を使うためのトークンです。トークンは作成した職員の権限で動作します。',
  'tokens.listCaption': 'APIトークンの一覧',
  'tokens.name': '名前',
  'tokens.createdAt': '作成日時',
  'tokens.lastUsedAt': '最終利用',
  'tokens.expiresAt': '有効期限',
  'tokens.status': '状態',
  'tokens.active': '有効',
  'tokens.revoked': '失効済み',
  'tokens.expired': '期限切れ',
  'tokens.never': 'なし',
  'tokens.revoke': '失効させる',
  'tokens.revokeLabel': '{name} を失効させる',
  'tokens.revokeTitle': 'トークンを失効させますか？',
  'tokens.revokeBody': '「{name}」を使っているシステムは、すぐにAPIを使えなくなります。',
  'tokens.createTitle': 'トークンを作成',
  'tokens.expiresInDays': '有効日数',
  'tokens.expiresInDaysHint': '空欄にすると期限なし',
  'tokens.create': '作成',
  'tokens.newToken': '新しいトークン「{name}」',
  'tokens.newTokenWarning': 'このトークンは今回しか表示されません。いま安全な場所に保存してください。',
  'tokens.tokenValue': 'トークン',
  'tokens.copy': 'コピー',
  'tokens.copied': 'コピーしました。',
  'tokens.copyFailed': 'コピーできませんでした。欄を選択して手動でコピーしてください。',
  'tokens.revokedDone': '「{name}」を失効させました。',

  'account.title': 'アカウント',
  'account.profile': 'ログイン中のアカウント',
  'account.passwordTitle': 'パスワードの変更',
  'account.currentPassword': '現在のパスワード',
  'account.newPassword': '新しいパスワード',
  'account.newPasswordHint': '12文字以上',
  'account.confirmPassword': '新しいパスワード（確認）',
  'account.mismatch': '確認用のパスワードが一致しません。',
  'account.changePassword': 'パスワードを変更',
  'account.changed': 'パスワードを変更しました。',
};

export type MessageKey = keyof typeof ja;

export const en: { [K in MessageKey]: string } = {
  'app.name': 'Kankei — Relationship population & migration support',
  'app.skipToContent': 'Skip to main content',
  'app.loading': 'Loading…',
  'app.notFound': 'Page not found.',
  'app.backHome': 'Back to the dashboard',
  'app.forbidden': 'You do not have permission to view this page.',

  'nav.label': 'Main menu',
  'nav.dashboard': 'Dashboard',
  'nav.people': 'People',
  'nav.staff': 'Staff',
  'nav.audit': 'Audit log',
  'nav.tokens': 'API tokens',
  'nav.account': 'Account',
  'nav.logout': 'Log out',
  'nav.userInfo': 'Signed in as',
  'lang.switchTo': '日本語',
  'lang.switchLabel': 'Switch the display language to Japanese',

  'role.prefecture_admin': 'Prefecture admin',
  'role.center_staff': 'Center staff',
  'role.municipality_staff': 'Municipality staff',
  'role.partner': 'Partner agency',

  'kind.roots': 'Roots',
  'kind.interest': 'Interest',
  'kind.supporter': 'Registered supporter',
  'kind.moved_in': 'Moved in',

  'common.save': 'Save',
  'common.saving': 'Saving…',
  'common.cancel': 'Cancel',
  'common.edit': 'Edit',
  'common.delete': 'Delete',
  'common.search': 'Search',
  'common.all': 'All',
  'common.none': '—',
  'common.select': 'Please select',
  'common.prev': 'Previous',
  'common.next': 'Next',
  'common.pagination': 'Pagination',
  'common.range': '{from}–{to} of {total}',
  'common.noResults': 'Nothing found.',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.close': 'Close',
  'common.required': 'required',
  'common.retry': 'Reload',
  'common.formHasErrors': 'Please check the highlighted fields.',

  'error.network': 'Could not reach the server. Check your connection and try again.',
  'error.unexpected': 'An unexpected error occurred ({status}).',

  'login.title': 'Log in',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.submitting': 'Logging in…',
  'login.intro': 'Log in with your staff account.',

  'dashboard.title': 'Dashboard',
  'dashboard.mapTitle': 'People by municipality',
  'dashboard.mapDescription': 'Choose a municipality on the map to open the list of people linked to it.',
  'dashboard.mapLabel': 'Map of the municipalities of Yamagata with the number of linked people',
  'dashboard.people': '{count} people',
  'dashboard.legend': 'Legend (people)',
  'dashboard.tableCaption': 'Linked people by municipality (same data as the map)',
  'dashboard.municipality': 'Municipality',
  'dashboard.region': 'Region',
  'dashboard.count': 'People',
  'dashboard.total': 'Total {count} (a person linked to several municipalities counts in each)',
  'dashboard.creditTranslation':
    'Source: processed from the National Land Numerical Information (administrative areas), Ministry of Land, Infrastructure, Transport and Tourism.',

  'people.title': 'People',
  'people.new': 'New person',
  'people.exportUtf8': 'Export CSV (UTF-8)',
  'people.exportSjis': 'Export CSV (Shift_JIS, older Excel)',
  'people.searchLabel': 'Search (name, kana, email, phone)',
  'people.searchHint': 'Full-/half-width characters and hiragana/katakana are treated alike.',
  'people.municipalityFilter': 'Filter by municipality',
  'people.resultCount': '{total} found.',
  'people.tableCaption': 'People',

  'person.name': 'Name',
  'person.kana': 'Kana reading',
  'person.email': 'Email',
  'person.phone': 'Phone',
  'person.postalCode': 'Postal code',
  'person.prefecture': 'Prefecture',
  'person.city': 'City / town',
  'person.birthYear': 'Birth year',
  'person.notes': 'Notes',
  'person.links': 'Links to municipalities',
  'person.linkMunicipality': 'Municipality {n}',
  'person.linkKind': 'Kind {n}',
  'person.linkRemove': 'Remove link {n}',
  'person.linkAdd': 'Add a link',
  'person.noLinks': 'No links recorded.',
  'person.createdAt': 'Created',
  'person.updatedAt': 'Updated',
  'person.id': 'ID',
  'person.details': 'Details',
  'person.newTitle': 'New person',
  'person.editTitle': 'Edit {name}',
  'person.postalCodeHint': 'e.g. 990-8570',
  'person.birthYearHint': 'Four digits, e.g. 1985',
  'person.duplicateCandidates': 'Possible duplicates:',
  'person.openInNewTab': 'Open {name} in a new tab',
  'person.duplicateHelp': 'If it is the same person, open the existing record and merge from its page.',
  'person.saved': 'Saved.',
  'person.deleted': '{name} was deleted.',
  'person.purged': 'All personal data of {name} was erased.',
  'person.merged': 'The records were merged.',
  'person.delete': 'Delete',
  'person.exportJson': 'Export held data (JSON)',
  'person.deleteTitle': 'Delete this person?',
  'person.deleteBody': '{name} will be removed from the list. Admins can see what happened in the audit log.',
  'person.history': 'History',
  'person.noHistory': 'No history yet.',
  'person.auditLink': 'Audit log for this person',
  'person.systemActor': 'System',
  'person.changedFields': 'Changed: {fields}',
  'details.linksAdded': 'Links added',
  'details.linksRemoved': 'Links removed',
  'person.mergeTitle': 'Merge another record into this one',
  'person.mergeHelp': 'The other record’s data and history move into this record, and the other record is removed.',
  'person.mergeSourceId': 'ID of the record to merge',
  'person.mergeSubmit': 'Merge',
  'person.mergeThis': 'Merge this record',
  'person.mergeConfirmTitle': 'Merge the records?',
  'person.mergeConfirmBody': 'The record with ID {id} will be merged into {name}. This cannot be undone.',
  'person.duplicates': 'Possible duplicates',
  'person.noDuplicates': 'No possible duplicates were found.',
  'person.purgeTitle': 'Purge (data-subject deletion)',
  'person.purgeHelp': 'At the person’s request, erase all of their personal data. This cannot be undone. The audit log keeps only the fact of the erasure.',
  'person.purgeButton': 'Purge…',
  'person.purgeConfirmTitle': 'Erase all personal data?',
  'person.purgeConfirmLabel': 'To confirm, type the name “{name}”',
  'person.purgeConfirmSubmit': 'Erase permanently',

  'action.person.create': 'Created',
  'action.person.update': 'Updated',
  'action.person.read': 'Viewed',
  'action.person.merge': 'Merged',
  'action.person.delete': 'Deleted',
  'action.person.purge': 'Purged',
  'action.person.merged_away': 'Merged into another record',
  'action.people.search': 'People search',
  'action.auth.login': 'Login',
  'action.auth.login_failed': 'Failed login',
  'action.auth.login_locked': 'Login while locked',
  'action.auth.locked': 'Account locked',
  'action.people.export': 'People exported',
  'action.person.export': 'Personal data exported',
  'action.auth.logout': 'Logout',
  'action.auth.password_changed': 'Password changed',
  'action.staff.create': 'Staff added',
  'action.staff.update': 'Staff changed',
  'action.staff.password_reset': 'Staff password reset',
  'action.token.create': 'API token created',
  'action.token.revoke': 'API token revoked',
  'action.organization.create': 'Organization added',
  'action.demo.seed': 'Demo data loaded',

  'staff.title': 'Staff',
  'staff.listCaption': 'Staff accounts',
  'staff.name': 'Name',
  'staff.email': 'Email',
  'staff.role': 'Role',
  'staff.municipality': 'Municipality',
  'staff.organization': 'Organization',
  'staff.password': 'Initial password',
  'staff.passwordHint': 'At least 12 characters. Hand it over safely and ask them to change it after the first login.',
  'staff.status': 'Status',
  'staff.active': 'Active',
  'staff.disabled': 'Disabled',
  'staff.locked': 'Locked until {until}',
  'staff.disable': 'Disable',
  'staff.enable': 'Enable',
  'staff.disableLabel': 'Disable {name}',
  'staff.enableLabel': 'Enable {name}',
  'staff.createTitle': 'Add a staff member',
  'staff.create': 'Add',
  'staff.created': '{name} was added.',
  'staff.updated': '{name} was updated.',

  'audit.title': 'Audit log',
  'audit.filters': 'Filters',
  'audit.personId': 'Person ID',
  'audit.actor': 'Staff member',
  'audit.actorAny': 'Any staff member',
  'audit.action': 'Action',
  'audit.apply': 'Apply',
  'audit.clear': 'Clear filters',
  'audit.at': 'When',
  'audit.entity': 'Entity',
  'audit.person': 'Person',
  'audit.ip': 'IP address',
  'audit.details': 'Details',
  'audit.tableCaption': 'Audit log (newest first)',
  'audit.resultCount': '{total} entries',

  'tokens.title': 'API tokens',
  'tokens.intro': 'Tokens let other systems use the Kankei API. A token acts with the rights of the staff member who created it.',
  'tokens.listCaption': 'API tokens',
  'tokens.name': 'Name',
  'tokens.createdAt': 'Created',
  'tokens.lastUsedAt': 'Last used',
  'tokens.expiresAt': 'Expires',
  'tokens.status': 'Status',
  'tokens.active': 'Active',
  'tokens.revoked': 'Revoked',
  'tokens.expired': 'Expired',
  'tokens.never': 'Never',
  'tokens.revoke': 'Revoke',
  'tokens.revokeLabel': 'Revoke {name}',
  'tokens.revokeTitle': 'Revoke this token?',
  'tokens.revokeBody': 'Systems using “{name}” lose API access immediately.',
  'tokens.createTitle': 'Create a token',
  'tokens.expiresInDays': 'Valid for (days)',
  'tokens.expiresInDaysHint': 'Leave empty for no expiry',
  'tokens.create': 'Create',
  'tokens.newToken': 'New token “{name}”',
  'tokens.newTokenWarning': 'This token is shown only once. Store it somewhere safe now.',
  'tokens.tokenValue': 'Token',
  'tokens.copy': 'Copy',
  'tokens.copied': 'Copied.',
  'tokens.copyFailed': 'Could not copy. Select the field and copy it by hand.',
  'tokens.revokedDone': '“{name}” was revoked.',

  'account.title': 'Account',
  'account.profile': 'Signed-in account',
  'account.passwordTitle': 'Change password',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.newPasswordHint': 'At least 12 characters',
  'account.confirmPassword': 'New password (again)',
  'account.mismatch': 'The two new passwords do not match.',
  'account.changePassword': 'Change password',
  'account.changed': 'Your password was changed.',
};

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
const dictionaries: Record<Lang, { [K in MessageKey]: string }> = { ja, en };
const STORAGE_KEY = 'kankei.lang';

export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

export function translate(lang: Lang, key: MessageKey, vars?: TranslateVars): string {
  const text = dictionaries[lang][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function readStoredLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === 'en' ? 'en' : 'ja';
  } catch {
    // Storage can be blocked (private mode, policies); Japanese is the default anyway.
    return 'ja';
  }
}

/**
 * The language outside React, for the API client's Accept-Language header. Kept in step with the
 * provider's state so a request sent right after switching already asks for the new language.
 */
let currentLang: Lang = readStoredLang();
export function getCurrentLang(): Lang {
  return currentLang;
}

type LangContextValue = { lang: Lang; setLang: (lang: Lang) => void };
const LangContext = createContext<LangContextValue>({ lang: 'ja', setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);

  const setLang = useCallback((next: Lang) => {
    currentLang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the switch still applies to this tab.
    }
    setLangState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return createElement(LangContext.Provider, { value }, children);
}

export function useLang(): LangContextValue {
  return useContext(LangContext);
}

export function useT(): Translate {
  const { lang } = useLang();
  return useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
}

/** Date-time in the UI language; empty input gives the em dash used for missing values. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB').format(value);
}
