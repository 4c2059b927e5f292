import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stageOf } from '../engagement/index.js';
import {
  COLLABORATION_ENGAGEMENT,
  engagementForStep,
  isValidMatchHistory,
  MATCH_END_REASONS,
  MATCH_RUNG,
  MATCH_STEPS,
  type MatchStep,
  matchStepProblems,
  matchTransitionProblem,
  monthsBetween,
  type NextMatchStep,
  SELF_RUNNING_EVIDENCE,
} from './matching.pipeline.js';
import { PROJECT_KINDS } from './matching.scoring.js';

const TODAY = '2026-03-15';
const isoDate = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2026, 2, 15) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const step = fc.constantFrom(...MATCH_STEPS);
const nextStep: fc.Arbitrary<NextMatchStep> = fc.record({
  step,
  occurredOn: isoDate,
  endReason: fc.option(fc.constantFrom(...MATCH_END_REASONS), { nil: null }),
  evidence: fc.option(fc.constantFrom(...SELF_RUNNING_EVIDENCE), { nil: null }),
  lastAccompanimentOn: fc.option(isoDate, { nil: null }),
});
const allowed = (from: MatchStep, to: MatchStep) => matchTransitionProblem(from, to) === null;
const problem = (from: MatchStep, to: MatchStep) => matchTransitionProblem(from, to)?.problem;

describe('match step transitions (docs/matching.md)', () => {
  it('climbs one rung at a time and ends from any open step', () => {
    expect(allowed('proposed', 'introduced')).toBe(true);
    expect(allowed('introduced', 'agreed')).toBe(true);
    expect(allowed('agreed', 'collaborating')).toBe(true);
    expect(allowed('collaborating', 'self_running')).toBe(true);
    for (const from of ['proposed', 'introduced', 'agreed', 'collaborating'] as const)
      expect(allowed(from, 'ended')).toBe(true);
    expect(problem('proposed', 'agreed')).toBe('match_step_skipped');
    expect(problem('agreed', 'introduced')).toBe('match_step_backwards');
    expect(problem('agreed', 'agreed')).toBe('same_step');
    expect(problem('introduced', 'proposed')).toBe('match_opens_with_proposed');
    for (const to of MATCH_STEPS) {
      expect(problem('ended', to)).toBe('match_closed');
      expect(problem('self_running', to)).toBe('match_closed');
    }
  });

  it('property: a transition is allowed exactly when it is the next rung, or ended from an open step', () => {
    fc.assert(
      fc.property(step, step, (from, to) => {
        const open = from !== 'ended' && from !== 'self_running';
        const expected = open && (to === 'ended' || (to !== 'proposed' && MATCH_RUNG[to] === MATCH_RUNG[from] + 1));
        expect(allowed(from, to)).toBe(expected);
      }),
    );
  });
});

