/**
 * Cell values of donor files as platforms and Excel write them: amounts (￥10,000, ¥１０，０００,
 * 10000円, "10,000"), Excel's ="0901234567" text guard, addresses to split into prefecture and
 * city. Pure functions, property-tested.
 */
import { PREFECTURES, type Prefecture } from '../../shared/domain.js';
import { normalizePrefecture } from '../../shared/normalize.js';

/** Largest amount the engagements table holds (integer). */
export const MAX_AMOUNT_YEN = 2_147_483_647;

/** Strips Excel's text guards: ="0901234567" and a leading apostrophe. */
export function unwrapExcelText(value: string): string {
  const s = value.trim();
  if (s.length >= 3 && s.startsWith('="') && s.endsWith('"')) return s.slice(2, -1).replaceAll('""', '"').trim();
  if (s.startsWith("'")) return s.slice(1).trim();
  return s;
}

export type AmountParse =
  | { ok: true; value: number }
  | { ok: false; problem: 'required' | 'invalid_amount' | 'negative_amount' | 'decimal_amount' }
  | { ok: false; problem: 'too_small'; params: { min: number } }
  | { ok: false; problem: 'too_large'; params: { max: number } };

const DIGITS = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;
const DECIMAL = /^(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$/;

/**
 * An amount in yen. Accepts full-width digits and commas, a leading ¥ / ￥ / \ (CP932's yen sign),
 * a trailing 円 or receipt-style dash (￥10,000-), thousands separators in their places. Refuses
 * empty cells, negatives (-, −, ▲, △, (…)), decimals, zero and amounts beyond the column's range.
 */
export function parseYenAmount(input: string): AmountParse {
  let s = unwrapExcelText(input.normalize('NFKC')).replace(/[\s]+/g, '');
  if (s === '') return { ok: false, problem: 'required' };
  let negative = false;
  if (/^[-−▲△]/.test(s)) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(/^(?:[¥\\]|JPY)/i, '').replace(/(?:円|JPY)$/i, '');
  if (!negative && /^[-−▲△]/.test(s)) {
    negative = true;
    s = s.slice(1);
  }
  // ￥10,000- is how receipts write an exact amount, not a negative one.
  if (/\d[-−]$/.test(s)) s = s.slice(0, -1);
  if (DECIMAL.test(s)) return { ok: false, problem: negative ? 'negative_amount' : 'decimal_amount' };
  if (!DIGITS.test(s)) return { ok: false, problem: 'invalid_amount' };
  if (negative) return { ok: false, problem: 'negative_amount' };
  const value = Number(s.replaceAll(',', ''));
  if (value > MAX_AMOUNT_YEN) return { ok: false, problem: 'too_large', params: { max: MAX_AMOUNT_YEN } };
  if (value < 1) return { ok: false, problem: 'too_small', params: { min: 1 } };
  return { ok: true, value };
}

/** Cities whose name holds 市 before the final 市 (四日市市): matched whole, not cut at the first 市. */
const CITY_NAMES_WITH_INNER_SHI = [
  '四日市市',
  '廿日市市',
  '野々市市',
  '市川市',
  '市原市',
  '市貝町',
  '市川三郷町',
  '余市郡余市町',
  '余市郡仁木町',
  '余市郡赤井川村',
];

export type AddressParts = { prefecture: Prefecture | null; city: string | null };

/**
 * Splits an address into its prefecture (full name at the start, normalized) and city — the
 * municipality: 市 (with its 区 in a designated city), 特別区, or 郡 + 町/村. The rest (street,
 * building) is not kept: Kankei stores where a person lives, not their street address. Returns
 * nulls for the parts it cannot find rather than guessing.
 */
export function splitAddress(input: string): AddressParts {
  let s = input.normalize('NFKC').replace(/[\s]+/g, '');
  // A postal code in front (〒990-8570 山形県…) is not part of the address.
  s = s.replace(/^〒?\d{3}-?\d{4}/, '');
  let prefecture: Prefecture | null = null;
  for (const length of [4, 3]) {
    const head = s.slice(0, length);
    if (PREFECTURES.includes(head as Prefecture)) {
      prefecture = normalizePrefecture(head);
      s = s.slice(length);
      break;
    }
  }
  return { prefecture, city: cityOf(s) };
}

function cityOf(rest: string): string | null {
  if (rest === '') return null;
  const known = CITY_NAMES_WITH_INNER_SHI.find((name) => rest.startsWith(name));
  if (known) return known;
  const gun = /^(.{1,5}?郡)([^市区]{1,6}?[町村])/.exec(rest);
  const shi = /^(.{1,6}?市)(.{1,5}?区)?/.exec(rest);
  const ku = /^(.{1,5}?区)/.exec(rest);
  // The earliest of 郡 / 市 / 区 names the kind of municipality: 新宿区市谷 is in 新宿区,
  // 大和郡山市 is a city, 東置賜郡高畠町 a town in a 郡.
  const ends = [
    gun ? { end: gun[1]!.length, city: gun[1]! + gun[2]! } : null,
    shi ? { end: shi[1]!.length, city: shi[1]! + (shi[2] ?? '') } : null,
    ku ? { end: ku[1]!.length, city: ku[1]! } : null,
  ].filter((c): c is { end: number; city: string } => c !== null);
  if (ends.length) return ends.reduce((a, b) => (b.end < a.end ? b : a)).city;
  const town = /^(.{1,6}?[町村])/.exec(rest);
  return town ? town[1]! : null;
}
