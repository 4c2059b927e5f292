/**
 * Server-side messages in Japanese (default) and English. The API answers in the language the
 * client asks for with Accept-Language, so the UI can show server messages as they are. Pure, so
 * the web's forms word a field problem they find before sending exactly as the server would
 * (the server reads this through src/platform/i18n.ts).
 */
import type {
  FieldProblem,
  FieldProblemCode,
  FieldProblemParams,
  FieldProblemParamsArg,
  MessageKey,
  ParamValue,
} from './codes.js';

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

type Params = Record<string, ParamValue>;

/** The message of problem `C`: reads only the parameters declared for it, and `f`, the field's label. */
type ProblemMessage<C extends FieldProblemCode> = (p: Readonly<FieldProblemParams<C> & { f: string }>) => string;
type ProblemMessages = { [C in FieldProblemCode]: ProblemMessage<C> };

/** Top-level messages per error code, closer wording (MESSAGE_VARIANTS) and card verdict. */
const ERROR_MESSAGES = {
  ja: {
    VALIDATION: '入力内容に誤りがあります。',
    INVALID_JSON: 'リクエストの JSON を読み取れません。',
    INVALID_ENCODING:
      '送信された文字を読み取れません（UTF-8 ではない文字が含まれています）。入力し直して、もう一度送信してください。',
    BAD_REQUEST: 'リクエストが正しくありません。',
    UNAUTHENTICATED: 'ログインが必要です。',
    INVALID_CREDENTIALS: 'メールアドレスまたはパスワードが正しくありません。',
    CSRF: '操作を確認できませんでした（CSRF トークンが無効です）。ページを再読み込みしてください。',
    FORBIDDEN: 'この操作を行う権限がありません。',
    NOT_FOUND: '見つかりません。',
    DUPLICATE_PERSON:
      '同じメールアドレスまたは電話番号の人がすでに登録されています。既存の記録を開くか、統合してください。',
    DUPLICATE_PERSON_HIDDEN:
      '同じメールアドレスまたは電話番号の人が、担当外の市町村ですでに登録されています。センターに連携を依頼してください。',
    DUPLICATE_PERSON_NAME:
      '同じ氏名・フリガナの人がすでに登録されています。同じ人ならその人を選んでください。別の人なら、別の人として登録できます。',
    CONFLICT: 'ほかのデータと重複しています。',
    CHECKIN_BEFORE_EVENT:
      'まだ開催日ではないため受付（チェックイン）できません。受付できるのはイベントの開催日（日本時間）だけです。',
    CHECKIN_AFTER_EVENT:
      'イベントは終了しているため受付（チェックイン）できません。紙の名簿などから出席を記録するときは「イベント後に出席を記録」を使ってください。',
    ATTENDANCE_NOT_AFTER_EVENT:
      'イベント後の出席の記録は、イベントの最終日（日本時間）が過ぎてからです。開催日には受付（チェックイン）を使ってください。',
    PAYLOAD_TOO_LARGE: 'リクエストが大きすぎます。',
    UNSUPPORTED_MEDIA_TYPE: 'この形式のデータは受け付けられません（JSON で送ってください）。',
    RATE_LIMITED: 'リクエストが多すぎます。しばらく待ってからもう一度お試しください。',
    LOGIN_WAIT:
      'ログインの失敗が続いたため、次のログインまで少し時間をおく必要があります。しばらくしてからもう一度お試しください。',
    FORM_EXPIRED:
      'フォームの有効期限が切れました。入力した内容はそのまま残っています。数秒待ってから、もう一度送信ボタンを押してください。',
    FORM_TOO_FAST:
      '送信が早すぎます（自動入力の直後など）。まだ受け付けていません。入力した内容はそのまま残っています。数秒待ってから、もう一度送信ボタンを押してください。',
    FORM_ALREADY_SENT: 'このフォームはすでに送信済みです。もう一度送信するには、ページを再読み込みしてください。',
    LINK_INVALID: 'このリンクは無効か、有効期限が切れています。もう一度お手続きください。',
    SCOUT_ANSWERED: 'このスカウトにはすでに回答済みです（最初の回答が記録されています）。',
    MULTIPART_REQUIRED: 'ファイルは multipart/form-data（file 欄）で送ってください。',
    MULTIPART_MALFORMED: 'multipart/form-data の形式が正しくありません（送信が途中で切れた可能性があります）。',
    CARD_MALFORMED: 'サポーター証として読み取れません。QR コードをもう一度読み取ってください。',
    CARD_BAD_SIGNATURE: 'このサポーター証は改ざんされているか、正規に発行されたものではありません。',
    CARD_UNKNOWN_KEY: 'このサポーター証の発行元を確認できません（署名の鍵が公開されていません）。',
    CARD_EXPIRED: 'このサポーター証は有効期限が切れています。',
    CARD_REVOKED: 'このサポーター証は失効しています（再発行・紛失届などにより無効になりました）。',
    CARD_NOT_YET_VALID: 'このサポーター証はまだ有効になっていません（発行日時が未来です）。',
    CARD_WRONG_ISSUER: 'このサポーター証は別の発行元のものです。この窓口では確認できません。',
    EVENT_FULL: 'このイベントは満席です。申し込みを受け付けられませんでした。',
    SLOT_FULL: 'この相談枠は満席です。別の時間を選ぶか、枠を選ばずにお申し込みください。',
    EVENT_CLOSED: 'このイベントの申し込みは受け付けていません（終了・中止・受付前）。',
    REGISTRATION_CANCELLED: 'この申し込みは取り消されています。受付するには、もう一度申し込みを登録してください。',
    ALREADY_CHECKED_IN: 'すでに受付（チェックイン）済みのため、この申し込みは取り消せません。',
    PROJECT_FULL: 'このプロジェクトは募集枠が埋まっています。',
    PROJECT_CLOSED: 'このプロジェクトは募集していません（準備中または募集終了）。',
    INTERNAL: 'サーバーでエラーが発生しました。時間をおいてもう一度お試しください。',
    PDF_FONTS_MISSING:
      'PDF を作成できません。サーバーに日本語フォント（fonts-noto-cjk）がインストールされていません。管理者に連絡してください（.xlsx は作成できます）。',
  },
  en: {
    VALIDATION: 'Some fields are not valid.',
    INVALID_JSON: 'The request body is not valid JSON.',
    INVALID_ENCODING: 'The text sent cannot be read (it is not valid UTF-8). Please enter it again and resend.',
    BAD_REQUEST: 'The request is not valid.',
    UNAUTHENTICATED: 'Please sign in.',
    INVALID_CREDENTIALS: 'The email address or password is not correct.',
    CSRF: 'The request could not be confirmed (invalid CSRF token). Please reload the page.',
    FORBIDDEN: 'You are not allowed to do this.',
    NOT_FOUND: 'Not found.',
    DUPLICATE_PERSON:
      'A person with the same email address or phone number already exists. Open that record or merge them.',
    DUPLICATE_PERSON_HIDDEN:
      'A person with the same email address or phone number is already registered outside your municipality. Ask the center to link them.',
    DUPLICATE_PERSON_NAME:
      'A person with the same name and reading is already registered. Choose them if it is the same person, or register them as a different person.',
    CONFLICT: 'This conflicts with existing data.',
    CHECKIN_BEFORE_EVENT: 'The event has not started yet: check-in is only possible on the event’s days (Japan time).',
    CHECKIN_AFTER_EVENT:
      'The event is over: check-in is closed. To record attendance from a paper list, use “Record attendance after the event”.',
    ATTENDANCE_NOT_AFTER_EVENT:
      'Attendance after the event can be recorded once its last day (Japan time) has passed. On the event’s days, use check-in.',
    PAYLOAD_TOO_LARGE: 'The request is too large.',
    UNSUPPORTED_MEDIA_TYPE: 'This content type is not accepted (send JSON).',
    RATE_LIMITED: 'Too many requests. Please wait a moment and try again.',
    LOGIN_WAIT: 'Too many failed sign-ins: please wait a little before the next attempt.',
    FORM_EXPIRED: 'The form has expired. What you entered is kept: wait a few seconds and press the button again.',
    FORM_TOO_FAST:
      'The form was sent too quickly (just after autofill, perhaps), so it was not accepted yet. What you entered is kept: wait a few seconds and press the button again.',
    FORM_ALREADY_SENT: 'This form has already been sent. To send it again, reload the page.',
    LINK_INVALID: 'This link is invalid or has expired. Please start again.',
    SCOUT_ANSWERED: 'This scout has already been answered (the first answer stands).',
    MULTIPART_REQUIRED: 'Send the file as multipart/form-data (field "file").',
    MULTIPART_MALFORMED: 'The multipart/form-data body is malformed (the upload may have been cut off).',
    CARD_MALFORMED: 'This is not a readable supporter card. Please scan the QR code again.',
    CARD_BAD_SIGNATURE: 'This supporter card has been altered or was not issued by us.',
    CARD_UNKNOWN_KEY: 'The issuer of this supporter card cannot be confirmed (its signing key is not published).',
    CARD_EXPIRED: 'This supporter card has expired.',
    CARD_REVOKED: 'This supporter card has been revoked (reissued, reported lost, or withdrawn).',
    CARD_NOT_YET_VALID: 'This supporter card is not valid yet (it was issued in the future).',
    CARD_WRONG_ISSUER: 'This supporter card was issued by someone else; it cannot be confirmed here.',
    EVENT_FULL: 'This event is full. Your registration could not be accepted.',
    SLOT_FULL: 'This consultation slot is full. Choose another time, or register without a slot.',
    EVENT_CLOSED: 'This event does not take registrations (it has ended, was cancelled or is not open yet).',
    REGISTRATION_CANCELLED: 'This registration was cancelled. Register the person again to check them in.',
    ALREADY_CHECKED_IN: 'This registration has already been checked in and can no longer be cancelled.',
    PROJECT_FULL: 'This project has no open seat left.',
    PROJECT_CLOSED: 'This project is not taking applications (not published yet, or closed).',
    INTERNAL: 'Something went wrong on the server. Please try again later.',
    PDF_FONTS_MISSING:
      'The PDF cannot be made: the Japanese fonts (fonts-noto-cjk) are not installed on the server. Please contact the administrator (the .xlsx can be made).',
  },
} satisfies Record<Locale, Record<MessageKey, string>>;

