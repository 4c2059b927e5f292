import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activityYears,
  cohortRows,
  type PersonActivity,
  stepsInto,
  TRANSITION_LABELS,
  transitionCounts,
  transitionIndex,
} from './kpi.depth.js';
import { STAGES } from '../../shared/domain.js';

const n = TRANSITION_LABELS.length;
const person = fc.record({
  registeredFiscalYear: fc.integer({ min: 2020, max: 2026 }),
  activeFiscalYears: fc.uniqueArray(fc.integer({ min: 2020, max: 2027 }), { maxLength: 6 }).map((a) => new Set(a)),
});

describe('depth tables', () => {
  it('labels （なし） and the stages in order', () => {
    expect(TRANSITION_LABELS).toEqual(['（なし）', '関心', '交流', '関与', '協働', '二地域居住', '移住', '定住']);
    expect(STAGES.map(transitionIndex)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(transitionIndex(null)).toBe(0);
  });

  it('counts each changed pair once in its cell and leaves unchanged pairs out (property)', () => {
    const pair = fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }));
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 60 }), (pairs) => {
        const counts = transitionCounts(pairs);
        expect(counts).toHaveLength(n);
        const total = counts.flat().reduce((a, b) => a + b, 0);
        expect(total).toBe(pairs.filter(([a, b]) => a !== b).length);
        for (let i = 0; i < n; i++) expect(counts[i]![i]).toBe(0);
        // Steps into 関与・協働・二地域居住 from below: those pairs exactly.
        const into = [3, 4, 5];
        expect(stepsInto(counts, into)).toBe(pairs.filter(([a, b]) => a < 3 && into.includes(b)).length);
      }),
    );
  });

  it('keeps cohorts and activity consistent: sizes equal registrations, retained ≤ size and ≤ active (property)', () => {
    fc.assert(
      fc.property(fc.array(person, { maxLength: 40 }), fc.integer({ min: 2022, max: 2026 }), (people, last) => {
        const first = last - 2;
        const lastEnded = 2025;
        const cohorts = cohortRows(people, first, last, 2, lastEnded);
        const activity = activityYears(people, first, last);
        for (const c of cohorts) {
          const year = activity.find((a) => a.fiscalYear === c.cohortFiscalYear)!;
          expect(c.cohortSize).toBe(year.registered);
          c.retained.forEach((r, k) => {
            const fy = c.cohortFiscalYear + k + 1;
            if (fy > lastEnded) expect(r).toBeNull();
            else {
              expect(r).toBeLessThanOrEqual(c.cohortSize);
              const expected = people.filter(
                (p: PersonActivity) => p.registeredFiscalYear === c.cohortFiscalYear && p.activeFiscalYears.has(fy),
              ).length;
              expect(r).toBe(expected);
            }
          });
        }
        for (const a of activity) {
          expect(a.activeNew).toBeLessThanOrEqual(Math.min(a.active, a.registered));
          expect(a.continuing).toBe(
            people.filter((p) => p.activeFiscalYears.has(a.fiscalYear) && p.activeFiscalYears.has(a.fiscalYear - 1))
              .length,
          );
        }
      }),
    );
  });
});
