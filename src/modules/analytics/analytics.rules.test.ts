import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PREFECTURES } from '../../shared/domain.js';
import { AREAS, FUNNEL_STAGES } from './analytics.schemas.js';
import {
  AREA_PREFECTURES,
  areaOfPrefecture,
  currentFiscalYear,
  fiscalMonths,
  fiscalYearLabelJa,
  fiscalYearOf,
  fiscalYearRange,
  funnelCounts,
  percentile,
  percentileOfCounts,
  share,
} from './analytics.rules.js';

const isoDate = fc
  .integer({ min: Date.UTC(1990, 0, 1) / 86_400_000, max: Date.UTC(2090, 11, 31) / 86_400_000 })
  .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('area of a prefecture', () => {
  it('groups the plan’s areas as the center reviews them', () => {
    expect(areaOfPrefecture('東京都')).toBe('shutoken');
    expect(areaOfPrefecture('千葉県')).toBe('shutoken');
    expect(areaOfPrefecture('和歌山県')).toBe('kansai');
    expect(areaOfPrefecture('三重県')).toBe('chukyo');
    expect(areaOfPrefecture('山形県')).toBe('yamagata');
    expect(areaOfPrefecture('宮城県')).toBe('other');
    expect(areaOfPrefecture('沖縄県')).toBe('other');
    expect(areaOfPrefecture(null)).toBe('unknown');
    expect(areaOfPrefecture('')).toBe('unknown');
    expect(areaOfPrefecture('東京')).toBe('unknown');
  });

  it('puts each of the 47 prefectures in exactly one named area or other, and never unknown', () => {
    const named = Object.values(AREA_PREFECTURES).flat();
    expect(new Set(named).size).toBe(named.length);
    fc.assert(
      fc.property(fc.constantFrom(...PREFECTURES), (p) => {
        const area = areaOfPrefecture(p);
        expect(AREAS).toContain(area);
        expect(area === 'other').toBe(!named.includes(p));
        expect(area).not.toBe('unknown');
      }),
    );
  });

  it('calls anything that is not a prefecture unknown', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!(PREFECTURES as readonly string[]).includes(s));
        expect(areaOfPrefecture(s)).toBe('unknown');
      }),
    );
  });
});

describe('fiscal year (April–March)', () => {
  it('starts on April 1 and ends on March 31', () => {
    expect(fiscalYearOf('2026-04-01')).toBe(2026);
    expect(fiscalYearOf('2026-03-31')).toBe(2025);
    expect(fiscalYearOf('2027-03-31')).toBe(2026);
    expect(fiscalYearRange(2026)).toEqual({ from: '2026-04-01', to: '2027-03-31' });
    expect(fiscalMonths(2026)).toEqual([
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
    ]);
  });

  it('puts every date inside the range of its own fiscal year and no other', () => {
    fc.assert(
      fc.property(isoDate, (date) => {
        const fy = fiscalYearOf(date);
        const { from, to } = fiscalYearRange(fy);
        expect(date >= from && date <= to).toBe(true);
        expect(fiscalMonths(fy)).toContain(date.slice(0, 7));
        expect(date < fiscalYearRange(fy + 1).from && date > fiscalYearRange(fy - 1).to).toBe(true);
      }),
    );
  });

  it('changes year only between March 31 and April 1', () => {
    fc.assert(
      fc.property(isoDate, (date) => {
        const next = nextDay(date);
        const changes = fiscalYearOf(next) !== fiscalYearOf(date);
        expect(changes).toBe(next.slice(5) === '04-01');
        if (changes) expect(fiscalYearOf(next)).toBe(fiscalYearOf(date) + 1);
      }),
    );
  });

  it('reads the current year in Asia/Tokyo', () => {
    // 2027-03-31 15:30 UTC is already April 1 in Tokyo.
    expect(currentFiscalYear(new Date('2027-03-31T15:30:00Z'))).toBe(2027);
    expect(currentFiscalYear(new Date('2027-03-31T14:59:00Z'))).toBe(2026);
  });

  it('names the year as plans do, with the era year', () => {
    expect(fiscalYearLabelJa(2026)).toBe('2026年度（令和8年度）');
    expect(fiscalYearLabelJa(2019)).toBe('2019年度（令和元年度）');
    expect(fiscalYearLabelJa(2018)).toBe('2018年度（平成30年度）');
  });
});

describe('percentiles', () => {
  const sample = fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 200 });
  const p = fc.integer({ min: 0, max: 100 });

  it('follows percentile_cont: linear interpolation between closest ranks', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 25)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 25)).toBe(20);
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('lies between the smallest and largest value, with p0 = min and p100 = max', () => {
    fc.assert(
      fc.property(sample, p, (values, q) => {
        const v = percentile(values, q)!;
        expect(v).toBeGreaterThanOrEqual(Math.min(...values));
        expect(v).toBeLessThanOrEqual(Math.max(...values));
        expect(percentile(values, 0)).toBe(Math.min(...values));
        expect(percentile(values, 100)).toBe(Math.max(...values));
      }),
    );
  });

  it('never decreases as p grows, and ignores the order of the values', () => {
    fc.assert(
      fc.property(sample, p, p, (values, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(percentile(values, lo)!).toBeLessThanOrEqual(percentile(values, hi)!);
        expect(percentile([...values].reverse(), a)).toBe(percentile(values, a));
      }),
    );
  });

  it('gives the middle value as the median of an odd-sized sample', () => {
    fc.assert(
      fc.property(sample, (values) => {
        fc.pre(values.length % 2 === 1);
        const sorted = [...values].sort((x, y) => x - y);
        expect(percentile(values, 50)).toBe(sorted[(values.length - 1) / 2]);
      }),
    );
  });

  it('gives the same answer from a histogram as from the expanded values', () => {
    const histogram = fc.array(fc.tuple(fc.integer({ min: -50, max: 3000 }), fc.integer({ min: 0, max: 30 })), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(histogram, p, (bins, q) => {
        const expanded = bins.flatMap(([value, n]) => Array.from({ length: n }, () => value));
        const a = percentileOfCounts(bins, q);
        const b = percentile(expanded, q);
        if (b === null) expect(a).toBeNull();
        else expect(a).toBeCloseTo(b, 9);
      }),
    );
  });
});

describe('shares and the funnel', () => {
  it('has no share of nothing', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(3, 4)).toBe(0.75);
  });

  it('counts a case at every rung up to the furthest it reached, never increasing down the funnel', () => {
    const byRung = fc.array(fc.tuple(fc.integer({ min: -1, max: 5 }), fc.integer({ min: 0, max: 1000 })), {
      maxLength: 10,
    });
    fc.assert(
      fc.property(byRung, (pairs) => {
        const map = new Map<number, number>();
        for (const [rung, n] of pairs) map.set(rung, (map.get(rung) ?? 0) + n);
        const counts = funnelCounts(map);
        expect(counts).toHaveLength(FUNNEL_STAGES.length);
        for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeLessThanOrEqual(counts[i - 1]!);
        const onLadder = [...map].filter(([r]) => r >= 0).reduce((s, [, n]) => s + n, 0);
        expect(counts[0]).toBe(onLadder);
        expect(counts[5]).toBe(map.get(5) ?? 0);
      }),
    );
    expect(
      funnelCounts(
        new Map([
          [0, 5],
          [2, 3],
          [4, 2],
          [5, 1],
          [-1, 9],
        ]),
      ),
    ).toEqual([11, 6, 6, 3, 3, 1]);
  });
});
