import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planColumns } from './donations.fields.js';
import { createHash } from 'node:crypto';
import {
  donationDigest,
  donationExternalKey,
  donorIdentity,
  KeyHashSet,
  OccurrenceCounter,
  readDonorRow,
  type DonorRecord,
} from './donations.rows.js';

const TODAY = '2025-06-30';
const HEADERS = [
  '受付番号',
  '入金日',
  '金額',
  '寄附者氏名',
  'ふりがな',
  '郵便番号',
  '住所',
  '電話番号',
  'メールアドレス',
];
const { plan } = planColumns(HEADERS);
const row = (over: Partial<Record<(typeof HEADERS)[number], string>> = {}) =>
  HEADERS.map(
    (h) =>
      ({
        受付番号: 'A-1',
        入金日: '令和6年4月1日',
        金額: '￥10,000',
        寄附者氏名: '山形 花子',
        ふりがな: 'やまがた はなこ',
        郵便番号: '１５０－０００１',
        住所: '東京都世田谷区桜1-2-3',
        電話番号: '="090-1234-5678"',
        メールアドレス: 'Hanako@Example.JP',
        ...over,
      })[h]!,
  );

describe('readDonorRow', () => {
  it('normalizes a good row the way the people API stores it', () => {
    const { donor, problems } = readDonorRow(row(), plan, TODAY);
    expect(problems).toEqual([]);
    expect(donor).toEqual({
      name: '山形 花子',
      kana: 'ヤマガタ ハナコ',
      email: 'Hanako@Example.JP',
      emailKey: 'hanako@example.jp',
      phone: '090-1234-5678',
      phoneKey: '09012345678',
      postalCode: '150-0001',
      prefecture: '東京都',
      city: '世田谷区',
      donatedOn: '2024-04-01',
      amountYen: 10000,
      receiptNumber: 'A-1',
    });
  });

  it('refuses a bad row, naming each column as the file does', () => {
    const { donor, problems } = readDonorRow(
      row({ 入金日: '平成32年1月1日', 金額: '-500', 寄附者氏名: '', 電話番号: '12-34' }),
      plan,
      TODAY,
    );
    expect(donor).toBeNull();
    expect(problems.map((p) => [p.column, p.problem])).toEqual([
      ['寄附者氏名', 'required'],
      ['入金日', 'outside_era'],
      ['金額', 'negative_amount'],
      ['電話番号', 'invalid_phone'],
    ]);
    expect(problems.find((p) => p.column === '入金日')?.params).toEqual({
      era: '平成',
      from: '1989-01-08',
      to: '2019-04-30',
    });
    expect(problems.find((p) => p.column === '電話番号')?.value).toBe('12-34');
  });

  it('refuses future dates, bad kana, emails and postal codes, control characters and over-long names', () => {
    const problem = (over: Parameters<typeof row>[0]) =>
      readDonorRow(row(over), plan, TODAY).problems.map((p) => p.problem);
    expect(problem({ 入金日: '2025-07-01' })).toEqual(['future_date']);
    expect(problem({ ふりがな: 'Yamagata' })).toEqual(['invalid_kana']);
    expect(problem({ メールアドレス: 'hanako@' })).toEqual(['invalid_email']);
    expect(problem({ 郵便番号: '150' })).toEqual(['invalid_postal_code']);
    expect(problem({ 寄附者氏名: '山形\u0007花子' })).toEqual(['control_characters']);
    expect(problem({ 寄附者氏名: '山'.repeat(101) })).toEqual(['too_long']);
    // Nothing to find the donor by again (search key empty): refused, not imported as a stranger each time.
    expect(problem({ 寄附者氏名: 'ー', 電話番号: '', メールアドレス: '' })).toEqual(['no_letters']);
    expect(problem({ 寄附者氏名: '－ 　―' })).toEqual(['no_letters']);
  });

  it('reads an address typed over two lines (Alt+Enter, CR or CRLF) as one, and still refuses other control characters', () => {
    for (const br of ['\n', '\r\n', '\r', ' \n　']) {
      const read = readDonorRow(row({ 住所: `東京都世田谷区${br}桜1-2-3 ハイツ101` }), plan, TODAY);
      expect(read.problems, JSON.stringify(br)).toEqual([]);
      expect(read.donor).toMatchObject({ prefecture: '東京都', city: '世田谷区' });
    }
    const tab = readDonorRow(row({ 住所: '東京都世田谷区\t桜1-2-3' }), plan, TODAY).problems;
    expect(tab.map((p) => [p.column, p.problem])).toEqual([['住所', 'control_characters']]);
    // A name is one line: a break in it is still refused, naming the column.
    const name = readDonorRow(row({ 寄附者氏名: '山形\n花子' }), plan, TODAY).problems;
    expect(name.map((p) => [p.column, p.problem])).toEqual([['寄附者氏名', 'control_characters']]);
  });

  it('refuses a row with more cells than headers (an unquoted 10,000) and pads a shorter one', () => {
    const longer = [...row().slice(0, 2), '10', '000', ...row().slice(3)];
    expect(readDonorRow(longer, plan, TODAY).problems).toEqual([
      { column: '', field: 'row', problem: 'column_count', params: { expected: 9, actual: 10 } },
    ]);
    const shorter = row().slice(0, 5);
    expect(readDonorRow(shorter, plan, TODAY).donor).toMatchObject({ email: null, phone: null, postalCode: null });
  });

  it('accepts rows without any contact (identity by name, reading and postal code)', () => {
    const { donor } = readDonorRow(row({ 電話番号: '', メールアドレス: '' }), plan, TODAY);
    expect(donor).toMatchObject({ emailKey: null, phoneKey: null });
  });

  it('joins 姓 and 名 (and セイ, メイ) when the file splits them', () => {
    const headers = ['姓', '名', 'セイ', 'メイ', '寄附日', '寄附金額'];
    const split = planColumns(headers).plan;
    expect(readDonorRow(['最上', '太郎', 'もがみ', 'たろう', 'R6.5.1', '5000'], split, TODAY).donor).toMatchObject({
      name: '最上 太郎',
      kana: 'モガミ タロウ',
    });
  });

  it('never throws on arbitrary cells', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 12 }), (cells) => {
        const r = readDonorRow(cells, plan, TODAY);
        expect(r.donor === null).toBe(r.problems.length > 0);
      }),
    );
  });
});

