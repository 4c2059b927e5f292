import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASE_END_REASONS, CASE_STEPS, type CaseStep } from '../../shared/domain.js';
import {
  addMonthsClamped,
  consultationEffect,
  followupSchedule,
  isValidHistory,
  normalizeMonths,
  RUNG,
  stepProblems,
  transitionProblem,
  type NextStep,
  type PersonCase,
} from './pipeline.js';

const TODAY = '2026-03-15';
const isoDate = fc
  .integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2026, 2, 15) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const anyIsoDate = fc
  .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const step = fc.constantFrom(...CASE_STEPS);
const nextStep: fc.Arbitrary<NextStep> = fc.record({
  step,
  occurredOn: isoDate,
  municipalityCode: fc.option(fc.constantFrom('062014', '062031'), { nil: null }),
  endReason: fc.option(fc.constantFrom(...CASE_END_REASONS), { nil: null }),
});

const allowed = (from: CaseStep, to: CaseStep) => transitionProblem(from, to) === null;
const problem = (from: CaseStep, to: CaseStep) => transitionProblem(from, to)?.problem;

describe('step transitions (docs/cases.md)', () => {
  it('moves forward, one rung or several', () => {
    expect(allowed('first_contact', 'consulting')).toBe(true);
    expect(allowed('consulting', 'visited')).toBe(true);
    expect(allowed('visited', 'decided')).toBe(true);
    expect(allowed('decided', 'moved')).toBe(true);
    expect(allowed('moved', 'settled')).toBe(true);
    expect(allowed('first_contact', 'moved')).toBe(true);
    expect(allowed('consulting', 'decided')).toBe(true);
  });
  it('treats visited and trial_stay as one rung: either order, either again', () => {
    expect(allowed('visited', 'trial_stay')).toBe(true);
    expect(allowed('trial_stay', 'visited')).toBe(true);
    expect(allowed('visited', 'visited')).toBe(true);
    expect(allowed('trial_stay', 'trial_stay')).toBe(true);
    expect(allowed('trial_stay', 'decided')).toBe(true);
  });
  it('refuses moving backwards and repeating another step', () => {
    expect(problem('decided', 'consulting')).toBe('step_backwards');
    expect(problem('moved', 'decided')).toBe('step_backwards');
    expect(problem('decided', 'visited')).toBe('step_backwards');
    expect(problem('consulting', 'consulting')).toBe('same_step');
    expect(problem('decided', 'decided')).toBe('same_step');
    expect(problem('moved', 'moved')).toBe('same_step');
  });
  it('allows nothing after ended or settled', () => {
    for (const to of CASE_STEPS) {
      expect(problem('ended', to)).toBe('case_ended');
      expect(problem('settled', to)).toBe('case_settled');
    }
  });
  it('allows settled only right after moved', () => {
    for (const from of CASE_STEPS.filter((s) => s !== 'moved' && s !== 'ended' && s !== 'settled')) {
      expect(problem(from, 'settled')).toBe('settled_needs_moved');
    }
  });
  it('ends a case only before the move; first contact only opens one', () => {
    for (const from of ['first_contact', 'consulting', 'visited', 'trial_stay', 'decided'] as const)
      expect(allowed(from, 'ended')).toBe(true);
    expect(problem('moved', 'ended')).toBe('ended_after_move');
    for (const from of ['first_contact', 'consulting', 'decided', 'moved'] as const)
      expect(problem(from, 'first_contact')).toBe('first_contact_opens_case');
  });

  it('property: a transition is allowed exactly by the rung rule', () => {
    fc.assert(
      fc.property(step, step, (from, to) => {
        const expected =
          from !== 'ended' &&
          from !== 'settled' &&
          to !== 'first_contact' &&
          (to === 'ended'
            ? RUNG[from] < RUNG.moved
            : to === 'settled'
              ? from === 'moved'
              : RUNG[to] > RUNG[from] || (RUNG[to] === RUNG.visited && RUNG[from] === RUNG.visited));
        expect(allowed(from, to)).toBe(expected);
      }),
    );
  });
});

