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
    MULTIPART_REQUIRED: 'ファイルは multipart/form-data（file 欄）で送ってください。',
    MULTIPART_MALFORMED: 'multipart/form-data の形式が正しくありません（送信が途中で切れた可能性があります）。',
    CARD_MALFORMED: 'サポーター証として読み取れません。QR コードをもう一度読み取ってください。',
    CARD_BAD_SIGNATURE: 'このサポーター証は改ざんされているか、正規に発行されたものではありません。',
    CARD_UNKNOWN_KEY: 'このサポーター証の発行元を確認できません（署名の鍵が公開されていません）。',
    CARD_EXPIRED: 'このサポーター証は有効期限が切れています。',
    CARD_REVOKED: 'このサポーター証は失効しています（再発行・紛失届などにより無効になりました）。',
    CARD_NOT_YET_VALID: 'このサポーター証はまだ有効になっていません（発行日時が未来です）。',
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
    MULTIPART_REQUIRED: 'Send the file as multipart/form-data (field "file").',
    MULTIPART_MALFORMED: 'The multipart/form-data body is malformed (the upload may have been cut off).',
    CARD_MALFORMED: 'This is not a readable supporter card. Please scan the QR code again.',
    CARD_BAD_SIGNATURE: 'This supporter card has been altered or was not issued by us.',
    CARD_UNKNOWN_KEY: 'The issuer of this supporter card cannot be confirmed (its signing key is not published).',
    CARD_EXPIRED: 'This supporter card has expired.',
    CARD_REVOKED: 'This supporter card has been revoked (reissued, reported lost, or withdrawn).',
    CARD_NOT_YET_VALID: 'This supporter card is not valid yet (it was issued in the future).',
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
    // Donor import (upload fields and the donor fields of a file's columns)
    file: 'ファイル',
    mapping: '列の対応',
    dryRun: '試行',
    donatedOn: '寄附日',
    receiptNumber: '受付番号',
    address: '住所',
    familyName: '姓',
    givenName: '名',
    familyKana: 'セイ',
    givenKana: 'メイ',
    row: '行',
    outcome: '結果',
    validDays: '有効日数',
    reason: '理由',
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
    dryRun: 'dry run',
    donatedOn: 'donation date',
    receiptNumber: 'receipt number',
    familyName: 'family name',
    givenName: 'given name',
    familyKana: 'family name reading',
    givenKana: 'given name reading',
    validDays: 'days valid',
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
    no_supporter_municipality: () => 'この人はどの市町村のサポーターにも登録されていません。先に関係する市町村に「登録サポーター」を追加してください。',
    not_a_supporter: (p) => `この人は「${p.value}」のサポーターとして登録されていません（${p.f}）。`,
    // Donor import: cells of a file, the file itself, the column mapping
    unknown_date_format: (p) => `${p.f}の日付を読み取れません（例: 2024/4/1、令和6年4月1日、R6.4.1）。`,
    outside_era: (p) => (p.to ? `${p.f}：${p.era}は ${p.from} から ${p.to} までです。この範囲にない日付です。` : `${p.f}：${p.era}は ${p.from} からです。この範囲にない日付です。`),
    invalid_amount: (p) => `${p.f}を金額として読み取れません（例: 10000、10,000、￥10,000）。`,
    negative_amount: (p) => `${p.f}にマイナスの金額は指定できません。`,
    decimal_amount: (p) => `${p.f}は円単位の整数で入力してください（小数は使えません）。`,
    column_count: (p) => `この行の列の数（${p.actual}）が見出しの列の数（${p.expected}）より多くなっています。カンマを含む値（10,000 など）は "" で囲んでください。`,
    encoding_utf16: (p) => `${p.f}は UTF-16 で保存されています。Excel の「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」で保存し直してください。`,
    encoding_binary: (p) => `${p.f}は CSV ではないようです（${p.line}行目に NUL 文字があります）。Excel ファイルは CSV で保存し直してください。`,
    encoding_unknown: (p) => `${p.f}の文字コードを判定できません（${p.line}行目付近）。UTF-8 か Shift_JIS（CP932）の CSV で保存し直してください。`,
    csv_malformed: (p) => `${p.f}の${p.line}行目付近を CSV として読み取れません（引用符 " の閉じ忘れなど）。`,
    empty_file: (p) => `${p.f}に見出しの行がありません。`,
    too_many_columns: (p) => `${p.f}の列が多すぎます（${p.max}列まで）。`,
    missing_columns: (p) => `次の列が見つかりません: ${fieldLabels('ja', p.columns)}。${p.f}で、どの見出しがどの項目かを指定してください。`,
    unknown_column: (p) => `${p.f}の「${p.value}」という見出しはファイルにありません。`,
    unknown_target: (p) => `${p.f}の「${p.value}」は項目として使えません。`,
    duplicate_target: (p) => `${p.f}で「${p.value}」に複数の列が指定されています。`,
    invalid_json: (p) => `${p.f}は JSON オブジェクト（{"見出し": "項目"}）で指定してください。`,
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
    no_supporter_municipality: () => 'This person is not a registered supporter of any municipality. Add a "supporter" link to the person first.',
    not_a_supporter: (p) => `This person is not a registered supporter of "${p.value}" (${p.f}).`,
    unknown_date_format: (p) => `The ${p.f} is not a date we can read (e.g. 2024/4/1, 令和6年4月1日, R6.4.1).`,
    outside_era: (p) => (p.to ? `The ${p.f} is outside the ${p.era} era, which runs from ${p.from} to ${p.to}.` : `The ${p.f} is outside the ${p.era} era, which starts on ${p.from}.`),
    invalid_amount: (p) => `The ${p.f} is not an amount we can read (e.g. 10000, 10,000, ￥10,000).`,
    negative_amount: (p) => `The ${p.f} cannot be negative.`,
    decimal_amount: (p) => `The ${p.f} must be a whole number of yen (no decimals).`,
    column_count: (p) => `This row has ${p.actual} cells but the header has ${p.expected}. Quote values that contain commas (such as "10,000").`,
    encoding_utf16: (p) => `The ${p.f} is saved as UTF-16. Save it from Excel as "CSV UTF-8 (comma delimited)" or "CSV (comma delimited)".`,
    encoding_binary: (p) => `The ${p.f} does not look like a CSV file (NUL character on line ${p.line}). Save Excel files as CSV.`,
    encoding_unknown: (p) => `The character encoding of the ${p.f} cannot be determined (around line ${p.line}). Save it as UTF-8 or Shift_JIS (CP932) CSV.`,
    csv_malformed: (p) => `The ${p.f} cannot be read as CSV around line ${p.line} (an unclosed " quote, for example).`,
    empty_file: (p) => `The ${p.f} has no header row.`,
    too_many_columns: (p) => `The ${p.f} has too many columns (at most ${p.max}).`,
    missing_columns: (p) => `These columns were not found: ${fieldLabels('en', p.columns)}. Use the ${p.f} to say which header holds which field.`,
    unknown_column: (p) => `The ${p.f} names a header "${p.value}" that is not in the file.`,
    unknown_target: (p) => `The ${p.f} maps to "${p.value}", which is not a field.`,
    duplicate_target: (p) => `The ${p.f} maps several columns to "${p.value}".`,
    invalid_json: (p) => `The ${p.f} must be a JSON object ({"header": "field"}).`,
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

/** A comma-separated list of field names as labels, e.g. for the columns a file lacks. */
function fieldLabels(locale: Locale, fields: string | number | undefined): string {
  return String(fields ?? '')
    .split(',')
    .filter(Boolean)
    .map((f) => fieldLabel(locale, f))
    .join(locale === 'ja' ? '、' : ', ');
}

/** A problem message for a label used as given, e.g. a CSV column as the file names it. */
export function labelledProblemMessage(locale: Locale, label: string, problem: string, params: Params = {}): string {
  const m = FIELD_PROBLEMS[locale][problem] ?? FIELD_PROBLEMS[locale].invalid!;
  return format(m, { ...params, f: label });
}

export function fieldProblemMessage(locale: Locale, field: string, problem: string, params: Params = {}): string {
  const m = FIELD_PROBLEMS[locale][problem] ?? FIELD_PROBLEMS[locale].invalid!;
  return format(m, { ...params, f: fieldLabel(locale, field) });
}
