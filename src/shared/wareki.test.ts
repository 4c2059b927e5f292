import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERAS, eraOf, fiscalYearWareki, isoDate, parseJapaneseDate, toWareki } from './wareki.js';

/** Full-width digits, as IMEs and some exports write them. */
const wide = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const dayMs = 86_400_000;
/** Any real day between 1900-01-01 and 2099-12-31. */
const isoDay = fc
  .integer({ min: Date.UTC(1900, 0, 1) / dayMs, max: Date.UTC(2099, 11, 31) / dayMs })
  .map((d) => new Date(d * dayMs).toISOString().slice(0, 10));

const ok = (date: string) => ({ ok: true, date });

describe('parseJapaneseDate: the forms in the issue', () => {
  it.each([
    ['令和6年4月1日', '2024-04-01'],
    ['R6.4.1', '2024-04-01'],
    ['r6/4/1', '2024-04-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['令和元年12月31日', '2019-12-31'],
    ['R元.5.1', '2019-05-01'],
    ['平成31年4月30日', '2019-04-30'],
    ['H31/4/30', '2019-04-30'],
    ['㍻31年4月30日', '2019-04-30'],
    ['昭和64年1月7日', '1989-01-07'],
    ['平成元年1月8日', '1989-01-08'],
    ['令和６年４月１日', '2024-04-01'],
    ['Ｒ６．４．１', '2024-04-01'],
    ['令和 6年 4月 1日', '2024-04-01'],
    ['2024/4/1', '2024-04-01'],
    ['2024-04-01', '2024-04-01'],
    ['2024年4月1日', '2024-04-01'],
    ['２０２４／０４／０１', '2024-04-01'],
    ['20240401', '2024-04-01'],
    ['2024/4/1 12:34', '2024-04-01'],
    ['2024/04/01 9:05:33', '2024-04-01'],
    ['2024-04-01T09:00:00+09:00', '2024-04-01'],
    ['2024/4/1(月)', '2024-04-01'],
    ['令和6年4月1日（月）', '2024-04-01'],
    ['="2024/4/1"', '2024-04-01'],
    ['  2024/4/1  ', '2024-04-01'],
  ])('%s → %s', (input, expected) => {
    expect(parseJapaneseDate(input)).toEqual(ok(expected));
  });

  it.each([
    ['令和元年2月30日', 'invalid_date'],
    ['2024-02-30', 'invalid_date'],
    ['2023/2/29', 'invalid_date'],
    ['2024/13/1', 'invalid_date'],
    ['1800/1/1', 'invalid_date'],
    ['平成32年1月1日', 'outside_era'],
    ['平成31年5月1日', 'outside_era'],
    ['H32.1.1', 'outside_era'],
    ['昭和64年1月8日', 'outside_era'],
    ['昭和65年1月1日', 'outside_era'],
    ['令和元年4月30日', 'outside_era'],
    ['平成40年2月30日', 'outside_era'],
    ['', 'unknown_date_format'],
    ['昨日', 'unknown_date_format'],
    ['24/4/1', 'unknown_date_format'],
    ['令和六年四月一日', 'unknown_date_format'],
    ['45383', 'unknown_date_format'],
    ['X6.4.1', 'unknown_date_format'],
  ])('%s is refused as %s', (input, problem) => {
    const r = parseJapaneseDate(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe(problem);
  });

  it('names the era and its range when a date is outside it', () => {
    expect(parseJapaneseDate('平成32年1月1日')).toEqual({
      ok: false,
      problem: 'outside_era',
      params: { era: '平成', from: '1989-01-08', to: '2019-04-30' },
    });
  });
});

describe('parseJapaneseDate: properties', () => {
  it('reads back every day written in 和暦 (kanji, letter, full-width, 元年)', () => {
    fc.assert(
      fc.property(isoDay, fc.boolean(), (date, fullWidth) => {
        for (const style of ['kanji', 'letter'] as const) {
          const written = toWareki(date, style)!;
          expect(parseJapaneseDate(fullWidth ? wide(written) : written)).toEqual(ok(date));
        }
      }),
    );
  });

  it('reads back every day written the western ways', () => {
    fc.assert(
      fc.property(isoDay, fc.constantFrom('/', '-', '.', '年'), fc.boolean(), (date, sep, fullWidth) => {
        const [y, m, d] = date.split('-').map(Number);
        const written = sep === '年' ? `${y}年${m}月${d}日` : `${y}${sep}${m}${sep}${d}`;
        expect(parseJapaneseDate(fullWidth ? wide(written) : written)).toEqual(ok(date));
        expect(parseJapaneseDate(date.replaceAll('-', ''))).toEqual(ok(date));
      }),
    );
  });

  it('refuses, with outside_era, any era year past the era’s end', () => {
    const closed = ERAS.filter((e) => e.end);
    fc.assert(
      fc.property(
        fc.constantFrom(...closed),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 12 }),
        (era, extra, month) => {
          const lastYear = Number(era.end!.slice(0, 4)) - era.firstYear + 1;
          const r = parseJapaneseDate(`${era.name}${lastYear + extra}年${month}月1日`);
          expect(r).toMatchObject({ ok: false, problem: 'outside_era' });
        },
      ),
    );
  });

  it('never throws, and whatever it accepts is a real day in the era it was written in', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .tuple(
              fc.constantFrom('明治', '大正', '昭和', '平成', '令和', 'M', 'T', 'S', 'H', 'R'),
              fc.nat(99),
              fc.nat(13),
              fc.nat(32),
            )
            .map(([e, y, m, d]) => (e.length === 1 ? `${e}${y}.${m}.${d}` : `${e}${y}年${m}月${d}日`)),
        ),
        (input) => {
          const r = parseJapaneseDate(input);
          if (!r.ok) return;
          const [y, m, d] = r.date.split('-').map(Number) as [number, number, number];
          expect(isoDate(y, m, d)).toBe(r.date);
          const named = ERAS.find(
            (e) =>
              input.normalize('NFKC').toUpperCase().includes(e.name) ||
              new RegExp(`^\\s*${e.letter}`).test(input.normalize('NFKC').toUpperCase()),
          );
          if (named) expect(eraOf(r.date)?.name).toBe(named.name);
        },
      ),
    );
  });
});

describe('fiscalYearWareki', () => {
  it('names fiscal years as government documents do', () => {
    expect(fiscalYearWareki(2025)).toBe('令和7年度');
    expect(fiscalYearWareki(2024)).toBe('令和6年度');
    // FY2019 began on 平成31年4月1日, but the era changed within it: 令和元年度.
    expect(fiscalYearWareki(2019)).toBe('令和元年度');
    expect(fiscalYearWareki(2018)).toBe('平成30年度');
    expect(fiscalYearWareki(1989)).toBe('平成元年度');
    expect(fiscalYearWareki(1988)).toBe('昭和63年度');
    expect(fiscalYearWareki(1850)).toBeNull();
  });
});
