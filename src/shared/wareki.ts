/**
 * Dates as Japanese files write them: 和暦 (令和6年4月1日, R6.4.1, 令和元年, ㍻31年4月30日) and
 * western (2024/4/1, 2024-04-01, 2024年4月1日, 20240401), in any width, optionally with a time or
 * a weekday — parsed to ISO yyyy-mm-dd, or refused with the reason. Pure functions.
 *
 * Era boundaries are exact to the day: 平成31年4月30日 is the last day of 平成, 令和元年5月1日
 * the first of 令和, so 平成31年5月1日, 平成32年 and 令和元年4月30日 are refused as outside the era
 * rather than silently moved into the neighbouring one.
 */

export type EraName = '明治' | '大正' | '昭和' | '平成' | '令和';

export type Era = {
  name: EraName;
  /** The letter used in short forms (R6.4.1). */
  letter: 'M' | 'T' | 'S' | 'H' | 'R';
  /** Western year of the era's first year (元年). */
  firstYear: number;
  /** First and last day of the era (ISO); `end` null for the current era. */
  start: string;
  end: string | null;
};

export const ERAS: readonly Era[] = [
  { name: '明治', letter: 'M', firstYear: 1868, start: '1868-10-23', end: '1912-07-29' },
  { name: '大正', letter: 'T', firstYear: 1912, start: '1912-07-30', end: '1926-12-24' },
  { name: '昭和', letter: 'S', firstYear: 1926, start: '1926-12-25', end: '1989-01-07' },
  { name: '平成', letter: 'H', firstYear: 1989, start: '1989-01-08', end: '2019-04-30' },
  { name: '令和', letter: 'R', firstYear: 2019, start: '2019-05-01', end: null },
];

export type DateProblem =
  /** Not written in any format we read. */
  | { ok: false; problem: 'unknown_date_format' }
  /** A format we read, but no such day (2024-02-30, 令和元年2月30日). */
  | { ok: false; problem: 'invalid_date' }
  /** A real day, but not within the named era (平成32年1月1日, 平成31年5月1日, 令和元年4月30日). */
  | { ok: false; problem: 'outside_era'; params: { era: EraName; from: string; to: string } };

export type DateParse = { ok: true; date: string } | DateProblem;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** yyyy-mm-dd for a real Gregorian day, else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > days) return null;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

const ERA_BY_NAME = new Map(ERAS.map((e) => [e.name as string, e]));
const ERA_BY_LETTER = new Map(ERAS.map((e) => [e.letter as string, e]));

/** The era a day belongs to (null before 明治). */
export function eraOf(date: string): Era | null {
  for (let i = ERAS.length - 1; i >= 0; i--) {
    const era = ERAS[i]!;
    if (date >= era.start && (era.end === null || date <= era.end)) return era;
  }
  return null;
}

/** 令和6年4月1日 (kanji) or R6.4.1 (letter); year 1 is written 元 in the kanji style. */
export function toWareki(date: string, style: 'kanji' | 'letter' = 'kanji'): string | null {
  const era = eraOf(date);
  if (!era) return null;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = y - era.firstYear + 1;
  if (style === 'letter') return `${era.letter}${year}.${m}.${d}`;
  return `${era.name}${year === 1 ? '元' : year}年${m}月${d}日`;
}

// Trailing pieces people and spreadsheets add: a weekday in brackets, a time of day.
const WEEKDAY = /\s*[(][月火水木金土日](?:曜日?)?[)]\s*$/;
const TIME = /(?:T|\s+|(?<=日))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

const WESTERN = [
  /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];
const ERA_KANJI = /^(明治|大正|昭和|平成|令和)(元|\d{1,2})(?:年(\d{1,2})月(\d{1,2})日?|[/.-](\d{1,2})[/.-](\d{1,2}))$/;
const ERA_LETTER = /^([MTSHR])(元|\d{1,2})[/.-](\d{1,2})[/.-](\d{1,2})$/;

function fromEra(era: Era, yearText: string, month: number, day: number): DateParse {
  const eraYear = yearText === '元' ? 1 : Number(yearText);
  const range = { era: era.name, from: era.start, to: era.end ?? '' };
  if (eraYear < 1) return { ok: false, problem: 'invalid_date' };
  const year = era.firstYear + eraYear - 1;
  const date = isoDate(year, month, day);
  if (!date) {
    // 平成40年2月30日: the year is already outside the era; say that first.
    if (era.end && year > Number(era.end.slice(0, 4))) return { ok: false, problem: 'outside_era', params: range };
    return { ok: false, problem: 'invalid_date' };
  }
  if (date < era.start || (era.end !== null && date > era.end))
    return { ok: false, problem: 'outside_era', params: range };
  return { ok: true, date };
}

/**
 * Parses a date as written in Japanese files. Full-width digits and letters, ㍻-style era
 * ligatures, spaces, a trailing weekday ((月)) and a trailing time are accepted. Western years must
 * lie between 1900 and 2999; two-digit years (24/4/1) are refused as ambiguous.
 */
export function parseJapaneseDate(input: string): DateParse {
  // NFKC: full-width digits and letters, ㍻ → 平成, （） → (); the ideographic space becomes a space.
  let s = input.normalize('NFKC').trim().toUpperCase();
  if (s.startsWith('="') && s.endsWith('"')) s = s.slice(2, -1).trim();
  s = s.replace(WEEKDAY, '').replace(TIME, '').replace(WEEKDAY, '').replace(/\s+/g, '');
  if (s === '') return { ok: false, problem: 'unknown_date_format' };

  for (const re of WESTERN) {
    const m = re.exec(s);
    if (!m) continue;
    const year = Number(m[1]);
    const date = isoDate(year, Number(m[2]), Number(m[3]));
    if (!date || year < 1900 || year > 2999) return { ok: false, problem: 'invalid_date' };
    return { ok: true, date };
  }
  const kanji = ERA_KANJI.exec(s);
  if (kanji) {
    const era = ERA_BY_NAME.get(kanji[1]!)!;
    return fromEra(era, kanji[2]!, Number(kanji[3] ?? kanji[5]), Number(kanji[4] ?? kanji[6]));
  }
  const letter = ERA_LETTER.exec(s);
  if (letter) {
    const era = ERA_BY_LETTER.get(letter[1]!)!;
    return fromEra(era, letter[2]!, Number(letter[3]), Number(letter[4]));
  }
  return { ok: false, problem: 'unknown_date_format' };
}

/**
 * A fiscal year (April–March, named by the year it starts in) in 和暦: 2025 → 令和7年度,
 * 2019 → 令和元年度. The era is the one in force at the end of the calendar year the fiscal year
 * starts in, as government documents name them (FY2019 began under 平成 but is 令和元年度).
 */
export function fiscalYearWareki(fiscalYear: number): string | null {
  const date = isoDate(fiscalYear, 12, 31);
  const era = date ? eraOf(date) : null;
  if (!era) return null;
  const year = fiscalYear - era.firstYear + 1;
  return `${era.name}${year === 1 ? '元' : year}年度`;
}