describe('step problems by field', () => {
  const current = { step: 'decided' as const, stepOn: '2025-06-01' };
  it('names the step, the date, the municipality and the reason', () => {
    expect(stepProblems(current, { step: 'moved', occurredOn: '2025-05-31' }, TODAY)).toEqual({
      occurredOn: { problem: 'before_previous_step', params: { date: '2025-06-01' } },
      municipalityCode: { problem: 'required_for_moved' },
    });
    expect(stepProblems(current, { step: 'ended', occurredOn: '2025-06-01' }, TODAY)).toEqual({
      endReason: { problem: 'required_for_ended' },
    });
    expect(
      stepProblems(current, { step: 'moved', occurredOn: '2026-03-16', municipalityCode: '062014' }, TODAY),
    ).toEqual({
      occurredOn: { problem: 'future_date' },
    });
    expect(stepProblems(current, { step: 'visited', occurredOn: '2025-07-01', endReason: 'postponed' }, TODAY)).toEqual(
      {
        step: { problem: 'step_backwards', params: { from: 'decided', to: 'visited' } },
        endReason: { problem: 'only_for_ended' },
      },
    );
    expect(
      stepProblems(current, { step: 'moved', occurredOn: '2025-06-01', municipalityCode: '062014' }, TODAY),
    ).toEqual({});
  });

  it('property: every accepted history climbs the ladder in date order and ends at most once', () => {
    fc.assert(
      fc.property(isoDate, fc.array(nextStep, { maxLength: 12 }), (openedOn, attempts) => {
        // Apply each attempt that the rules accept, as the service does.
        const history: NextStep[] = [{ step: 'first_contact', occurredOn: openedOn }];
        for (const attempt of attempts) {
          const last = history[history.length - 1]!;
          if (Object.keys(stepProblems({ step: last.step, stepOn: last.occurredOn }, attempt, TODAY)).length === 0)
            history.push(attempt);
        }
        expect(isValidHistory(history, TODAY)).toBe(true);
        for (let i = 1; i < history.length; i++) {
          const prev = history[i - 1]!;
          const cur = history[i]!;
          expect(cur.occurredOn >= prev.occurredOn).toBe(true);
          expect(cur.occurredOn <= TODAY).toBe(true);
          expect(prev.step === 'ended' || prev.step === 'settled').toBe(false);
          if (cur.step === 'settled') expect(prev.step).toBe('moved');
          if (cur.step === 'ended') {
            expect(cur.endReason).toBeTruthy();
            expect(history.slice(0, i).some((s) => s.step === 'moved')).toBe(false);
          } else {
            expect(RUNG[cur.step]).toBeGreaterThanOrEqual(RUNG[prev.step]);
          }
          if (cur.step === 'moved') expect(cur.municipalityCode).toBeTruthy();
        }
      }),
    );
  });

  it('property: a refused step names at least one field, and only known ones', () => {
    fc.assert(
      fc.property(step, isoDate, nextStep, (from, stepOn, next) => {
        const fields = stepProblems({ step: from, stepOn }, next, TODAY);
        for (const f of Object.keys(fields))
          expect(['step', 'occurredOn', 'municipalityCode', 'endReason']).toContain(f);
        const ok = Object.keys(fields).length === 0;
        if (ok) {
          expect(allowed(from, next.step)).toBe(true);
          expect(next.occurredOn >= stepOn && next.occurredOn <= TODAY).toBe(true);
        }
      }),
    );
  });
});

