/**
 * One donor row: read, normalized and checked. A row with any problem is refused as a whole
 * (nothing of it is imported) and each problem names the column as the file calls it. Also the
 * identity of a donation, from which the import's idempotency key is made. Pure functions.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PERSON_LIMITS, type Prefecture } from '../../shared/domain.js';
import { normalizeEmail, normalizeKana, normalizePhone, normalizePostalCode, normalizePrefecture, searchKey, toNarrow } from '../../shared/normalize.js';
import { parseJapaneseDate } from '../../shared/wareki.js';
import type { ColumnPlan, DonorField } from './donations.fields.js';
import { parseYenAmount, splitAddress, unwrapExcelText } from './donations.values.js';

export type DonorRecord = {
  name: string;
  kana: string | null;
  email: string | null;
  emailKey: string | null;
  phone: string | null;
  phoneKey: string | null;
  postalCode: string | null;
  prefecture: Prefecture | null;
  city: string | null;
  donatedOn: string;
  amountYen: number;
  receiptNumber: string | null;
};

export type ProblemParams = Record<string, string | number>;

export type RowProblem = {
  /** The column as the file names it ('' for problems of the whole row). */
  column: string;
  field: DonorField | 'row';
  problem: string;
  params?: ProblemParams;
  /** The cell as written (shortened), so that staff can find it. */
  value?: string;
};

export type RowRead = { donor: DonorRecord | null; values: Partial<Record<DonorField, string | number>>; problems: RowProblem[] };