describe('donation keys', () => {
  const donor: DonorRecord = readDonorRow(row(), plan, TODAY).donor!;

  it('are stable and differ by municipality, donor, date, amount and receipt number', () => {
    const key = (d: DonorRecord, m = '062014') => donationExternalKey(donationDigest(m, d), 0);
    expect(key(donor)).toBe(key({ ...donor }));
    expect(key(donor)).toMatch(/^dn1:[A-Za-z0-9_-]{22}$/);
    const variants = [
      key(donor, '062031'),
      key({ ...donor, emailKey: 'x@example.jp' }),
      key({ ...donor, donatedOn: '2024-04-02' }),
      key({ ...donor, amountYen: 10001 }),
      key({ ...donor, receiptNumber: 'A-2' }),
    ];
    expect(new Set([key(donor), ...variants]).size).toBe(6);
    expect(donationExternalKey(donationDigest('062014', donor), 2)).toBe(`${key(donor)}:2`);
  });

  it('count occurrences of the same digest in order, across table growth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 3000 }), (ids) => {
        const counter = new OccurrenceCounter(4);
        const digests = new Map<number, Buffer>();
        const expected = new Map<number, number>();
        for (const id of ids) {
          if (!digests.has(id)) digests.set(id, randomBytes(16));
          const n = expected.get(id) ?? 0;
          expect(counter.next(digests.get(id)!)).toBe(n);
          expected.set(id, n + 1);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('donationDigest', () => {
  it('is the first 16 bytes of SHA-256 over the tuple, as imports have always keyed donations', () => {
    const { donor } = readDonorRow(row(), plan, TODAY);
    const tuple = [
      '062014',
      donorIdentity(donor!),
      donor!.donatedOn,
      String(donor!.amountYen),
      donor!.receiptNumber ?? '',
    ].join('\u001f');
    expect(donationDigest('062014', donor!)).toEqual(createHash('sha256').update(tuple).digest().subarray(0, 16));
    expect(donationExternalKey(donationDigest('062014', donor!), 0)).toMatch(/^dn1:[A-Za-z0-9_-]{22}$/);
  });
});

describe('KeyHashSet', () => {
  it('answers whether a key was added before, and never forgets one (through growth)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 400 }), (keys) => {
        const set = new KeyHashSet(4);
        const seen = new Set<string>();
        for (const k of keys) {
          const before = set.add(k);
          // A hash collision may only make an unseen key look seen, never the other way round.
          if (seen.has(k)) expect(before).toBe(true);
          seen.add(k);
        }
        for (const k of seen) expect(set.add(k)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('tells apart a million distinct donor keys', () => {
    const set = new KeyHashSet();
    let collisions = 0;
    for (let i = 0; i < 1_000_000; i++) if (set.add(`donor${i}@example.jp`)) collisions++;
    expect(collisions).toBe(0);
  });
});
