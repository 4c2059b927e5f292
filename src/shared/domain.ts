/**
 * Domain vocabulary shared by the server and the web UI. Changing a list here changes both the
 * API's validation and the UI's choices, so they cannot drift apart.
 */

export const STAFF_ROLES = ['prefecture_admin', 'center_staff', 'municipality_staff', 'partner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** How a person is tied to a municipality. A person may hold several kinds for the same place. */
export const LINK_KINDS = ['roots', 'interest', 'supporter', 'moved_in'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];
/** How offices call each link kind (the web UI's wording; exports use it instead of the codes). */
export const LINK_KIND_LABELS_JA: Readonly<Record<LinkKind, string>> = {
  roots: 'ゆかり(出身等)',
  interest: '関心',
  supporter: '登録サポーター',
  moved_in: '移住済み',
};

/** Who an organization is; the last four receive projects (SMEs, NPOs) or take matching over (banks, chambers). */
export const ORGANIZATION_KINDS = [
  'center',
  'partner_agency',
  'intermediary',
  'company',
  'community',
  'sme',
  'npo',
  'bank',
  'chamber_of_commerce',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/** The 47 prefectures in JIS X 0401 order (code = index + 1, zero-padded). */
export const PREFECTURES = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
] as const;
export type Prefecture = (typeof PREFECTURES)[number];

/** The prefectures' English names, in the same order, for English pages (the value sent stays 東京都). */
export const PREFECTURE_NAMES_EN: Readonly<Record<Prefecture, string>> = {
  北海道: 'Hokkaido',
  青森県: 'Aomori',
  岩手県: 'Iwate',
  宮城県: 'Miyagi',
  秋田県: 'Akita',
  山形県: 'Yamagata',
  福島県: 'Fukushima',
  茨城県: 'Ibaraki',
  栃木県: 'Tochigi',
  群馬県: 'Gunma',
  埼玉県: 'Saitama',
  千葉県: 'Chiba',
  東京都: 'Tokyo',
  神奈川県: 'Kanagawa',
  新潟県: 'Niigata',
  富山県: 'Toyama',
  石川県: 'Ishikawa',
  福井県: 'Fukui',
  山梨県: 'Yamanashi',
  長野県: 'Nagano',
  岐阜県: 'Gifu',
  静岡県: 'Shizuoka',
  愛知県: 'Aichi',
  三重県: 'Mie',
  滋賀県: 'Shiga',
  京都府: 'Kyoto',
  大阪府: 'Osaka',
  兵庫県: 'Hyogo',
  奈良県: 'Nara',
  和歌山県: 'Wakayama',
  鳥取県: 'Tottori',
  島根県: 'Shimane',
  岡山県: 'Okayama',
  広島県: 'Hiroshima',
  山口県: 'Yamaguchi',
  徳島県: 'Tokushima',
  香川県: 'Kagawa',
  愛媛県: 'Ehime',
  高知県: 'Kochi',
  福岡県: 'Fukuoka',
  佐賀県: 'Saga',
  長崎県: 'Nagasaki',
  熊本県: 'Kumamoto',
  大分県: 'Oita',
  宮崎県: 'Miyazaki',
  鹿児島県: 'Kagoshima',
  沖縄県: 'Okinawa',
};

/** Field limits, shared so the form can stop the user before the API has to. */
export const PERSON_LIMITS = {
  name: 100,
  kana: 100,
  email: 254,
  phone: 30,
  postalCode: 16,
  city: 100,
  notes: 5000,
} as const;

/** Limits of what a supporter says they can take on (hours per month, concurrent projects). */
export const PROFILE_LIMITS = { hoursPerMonth: 200, projectCapacity: 5 } as const;

/** Limits of the event fields, shared so the form can stop the user before the API has to. */
export const EVENT_LIMITS = {
  title: 200,
  description: 5000,
  venue: 500,
  onlineUrl: 1000,
  boothName: 200,
  capacity: 100_000,
  slotCapacity: 1000,
  booths: 100,
  slotsPerBooth: 100,
  headcountNote: 1000,
} as const;

/** Limits of the free-text fields, shared so the form can stop the user before the API has to. */
export const CONSULTATION_LIMITS = {
  familyNote: 1000,
  notes: 5000,
  nextAction: 500,
  referralMessage: 2000,
  outcomeNote: 2000,
  stepNote: 2000,
  followupNote: 2000,
} as const;

/** Every touch a person has with a municipality is one engagement record of one of these kinds. */
export const ENGAGEMENT_KINDS = [
  'event', // attended an event (fair, seminar, festival)
  'visit', // visited the municipality (tour, trial stay, sightseeing with contact)
  'volunteering',
  'donation', // ふるさと納税 or other donation
  'side_job', // 副業・兼業 for a local organization
  'online', // online participation (webinar, online community)
  'public_comment',
  'newsletter_click',
  'two_region_living', // 二地域居住 started (a second home / regular stays)
  'moved_in', // moved to the municipality (移住)
] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];
/** Engagement kinds as offices and supporters read them (the web UI's wording). */
export const ENGAGEMENT_KIND_LABELS_JA: Readonly<Record<EngagementKind, string>> = {
  event: 'イベント参加',
  visit: '訪問',
  volunteering: 'ボランティア',
  donation: '寄附（ふるさと納税など）',
  side_job: '副業・兼業',
  online: 'オンライン参加',
  public_comment: 'パブリックコメント',
  newsletter_click: 'メールマガジンのクリック',
  two_region_living: '二地域居住',
  moved_in: '移住（転入）',
};

