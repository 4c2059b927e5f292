/**
 * One donor row: read, normalized and checked. A row with any problem is refused as a whole
 * (nothing of it is imported) and each problem names the column as the file calls it. Also the
 * identity of a donation, from which the import's idempotency key is made. Pure functions.
 */
import { hash } from 'node:crypto';
import { z } from 'zod';
import type { FieldProblem } from '../../shared/codes.js';
import { PERSON_LIMITS, type Prefecture } from '../../shared/domain.js';
import {
  foldLineBreaks,
  normalizeEmail,
  normalizeKana,
  normalizePhone,
  normalizePostalCode,
  normalizePrefecture,
  searchKey,
  toNarrow,
} from '../../shared/normalize.js';
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

export type RowProblem = FieldProblem & {
  /** The column as the file names it ('' for problems of the whole row). */
  column: string;
  field: DonorField | 'row';
  /** The cell as written (shortened), so that staff can find it. */
  value?: string;
};

export type RowRead = {
  donor: DonorRecord | null;
  values: Partial<Record<DonorField, string | number>>;
  problems: RowProblem[];
};

const SINGLE_LINE_FORBIDDEN =
  /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const emailSchema = z.email();
const LIMITS = { ...PERSON_LIMITS, receiptNumber: 100, address: 300 } as const;
const shown = (s: string) => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