/**
 * Japanese names of fields, so that a message can say which field is wrong. A field without one
 * is named as the API spells it.
 */
const FIELD_LABELS_JA = {
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
  // Events
  title: '名称',
  description: '説明',
  startsAt: '開始日時',
  endsAt: '終了日時',
  venue: '会場',
  onlineUrl: 'オンライン参加の URL',
  capacity: '定員',
  hostMunicipalityCode: '主催の市町村',
  booths: 'ブース',
  slots: '相談枠',
  slotId: '相談枠',
  registrationId: '申込の ID',
  qrToken: 'QR コード',
  checkIn: '受付済みにする',
  newsletter: 'メールマガジンの同意',
  shareWithMunicipalities: '市町村への情報提供の同意',
  anonymousStatistics: '匿名統計への利用の同意',
  scouting: 'プロジェクトの紹介（スカウト）を受け取る同意',
  locale: '言語',
  website: 'ウェブサイト',
  // Consultations, cases, referrals, follow-ups
  person: '相談者',
  channel: '相談の場',
  consultantId: '相談員',
  consultant: '相談員',
  topics: '相談内容',
  desiredTiming: '移住の希望時期',
  householdSize: '世帯人数',
  uijType: 'UIJターンの種別',
  venueMunicipalityCode: '会場の市町村',
  countedOn: '集計日',
  count: '人数',
  fromFiscalYear: '開始年度',
  toFiscalYear: '終了年度',
  fiscalYear: '年度',
  target: '目標値',
  baseline: '基準値',
  nameJa: '名称（日本語）',
  nameEn: '名称（英語）',
  labelJa: '指標名（日本語）',
  labelEn: '指標名（英語）',
  withChildren: '子どもの有無',
  familyNote: '家族のこと',
  nextAction: '次の対応',
  nextActionDue: '次の対応の期限',
  nextActionDone: '次の対応の完了',
  eventId: 'イベント',
  boothId: 'ブース',
  referral: '紹介',
  toOrganizationId: '紹介先の機関',
  toMunicipalityCode: '紹介先の市町村',
  area: '支援の分野',
  message: '依頼内容',
  status: '状態',
  outcomeNote: '結果のメモ',
  step: '段階',
  endReason: '終了の理由',
  evidence: '自走の根拠',
  months: 'フォローアップの時期（月数）',
  prefectureCode: '都道府県コード',
  from: '開始日',
  to: '終了日',
  caseId: '案件の ID',
  consultationId: '相談の ID',
  due: '期限',
  // Regional issues, projects and matches
  category: '分野',
  background: '背景',
  hoursPerMonth: '月あたりの時間',
  remotePercent: 'リモートの割合',
  periodStart: '期間の開始',
  periodEnd: '期間の終了',
  contactOrganizationId: '窓口の団体',
  closeReason: '終了の理由',
  body: '本文',
  summary: '概要',
  theme: 'テーマ',
  issueId: '地域課題',
  seats: '募集人数',
  acceptance: '受け入れ方法',
  feeMinYen: '謝礼の下限',
  feeMaxYen: '謝礼の上限',
  requiredSkills: '必須スキル',
  welcomeSkills: '歓迎スキル',
  questions: '選考の質問',
  answers: '回答',
  personIds: 'スカウトする人',
  answer: '回答',
  questionId: '質問',
  decision: '判断',
  projectId: 'プロジェクト',
  nextStep: '次の一手',
  nextDueOn: '次の一手の期限',
  heldOn: '実施日',
  topic: 'テーマ',
  attendees: '参加者数',
  organizationIds: '参加団体',
  strengths: '得意分野',
  lat: '緯度',
  lon: '経度',
  organizationName: '団体名',
  shortName: '略称',
  senderAddress: '送信元アドレス',
  replyTo: '返信先アドレス',
  signature: '署名',
  contact: '問い合わせ先',
  filters: '条件',
  registrationCap: '登録できる市町村の上限',
  privacyNoticeJa: 'プライバシーポリシー（日本語）',
  privacyNoticeEn: 'プライバシーポリシー（英語）',
  activity: '活動の種類',
  activityDescription: '活動の内容',
  evidenceFiles: '提出書類',
  reviewMessage: '申請者へのメッセージ',
  replyMessage: '回答',
} satisfies Record<string, string>;
type LabelledField = keyof typeof FIELD_LABELS_JA;