/** The staircase of relationship depth, lowest first (関心 → 定住). */
export const STAGES = [
  'interest',
  'exchange',
  'involvement',
  'collaboration',
  'two_region',
  'migrated',
  'settled',
] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_LABELS_JA: Record<Stage, string> = {
  interest: '関心',
  exchange: '交流',
  involvement: '関与',
  collaboration: '協働',
  two_region: '二地域居住',
  migrated: '移住',
  settled: '定住',
};

/** Roots a supporter can declare (ゆかり). */
export const ROOT_KINDS = [
  'birthplace',
  'parents_birthplace',
  'work_or_study',
  'furusato_donor',
  'fan',
  'other',
] as const;
export type RootKind = (typeof ROOT_KINDS)[number];
/** Roots as the sign-up form words them (the web UI's `root.*`). */
export const ROOT_KIND_LABELS_JA: Readonly<Record<RootKind, string>> = {
  birthplace: '出身地',
  parents_birthplace: '親の出身地',
  work_or_study: '勤務・就学の経験',
  furusato_donor: 'ふるさと納税で寄附した',
  fan: 'ファン（好きな地域）',
  other: 'その他',
};

/** How a supporter wants to be involved. */
export const INVOLVEMENT_KINDS = [
  'online',
  'visits',
  'events',
  'side_job',
  'pro_bono', // プロボノ: professional skills given without pay
  'volunteering',
  'two_region_living',
  'considering_move',
] as const;
export type InvolvementKind = (typeof INVOLVEMENT_KINDS)[number];
/** Ways of involvement as the sign-up form words them (the web UI's `involvement.*`). */
export const INVOLVEMENT_KIND_LABELS_JA: Readonly<Record<InvolvementKind, string>> = {
  online: 'オンラインで関わる',
  visits: '訪れる',
  events: 'イベントに参加',
  side_job: '副業・兼業で関わる',
  pro_bono: 'プロボノ（専門性を活かした無償の協力）',
  volunteering: 'ボランティア',
  two_region_living: '二地域居住',
  considering_move: '移住を検討している',
};

/** Separate, dated consents; nothing is sent or shared without the matching one. */
export const CONSENT_PURPOSES = [
  'newsletter',
  'share_with_municipalities',
  'anonymous_statistics',
  /** Coordinators may propose projects to the person (off until they turn it on). */
  'scouting',
] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
/** Consent purposes as offices and supporters read them (the web UI's wording). */
export const CONSENT_PURPOSE_LABELS_JA: Readonly<Record<ConsentPurpose, string>> = {
  newsletter: 'メールマガジン',
  share_with_municipalities: '市町村への連絡先の提供',
  anonymous_statistics: '匿名の統計への利用',
  scouting: 'プロジェクトの紹介（スカウト）',
};

