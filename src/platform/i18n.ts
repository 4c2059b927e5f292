/**
 * Server-side messages in Japanese (default) and English. The API answers in the language the
 * client asks for with Accept-Language, so the UI can show server messages as they are.
 */
export type Locale = 'ja' | 'en';

/** Picks ja or en from an Accept-Language header by quality; Japanese when nothing matches. */
export function pickLocale(header: string | undefined): Locale {
  if (!header) return 'ja';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('ja')) return 'ja';
    if (tag.startsWith('en')) return 'en';
  }
  return 'ja';
}

type Params = Record<string, string | number>;
type Message = string | ((p: Params) => string);

function format(message: Message, params: Params): string {
  return typeof message === 'function' ? message(params) : message;
}

/** Top-level messages per error code. */
const ERROR_MESSAGES: Record<Locale, Record<string, Message>> = {
  ja: {
    VALIDATION: '入力内容に誤りがあります。',
    INVALID_JSON: 'リクエストの JSON を読み取れません。',
    BAD_REQUEST: 'リクエストが正しくありません。',
    UNAUTHENTICATED: 'ログインが必要です。',
    INVALID_CREDENTIALS: 'メールアドレスまたはパスワードが正しくありません。',
    ACCOUNT_LOCKED: (p) => `ログインの失敗が続いたため、アカウントを一時的にロックしました。${p.minutes}分後にもう一度お試しください。`,
    CSRF: '操作を確認できませんでした（CSRF トークンが無効です）。ページを再読み込みしてください。',
    FORBIDDEN: 'この操作を行う権限がありません。',
    NOT_FOUND: '見つかりません。',
    DUPLICATE_PERSON: '同じメールアドレスまたは電話番号の人がすでに登録されています。既存の記録を開くか、統合してください。',
    DUPLICATE_PERSON_HIDDEN: '同じメールアドレスまたは電話番号の人が、担当外の市町村ですでに登録されています。センターに連携を依頼してください。',
    CONFLICT: 'ほかのデータと重複しています。',
    PAYLOAD_TOO_LARGE: 'リクエストが大きすぎます。',
    UNSUPPORTED_MEDIA_TYPE: 'この形式のデータは受け付けられません（JSON で送ってください）。',
    RATE_LIMITED: 'リクエストが多すぎます。しばらく待ってからもう一度お試しください。',
    FORM_EXPIRED: 'フォームの有効期限が切れたか、送信が早すぎます。ページを再読み込みして、もう一度送信してください。',
    LINK_INVALID: 'このリンクは無効か、有効期限が切れています。もう一度お手続きください。',
    INTERNAL: 'サーバーでエラーが発生しました。時間をおいてもう一度お試しください。',
  },
  en: {
    VALIDATION: 'Some fields are not valid.',
    INVALID_JSON: 'The request body is not valid JSON.',
    BAD_REQUEST: 'The request is not valid.',
    UNAUTHENTICATED: 'Please sign in.',
    INVALID_CREDENTIALS: 'The email address or password is not correct.',
    ACCOUNT_LOCKED: (p) => `Too many failed sign-ins: the account is locked for now. Try again in ${p.minutes} minutes.`,
    CSRF: 'The request could not be confirmed (invalid CSRF token). Please reload the page.',
    FORBIDDEN: 'You are not allowed to do this.',
    NOT_FOUND: 'Not found.',
    DUPLICATE_PERSON: 'A person with the same email address or phone number already exists. Open that record or merge them.',
    DUPLICATE_PERSON_HIDDEN: 'A person with the same email address or phone number is already registered outside your municipality. Ask the center to link them.',
    CONFLICT: 'This conflicts with existing data.',
    PAYLOAD_TOO_LARGE: 'The request is too large.',
    UNSUPPORTED_MEDIA_TYPE: 'This content type is not accepted (send JSON).',
    RATE_LIMITED: 'Too many requests. Please wait a moment and try again.',
    FORM_EXPIRED: 'The form has expired or was sent too quickly. Reload the page and send it again.',
    LINK_INVALID: 'This link is invalid or has expired. Please start again.',
    INTERNAL: 'Something went wrong on the server. Please try again later.',
  },
};