/** True for a record of empty cells (Excel leaves ",,,," lines at the end of sheets). */
export function isBlankRecord(cells: string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** The cells of one row being read, with the problems found so far (a class, not closures: cheap per row). */
class RowReading {
  readonly problems: RowProblem[] = [];
  constructor(
    private readonly cells: string[],
    private readonly plan: ColumnPlan,
  ) {}

  column(field: DonorField): { header: string; raw: string } | null {
    const index = this.plan.columns[field];
    return index === undefined
      ? null
      : { header: this.plan.headers[index] ?? '', raw: (this.cells[index] ?? '').trim() };
  }

  fail(field: DonorField, header: string, { problem, params }: FieldProblem, raw?: string) {
    this.problems.push({
      column: header,
      field,
      // The pair as it came: each code with the parameters its message reads.
      ...({ problem, ...(params ? { params } : {}) } as FieldProblem),
      ...(raw ? { value: shown(raw) } : {}),
    });
  }

  /**
   * Text as written, one line, within its limit; null when empty or refused. With `foldBreaks`
   * (address-like fields), line breaks inside the cell are folded to one space first: an address
   * typed over two lines with Alt+Enter is one address. Any other control character is refused.
   */
  text(field: DonorField, max: number, { foldBreaks = false } = {}): string | null {
    const c = this.column(field);
    if (!c || c.raw === '') return null;
    const value = foldBreaks ? foldLineBreaks(c.raw) : c.raw;
    if (SINGLE_LINE_FORBIDDEN.test(value)) {
      this.fail(field, c.header, { problem: 'control_characters' });
      return null;
    }
    if (value.length > max) {
      this.fail(field, c.header, { problem: 'too_long', params: { max } });
      return null;
    }
    return value;
  }
}

/**
 * Reads one data row. `today` (yyyy-mm-dd, Asia/Tokyo) bounds the donation date. More cells than
 * headers means a comma was not quoted (10,000 split in two): the row is refused, not guessed at.
 * Fewer cells are read as empty trailing cells.
 */
export function readDonorRow(cells: string[], plan: ColumnPlan, today: string): RowRead {
  const values: RowRead['values'] = {};
  if (cells.length > plan.headers.length && cells.slice(plan.headers.length).some((c) => c.trim() !== '')) {
    const problems: RowProblem[] = [
      {
        column: '',
        field: 'row',
        problem: 'column_count',
        params: { expected: plan.headers.length, actual: cells.length },
      },
    ];
    return { donor: null, values, problems };
  }
  const row = new RowReading(cells, plan);
  const { problems } = row;
  const nameColumn = row.column('name') ?? row.column('familyName');

  // 氏名, or 姓 + 名.
  let name = row.text('name', LIMITS.name);
  if (!name && !row.column('name')) {
    const parts = [row.text('familyName', LIMITS.name), row.text('givenName', LIMITS.name)].filter(Boolean);
    name = parts.length ? parts.join(' ') : null;
    if (name && name.length > LIMITS.name) {
      row.fail('familyName', nameColumn!.header, { problem: 'too_long', params: { max: LIMITS.name } });
      name = null;
    }
  }
  if (name && searchKey(name) === '') {
    // Nothing to find the donor by: without email and phone the next import could not match them.
    row.fail(row.column('name') ? 'name' : 'familyName', nameColumn!.header, { problem: 'no_letters' });
    name = null;
  } else if (name) values.name = name;
  else if (!problems.some((p) => p.field === 'name' || p.field === 'familyName' || p.field === 'givenName')) {
    row.fail(row.column('name') ? 'name' : 'familyName', nameColumn?.header ?? '', { problem: 'required' });
  }

  // フリガナ, or セイ + メイ; stored as full-width katakana.
  let kana: string | null = null;
  const kanaSource: Array<readonly [DonorField, string | null]> = row.column('kana')
    ? [['kana', row.text('kana', LIMITS.kana)]]
    : [
        ['familyKana', row.text('familyKana', LIMITS.kana)],
        ['givenKana', row.text('givenKana', LIMITS.kana)],
      ];
  const kanaParts: string[] = [];
  for (const [field, raw] of kanaSource) {
    if (!raw) continue;
    const k = normalizeKana(raw);
    if (k === null) row.fail(field, row.column(field)!.header, { problem: 'invalid_kana' }, raw);
    else if (k) kanaParts.push(k);
  }
  if (kanaParts.length) kana = kanaParts.join(' ');
  if (kana) values.kana = kana;

  // 寄附日
  let donatedOn: string | null = null;
  const dateCell = row.column('donatedOn');
  if (!dateCell || dateCell.raw === '') row.fail('donatedOn', dateCell?.header ?? '', { problem: 'required' });
  else {
    const parsed = parseJapaneseDate(dateCell.raw);
    if (!parsed.ok) row.fail('donatedOn', dateCell.header, parsed, dateCell.raw);
    else if (parsed.date > today) row.fail('donatedOn', dateCell.header, { problem: 'future_date' }, dateCell.raw);
    else donatedOn = parsed.date;
  }
  if (donatedOn) values.donatedOn = donatedOn;

  // 寄附金額
  let amountYen: number | null = null;
  const amountCell = row.column('amountYen');
  if (!amountCell || amountCell.raw === '') row.fail('amountYen', amountCell?.header ?? '', { problem: 'required' });
  else {
    const parsed = parseYenAmount(amountCell.raw);
    if (!parsed.ok) row.fail('amountYen', amountCell.header, parsed, amountCell.raw);
    else amountYen = parsed.value;
  }
  if (amountYen !== null) values.amountYen = amountYen;

  // メールアドレス (NFKC, as the people form stores it; the key is lower-case).
  let email: string | null = null;
  const emailCell = row.column('email');
  if (emailCell && emailCell.raw !== '') {
    const narrow = toNarrow(unwrapExcelText(emailCell.raw)).trim();
    if (narrow.length > LIMITS.email)
      row.fail('email', emailCell.header, { problem: 'too_long', params: { max: LIMITS.email } });
    else if (!emailSchema.safeParse(narrow).success)
      row.fail('email', emailCell.header, { problem: 'invalid_email' }, emailCell.raw);
    else email = narrow;
  }
  if (email) values.email = email;

  // 電話番号 (Excel writes ="0901234567" or '0901234567 to keep the leading zero).
  let phone: string | null = null;
  let phoneKey: string | null = null;
  const phoneCell = row.column('phone');
  if (phoneCell && phoneCell.raw !== '') {
    const raw = unwrapExcelText(phoneCell.raw);
    phoneKey = normalizePhone(raw);
    if (!phoneKey) row.fail('phone', phoneCell.header, { problem: 'invalid_phone' }, phoneCell.raw);
    else if (toNarrow(raw).trim().length > LIMITS.phone)
      row.fail('phone', phoneCell.header, { problem: 'too_long', params: { max: LIMITS.phone } });
    else phone = toNarrow(raw).trim();
  }
  if (phone) values.phone = phone;

  // 郵便番号
  let postalCode: string | null = null;
  const postalCell = row.column('postalCode');
  if (postalCell && postalCell.raw !== '') {
    postalCode = normalizePostalCode(unwrapExcelText(postalCell.raw));
    if (!postalCode) row.fail('postalCode', postalCell.header, { problem: 'invalid_postal_code' }, postalCell.raw);
  }

  // 住所 → prefecture and city; explicit 都道府県 / 市区町村 columns win.
  let prefecture: Prefecture | null = null;
  let city: string | null = null;
  const address = row.text('address', LIMITS.address, { foldBreaks: true });
  if (address) {
    const parts = splitAddress(address);
    prefecture = parts.prefecture;
    city = parts.city;
    // 〒990-8570 山形県… : the postal code written in front of the address.
    if (!postalCode && !postalCell?.raw)
      postalCode = normalizePostalCode(/^〒?\s*(\d{3}-?\d{4})/.exec(address.normalize('NFKC'))?.[1] ?? '');
  }
  const prefectureText = row.text('prefecture', 12, { foldBreaks: true });
  if (prefectureText) {
    const p = normalizePrefecture(prefectureText);
    if (!p) row.fail('prefecture', row.column('prefecture')!.header, { problem: 'invalid_prefecture' }, prefectureText);
    else prefecture = p;
  }
  const cityText = row.text('city', LIMITS.city, { foldBreaks: true });
  if (cityText) city = cityText;
  if (city && city.length > LIMITS.city) city = null;
  if (postalCode) values.postalCode = postalCode;
  if (prefecture) values.prefecture = prefecture;
  if (city) values.city = city;

  const receipt = row.text('receiptNumber', LIMITS.receiptNumber);
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
  const tuple = `${municipalityCode}\u001f${donorIdentity(d)}\u001f${d.donatedOn}\u001f${d.amountYen}\u001f${d.receiptNumber ?? ''}`;
  return (hash('sha256', tuple, 'buffer') as unknown as Buffer).subarray(0, 16);
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

/**
 * A set of strings kept as 64-bit hashes in a flat open-addressing table (9 bytes a slot), for
 * remembering which donor keys an import has seen without holding the strings. A hash collision
 * can make a key look seen when it is not — callers use it only as a hint that is checked again
 * (see the import's search columns); it never forgets a key it was given.
 */
export class KeyHashSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used: Uint8Array;
  private size = 0;

  constructor(capacity = 1 << 14) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** Adds the key; true when it (or a key with the same 64-bit hash) was there already. */
  add(key: string): boolean {
    if ((this.size + 1) * 2 > this.used.length) this.grow();
    // Two 32-bit FNV-1a lanes with different offsets over the UTF-16 code units.
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ key.length;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 >>>= 0;
    h2 >>>= 0;
    const mask = this.used.length - 1;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    for (;;) {
      if (!this.used[i]) {
        this.used[i] = 1;
        this.hi[i] = h1;
        this.lo[i] = h2;
        this.size++;
        return false;
      }
      if (this.hi[i] === h1 && this.lo[i] === h2) return true;
      i = (i + 1) & mask;
    }
  }

  private grow() {
    const { hi, lo, used } = this;
    const capacity = used.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    const mask = capacity - 1;
    for (let j = 0; j < used.length; j++) {
      if (!used[j]) continue;
      let i = (hi[j]! ^ Math.imul(lo[j]!, 0x9e3779b1)) & mask;
      while (this.used[i]) i = (i + 1) & mask;
      this.used[i] = 1;
      this.hi[i] = hi[j]!;
      this.lo[i] = lo[j]!;
    }
  }
}
