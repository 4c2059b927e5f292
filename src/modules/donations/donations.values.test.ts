import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_YEN, parseYenAmount, splitAddress, unwrapExcelText } from './donations.values.js';

const wide = (s: string) =>
  s.replace(/[0-9,]/g, (c) => (c === ',' ? '，' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
const withCommas = (n: number) => n.toLocaleString('en-US');

describe('parseYenAmount', () => {
  it.each([
    ['￥10,000', 10000],
    ['¥１０，０００', 10000],
    ['10000円', 10000],
    ['10,000', 10000],
    ['"10,000"', Number.NaN],
    ['\\10,000', 10000],
    ['￥10,000-', 10000],
    ['１００００', 10000],
    [' 5000 ', 5000],
    ['="30000"', 30000],
    ['1,000,000', 1000000],
  ])('%s → %s', (input, expected) => {
    const r = parseYenAmount(input);
    if (Number.isNaN(expected)) expect(r.ok).toBe(false);
    else expect(r).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'required'],
    ['   ', 'required'],
    ['-10000', 'negative_amount'],
    ['－10,000', 'negative_amount'],
    ['▲10,000', 'negative_amount'],
    ['△5000', 'negative_amount'],
    ['(10,000)', 'negative_amount'],
    ['￥-10,000', 'negative_amount'],
    ['10000.5', 'decimal_amount'],
    ['10,000.00', 'decimal_amount'],
    ['-10.5', 'negative_amount'],
    ['0', 'too_small'],
    ['9999999999', 'too_large'],
    ['1万円', 'invalid_amount'],
    ['10,00', 'invalid_amount'],
    ['1,0000', 'invalid_amount'],
    ['abc', 'invalid_amount'],
    ['10 000 円x', 'invalid_amount'],
  ])('%s is refused as %s', (input, problem) => {
    const r = parseYenAmount(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe(problem);
  });

  it('reads any positive amount in every way it is written', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_AMOUNT_YEN }),
        fc.constantFrom('', '￥', '¥', '\\'),
        fc.constantFrom('', '円', '-'),
        fc.boolean(),
        fc.boolean(),
        (n, prefix, suffix, commas, fullWidth) => {
          let s = commas ? withCommas(n) : String(n);
          if (fullWidth) s = wide(s);
          expect(parseYenAmount(`${prefix}${s}${suffix}`)).toEqual({ ok: true, value: n });
        },
      ),
    );
  });

  it('never accepts a negative, a decimal or a value out of range, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double().map(String), fc.integer().map(String)), (s) => {
        const r = parseYenAmount(s);
        if (r.ok) {
          expect(Number.isInteger(r.value)).toBe(true);
          expect(r.value).toBeGreaterThanOrEqual(1);
          expect(r.value).toBeLessThanOrEqual(MAX_AMOUNT_YEN);
        }
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom('-', '▲', '△', '－'), (n, sign) => {
        expect(parseYenAmount(`${sign}${withCommas(n)}`)).toMatchObject({ ok: false, problem: 'negative_amount' });
      }),
    );
  });
});

describe('splitAddress', () => {
  it.each([
    ['山形県山形市旅篭町二丁目3番25号', '山形県', '山形市'],
    ['東京都世田谷区桜1-2-3', '東京都', '世田谷区'],
    ['神奈川県横浜市港北区日吉4-1-1', '神奈川県', '横浜市港北区'],
    ['山形県東置賜郡高畠町高畠436', '山形県', '東置賜郡高畠町'],
    ['山形県西村山郡河北町谷地', '山形県', '西村山郡河北町'],
    ['山形県村山市中央1-3-6', '山形県', '村山市'],
    ['長野県大町市大町', '長野県', '大町市'],
    ['東京都東村山市本町1-2-3', '東京都', '東村山市'],
    ['新潟県十日町市千歳町', '新潟県', '十日町市'],
    ['三重県四日市市諏訪町1-5', '三重県', '四日市市'],
    ['千葉県市川市八幡1-1-1', '千葉県', '市川市'],
    ['奈良県大和郡山市北郡山町248-4', '奈良県', '大和郡山市'],
    ['東京都新宿区市谷本村町5-1', '東京都', '新宿区'],
    ['北海道札幌市中央区北1条西2丁目', '北海道', '札幌市中央区'],
    ['〒990-8570 山形県山形市松波二丁目8-1', '山形県', '山形市'],
    ['山形市旅篭町2-3-25', null, '山形市'],
    ['', null, null],
    ['1-2-3', null, null],
  ])('%s → %s / %s', (input, prefecture, city) => {
    expect(splitAddress(input)).toEqual({ prefecture, city });
  });

  it('never throws and only ever returns a known prefecture', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const { prefecture, city } = splitAddress(s);
        if (prefecture) expect(s.normalize('NFKC')).toContain(prefecture);
        if (city) expect(city.length).toBeLessThanOrEqual(20);
      }),
    );
  });
});

describe('unwrapExcelText', () => {
  it('removes Excel text guards', () => {
    expect(unwrapExcelText('="09012345678"')).toBe('09012345678');
    expect(unwrapExcelText("'09012345678")).toBe('09012345678');
    expect(unwrapExcelText(' 090-1234-5678 ')).toBe('090-1234-5678');
  });
});