/**
 * English names where the API's spelling does not read as one (`postalCode` → postal code); other
 * fields are named as spelt (`name`). Only fields that have a Japanese name: a typo fails the type-check.
 */
const FIELD_LABELS_EN = {
  registrationCap: 'registration cap',
  privacyNoticeJa: 'privacy notice (Japanese)',
  privacyNoticeEn: 'privacy notice (English)',
  activityDescription: 'activity description',
  evidenceFiles: 'evidence file',
  reviewMessage: 'message to the applicant',
  replyMessage: 'answer',
  postalCode: 'postal code',
  birthYear: 'birth year',
  municipalityCode: 'municipality code',
  currentPassword: 'current password',
  newPassword: 'new password',
  organizationId: 'organization',
  q: 'search text',
  sourceId: 'source id',
  personId: 'person id',
  personIds: 'people',
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
  startsAt: 'start time',
  endsAt: 'end time',
  onlineUrl: 'online link',
  hostMunicipalityCode: 'host municipality',
  slots: 'slots',
  slotId: 'slot',
  registrationId: 'registration id',
  qrToken: 'QR code',
  checkIn: 'check-in',
  newsletter: 'newsletter consent',
  shareWithMunicipalities: 'consent to share with municipalities',
  anonymousStatistics: 'consent to anonymous statistics',
  scouting: 'consent to be proposed projects (scouting)',
  consultantId: 'consultant',
  desiredTiming: 'desired timing',
  householdSize: 'household size',
  uijType: 'UIJ-turn type',
  venueMunicipalityCode: 'venue municipality',
  countedOn: 'date counted',
  count: 'count',
  fromFiscalYear: 'first fiscal year',
  toFiscalYear: 'last fiscal year',
  fiscalYear: 'fiscal year',
  target: 'target',
  baseline: 'baseline',
  nameJa: 'name (Japanese)',
  nameEn: 'name (English)',
  labelJa: 'indicator name (Japanese)',
  labelEn: 'indicator name (English)',
  withChildren: 'children',
  familyNote: 'family note',
  nextAction: 'next action',
  nextActionDue: 'next action due date',
  nextActionDone: 'next action done',
  eventId: 'event',
  boothId: 'booth',
  toOrganizationId: 'receiving organization',
  toMunicipalityCode: 'receiving municipality',
  outcomeNote: 'outcome note',
  endReason: 'end reason',
  evidence: 'evidence of self-running',
  months: 'follow-up months',
  prefectureCode: 'prefecture code',
  from: 'start date',
  to: 'end date',
  caseId: 'case id',
  consultationId: 'consultation id',
  hoursPerMonth: 'hours per month',
  remotePercent: 'remote share',
  periodStart: 'period start',
  periodEnd: 'period end',
  contactOrganizationId: 'contact organization',
  closeReason: 'reason for closing',
  issueId: 'regional issue',
  feeMinYen: 'lowest fee',
  feeMaxYen: 'highest fee',
  requiredSkills: 'required skills',
  welcomeSkills: 'welcome skills',
  questions: 'screening questions',
  questionId: 'question',
  projectId: 'project',
  nextStep: 'next step',
  nextDueOn: 'next step due date',
  heldOn: 'date held',
  organizationIds: 'organizations',
  lat: 'latitude',
  lon: 'longitude',
  organizationName: 'organization name',
  shortName: 'short name',
  senderAddress: 'sender address',
  replyTo: 'reply-to address',
} satisfies Partial<Record<LabelledField, string>>;