/** Human names of fields, so that a message can say which field is wrong. */
const FIELD_LABELS: Record<Locale, Record<string, string>> = {
  ja: {
    name: '氏名',
    kana: 'フリガナ',
    email: 'メールアドレス',
    phone: '電話番号',
    postalCode: '郵便番号',
    prefecture: '都道府県',
    city: '市区町村',
    birthYear: '生年',
    notes: 'メモ',
    links: '関係する市町村',
    municipalityCode: '市町村コード',
    municipality: '市町村',
    kind: '関係の種類',
    password: 'パスワード',
    currentPassword: '現在のパスワード',
    newPassword: '新しいパスワード',
    role: '役割',
    organizationId: '所属団体',
    q: '検索語',
    limit: '件数',
    offset: '開始位置',
    id: 'ID',
    sourceId: '統合元の ID',
    personId: '人の ID',
    actorId: '操作者の ID',
    staffId: '職員の ID',
    expiresInDays: '有効日数',
    disabled: '無効化',
    action: '操作',
    '(body)': 'リクエスト本文',
    occurredOn: '日付',
    municipalityCodes: '応援する市町村',
    consents: '同意',
    roots: 'ゆかり',
    involvement: '関わり方',
    interests: '関心のあること',
    skills: '得意なこと',
    formToken: 'フォーム',
    token: 'リンク',
    amountYen: '金額',
    note: '備考',
  },
  en: {
    postalCode: 'postal code',
    birthYear: 'birth year',
    municipalityCode: 'municipality code',
    currentPassword: 'current password',
    newPassword: 'new password',
    organizationId: 'organization',
    q: 'search text',
    sourceId: 'source id',
    personId: 'person id',
    actorId: 'actor id',
    staffId: 'staff id',
    expiresInDays: 'days valid',
    '(body)': 'request body',
    occurredOn: 'date',
    municipalityCodes: 'municipalities',
    formToken: 'form',
    token: 'link',
    amountYen: 'amount',
  },
};

