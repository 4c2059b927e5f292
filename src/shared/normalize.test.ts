import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldLineBreaks,
  hiraganaToKatakana,
  katakanaToHiragana,
  normalizeEmail,
  normalizeKana,
  normalizePhone,
  normalizePostalCode,
  normalizePrefecture,
  queryGrams,
  searchGrams,
  searchKey,
  toNarrow,
} from './normalize.js';

/** Full-width form of ASCII digits and letters, as IMEs produce them. */
const toWide = (s: string) =>
  s.replace(/[0-9A-Za-z@.-]/g, (c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const hiragana = fc.string({
  unit: fc.integer({ min: 0x3041, max: 0x3093 }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 12,
});

describe('width and kana', () => {
  it('folds full-width ASCII to half-width', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,20}$/), (s) => {
        expect(toNarrow(toWide(s))).toBe(s);
      }),
    );
  });

  it('katakana and hiragana conversions are inverse on hiragana', () => {
    fc.assert(
      fc.property(hiragana, (h) => {
        expect(katakanaToHiragana(hiraganaToKatakana(h))).toBe(h);
      }),
    );
  });

  it('normalizeKana accepts hiragana, katakana and half-width katakana alike', () => {
    expect(normalizeKana('やまがた はなこ')).toBe('ヤマガタ ハナコ');
    expect(normalizeKana('ﾔﾏｶﾞﾀ　ﾊﾅｺ')).toBe('ヤマガタ ハナコ');
    expect(normalizeKana('ヤマガタ ハナコ')).toBe('ヤマガタ ハナコ');
    expect(normalizeKana('ヴァイオリン・ソロ')).toBe('ヴァイオリン・ソロ');
    expect(normalizeKana('山形')).toBeNull();
    expect(normalizeKana('yamagata')).toBeNull();
  });

  it('normalizeKana is idempotent and gives the same result for hiragana and katakana input', () => {
    fc.assert(
      fc.property(hiragana, (h) => {
        const k = normalizeKana(h);
        expect(k).not.toBeNull();
        expect(normalizeKana(k!)).toBe(k);
        expect(normalizeKana(hiraganaToKatakana(h))).toBe(k);
      }),
    );
  });
});

describe('normalizeEmail', () => {
  it('is case- and width-insensitive and idempotent', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const key = normalizeEmail(email);
        expect(normalizeEmail(email.toUpperCase())).toBe(key);
        expect(normalizeEmail(`  ${toWide(email)} `)).toBe(key);
        expect(normalizeEmail(key)).toBe(key);
      }),
    );
  });
});

describe('normalizePhone', () => {
  it('reads domestic numbers written with any width, dashes, spaces or +81', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), digits(8, 9), (first, tail) => {
        // Area codes never start with 0, so the digit after the trunk 0 is 1–9.
        const rest = `${first}${tail}`;
        const domestic = `0${rest}`;
        expect(normalizePhone(domestic)).toBe(domestic);
        expect(normalizePhone(toWide(domestic))).toBe(domestic);
        const dashed = `${domestic.slice(0, 3)}-${domestic.slice(3, 7)}-${domestic.slice(7)}`;
        expect(normalizePhone(dashed)).toBe(domestic);
        expect(normalizePhone(`${domestic.slice(0, 3)}ー${domestic.slice(3)}`)).toBe(domestic);
        expect(normalizePhone(`+81 ${rest}`)).toBe(domestic);
        expect(normalizePhone(`+81-${domestic}`)).toBe(domestic);
      }),
    );
  });

  it('refuses too short, too long and non-numeric input', () => {
    expect(normalizePhone('090-123')).toBeNull();
    expect(normalizePhone('0901234567890')).toBeNull();
    expect(normalizePhone('abc')).toBeNull();
    expect(normalizePhone('')).toBeNull();
  });

  it('result is either null or canonical (idempotent)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        const n = normalizePhone(s);
        if (n !== null) expect(normalizePhone(n)).toBe(n);
      }),
    );
  });
});

describe('normalizePostalCode', () => {
  it('accepts 7 digits in any width with or without 〒 and dash', () => {
    fc.assert(
      fc.property(digits(7, 7), (d) => {
        const canonical = `${d.slice(0, 3)}-${d.slice(3)}`;
        expect(normalizePostalCode(d)).toBe(canonical);
        expect(normalizePostalCode(`〒${toWide(canonical)}`)).toBe(canonical);
        expect(normalizePostalCode(canonical)).toBe(canonical);
      }),
    );
  });

  it('refuses anything that is not 7 digits', () => {
    fc.assert(
      fc.property(
        digits(0, 12).filter((d) => d.length !== 7),
        (d) => {
          expect(normalizePostalCode(d)).toBeNull();
        },
      ),
    );
  });
});

describe('normalizePrefecture', () => {
  it('accepts names with and without 都/府/県', () => {
    expect(normalizePrefecture('東京')).toBe('東京都');
    expect(normalizePrefecture('東京都')).toBe('東京都');
    expect(normalizePrefecture('山形')).toBe('山形県');
    expect(normalizePrefecture('大阪')).toBe('大阪府');
    expect(normalizePrefecture('北海道')).toBe('北海道');
    expect(normalizePrefecture('ニューヨーク')).toBeNull();
  });
});

describe('search keys', () => {
  it('half-width katakana, katakana and hiragana give the same key; spaces do not matter', () => {
    expect(searchKey('ﾔﾏｶﾞﾀ ﾊﾅｺ')).toBe(searchKey('やまがた　はなこ'));
    expect(searchKey('ヤマガタハナコ')).toBe('やまがたはなこ');
    expect(searchKey('山形　花子')).toBe(searchKey('山形花子'));
    expect(searchKey('０９０－１２３４')).toBe('0901234');
  });

  it('every substring of a key has all its query grams among the key grams', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.nat(), fc.nat(), (text, a, b) => {
        const key = searchKey(text);
        const chars = Array.from(key);
        if (chars.length === 0) return;
        const start = a % chars.length;
        const end = start + 1 + (b % (chars.length - start));
        const sub = chars.slice(start, end).join('');
        const grams = new Set(searchGrams(key));
        for (const g of queryGrams(sub)) expect(grams.has(g)).toBe(true);
      }),
    );
  });
});

describe('foldLineBreaks', () => {
  it('folds every line break inside a cell, with the spaces around it, to one space', () => {
    expect(foldLineBreaks('山形県山形市\n旅篭町2-3-25')).toBe('山形県山形市 旅篭町2-3-25');
    expect(foldLineBreaks('a\r\nb\rc \n\n　d')).toBe('a b c d');
    fc.assert(
      fc.property(fc.string(), (s) => {
        const folded = foldLineBreaks(s);
        expect(folded).not.toMatch(/[\r\n]/);
        expect(foldLineBreaks(folded)).toBe(folded);
        // Nothing but breaks and the spaces next to them changes.
        expect(folded.replace(/[\s\u3000]/g, '')).toBe(s.replace(/[\s\u3000]/g, ''));
      }),
    );
  });
});