describe('match step problems by field', () => {
  const collaborating = { step: 'collaborating' as const, stepOn: '2025-06-10' };
  it('names the step, the date, the end reason and the evidence of self-running', () => {
    expect(matchStepProblems(collaborating, { step: 'ended', occurredOn: '2025-06-01' }, TODAY)).toEqual({
      occurredOn: { problem: 'before_previous_step', params: { date: '2025-06-10' } },
      endReason: { problem: 'required_for_ended' },
    });
    expect(matchStepProblems(collaborating, { step: 'self_running', occurredOn: '2025-12-01' }, TODAY)).toEqual({
      evidence: { problem: 'required' },
    });
    // Six months without accompaniment by default: 2025-06-10 → 2025-12-09 is not yet six.
    expect(
      matchStepProblems(
        collaborating,
        { step: 'self_running', occurredOn: '2025-12-09', evidence: 'no_accompaniment_for_months' },
        TODAY,
      ),
    ).toEqual({ evidence: { problem: 'self_running_too_soon', params: { months: 6 } } });
    expect(
      matchStepProblems(
        collaborating,
        { step: 'self_running', occurredOn: '2025-12-10', evidence: 'no_accompaniment_for_months' },
        TODAY,
      ),
    ).toEqual({});
    // The prefecture's N, and the last accompaniment counts from its own date.
    expect(
      matchStepProblems(
        collaborating,
        {
          step: 'self_running',
          occurredOn: '2026-01-10',
          evidence: 'no_accompaniment_for_months',
          lastAccompanimentOn: '2025-10-01',
        },
        TODAY,
        3,
      ),
    ).toEqual({});
    expect(
      matchStepProblems(
        collaborating,
        { step: 'self_running', occurredOn: '2025-07-01', evidence: 'taken_over' },
        TODAY,
      ),
    ).toEqual({});
    expect(
      matchStepProblems(
        { step: 'agreed', stepOn: '2025-05-01' },
        { step: 'collaborating', occurredOn: '2026-03-16', evidence: 'taken_over', endReason: 'other' },
        TODAY,
      ),
    ).toEqual({
      occurredOn: { problem: 'future_date' },
      endReason: { problem: 'only_for_ended' },
      evidence: { problem: 'only_for_self_running' },
    });
  });

  it('counts whole months only once the day is reached', () => {
    expect(monthsBetween('2025-01-31', '2025-02-28')).toBe(0);
    expect(monthsBetween('2025-01-15', '2025-07-15')).toBe(6);
    expect(monthsBetween('2025-01-15', '2025-07-14')).toBe(5);
  });

  it('property: every accepted history climbs in date order, one rung at a time, and closes at most once', () => {
    fc.assert(
      fc.property(isoDate, fc.array(nextStep, { maxLength: 14 }), (proposedOn, attempts) => {
        const history: NextMatchStep[] = [{ step: 'proposed', occurredOn: proposedOn }];
        for (const attempt of attempts) {
          const last = history[history.length - 1]!;
          if (Object.keys(matchStepProblems({ step: last.step, stepOn: last.occurredOn }, attempt, TODAY)).length === 0)
            history.push(attempt);
        }
        expect(isValidMatchHistory(history, TODAY)).toBe(true);
        for (let i = 1; i < history.length; i++) {
          const prev = history[i - 1]!;
          const cur = history[i]!;
          expect(cur.occurredOn >= prev.occurredOn && cur.occurredOn <= TODAY).toBe(true);
          expect(prev.step === 'ended' || prev.step === 'self_running').toBe(false);
          if (cur.step === 'ended') expect(cur.endReason).toBeTruthy();
          else expect(MATCH_RUNG[cur.step]).toBe(MATCH_RUNG[prev.step] + 1);
          if (cur.step === 'self_running') expect(cur.evidence).toBeTruthy();
        }
      }),
    );
  });
});

describe('reaching collaborating moves the stage (docs/stages.md)', () => {
  it('side job and company collaboration → 協働; volunteering and pro bono → 関与', () => {
    expect(COLLABORATION_ENGAGEMENT.side_job.stage).toBe('collaboration');
    expect(COLLABORATION_ENGAGEMENT.volunteering.stage).toBe('involvement');
    expect(COLLABORATION_ENGAGEMENT.pro_bono.stage).toBe('involvement');
  });

  it('property: the record written on collaborating gives at least the stated stage, and only that step writes one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROJECT_KINDS), step, isoDate, (kind, s, on) => {
        const record = engagementForStep(s, { kind, municipalityCode: '062014' }, on);
        if (s !== 'collaborating') {
          expect(record).toBeNull();
          return;
        }
        expect(record).toEqual({
          kind: COLLABORATION_ENGAGEMENT[kind].kind,
          municipalityCode: '062014',
          occurredOn: on,
        });
        // Through the staircase itself: the one record alone gives exactly the mapped stage.
        expect(stageOf([record!], [], TODAY)).toBe(COLLABORATION_ENGAGEMENT[kind].stage);
      }),
    );
  });
});
