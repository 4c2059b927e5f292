/**
 * Domain vocabulary shared by the server and the web UI. Changing a list here changes both the
 * API's validation and the UI's choices, so they cannot drift apart.
 */

export const STAFF_ROLES = ['prefecture_admin', 'center_staff', 'municipality_staff', 'partner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** How a person is tied to a municipality. A person may hold several kinds for the same place. */
export const LINK_KINDS = ['roots', 'interest', 'supporter', 'moved_in'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const ORGANIZATION_KINDS = ['center', 'partner_agency', 'intermediary', 'company', 'community'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/** The 47 prefectures in JIS X 0401 order (code = index + 1, zero-padded). */
export const PREFECTURES = [
  '北海道', '青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県', '茨城県', '栃木県', '群馬県',
  '埼玉県', '千葉県', '東京都', '神奈川県', '新潟県', '富山県', '石川県', '福井県', '山梨県', '長野県',
  '岐阜県', '静岡県', '愛知県', '三重県', '滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県',
  '鳥取県', '島根県', '岡山県', '広島県', '山口県', '徳島県', '香川県', '愛媛県', '高知県', '福岡県',
  '佐賀県', '長崎県', '熊本県', '大分県', '宮崎県', '鹿児島県', '沖縄県',
] as const;
export type Prefecture = (typeof PREFECTURES)[number];

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

/** The staircase of relationship depth, lowest first (関心 → 定住). */
export const STAGES = ['interest', 'exchange', 'involvement', 'collaboration', 'two_region', 'migrated', 'settled'] as const;
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
export const ROOT_KINDS = ['birthplace', 'parents_birthplace', 'work_or_study', 'furusato_donor', 'fan', 'other'] as const;
export type RootKind = (typeof ROOT_KINDS)[number];

/** How a supporter wants to be involved. */
export const INVOLVEMENT_KINDS = ['online', 'visits', 'events', 'side_job', 'two_region_living', 'considering_move'] as const;
export type InvolvementKind = (typeof INVOLVEMENT_KINDS)[number];

/** Separate, dated consents; nothing is sent or shared without the matching one. */
export const CONSENT_PURPOSES = ['newsletter', 'share_with_municipalities', 'anonymous_statistics'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CERTIFICATION_KINDS = ['kokoro_furusato'] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];
