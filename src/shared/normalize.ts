/**
 * Normalizers for Japanese contact data as people actually type it: full-width digits and
 * letters, half-width katakana, hyphens of every kind, 〒 marks, +81 phone numbers.
 * Pure functions; used for storage, dedupe and search on the server and for form hints in the UI.
 */
import { PREFECTURES, type Prefecture } from './domain.js';

/** Every dash-like character people paste into phone numbers and postal codes. */
const DASHES = /[\u002D\u2010-\u2015\u2212\u30FC\uFF0D\uFF70\u2043\uFE58\uFE63]/g;
const SPACES = /[\s\u3000]+/g;

/** NFKC folds full-width ASCII to half-width and half-width katakana to full-width. */
export function toNarrow(input: string): string {
  return input.normalize('NFKC');
}

/** Katakana → hiragana (ヴ → ゔ too); other characters unchanged. */
export function katakanaToHiragana(input: string): string {
  return input.replace(/[\u30A1-\u30F6]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x60));
}

/** Hiragana → katakana; other characters unchanged. */
export function hiraganaToKatakana(input: string): string {
  return input.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

/** Collapses runs of whitespace (including the ideographic space) to one ASCII space and trims. */
export function collapseSpaces(input: string): string {
  return input.replace(SPACES, ' ').trim();
}

/**
 * Line breaks inside one cell — Excel's Alt+Enter (LF), or CR and CRLF from other tools — with the
 * spaces around them, folded to one ASCII space: for fields stored on one line, such as an address
 * written over two lines. Other control characters are left for the caller to refuse.
 */
export function foldLineBreaks(input: string): string {
  return input.replace(/[ \t\u3000]*(?:\r\n|\r|\n)+[ \t\u3000]*/g, ' ');
}

/**
 * Reading (フリガナ) as stored: full-width katakana with single ASCII spaces. Accepts hiragana,
 * half-width katakana and full-width spaces. Returns null when something other than kana remains.
 */
export function normalizeKana(input: string): string | null {
  const kana = collapseSpaces(hiraganaToKatakana(toNarrow(input)));
  if (kana === '') return '';
  return /^[\u30A1-\u30FA\u30FC\u30FB ・]+$/.test(kana) ? kana : null;
}

/** Email as compared for dedupe: NFKC (full-width @ and letters), trimmed, lower-cased. */
export function normalizeEmail(input: string): string {
  return toNarrow(input).trim().toLowerCase();
}

/**
 * Phone number as digits only, the comparison key for dedupe. Japanese numbers written with +81
 * become domestic (0 prefix). Returns null when there are not 10–11 domestic digits or a plausible
 * international number.
 */
export function normalizePhone(input: string): string | null {
  let s = toNarrow(input)
    .replace(DASHES, '')
    .replace(/[\s()（）.]/g, '');
  if (s.startsWith('+81')) s = `0${s.slice(3).replace(/^0/, '')}`;
  else if (s.startsWith('0081')) s = `0${s.slice(4).replace(/^0/, '')}`;
  if (s.startsWith('+')) {
    const digits = s.slice(1);
    return /^[1-9]\d{7,14}$/.test(digits) ? `+${digits}` : null;
  }
  return /^0\d{9,10}$/.test(s) ? s : null;
}

/** Postal code as 123-4567. Accepts 〒, full-width digits, any dash or none. Null when not 7 digits. */
export function normalizePostalCode(input: string): string | null {
  const digits = toNarrow(input).replace(/^〒/, '').replace(DASHES, '').replace(SPACES, '');
  return /^\d{7}$/.test(digits) ? `${digits.slice(0, 3)}-${digits.slice(3)}` : null;
}

/** Prefecture name from 東京, 東京都, Tokyo-to style input written in kanji. Null when unknown. */
export function normalizePrefecture(input: string): Prefecture | null {
  const s = collapseSpaces(toNarrow(input));
  if (s === '') return null;
  const exact = PREFECTURES.find((p) => p === s);
  if (exact) return exact;
  const short = PREFECTURES.filter((p) => p !== '北海道' && p.slice(0, -1) === s);
  return short.length === 1 ? short[0]! : null;
}

/**
 * Search key: what search compares, so that ﾔﾏｶﾞﾀ, ヤマガタ and やまがた, or 山形 太郎 and 山形太郎,
 * find the same person. NFKC, lower-case, katakana folded to hiragana, whitespace and dashes removed.
 */
export function searchKey(input: string): string {
  return katakanaToHiragana(toNarrow(input).toLowerCase()).replace(SPACES, '').replace(DASHES, '');
}

/**
 * Index terms of a search key: every character and every adjacent pair (bigram). Stored in a GIN
 * array index so that a substring query of any length narrows to rows holding all its bigrams,
 * independent of the database's locale (pg_trgm skips CJK characters under the C locale).
 */
export function searchGrams(key: string): string[] {
  const chars = Array.from(key);
  const grams = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

/** The grams a query must all find: its bigrams, or its single character when it has one. */
export function queryGrams(key: string): string[] {
  const chars = Array.from(key);
  if (chars.length <= 1) return chars;
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}
