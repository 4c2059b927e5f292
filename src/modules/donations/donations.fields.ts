/**
 * Which column of a donor file holds what. The usual Japanese headers of ふるさと納税 platforms
 * and hand-made Excel sheets (寄附者氏名/氏名, フリガナ/ふりがな, 寄附日/入金日, 寄附金額/金額,
 * 郵便番号, 住所, 電話番号, メールアドレス and their variants) are recognized without a mapping;
 * a mapping sent with the upload overrides or completes the recognition. Pure functions.
 */

import { DONOR_FIELDS, type DonorField } from '../../shared/domain.js';

export { DONOR_FIELDS, type DonorField };

/** What the API accepts as a mapping target: a field, or ignore the column. */
export const MAPPING_TARGETS = [...DONOR_FIELDS, 'ignore'] as const;

/**
 * Header spellings per field, written as `headerKey` leaves them (NFKC, lower-case, 寄付 → 寄附,
 * without spaces and separators). A lower priority number wins when several columns name the
 * same field: 入金日 (the day the money arrived, which counts for the deduction and for
 * certification) beats 寄附日, which beats 申込日.
 */
const SYNONYMS: Array<{ field: DonorField | 'ignore'; priority: number; names: string[] }> = [
  {
    field: 'name',
    priority: 1,
    names: [
      '氏名',
      '名前',
      'お名前',
      '寄附者氏名',
      '寄附者名',
      '寄附者',
      '申込者氏名',
      '申込者名',
      '氏名(漢字)',
      '漢字氏名',
      'フルネーム',
      'name',
      'fullname',
      'donorname',
    ],
  },
  {
    field: 'familyName',
    priority: 1,
    names: ['姓', '氏', '名字', '苗字', '氏名(姓)', '姓(漢字)', 'lastname', 'familyname'],
  },
  { field: 'givenName', priority: 1, names: ['名', '氏名(名)', '名(漢字)', 'firstname', 'givenname'] },
  {
    field: 'kana',
    priority: 1,
    names: [
      'フリガナ',
      'ふりがな',
      'カナ',
      'かな',
      'よみがな',
      'ヨミガナ',
      '読み仮名',
      '読みがな',
      'よみ',
      'ヨミ',
      '氏名フリガナ',
      '氏名カナ',
      '氏名ふりがな',
      '氏名(フリガナ)',
      '氏名(カナ)',
      '氏名(ふりがな)',
      'フリガナ(氏名)',
      'カナ氏名',
      '名前フリガナ',
      '名前(フリガナ)',
      'お名前(フリガナ)',
      'お名前フリガナ',
      'セイメイ',
      'kana',
      'furigana',
    ],
  },
  {
    field: 'familyKana',
    priority: 1,
    names: [
      'セイ',
      '姓フリガナ',
      '姓カナ',
      '姓ふりがな',
      'フリガナ(姓)',
      '氏名フリガナ(姓)',
      '姓(フリガナ)',
      '姓(カナ)',
    ],
  },
  {
    field: 'givenKana',
    priority: 1,
    names: [
      'メイ',
      '名フリガナ',
      '名カナ',
      '名ふりがな',
      'フリガナ(名)',
      '氏名フリガナ(名)',
      '名(フリガナ)',
      '名(カナ)',
    ],
  },
  {
    field: 'donatedOn',
    priority: 1,
    names: ['入金日', '入金年月日', '入金確認日', '受領日', '収納日', '寄附受領日', '寄附金受領日'],
  },
  { field: 'donatedOn', priority: 2, names: ['寄附日', '寄附年月日'] },
  { field: 'donatedOn', priority: 3, names: ['決済日', '決済年月日', '支払日'] },
  { field: 'donatedOn', priority: 4, names: ['受付日', '申込日', '寄附申込日', '申込年月日', '注文日'] },
  { field: 'donatedOn', priority: 5, names: ['日付', '年月日', 'date'] },
  { field: 'amountYen', priority: 1, names: ['寄附金額', '寄附額', '寄附金', '入金額', '入金金額'] },
  { field: 'amountYen', priority: 2, names: ['金額', '決済金額', '支払金額', '申込金額', 'amount'] },
  {
    field: 'postalCode',
    priority: 1,
    names: ['郵便番号', '〒', '郵便', '〒番号', 'zip', 'zipcode', 'postalcode', 'postcode'],
  },
  { field: 'address', priority: 1, names: ['住所', '住所1', '現住所', '所在地', 'address', 'address1'] },
  { field: 'prefecture', priority: 1, names: ['都道府県', '都道府県名', '県名', '住所(都道府県)'] },
  { field: 'city', priority: 1, names: ['市区町村', '市町村', '市区郡町村', '市区町村名', '住所(市区町村)'] },
  {
    field: 'phone',
    priority: 1,
    names: [
      '電話番号',
      '電話',
      'tel',
      '電話番号1',
      '連絡先電話番号',
      '自宅電話番号',
      '電話番号(自宅)',
      'phone',
      'telephone',
    ],
  },
  { field: 'phone', priority: 2, names: ['携帯電話', '携帯電話番号', '携帯番号', '連絡先'] },
  {
    field: 'email',
    priority: 1,
    names: [
      'メールアドレス',
      'メール',
      'email',
      'mail',
      'mailaddress',
      'eメール',
      'eメールアドレス',
      '電子メール',
      '電子メールアドレス',
      'pcメールアドレス',
      '連絡先メールアドレス',
    ],
  },
  {
    field: 'receiptNumber',
    priority: 1,
    names: [
      '受付番号',
      '寄附番号',
      '申込番号',
      '寄附受付番号',
      '注文番号',
      '受付no',
      '寄附no',
      '申込no',
      '受付id',
      '寄附id',
      '申込id',
      '管理番号',
    ],
  },
  // Second address lines and the gift's recipient are not the donor's residence.
  { field: 'ignore', priority: 1, names: ['住所2', '住所3', '番地', '建物名', '住所(番地)', '住所(建物名)', '方書'] },
];

