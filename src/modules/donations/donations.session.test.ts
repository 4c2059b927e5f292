import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayLiteral, copyLine } from './donations.session.js';

/** COPY text format and array literals written out rule by rule, to check the fast paths against. */
const referenceArray = (items: readonly string[]) =>
  `{${items.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
const referenceField = (v: string | number | boolean | readonly string[] | null) => {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  const text = typeof v === 'string' ? v : referenceArray(v);
  return text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
};

describe('COPY text', () => {
  it('escapes backslashes, tabs and line breaks, and quotes inside array items', () => {
    expect(copyLine(['a\tb', 'c\\d', null, 3, true, ['x"y', 'z'], 'e\r\nf'])).toBe(
      'a\\tb\tc\\\\d\t\\N\t3\tt\t{"x\\\\"y","z"}\te\\r\\nf\n',
    );
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral([''])).toBe('{""}');
    expect(arrayLiteral(['山', '山形'])).toBe('{"山","山形"}');
  });

  it('writes every value as the rule-by-rule reference does', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '山', '"', '\\', '\t', '\n', '\r', ',', '{', ' ') });
    const value = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), text, fc.array(text, { maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 6 }), (values) => {
        expect(copyLine(values)).toBe(`${values.map(referenceField).join('\t')}\n`);
      }),
      { numRuns: 300 },
    );
  });
});
