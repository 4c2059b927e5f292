import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalProblems, evaluationAllows, lastEndedFiscalYear, opinionDateProblem } from './kpi.evaluation.rules.js';
import { fiscalYearDates, fiscalYearOfDate } from './kpi.rules.js';

const CODES = ['uij_movers', 'relationship_created', 'exchange_created', 'ready_organizations'];
const isoDate = fc
  .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('evaluation rules', () => {
  it('writes and approves drafts only; reopens approved evaluations only', () => {
    expect(evaluationAllows('draft', 'write')).toBe(true);
    expect(evaluationAllows('draft', 'approve')).toBe(true);
    expect(evaluationAllows('approved', 'write')).toBe(false);
    expect(evaluationAllows('approved', 'approve')).toBe(false);
    expect(evaluationAllows('approved', 'reopen')).toBe(true);
    expect(evaluationAllows('draft', 'reopen')).toBe(false);
  });

  it('names exactly the indicators without commentary, blank text counting as none (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...CODES), fc.oneof(fc.constant('  \n'), fc.string({ minLength: 1 }))),
        (texts) => {
          const problems = approvalProblems(CODES, new Map(Object.entries(texts)), 2024, '2026-12-02');
          const missing = CODES.filter((c) => !(texts[c] ?? '').trim()).map((c) => `commentary.${c}`);
          expect(Object.keys(problems)).toEqual(missing);
        },
      ),
    );
  });

  it('approves a fiscal year only once it is over: 3/31 is still inside, 4/1 after (property)', () => {
    expect(approvalProblems([], new Map(), 2025, '2026-03-31').fiscalYear).toBeTruthy();
    expect(approvalProblems([], new Map(), 2025, '2026-04-01')).toEqual({});
    fc.assert(
      fc.property(fc.integer({ min: 2016, max: 2034 }), isoDate, (fy, today) => {
        const over = fiscalYearDates(fy).to < today;
        expect('fiscalYear' in approvalProblems([], new Map(), fy, today)).toBe(!over);
        // The largest year it names is the last one that is over.
        expect(lastEndedFiscalYear(today)).toBe(fiscalYearOfDate(today) - 1);
      }),
    );
  });

  it('dates an opinion between the fiscal year’s first day and today (property)', () => {
    expect(opinionDateProblem('2025-04-01', 2025, '2026-09-10')).toBeNull();
    expect(opinionDateProblem('2025-03-31', 2025, '2026-09-10')).toMatchObject({ problem: 'too_small' });
    expect(opinionDateProblem('2026-09-11', 2025, '2026-09-10')).toMatchObject({ problem: 'future_date' });
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 2016, max: 2034 }), isoDate, (givenOn, fy, today) => {
        const ok = givenOn <= today && givenOn >= fiscalYearDates(fy).from;
        expect(opinionDateProblem(givenOn, fy, today) === null).toBe(ok);
      }),
    );
  });
});