/** A header as compared: NFKC, lower-case, 寄付 → 寄附, no spaces, separators or required-marks. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replaceAll('寄付', '寄附')
    .replace(/※.*$/, '')
    .replace(/[\s_\-・:*＊.]/g, '')
    .replace(/[[【「]/g, '(')
    .replace(/[\]】」]/g, ')');
}

const BY_KEY = new Map<string, { field: DonorField | 'ignore'; priority: number }>();
for (const entry of SYNONYMS) for (const name of entry.names) BY_KEY.set(headerKey(name), entry);

/** The field a header names, with its priority; null when unknown. */
export function recognizeHeader(header: string): { field: DonorField | 'ignore'; priority: number } | null {
  const key = headerKey(header);
  if (!key) return null;
  const candidates = [key, key.replace(/\([^)]*\)/g, '')];
  // 寄附者住所, ご住所, 寄附者電話番号: the same field without the prefix.
  for (const c of [...candidates]) {
    const bare = c.replace(/^(?:寄附者|ご|お)/, '');
    if (bare !== c) candidates.push(bare);
  }
  for (const c of candidates) {
    const hit = BY_KEY.get(c);
    if (hit) return hit;
  }
  return null;
}

export type ColumnPlan = {
  headers: string[];
  /** Column index per mapped field. */
  columns: Partial<Record<DonorField, number>>;
  /** Each header and the field it was mapped to (null: not used). */
  mapping: Record<string, DonorField | null>;
};

export type MappingProblem = { problem: 'unknown_column' | 'unknown_target' | 'duplicate_target'; value: string };

/** The fields without which no row can be imported. */
export function missingFields(plan: ColumnPlan): DonorField[] {
  const missing: DonorField[] = [];
  if (plan.columns.name === undefined && plan.columns.familyName === undefined) missing.push('name');
  if (plan.columns.donatedOn === undefined) missing.push('donatedOn');
  if (plan.columns.amountYen === undefined) missing.push('amountYen');
  return missing;
}

/**
 * Maps the file's headers to fields: recognized headers first (per field the best priority, then
 * the leftmost column), then the caller's mapping (header → field, or 'ignore' / '' / null),
 * which wins over recognition. Returns the problems of the caller's mapping, if any.
 */
export function planColumns(
  headers: string[],
  userMapping: Record<string, string | null> = {},
): { plan: ColumnPlan; problems: MappingProblem[] } {
  const best = new Map<DonorField, { index: number; priority: number }>();
  headers.forEach((header, index) => {
    const hit = recognizeHeader(header);
    if (!hit || hit.field === 'ignore') return;
    const current = best.get(hit.field);
    if (!current || hit.priority < current.priority) best.set(hit.field, { index, priority: hit.priority });
  });
  const byColumn = new Map<number, DonorField>();
  for (const [field, { index }] of best) byColumn.set(index, field);

  const problems: MappingProblem[] = [];
  const trimmed = headers.map((h) => h.trim());
  const userTargets = new Map<string, string>();
  for (const [header, target] of Object.entries(userMapping)) {
    const index = trimmed.indexOf(header.trim());
    if (index < 0) {
      problems.push({ problem: 'unknown_column', value: header });
      continue;
    }
    const field = target === null || target === '' ? 'ignore' : target;
    if (!(MAPPING_TARGETS as readonly string[]).includes(field)) {
      problems.push({ problem: 'unknown_target', value: String(target) });
      continue;
    }
    if (field !== 'ignore') {
      if (userTargets.has(field)) problems.push({ problem: 'duplicate_target', value: field });
      userTargets.set(field, header);
      for (const [col, f] of byColumn) if (f === field) byColumn.delete(col);
    }
    byColumn.delete(index);
    if (field !== 'ignore') byColumn.set(index, field as DonorField);
  }

  const columns: Partial<Record<DonorField, number>> = {};
  const mapping: Record<string, DonorField | null> = {};
  headers.forEach((header, index) => {
    const field = byColumn.get(index) ?? null;
    if (field) columns[field] = index;
    if (!(header in mapping) || field) mapping[header] = field;
  });
  return { plan: { headers, columns, mapping }, problems };
}