describe('a consultation joins or opens a case', () => {
  const kase = (id: string, step: CaseStep, openedOn: string, stepOn: string): PersonCase => ({
    id,
    step,
    openedOn,
    stepOn,
  });

  it('opens the first case, joins an open one, opens a new one after the last closed', () => {
    expect(consultationEffect([], '2025-01-10')).toEqual({ kind: 'open' });
    expect(consultationEffect([kase('a', 'first_contact', '2025-01-10', '2025-01-10')], '2025-02-01')).toEqual({
      kind: 'join',
      caseId: 'a',
      firstContactOn: null,
      consulting: { on: '2025-02-01' },
    });
    expect(consultationEffect([kase('a', 'visited', '2025-01-10', '2025-03-01')], '2025-04-01')).toEqual({
      kind: 'join',
      caseId: 'a',
      firstContactOn: null,
      consulting: null,
    });
    expect(consultationEffect([kase('a', 'ended', '2025-01-10', '2025-03-01')], '2025-04-01')).toEqual({
      kind: 'open',
    });
    expect(consultationEffect([kase('a', 'settled', '2024-01-10', '2025-03-01')], '2025-03-01')).toEqual({
      kind: 'open',
    });
  });

  it('a late-recorded earlier consultation becomes the first contact, or joins the closed case of its time', () => {
    expect(consultationEffect([kase('a', 'first_contact', '2025-01-10', '2025-01-10')], '2025-01-05')).toEqual({
      kind: 'join',
      caseId: 'a',
      firstContactOn: '2025-01-05',
      consulting: { on: '2025-01-10' },
    });
    const history = [
      kase('old', 'ended', '2025-01-10', '2025-03-01'),
      kase('new', 'consulting', '2025-04-01', '2025-05-01'),
    ];
    expect(consultationEffect(history, '2025-02-01')).toEqual({ kind: 'attach', caseId: 'old', firstContactOn: null });
    expect(consultationEffect(history, '2024-12-01')).toEqual({
      kind: 'attach',
      caseId: 'old',
      firstContactOn: '2024-12-01',
    });
    expect(consultationEffect(history, '2025-03-15')).toEqual({
      kind: 'join',
      caseId: 'new',
      firstContactOn: '2025-03-15',
      consulting: null,
    });
  });

  const personCases = fc
    .array(fc.tuple(isoDate, isoDate, isoDate), { maxLength: 4 })
    .chain((spans) => {
      // Closed cases follow one another in time; at most one open case comes last.
      const dates = spans.flat().sort();
      const closed = spans.map((_, i) => kase(`c${i}`, i % 2 ? 'settled' : 'ended', dates[3 * i]!, dates[3 * i + 1]!));
      return fc.record({
        closed: fc.constant(closed),
        open: fc.option(fc.constantFrom(...CASE_STEPS.filter((s) => s !== 'ended' && s !== 'settled')), { nil: null }),
        openFrom: isoDate,
      });
    })
    .map(({ closed, open, openFrom }) => {
      const lastClose = closed.at(-1)?.stepOn ?? '2015-01-01';
      // biome-ignore lint/complexity/useMathMinMax: ISO dates, compared as strings
      const openedOn = openFrom > lastClose ? openFrom : lastClose;
      return open ? [...closed, kase('open', open, openedOn, openedOn)] : closed;
    });

  it('property: every consultation lands in exactly one case, whose steps stay in date order', () => {
    fc.assert(
      fc.property(personCases, isoDate, (cases, date) => {
        const effect = consultationEffect(cases, date);
        const open = cases.find((c) => c.step !== 'ended' && c.step !== 'settled');
        if (effect.kind === 'open') {
          expect(open).toBeUndefined();
          for (const c of cases) expect(date >= c.stepOn).toBe(true);
          return;
        }
        const target = cases.find((c) => c.id === effect.caseId)!;
        expect(target).toBeDefined();
        const firstContact = effect.firstContactOn ?? target.openedOn;
        expect(firstContact <= target.openedOn && firstContact <= date).toBe(true);
        if (effect.kind === 'attach') {
          expect(target.step === 'ended' || target.step === 'settled').toBe(true);
          expect(date < target.stepOn).toBe(true);
        } else {
          expect(target).toBe(open);
          for (const c of cases) if (c !== open) expect(date >= c.stepOn).toBe(true);
          expect(Boolean(effect.consulting)).toBe(open!.step === 'first_contact');
          if (effect.consulting) expect(effect.consulting.on).toBe([open!.stepOn, date].sort()[1]);
        }
      }),
    );
  });
});

describe('follow-ups after the move', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonthsClamped('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2024-08-31', 6)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-03-31', 1)).toBe('2024-04-30');
    expect(addMonthsClamped('2024-10-01', 1)).toBe('2024-11-01');
  });
  it('schedules 1, 6 and 12 months after the move-in date', () => {
    expect(followupSchedule('2024-01-31', [12, 1, 6, 6])).toEqual([
      { monthsAfterMove: 1, dueOn: '2024-02-29' },
      { monthsAfterMove: 6, dueOn: '2024-07-31' },
      { monthsAfterMove: 12, dueOn: '2025-01-31' },
    ]);
    expect(normalizeMonths([12, 0, -1, 1.5, 3, 3])).toEqual([3, 12]);
  });

  it('property: due dates are exactly m months on, never past the day, clamped to the month end', () => {
    fc.assert(
      fc.property(anyIsoDate, fc.integer({ min: 1, max: 120 }), (movedOn, m) => {
        const due = addMonthsClamped(movedOn, m);
        const [y, mo, d] = movedOn.split('-').map(Number) as [number, number, number];
        const [dy, dm, dd] = due.split('-').map(Number) as [number, number, number];
        expect((dy - y) * 12 + (dm - mo)).toBe(m);
        const lastDay = new Date(Date.UTC(dy, dm, 0)).getUTCDate();
        expect(dd).toBe(Math.min(d, lastDay));
      }),
    );
  });

  it('property: a schedule is strictly increasing in months and in due dates', () => {
    fc.assert(
      fc.property(
        anyIsoDate,
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 12 }),
        (movedOn, months) => {
          const schedule = followupSchedule(movedOn, months);
          expect(schedule.map((s) => s.monthsAfterMove)).toEqual([...new Set(months)].sort((a, b) => a - b));
          for (let i = 1; i < schedule.length; i++) expect(schedule[i]!.dueOn > schedule[i - 1]!.dueOn).toBe(true);
          for (const s of schedule) expect(s.dueOn > movedOn).toBe(true);
        },
      ),
    );
  });
});
