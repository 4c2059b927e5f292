/**
 * Japanese labels for the exported workbook and CSV (the plan review is written in Japanese).
 * Channel, topic and end-reason wording is the web UI's (checked by analytics.labels.test.ts), so
 * a chart and the sheet behind it read the same.
 */
import type { CaseEndReason, ConsultationChannel, ConsultationTopic } from '../../shared/domain.js';
import type { Area, FunnelStage } from './analytics.schemas.js';

export const AREA_LABELS: Readonly<Record<Area, string>> = {
  shutoken: '首都圏（東京都・神奈川県・埼玉県・千葉県）',
  kansai: '関西（大阪府・京都府・兵庫県・奈良県・滋賀県・和歌山県）',
  chukyo: '中京（愛知県・岐阜県・三重県）',
  yamagata: '山形県内',
  other: 'その他の道府県',
  unknown: '不明',
};

export const STAGE_LABELS: Readonly<Record<FunnelStage, string>> = {
  first_contact: '初回相談',
  consulting: '相談継続中',
  visited_or_trial_stay: '現地訪問・お試し滞在',
  decided: '移住決定',
  moved: '移住',
  settled: '定着',
};

export const CHANNEL_LABELS: Readonly<Record<ConsultationChannel, string>> = {
  fair: '移住フェア',
  mini_day: '相談DAY',
  theme_desk: 'テーマ別相談',
  online: 'オンライン',
  tokyo_counter: '東京窓口',
  yamagata_counter: '山形窓口',
  osaka_office: '大阪事務所',
  nagoya_office: '名古屋事務所',
  station_popup: '駅ナカ出張相談',
  phone: '電話',
  mail: 'メール',
};

export const TOPIC_LABELS: Readonly<Record<ConsultationTopic, string>> = {
  work: '仕事',
  housing: '住まい',
  childcare: '子育て',
  education: '教育',
  farming: '就農・農業',
  business: '起業・開業',
  two_region_living: '二地域居住',
  side_job: '副業・兼業',
  medical_care: '医療・介護',
  transport: '交通・車',
  snow_life: '雪国の暮らし',
  support_programs: '支援制度',
  other: 'その他',
};

export const END_REASON_LABELS: Readonly<Record<CaseEndReason, string>> = {
  chose_elsewhere: '他の地域を選んだ',
  postponed: '延期・見送り',
  no_contact: '連絡が取れない',
  work_not_found: '仕事が見つからない',
  housing_not_found: '住まいが見つからない',
  family_reasons: '家族の事情',
  other: 'その他',
};