/** What a column of a ふるさと納税 donor file can hold (the import's mapping targets, besides "ignore"). */
export const DONOR_FIELDS = [
  'name',
  'familyName',
  'givenName',
  'kana',
  'familyKana',
  'givenKana',
  'donatedOn',
  'amountYen',
  'postalCode',
  'address',
  'prefecture',
  'city',
  'phone',
  'email',
  'receiptNumber',
] as const;
export type DonorField = (typeof DONOR_FIELDS)[number];

export const CERTIFICATION_KINDS = ['kokoro_furusato'] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];

// --- Events and consultations (移住相談・イベント) -------------------------------------------------

/** Kinds of event the center runs (やまがた移住・交流フェア, やまがた暮らしやま盛り相談DAY, …). */
export const EVENT_KINDS = [
  'fair',
  'mini_day',
  'theme_desk',
  'seminar',
  'online_session',
  'tour',
  'trial_stay',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Where a consultation took place (the center's channels, seed 000). */
export const CONSULTATION_CHANNELS = [
  'fair',
  'mini_day',
  'theme_desk',
  'online',
  'tokyo_counter',
  'yamagata_counter',
  'osaka_office',
  'nagoya_office',
  'station_popup',
  'phone',
  'mail',
] as const;
export type ConsultationChannel = (typeof CONSULTATION_CHANNELS)[number];

export const CONSULTATION_TOPICS = [
  'work',
  'housing',
  'childcare',
  'education',
  'farming',
  'business',
  'two_region_living',
  'side_job',
  'medical_care',
  'transport',
  'snow_life',
  'support_programs',
  'other',
] as const;
export type ConsultationTopic = (typeof CONSULTATION_TOPICS)[number];

export const DESIRED_TIMINGS = ['within_6_months', 'within_1_year', 'within_2_years', 'later', 'undecided'] as const;
export type DesiredTiming = (typeof DESIRED_TIMINGS)[number];

/**
 * The pipeline of a case, in order. `visited` and `trial_stay` are the same rung (either may
 * come first or alone); `ended` closes a case without a move and needs a reason.
 */
export const CASE_STEPS = [
  'first_contact',
  'consulting',
  'visited',
  'trial_stay',
  'decided',
  'moved',
  'settled',
  'ended',
] as const;
export type CaseStep = (typeof CASE_STEPS)[number];

/**
 * How a move relates to where the person came from: U (back to where they grew up), I (to a place
 * new to them), J (to a place near where they grew up, not home itself).
 */
export const UIJ_TYPES = ['U', 'I', 'J'] as const;
export type UijType = (typeof UIJ_TYPES)[number];
/** Household sizes a `moved` step may record (people moving together). */
export const HOUSEHOLD_SIZE = { min: 1, max: 20 } as const;

export const CASE_END_REASONS = [
  'chose_elsewhere',
  'postponed',
  'no_contact',
  'work_not_found',
  'housing_not_found',
  'family_reasons',
  'other',
] as const;
export type CaseEndReason = (typeof CASE_END_REASONS)[number];

/** What a partner agency or municipality is asked to help with (オール山形の支援). */
export const REFERRAL_AREAS = ['jobs', 'housing', 'farming', 'childcare', 'business', 'other'] as const;
export type ReferralArea = (typeof REFERRAL_AREAS)[number];

export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'completed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_OUTCOMES = ['matched', 'not_matched', 'person_withdrew', 'other'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/** Referral areas, statuses and outcomes as the staff screens word them (`referralArea.*` …). */
export const REFERRAL_AREA_LABELS_JA: Readonly<Record<ReferralArea, string>> = {
  jobs: '就業',
  housing: '住まい',
  farming: '就農',
  childcare: '子育て',
  business: '起業',
  other: 'その他',
};
export const REFERRAL_STATUS_LABELS_JA: Readonly<Record<ReferralStatus, string>> = {
  sent: '未対応',
  accepted: '受付済み',
  declined: '辞退',
  completed: '完了',
};
export const REFERRAL_OUTCOME_LABELS_JA: Readonly<Record<ReferralOutcome, string>> = {
  matched: '支援につながった',
  not_matched: 'つながらなかった',
  person_withdrew: '本人が辞退',
  other: 'その他',
};

export const FOLLOWUP_STATUSES = ['open', 'done', 'skipped'] as const;
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number];

/** Months after the move-in date at which a settled-life follow-up is due, unless configured. */
export const DEFAULT_FOLLOWUP_MONTHS = [1, 6, 12] as const;