const FIELD_LABELS: Record<Locale, Record<string, string>> = { ja: FIELD_LABELS_JA, en: FIELD_LABELS_EN };

/** Messages for one field's problem; `f` is the field's label. Exported for the catalogue's test. */
export const FIELD_PROBLEM_MESSAGES = {
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
    no_letters: (p) => `${p.f}に文字がありません（長音記号・ダッシュ・空白だけでは登録できません）。`,
    unknown_municipality: (p) => `${p.f}「${p.value}」は登録されていません。`,
    unknown_organization: (p) => `${p.f}が見つかりません。`,
    must_include_own_municipality: (p) => `${p.f}に担当の市町村を含めてください。`,
    outside_scope: (p) => `${p.f}には担当の市町村だけを指定できます。`,
    duplicate: (p) => `この${p.f}はすでに使われています。`,
    wrong_password: (p) => `${p.f}が正しくありません。`,
    common_password: (p) =>
      `この${p.f}はよく使われていて推測されやすいため使えません。別のものにしてください（いくつかの単語を並べた長い文がおすすめです）。`,
    repetitive_password: (p) =>
      `${p.f}が同じ文字の繰り返しや連続した並び（例: aaaa、1234、abcabc）です。別のものにしてください。`,
    requires_municipality: (p) => `市町村職員には${p.f}が必要です。`,
    requires_organization: (p) => `連携機関の職員には${p.f}が必要です。`,
    not_allowed_for_role: (p) => `この役割では${p.f}を指定できません。`,
    same_person: (p) => `${p.f}に同じ人は指定できません。`,
    not_future_year: (p) => `${p.f}に未来の年は指定できません。`,
    future_date: (p) => `${p.f}に未来の日付は指定できません。`,
    invalid_date: (p) => `${p.f}は実在する日付（例: 2024-04-01）で入力してください。`,
    no_supporter_municipality: () =>
      'この人はどの市町村のサポーターにも登録されていません。先に関係する市町村に「登録サポーター」を追加してください。',
    not_a_supporter: (p) => `この人は「${p.value}」のサポーターとして登録されていません（${p.f}）。`,
    registration_cap: (p) =>
      `1人がサポーター登録できる市町村は${p.max}までです（登録済み：${p.current}）。${p.f}を減らすか、マイページで登録済みの市町村を外してください。`,
    file_too_large: (p) => `${p.f}が大きすぎます（1ファイル${p.max}まで）。`,
    file_type_not_allowed: (p) => `${p.f}の形式は受け付けられません（${p.types}のみ）。`,
    application_not_open: (p) =>
      `${p.f}：この申請はいま受け付けていません（審査済み、または追加の提出を求められていません）。`,
    last_municipality: (p) =>
      `${p.f}を1つは残してください。登録をやめるときは、マイページの「登録を削除」を使ってください。`,
    // Donor import: cells of a file, the file itself, the column mapping
    unknown_date_format: (p) => `${p.f}の日付を読み取れません（例: 2024/4/1、令和6年4月1日、R6.4.1）。`,
    outside_era: (p) =>
      p.to
        ? `${p.f}：${p.era}は ${p.from} から ${p.to} までです。この範囲にない日付です。`
        : `${p.f}：${p.era}は ${p.from} からです。この範囲にない日付です。`,
    invalid_amount: (p) => `${p.f}を金額として読み取れません（例: 10000、10,000、￥10,000）。`,
    negative_amount: (p) => `${p.f}にマイナスの金額は指定できません。`,
    decimal_amount: (p) => `${p.f}は円単位の整数で入力してください（小数は使えません）。`,
    column_count: (p) =>
      `この行の列の数（${p.actual}）が見出しの列の数（${p.expected}）より多くなっています。カンマを含む値（10,000 など）は "" で囲んでください。`,
    encoding_utf16: (p) =>
      `${p.f}は UTF-16 で保存されています。Excel の「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」で保存し直してください。`,
    encoding_binary: (p) =>
      `${p.f}は CSV ではないようです（${p.line}行目に NUL 文字があります）。Excel ファイルは CSV で保存し直してください。`,
    encoding_unknown: (p) =>
      `${p.f}の文字コードを判定できません（${p.line}行目付近）。UTF-8 か Shift_JIS（CP932）の CSV で保存し直してください。`,
    csv_malformed: (p) => `${p.f}の${p.line}行目付近を CSV として読み取れません（引用符 " の閉じ忘れなど）。`,
    empty_file: (p) => `${p.f}に見出しの行がありません。`,
    too_many_columns: (p) => `${p.f}の列が多すぎます（${p.max}列まで）。`,
    missing_columns: (p) =>
      `次の列が見つかりません: ${fieldLabels('ja', p.columns)}。${p.f}で、どの見出しがどの項目かを指定してください。`,
    unknown_column: (p) => `${p.f}の「${p.value}」という見出しはファイルにありません。`,
    unknown_target: (p) => `${p.f}の「${p.value}」は項目として使えません。`,
    duplicate_target: (p) => `${p.f}で「${p.value}」に複数の列が指定されています。`,
    invalid_json: (p) => `${p.f}は JSON オブジェクト（{"見出し": "項目"}）で指定してください。`,
    invalid: (p) => `${p.f}の値が正しくありません。`,
    // Consultations and the case pipeline (docs/cases.md)
    person_or_id: () => '相談者を選ぶか（personId）、新しい相談者を入力してください（person）。',
    person_and_id: () => '相談者は personId か person のどちらか一方だけを指定してください。',
    unknown_staff: (p) => `${p.f}に指定した職員が見つかりません。`,
    unknown_event: (p) => `${p.f}に指定したイベントが見つかりません。`,
    booth_not_in_event: (p) => `${p.f}はこのイベントのブースではありません。`,
    one_target: () =>
      '紹介先は機関（toOrganizationId）か市町村（toMunicipalityCode）のどちらか一方を指定してください。',
    referral_needs_person: () => '紹介する人を personId、caseId、consultationId のいずれかで指定してください。',
    other_person: (p) => `${p.f}は別の人の記録です。`,
    referral_closed: () => 'この紹介はすでに完了または辞退されています。',
    required_with_completed: (p) => `完了にするときは${p.f}を選んでください。`,
    case_ended: () =>
      'この案件は終了しています。以後の段階は記録できません（新しい相談を記録すると新しい案件が始まります）。',
    case_settled: () => 'この案件は定着まで進んで完了しています。以後の段階は記録できません。',
    first_contact_opens_case: () => '「初回相談」は案件を始める段階です。あとから追加することはできません。',
    ended_after_move: () => '移住済みの案件は「終了」にできません（移住せずに終わった案件だけが終了になります）。',
    settled_needs_moved: () => '「定着」は「移住」の次にだけ記録できます。',
    same_step: (p) => `${p.f}はすでにこの段階です。`,
    step_backwards: (p) =>
      `前の段階に戻すことはできません（${caseStepJa(p.from)} → ${caseStepJa(p.to)}）。ためらいはメモに残すか、理由「延期」で案件を終了してください。`,
    before_previous_step: (p) => `${p.f}は前の段階の日付（${p.date}）より前にできません。`,
    required_for_moved: (p) => `「移住」には${p.f}（転入先の市町村）が必要です。`,
    required_for_ended: (p) => `「終了」には${p.f}が必要です。`,
    only_for_ended: (p) => `${p.f}は「終了」のときだけ指定できます。`,
    only_for_moved: (p) => `${p.f}は「移住」のときだけ指定できます。`,
    unknown_prefecture: (p) => `${p.f}「${p.value}」の市町村が登録されていません。`,
    match_closed: () => 'このマッチングは自走または終了で完了しています。以後の段階は記録できません。',
    match_opens_with_proposed: () => '「提案」はマッチングを始める段階です。あとから追加することはできません。',
    match_step_backwards: (p) =>
      `マッチングの段階は戻せません（${p.from} → ${p.to}）。やめる場合は理由を選んで「終了」にしてください。`,
    match_step_skipped: (p) =>
      `マッチングの段階は一つずつ進めてください（${p.from} の次に ${p.to} は記録できません）。`,
    self_running_too_soon: (p) => `${p.f}: 伴走なしで${p.months}か月以上続いていることが必要です。`,
    only_for_self_running: (p) => `${p.f}は「自走」のときだけ指定できます。`,
    // Events
    invalid_datetime: (p) => `${p.f}は時差つきの日時（例: 2025-02-01T11:00:00+09:00）で入力してください。`,
    ends_before_start: (p) => `${p.f}は開始より後にしてください。`,
    slot_outside_event: (p) => `${p.f}：相談枠はイベントの開催時間内にしてください。`,
    not_in_event: (p) => `${p.f}はこのイベントのものではありません。`,
    below_booked: (p) => `${p.f}は予約済みの人数（${p.count}人）より少なくできません。`,
    below_registered: (p) => `${p.f}は申込済みの人数（${p.count}人）より少なくできません。`,
    slot_has_bookings: (p) => `予約のある相談枠は削除できません（${p.count}人が予約済み）。`,
    booth_has_bookings: (p) => `予約のある相談枠を持つブースは削除できません（${p.count}人が予約済み）。`,
    unknown_slot: (p) => `${p.f}はこのイベントの相談枠ではありません。`,
    registration_or_token: () => '申込の ID（registrationId）か QR コード（qrToken）のどちらか一方を指定してください。',
    host_own_municipality: (p) =>
      `${p.f}には担当の市町村を指定してください（市町村職員は自分の市町村が主催するイベントだけを作成・変更できます）。`,
    event_cancelled: () => '中止したイベントには来場者数を記録できません。',
    outside_plan_period: (p) => `${p.f}は計画の期間（${p.from}年度〜${p.to}年度）の中で指定してください。`,
    fixed_by_approved_evaluation: (p) =>
      `${p.f}は${p.year}年度の評価が承認・公表済みのため変更できません（承認済みの報告書と食い違います）。`,
    // Regional issues, projects and matches
    status_final: (p) => `${p.f}：自走または終了したものは、それ以上進められません。`,
    status_backwards: (p) => `${p.f}を前の段階に戻すことはできません（${p.from} → ${p.to}）。`,
    required_for_closed: (p) => `「終了」には${p.f}が必要です。`,
    only_for_closed: (p) => `${p.f}は「終了」のときだけ指定できます。`,
    issue_not_published: (p) => `${p.f}：プロジェクトは公開済みの地域課題からだけ作れます。`,
    below_filled: (p) => `${p.f}は決まっている人数（${p.count}人）より少なくできません。`,
    project_closed_final: (p) => `${p.f}：募集を終了したプロジェクトは変更できません。`,
    unknown_question: (p) => `${p.f}：質問「${p.value}」はこのプロジェクトにありません。`,
    answer_required: (p) => `${p.f}：質問「${p.value}」への回答が必要です。`,
    own_organization: (p) => `${p.f}には自分の団体だけを指定できます。`,
    not_a_candidate: (p) =>
      `${p.f}：このプロジェクトの候補者ではありません（スカウトへの同意がない、スキルが合わない、または担当外の人です）。`,
    no_email: (p) => `${p.f}：メールアドレスが登録されていないため、スカウトを送れません。`,
    already_scouted: (p) => `${p.f}：この人にはこのプロジェクトのスカウトを送信済みです。`,
    listed_twice: (p) => `${p.f}：同じ人が2回指定されています。`,
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
    invalid_phone: (p) =>
      `The ${p.f} must be a 10–11 digit Japanese number (e.g. 090-1234-5678) or an international number starting with +.`,
    invalid_postal_code: (p) => `The ${p.f} must have 7 digits (e.g. 990-8570).`,
    invalid_prefecture: (p) => `The ${p.f} must be a prefecture name such as 東京都.`,
    control_characters: (p) => `The ${p.f} contains control characters that are not allowed.`,
    no_letters: (p) => `The ${p.f} has no letters (only long-vowel marks, dashes or spaces).`,
    unknown_municipality: (p) => `The ${p.f} "${p.value}" is not registered.`,
    unknown_organization: (p) => `The ${p.f} was not found.`,
    not_a_candidate: (p) =>
      `The ${p.f}: not a candidate of this project (no consent to scouting, no shared skill, or outside your municipality).`,
    no_email: (p) => `The ${p.f}: no email address on record, so no scout can be sent.`,
    already_scouted: (p) => `The ${p.f}: this person has already been scouted for this project.`,
    listed_twice: (p) => `The ${p.f}: the same person is listed twice.`,
    must_include_own_municipality: (p) => `The ${p.f} must include your municipality.`,
    outside_scope: (p) => `The ${p.f} may only name your own municipality.`,
    duplicate: (p) => `This ${p.f} is already in use.`,
    wrong_password: (p) => `The ${p.f} is not correct.`,
    common_password: (p) =>
      `This ${p.f} is among the most commonly used and easily guessed; choose another (a long phrase of several words works well).`,
    repetitive_password: (p) => `The ${p.f} is a repetition or a sequence (like aaaa, 1234, abcabc); choose another.`,
    requires_municipality: (p) => `Municipality staff need a ${p.f}.`,
    requires_organization: (p) => `Partner staff need an ${p.f}.`,
    not_allowed_for_role: (p) => `The ${p.f} is not allowed for this role.`,
    same_person: (p) => `The ${p.f} cannot be the same person.`,
    not_future_year: (p) => `The ${p.f} cannot be in the future.`,
    future_date: (p) => `The ${p.f} cannot be in the future.`,
    invalid_date: (p) => `The ${p.f} must be a real date such as 2024-04-01.`,
    no_supporter_municipality: () =>
      'This person is not a registered supporter of any municipality. Add a "supporter" link to the person first.',
    not_a_supporter: (p) => `This person is not a registered supporter of "${p.value}" (${p.f}).`,
    registration_cap: (p) =>
      `One person can be a registered supporter of at most ${p.max} municipalities (already registered: ${p.current}). Choose fewer ${p.f}, or remove one on your page.`,
    file_too_large: (p) => `The ${p.f} is too large (at most ${p.max} per file).`,
    file_type_not_allowed: (p) => `The ${p.f} is not an accepted type (only ${p.types}).`,
    application_not_open: (p) =>
      `${p.f}: this application is not open for that (already decided, or nothing more was asked for).`,
    last_municipality: (p) =>
      `Keep at least one of your ${p.f}. To stop being a supporter, delete your registration on your page.`,
    unknown_date_format: (p) => `The ${p.f} is not a date we can read (e.g. 2024/4/1, 令和6年4月1日, R6.4.1).`,
    outside_era: (p) =>
      p.to
        ? `The ${p.f} is outside the ${p.era} era, which runs from ${p.from} to ${p.to}.`
        : `The ${p.f} is outside the ${p.era} era, which starts on ${p.from}.`,
    invalid_amount: (p) => `The ${p.f} is not an amount we can read (e.g. 10000, 10,000, ￥10,000).`,
    negative_amount: (p) => `The ${p.f} cannot be negative.`,
    decimal_amount: (p) => `The ${p.f} must be a whole number of yen (no decimals).`,
    column_count: (p) =>
      `This row has ${p.actual} cells but the header has ${p.expected}. Quote values that contain commas (such as "10,000").`,
    encoding_utf16: (p) =>
      `The ${p.f} is saved as UTF-16. Save it from Excel as "CSV UTF-8 (comma delimited)" or "CSV (comma delimited)".`,
    encoding_binary: (p) =>
      `The ${p.f} does not look like a CSV file (NUL character on line ${p.line}). Save Excel files as CSV.`,
    encoding_unknown: (p) =>
      `The character encoding of the ${p.f} cannot be determined (around line ${p.line}). Save it as UTF-8 or Shift_JIS (CP932) CSV.`,
    csv_malformed: (p) => `The ${p.f} cannot be read as CSV around line ${p.line} (an unclosed " quote, for example).`,
    empty_file: (p) => `The ${p.f} has no header row.`,
    too_many_columns: (p) => `The ${p.f} has too many columns (at most ${p.max}).`,
    missing_columns: (p) =>
      `These columns were not found: ${fieldLabels('en', p.columns)}. Use the ${p.f} to say which header holds which field.`,
    unknown_column: (p) => `The ${p.f} names a header "${p.value}" that is not in the file.`,
    unknown_target: (p) => `The ${p.f} maps to "${p.value}", which is not a field.`,
    duplicate_target: (p) => `The ${p.f} maps several columns to "${p.value}".`,
    invalid_json: (p) => `The ${p.f} must be a JSON object ({"header": "field"}).`,
    invalid: (p) => `The ${p.f} is not valid.`,
    person_or_id: () => 'Choose a person (personId) or enter a new one (person).',
    person_and_id: () => 'Give either personId or person, not both.',
    unknown_staff: (p) => `The staff member given as ${p.f} was not found.`,
    unknown_event: (p) => `The ${p.f} was not found.`,
    booth_not_in_event: (p) => `The ${p.f} does not belong to this event.`,
    one_target: () =>
      'Refer to either an organization (toOrganizationId) or a municipality (toMunicipalityCode), exactly one.',
    referral_needs_person: () => 'Name who is referred with personId, caseId or consultationId.',
    other_person: (p) => `The ${p.f} belongs to another person.`,
    referral_closed: () => 'This referral is already completed or declined.',
    required_with_completed: (p) => `Choose the ${p.f} when completing.`,
    case_ended: () => 'This case has ended; no further step can be recorded (a new consultation opens a new case).',
    case_settled: () => 'This case is settled and closed; no further step can be recorded.',
    first_contact_opens_case: () => 'First contact opens a case; it cannot be added later.',
    ended_after_move: () => 'A case that moved cannot be ended (only cases without a move end).',
    settled_needs_moved: () => 'Settled can only follow moved.',
    same_step: (p) => `The ${p.f} is already at this step.`,
    step_backwards: (p) =>
      `A case cannot go back a step (${p.from} → ${p.to}). Note the hesitation, or end the case with the reason postponed.`,
    before_previous_step: (p) => `The ${p.f} cannot be before the previous step's date (${p.date}).`,
    required_for_moved: (p) => `Moved needs the ${p.f} (the move-in municipality).`,
    required_for_ended: (p) => `Ended needs the ${p.f}.`,
    only_for_ended: (p) => `The ${p.f} can only be given with ended.`,
    only_for_moved: (p) => `The ${p.f} can only be given with moved.`,
    unknown_prefecture: (p) => `No municipalities are registered for the ${p.f} "${p.value}".`,
    match_closed: () => 'This match is closed (self-running or ended); no further step can be recorded.',
    match_opens_with_proposed: () => 'Proposed opens a match; it cannot be added later.',
    match_step_backwards: (p) =>
      `A match cannot go back a step (${p.from} → ${p.to}). To stop it, end it with a reason.`,
    match_step_skipped: (p) => `A match moves one step at a time (${p.to} cannot follow ${p.from}).`,
    self_running_too_soon: (p) => `The ${p.f}: it must have run ${p.months} months or more without accompaniment.`,
    only_for_self_running: (p) => `The ${p.f} can only be given with self-running.`,
    invalid_datetime: (p) => `The ${p.f} must be a date and time with its offset, e.g. 2025-02-01T11:00:00+09:00.`,
    ends_before_start: (p) => `The ${p.f} must be after the start.`,
    slot_outside_event: (p) => `The ${p.f}: a slot must lie within the event's hours.`,
    not_in_event: (p) => `The ${p.f} does not belong to this event.`,
    below_booked: (p) => `The ${p.f} cannot be below the ${p.count} places already booked.`,
    below_registered: (p) => `The ${p.f} cannot be below the ${p.count} registrations held.`,
    slot_has_bookings: (p) => `A slot with bookings cannot be removed (${p.count} booked).`,
    booth_has_bookings: (p) => `A booth whose slots have bookings cannot be removed (${p.count} booked).`,
    unknown_slot: (p) => `The ${p.f} is not a slot of this event.`,
    registration_or_token: () =>
      'Give either the registration id (registrationId) or the QR code (qrToken), exactly one.',
    host_own_municipality: (p) =>
      `The ${p.f} must be your own municipality (municipality staff create and change only their own events).`,
    event_cancelled: () => 'A called-off event takes no headcount.',
    outside_plan_period: (p) => `The ${p.f} must lie within the plan's period (FY${p.from}–FY${p.to}).`,
    fixed_by_approved_evaluation: (p) =>
      `The ${p.f} cannot change: the evaluation of FY${p.year} is approved and published (the approved report would contradict it).`,
    // Regional issues, projects and matches
    status_final: (p) => `The ${p.f}: nothing moves after self-running or closed.`,
    status_backwards: (p) => `The ${p.f} cannot go back (${p.from} → ${p.to}).`,
    required_for_closed: (p) => `Closed needs the ${p.f}.`,
    only_for_closed: (p) => `The ${p.f} can only be given with closed.`,
    issue_not_published: (p) => `The ${p.f}: projects are cut only from published regional issues.`,
    below_filled: (p) => `The ${p.f} cannot be below the ${p.count} seats already taken.`,
    project_closed_final: (p) => `The ${p.f}: a closed project cannot be changed.`,
    unknown_question: (p) => `The ${p.f}: this project has no question "${p.value}".`,
    answer_required: (p) => `The ${p.f}: question "${p.value}" needs an answer.`,
    own_organization: (p) => `The ${p.f} may only name your own organization.`,
  },
} satisfies Record<Locale, ProblemMessages>;