const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const emailSchema = z.email();
const LIMITS = { ...PERSON_LIMITS, receiptNumber: 100, address: 300 } as const;
const shown = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** True for a record of empty cells (Excel leaves ",,,," lines at the end of sheets). */
export function isBlankRecord(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/**
 * Reads one data row. `today` (yyyy-mm-dd, Asia/Tokyo) bounds the donation date. More cells than
 * headers means a comma was not quoted (10,000 split in two): the row is refused, not guessed at.
 * Fewer cells are read as empty trailing cells.
 */
export function readDonorRow(cells: string[], plan: ColumnPlan, today: string): RowRead {
  const problems: RowProblem[] = [];
  const values: RowRead['values'] = {};
  if (cells.length > plan.headers.length && cells.slice(plan.headers.length).some((c) => c.trim() !== '')) {
    problems.push({ column: '', field: 'row', problem: 'column_count', params: { expected: plan.headers.length, actual: cells.length } });
    return { donor: null, values, problems };
  }
  const column = (field: DonorField) => {
    const index = plan.columns[field];
    return index === undefined ? null : { header: plan.headers[index] ?? '', raw: (cells[index] ?? '').trim() };
  };
  const fail = (field: DonorField, header: string, problem: string, raw?: string, params?: ProblemParams) => {
    problems.push({ column: header, field, problem, ...(params ? { params } : {}), ...(raw ? { value: shown(raw) } : {}) });
  };
  /** Text as written, one line, within its limit; null when empty or refused. */
  const text = (field: DonorField, max: number): string | null => {
    const c = column(field);
    if (!c || c.raw === '') return null;
    if (SINGLE_LINE_FORBIDDEN.test(c.raw)) return fail(field, c.header, 'control_characters'), null;
    if (c.raw.length > max) return fail(field, c.header, 'too_long', undefined, { max }), null;
    return c.raw;
  };
  const nameColumn = column('name') ?? column('familyName');

  // 氏名, or 姓 + 名.
  let name = text('name', LIMITS.name);
  if (!name && !column('name')) {
    const parts = [text('familyName', LIMITS.name), text('givenName', LIMITS.name)].filter(Boolean);
    name = parts.length ? parts.join(' ') : null;
    if (name && name.length > LIMITS.name) {
      fail('familyName', nameColumn!.header, 'too_long', undefined, { max: LIMITS.name });
      name = null;
    }
  }
  if (name) values.name = name;
  else if (!problems.some((p) => p.field === 'name' || p.field === 'familyName' || p.field === 'givenName')) {
    fail(column('name') ? 'name' : 'familyName', nameColumn?.header ?? '', 'required');
  }

  // フリガナ, or セイ + メイ; stored as full-width katakana.
  let kana: string | null = null;
  const kanaSource = column('kana') ? [['kana', text('kana', LIMITS.kana)] as const] : [['familyKana', text('familyKana', LIMITS.kana)] as const, ['givenKana', text('givenKana', LIMITS.kana)] as const];
  const kanaParts: string[] = [];
  for (const [field, raw] of kanaSource) {
    if (!raw) continue;
    const k = normalizeKana(raw);
    if (k === null) fail(field, column(field)!.header, 'invalid_kana', raw);
    else if (k) kanaParts.push(k);
  }
  if (kanaParts.length) kana = kanaParts.join(' ');
  if (kana) values.kana = kana;

  // 寄附日
  let donatedOn: string | null = null;
  const dateCell = column('donatedOn');
  if (!dateCell || dateCell.raw === '') fail('donatedOn', dateCell?.header ?? '', 'required');
  else {
    const parsed = parseJapaneseDate(dateCell.raw);
    if (!parsed.ok) fail('donatedOn', dateCell.header, parsed.problem, dateCell.raw, 'params' in parsed ? parsed.params : undefined);
    else if (parsed.date > today) fail('donatedOn', dateCell.header, 'future_date', dateCell.raw);
    else donatedOn = parsed.date;
  }
  if (donatedOn) values.donatedOn = donatedOn;

  // 寄附金額
  let amountYen: number | null = null;
  const amountCell = column('amountYen');
  if (!amountCell || amountCell.raw === '') fail('amountYen', amountCell?.header ?? '', 'required');
  else {
    const parsed = parseYenAmount(amountCell.raw);
    if (!parsed.ok) fail('amountYen', amountCell.header, parsed.problem, amountCell.raw, 'params' in parsed ? parsed.params : undefined);
    else amountYen = parsed.value;
  }
  if (amountYen !== null) values.amountYen = amountYen;

  // メールアドレス (NFKC, as the people form stores it; the key is lower-case).
  let email: string | null = null;
  const emailCell = column('email');
  if (emailCell && emailCell.raw !== '') {
    const narrow = toNarrow(unwrapExcelText(emailCell.raw)).trim();
    if (narrow.length > LIMITS.email) fail('email', emailCell.header, 'too_long', undefined, { max: LIMITS.email });
    else if (!emailSchema.safeParse(narrow).success) fail('email', emailCell.header, 'invalid_email', emailCell.raw);
    else email = narrow;
  }
  if (email) values.email = email;

  // 電話番号 (Excel writes ="0901234567" or '0901234567 to keep the leading zero).
  let phone: string | null = null;
  let phoneKey: string | null = null;
  const phoneCell = column('phone');
  if (phoneCell && phoneCell.raw !== '') {
    const raw = unwrapExcelText(phoneCell.raw);
    phoneKey = normalizePhone(raw);
    if (!phoneKey) fail('phone', phoneCell.header, 'invalid_phone', phoneCell.raw);
    else if (toNarrow(raw).trim().length > LIMITS.phone) fail('phone', phoneCell.header, 'too_long', undefined, { max: LIMITS.phone });
    else phone = toNarrow(raw).trim();
  }
  if (phone) values.phone = phone;

  // 郵便番号
  let postalCode: string | null = null;
  const postalCell = column('postalCode');
  if (postalCell && postalCell.raw !== '') {
    postalCode = normalizePostalCode(unwrapExcelText(postalCell.raw));
    if (!postalCode) fail('postalCode', postalCell.header, 'invalid_postal_code', postalCell.raw);
  }

  // 住所 → prefecture and city; explicit 都道府県 / 市区町村 columns win.
  let prefecture: Prefecture | null = null;
  let city: string | null = null;
  const address = text('address', LIMITS.address);
  if (address) {
    const parts = splitAddress(address);
    prefecture = parts.prefecture;
    city = parts.city;
    // 〒990-8570 山形県… : the postal code written in front of the address.
    if (!postalCode && !postalCell?.raw) postalCode = normalizePostalCode(/^〒?\s*(\d{3}-?\d{4})/.exec(address.normalize('NFKC'))?.[1] ?? '');
  }
  const prefectureText = text('prefecture', 12);
  if (prefectureText) {
    const p = normalizePrefecture(prefectureText);
    if (!p) fail('prefecture', column('prefecture')!.header, 'invalid_prefecture', prefectureText);
    else prefecture = p;
  }
  const cityText = text('city', LIMITS.city);
  if (cityText) city = cityText;
  if (city && city.length > LIMITS.city) city = null;
  if (postalCode) values.postalCode = postalCode;
  if (prefecture) values.prefecture = prefecture;
  if (city) values.city = city;

  const receipt = text('receiptNumber', LIMITS.receiptNumber);
  const receiptNumber = receipt ? toNarrow(unwrapExcelText(receipt)).trim() || null : null;
  if (receiptNumber) values.receiptNumber = receiptNumber;

  if (problems.length || !name || !donatedOn || amountYen === null) return { donor: null, values, problems };
  return {
    donor: {
      name,
      kana,
      email,
      emailKey: email ? normalizeEmail(email) : null,
      phone,
      phoneKey,
      postalCode,
      prefecture,
      city,
      donatedOn,
      amountYen,
      receiptNumber,
    },
    values,
    problems,
  };
}

/**
 * Who donated, as a stable key: the normalized email, else the phone, else name + reading +
 * postal code (the file's only handle on a donor who left no contact).
 */
export function donorIdentity(d: Pick<DonorRecord, 'emailKey' | 'phoneKey' | 'name' | 'kana' | 'postalCode'>): string {
  if (d.emailKey) return `e:${d.emailKey}`;
  if (d.phoneKey) return `p:${d.phoneKey}`;
  return contactlessIdentity(d);
}

export function contactlessIdentity(d: Pick<DonorRecord, 'name' | 'kana' | 'postalCode'>): string {
  return `n:${searchKey(d.name)}|${d.kana ? searchKey(d.kana) : ''}|${d.postalCode ?? ''}`;
}

/**
 * The donation as a tuple (receiving municipality, donor, date, amount, receipt number) hashed:
 * 16 bytes of SHA-256. Two rows of a file with the same tuple are told apart by their occurrence
 * index (see OccurrenceCounter), so the same file always yields the same keys.
 */
export function donationDigest(municipalityCode: string, d: DonorRecord): Buffer {
  return createHash('sha256')
    .update([municipalityCode, donorIdentity(d), d.donatedOn, String(d.amountYen), d.receiptNumber ?? ''].join('\u001f'))
    .digest()
    .subarray(0, 16);
}

/** engagements.external_key of a donation: versioned, the digest, and the occurrence when > 0. */
export function donationExternalKey(digest: Buffer, occurrence: number): string {
  return `dn1:${digest.toString('base64url')}${occurrence > 0 ? `:${occurrence}` : ''}`;
}

/**
 * Counts how often each digest was seen in a file, in a flat open-addressing table of 64-bit
 * digest prefixes (12 bytes a slot) — so a million-row file costs a few dozen MB at most, not a
 * map of strings. A prefix collision (odds ~n²/2⁶⁵) only shifts an occurrence index, and does so
 * the same way on every import of the file, so keys stay stable.
 */
export class OccurrenceCounter {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private counts: Uint32Array;
  private size = 0;

  constructor(capacity = 1 << 14) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.counts = new Uint32Array(capacity);
  }

  /** How many times the digest was seen before this call (0 the first time). */
  next(digest: Buffer): number {
    if ((this.size + 1) * 2 > this.counts.length) this.grow();
    const hi = digest.readUInt32LE(0);
    const lo = digest.readUInt32LE(4);
    const mask = this.counts.length - 1;
    let i = (hi ^ Math.imul(lo, 0x9e3779b1)) & mask;
    for (;;) {
      const c = this.counts[i]!;
      if (c === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.counts[i] = 1;
        this.size++;
        return 0;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) {
        this.counts[i] = c + 1;
        return c;
      }
      i = (i + 1) & mask;
    }
  }

  private grow() {
    const { hi, lo, counts } = this;
    const capacity = counts.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.counts = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let j = 0; j < counts.length; j++) {
      if (counts[j] === 0) continue;
      let i = (hi[j]! ^ Math.imul(lo[j]!, 0x9e3779b1)) & mask;
      while (this.counts[i] !== 0) i = (i + 1) & mask;
      this.hi[i] = hi[j]!;
      this.lo[i] = lo[j]!;
      this.counts[i] = counts[j]!;
    }
  }
}