/** Messages for one field's problem; `f` is the field's label. */
const FIELD_PROBLEMS: Record<Locale, Record<string, Message>> = {
  ja: {
    required: (p) => `${p.f}を入力してください。`,
    invalid_type: (p) => `${p.f}の形式が正しくありません（${p.expected} を指定してください）。`,
    too_long: (p) => `${p.f}は${p.max}文字以内で入力してください。`,
    too_short: (p) => `${p.f}は${p.min}文字以上で入力してください。`,
    too_large: (p) => `${p.f}は${p.max}以下にしてください。`,
    too_small: (p) => `${p.f}は${p.min}以上にしてください。`,
    too_many: (p) => `${p.f}は${p.max}件までです。`,
    not_integer: (p) => `${p.f}は整数で入力してください。`,
    invalid_email: (p) => `${p.f}の形式が正しくありません。`,
    invalid_uuid: (p) => `${p.f}の形式が正しくありません。`,
    invalid_format: (p) => `${p.f}の形式が正しくありません。`,
    invalid_choice: (p) => `${p.f}は次のいずれかを指定してください: ${p.options}`,
    unknown_field: (p) => `${p.f} という項目は受け付けていません。`,
    invalid_kana: (p) => `${p.f}はカタカナまたはひらがなで入力してください。`,
    invalid_phone: (p) => `${p.f}は 10〜11 桁の国内番号（例: 090-1234-5678）か +で始まる国際番号で入力してください。`,
    invalid_postal_code: (p) => `${p.f}は 7 桁（例: 990-8570）で入力してください。`,
    invalid_prefecture: (p) => `${p.f}は都道府県名（例: 東京都）で入力してください。`,
    control_characters: (p) => `${p.f}に使用できない制御文字が含まれています。`,
    unknown_municipality: (p) => `${p.f}「${p.value}」は登録されていません。`,
    unknown_organization: (p) => `${p.f}が見つかりません。`,
    must_include_own_municipality: (p) => `${p.f}に担当の市町村を含めてください。`,
    outside_scope: (p) => `${p.f}には担当の市町村だけを指定できます。`,
    duplicate: (p) => `この${p.f}はすでに使われています。`,
    wrong_password: (p) => `${p.f}が正しくありません。`,
    requires_municipality: (p) => `市町村職員には${p.f}が必要です。`,
    requires_organization: (p) => `連携機関の職員には${p.f}が必要です。`,
    not_allowed_for_role: (p) => `この役割では${p.f}を指定できません。`,
    same_person: (p) => `${p.f}に同じ人は指定できません。`,
    not_future_year: (p) => `${p.f}に未来の年は指定できません。`,
    future_date: (p) => `${p.f}に未来の日付は指定できません。`,
    invalid_date: (p) => `${p.f}は実在する日付（例: 2024-04-01）で入力してください。`,
    invalid: (p) => `${p.f}の値が正しくありません。`,
  },
  en: {
    required: (p) => `Enter the ${p.f}.`,
    invalid_type: (p) => `The ${p.f} has the wrong type (expected ${p.expected}).`,
    too_long: (p) => `The ${p.f} must be at most ${p.max} characters.`,
    too_short: (p) => `The ${p.f} must be at least ${p.min} characters.`,
    too_large: (p) => `The ${p.f} must be at most ${p.max}.`,
    too_small: (p) => `The ${p.f} must be at least ${p.min}.`,
    too_many: (p) => `The ${p.f} can hold at most ${p.max} entries.`,
    not_integer: (p) => `The ${p.f} must be a whole number.`,
    invalid_email: (p) => `The ${p.f} is not a valid email address.`,
    invalid_uuid: (p) => `The ${p.f} is not a valid id.`,
    invalid_format: (p) => `The ${p.f} is not in a valid format.`,
    invalid_choice: (p) => `The ${p.f} must be one of: ${p.options}`,
    unknown_field: (p) => `The field "${p.f}" is not accepted.`,
    invalid_kana: (p) => `Write the ${p.f} in katakana or hiragana.`,
    invalid_phone: (p) => `The ${p.f} must be a 10–11 digit Japanese number (e.g. 090-1234-5678) or an international number starting with +.`,
    invalid_postal_code: (p) => `The ${p.f} must have 7 digits (e.g. 990-8570).`,
    invalid_prefecture: (p) => `The ${p.f} must be a prefecture name such as 東京都.`,
    control_characters: (p) => `The ${p.f} contains control characters that are not allowed.`,
    unknown_municipality: (p) => `The ${p.f} "${p.value}" is not registered.`,
    unknown_organization: (p) => `The ${p.f} was not found.`,
    must_include_own_municipality: (p) => `The ${p.f} must include your municipality.`,
    outside_scope: (p) => `The ${p.f} may only name your own municipality.`,
    duplicate: (p) => `This ${p.f} is already in use.`,
    wrong_password: (p) => `The ${p.f} is not correct.`,
    requires_municipality: (p) => `Municipality staff need a ${p.f}.`,
    requires_organization: (p) => `Partner staff need an ${p.f}.`,
    not_allowed_for_role: (p) => `The ${p.f} is not allowed for this role.`,
    same_person: (p) => `The ${p.f} cannot be the same person.`,
    not_future_year: (p) => `The ${p.f} cannot be in the future.`,
    future_date: (p) => `The ${p.f} cannot be in the future.`,
    invalid_date: (p) => `The ${p.f} must be a real date such as 2024-04-01.`,
    invalid: (p) => `The ${p.f} is not valid.`,
  },
};

export function errorMessage(locale: Locale, code: string, params: Params = {}): string {
  const m = ERROR_MESSAGES[locale][code] ?? ERROR_MESSAGES[locale].BAD_REQUEST!;
  return format(m, params);
}

/** `field` may be a path such as `links.0.kind`; the label is taken from its last named segment. */
export function fieldLabel(locale: Locale, field: string): string {
  const segments = field.split('.').filter((s) => !/^\d+$/.test(s));
  const last = segments[segments.length - 1] ?? field;
  return FIELD_LABELS[locale][last] ?? (locale === 'en' ? last : last);
}

export function fieldProblemMessage(locale: Locale, field: string, problem: string, params: Params = {}): string {
  const m = FIELD_PROBLEMS[locale][problem] ?? FIELD_PROBLEMS[locale].invalid!;
  return format(m, { ...params, f: fieldLabel(locale, field) });
}