/** Japanese names of the case steps, for messages that quote them. */
const CASE_STEP_JA: Record<string, string> = {
  first_contact: '初回相談',
  consulting: '相談中',
  visited: '現地訪問',
  trial_stay: 'お試し滞在',
  decided: '移住決定',
  moved: '移住',
  settled: '定着',
  ended: '終了',
};
const caseStepJa = (step: string | number | undefined) => CASE_STEP_JA[String(step)] ?? String(step);

export function errorMessage(locale: Locale, key: MessageKey): string {
  return ERROR_MESSAGES[locale][key];
}

/** `field` may be a path such as `links.0.kind`; the label is taken from its last named segment. */
export function fieldLabel(locale: Locale, field: string): string {
  const segments = field.split('.').filter((s) => !/^\d+$/.test(s));
  const last = segments[segments.length - 1] ?? field;
  return FIELD_LABELS[locale][last] ?? last;
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
export function labelledProblemMessage(locale: Locale, label: string, { problem, params }: FieldProblem): string {
  // FieldProblem pairs each code with the parameters its message reads, so any message can take them.
  const message = FIELD_PROBLEM_MESSAGES[locale][problem] as (p: Params & { f: string }) => string;
  return message({ ...params, f: label });
}

/** A field's problem in the reader's language, naming the field by its label. */
export function fieldProblemMessage(locale: Locale, field: string, problem: FieldProblem): string;
export function fieldProblemMessage<C extends FieldProblemCode>(
  locale: Locale,
  field: string,
  problem: C,
  ...params: FieldProblemParamsArg<C>
): string;
export function fieldProblemMessage(
  locale: Locale,
  field: string,
  problem: FieldProblem | FieldProblemCode,
  params?: Params,
): string {
  const fieldProblem = (typeof problem === 'string' ? { problem, params } : problem) as FieldProblem;
  return labelledProblemMessage(locale, fieldLabel(locale, field), fieldProblem);
}
