import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certifiedSince, donationYear, isCertified, qualifyingYear, type CertificationRule } from './certification.js';

const KOKORO: CertificationRule = { consecutiveYears: 3, yearBasis: 'calendar' };
const dayMs = 86_400_000;
const date = fc
  .integer({ min: Date.UTC(2008, 0, 1) / dayMs, max: Date.UTC(2030, 11, 31) / dayMs })
  .map((d) => new Date(d * dayMs).toISOString().slice(0, 10));
const rule = fc.record({
  consecutiveYears: fc.integer({ min: 1, max: 5 }),
  yearBasis: fc.constantFrom('calendar' as const, 'fiscal' as const),
});
const years = fc.array(fc.integer({ min: 2008, max: 2030 }), { maxLength: 12 });

/** The rule as a person would check it by hand: is there a window of n years all with donations? */
function referenceCertified(ys: number[], n: number): boolean {
  const set = new Set(ys);
  return [...set].some((y) => Array.from({ length: n }, (_, i) => y + i).every((x) => set.has(x)));
}

describe('certification (心のふるさと県民)', () => {
  it('certifies donations in 2022, 2023 and 2024, since the first donation of 2024', () => {
    expect(certifiedSince(['2022-12-01', '2023-05-10', '2024-09-01', '2024-03-15'], KOKORO)).toBe('2024-03-15');
    expect(isCertified([2022, 2023, 2024], KOKORO)).toBe(true);
  });

  it('does not certify 2022 and 2024 (a gap), nor two years', () => {
    expect(certifiedSince(['2022-01-01', '2024-01-01'], KOKORO)).toBeNull();
    expect(isCertified([2022, 2024, 2026], KOKORO)).toBe(false);
    expect(isCertified([2023, 2024], KOKORO)).toBe(false);
  });

  it('counts fiscal years April–March when the rule says so', () => {
    const fiscal: CertificationRule = { consecutiveYears: 3, yearBasis: 'fiscal' };
    expect(donationYear('2025-03-31', 'fiscal')).toBe(2024);
    expect(donationYear('2025-04-01', 'fiscal')).toBe(2025);
    // Calendar 2022, 2023, 2024 but fiscal 2021, 2023, 2024: not consecutive fiscal years.
    expect(certifiedSince(['2022-03-01', '2023-06-01', '2024-06-01'], fiscal)).toBeNull();
    expect(certifiedSince(['2022-03-01', '2023-06-01', '2024-06-01'], KOKORO)).toBe('2024-06-01');
    expect(certifiedSince(['2022-04-01', '2023-04-01', '2025-03-31'], fiscal)).toBe('2025-03-31');
  });

  it('agrees with the by-hand rule', () => {
    fc.assert(
      fc.property(years, fc.integer({ min: 1, max: 5 }), (ys, n) => {
        expect(qualifyingYear(ys, n) !== null).toBe(referenceCertified(ys, n));
      }),
    );
  });

  it('does not depend on the order or repetition of donations', () => {
    const datesAndShuffle = fc
      .array(date, { maxLength: 15 })
      .chain((ds) =>
        fc.tuple(
          fc.constant(ds),
          fc.shuffledSubarray(ds, { minLength: ds.length, maxLength: ds.length }),
          fc.subarray(ds),
        ),
      );
    fc.assert(
      fc.property(datesAndShuffle, rule, ([dates, shuffled, repeated], r) => {
        expect(certifiedSince([...shuffled, ...repeated], r)).toBe(certifiedSince(dates, r));
      }),
    );
  });

  it('never loses a certification nor moves `since` later when a donation is added', () => {
    fc.assert(
      fc.property(fc.array(date, { maxLength: 15 }), date, rule, (dates, extra, r) => {
        const before = certifiedSince(dates, r);
        const after = certifiedSince([...dates, extra], r);
        if (before !== null) {
          expect(after).not.toBeNull();
          expect(after! <= before).toBe(true);
        }
      }),
    );
  });

  it('is broken by a gap: runs shorter than the rule never certify', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2008, max: 2025 }),
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.boolean(), { maxLength: 12 }),
        (start, n, pattern) => {
          // Build years with every run of consecutive years shorter than n.
          const ys: number[] = [];
          let run = 0;
          pattern.forEach((donated, i) => {
            if (donated && run < n - 1) {
              ys.push(start + i);
              run++;
            } else run = 0;
          });
          expect(isCertified(ys, { consecutiveYears: n, yearBasis: 'calendar' })).toBe(false);
        },
      ),
    );
  });

  it('`since` lies in the last year of the first qualifying run', () => {
    fc.assert(
      fc.property(fc.array(date, { minLength: 1, maxLength: 15 }), rule, (dates, r) => {
        const since = certifiedSince(dates, r);
        if (since === null) return;
        expect(dates).toContain(since);
        const y = donationYear(since, r.yearBasis);
        const ys = new Set(dates.map((d) => donationYear(d, r.yearBasis)));
        for (let i = 0; i < r.consecutiveYears; i++) expect(ys.has(y - i)).toBe(true);
      }),
    );
  });
});
