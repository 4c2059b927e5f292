/**
 * The match pipeline (proposed → introduced → agreed → collaborating → self-running, or ended with
 * a reason) as pure functions: which step may follow which, the problems of a dated step by
 * field, the evidence self-running needs, and the engagement record reaching `collaborating`
 * writes so that the person's stage follows (docs/matching.md, docs/stages.md). Property-tested in
 * matching.pipeline.test.ts, in the style of consultations/pipeline.ts.
 */
import { differenceInCalendarMonths, parseISO } from 'date-fns';
import type { EngagementKind, Stage } from '../../shared/domain.js';
import type { FieldProblem } from '../../platform/errors.js';
import type { ProjectKind } from './matching.scoring.js';

export const MATCH_STEPS = ['proposed', 'introduced', 'agreed', 'collaborating', 'self_running', 'ended'] as const;
export type MatchStep = (typeof MATCH_STEPS)[number];

export const MATCH_END_REASONS = [
  'person_declined',
  'organization_declined',
  'no_contact',
  'project_cancelled',
  'finished', // the work was done and nothing continues
  'other',
] as const;
export type MatchEndReason = (typeof MATCH_END_REASONS)[number];

/** How self-running is shown: it ran N months without accompaniment, or a bank or chamber of commerce took it over. */
export const SELF_RUNNING_EVIDENCE = ['no_accompaniment_for_months', 'taken_over'] as const;
export type SelfRunningEvidence = (typeof SELF_RUNNING_EVIDENCE)[number];

/** Months without accompaniment that show self-running, unless the prefecture's settings say otherwise. */
export const DEFAULT_SELF_RUNNING_MONTHS = 6;

/** The rung of each step; `ended` stands outside the ladder. */
export const MATCH_RUNG: Readonly<Record<MatchStep, number>> = {
  proposed: 0,
  introduced: 1,
  agreed: 2,
  collaborating: 3,
  self_running: 4,
  ended: -1,
};

/** Steps after which nothing may follow. */
export const CLOSING_MATCH_STEPS: ReadonlySet<MatchStep> = new Set(['self_running', 'ended']);
export const isOpenMatchStep = (step: MatchStep): boolean => !CLOSING_MATCH_STEPS.has(step);

/**
 * Why `to` may not follow `from`, or null when it may. The ladder is climbed one rung at a time —
 * each rung is something a coordinator does or sees (the introduction, the agreement, the start
 * of the work, its running alone) — and never backwards; a match that stops is ended with a
 * reason, from any open step.
 */
export function matchTransitionProblem(from: MatchStep, to: MatchStep): FieldProblem | null {
  if (!isOpenMatchStep(from)) return { problem: 'match_closed' };
  if (to === 'ended') return null;
  if (to === 'proposed') return { problem: 'match_opens_with_proposed' };
  if (MATCH_RUNG[to] === MATCH_RUNG[from]) return { problem: 'same_step' };
  if (MATCH_RUNG[to] < MATCH_RUNG[from]) return { problem: 'match_step_backwards', params: { from, to } };
  if (MATCH_RUNG[to] > MATCH_RUNG[from] + 1) return { problem: 'match_step_skipped', params: { from, to } };
  return null;
}

export type MatchState = { step: MatchStep; stepOn: string };

export type NextMatchStep = {
  step: MatchStep;
  occurredOn: string;
  endReason?: MatchEndReason | null;
  /** For self_running: what shows it. */
  evidence?: SelfRunningEvidence | null;
  /** For self_running by `no_accompaniment_for_months`: the date of the last accompaniment (or the start of the collaboration). */
  lastAccompanimentOn?: string | null;
};

/**
 * Every problem with adding `next` to a match at `current`, by field (empty: allowed). Dates are
 * ISO yyyy-mm-dd; `today` is today in Asia/Tokyo; `selfRunningMonths` is the prefecture's N.
 */
export function matchStepProblems(
  current: MatchState,
  next: NextMatchStep,
  today: string,
  selfRunningMonths: number = DEFAULT_SELF_RUNNING_MONTHS,
): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  const transition = matchTransitionProblem(current.step, next.step);
  if (transition) fields.step = transition;
  if (next.occurredOn > today) fields.occurredOn = { problem: 'future_date' };
  else if (next.occurredOn < current.stepOn)
    fields.occurredOn = { problem: 'before_previous_step', params: { date: current.stepOn } };
  if (next.step === 'ended' && !next.endReason) fields.endReason = { problem: 'required_for_ended' };
  if (next.step !== 'ended' && next.endReason) fields.endReason = { problem: 'only_for_ended' };
  if (next.step === 'self_running') {
    if (!next.evidence) fields.evidence = { problem: 'required' };
    else if (next.evidence === 'no_accompaniment_for_months') {
      const last = next.lastAccompanimentOn ?? current.stepOn;
      if (monthsBetween(last, next.occurredOn) < selfRunningMonths)
        fields.evidence = { problem: 'self_running_too_soon', params: { months: selfRunningMonths } };
    }
  } else if (next.evidence) fields.evidence = { problem: 'only_for_self_running' };
  return fields;
}

/** Whole calendar months from one ISO date to another, counting a month only once its day is reached. */
export function monthsBetween(from: string, to: string): number {
  const months = differenceInCalendarMonths(parseISO(to), parseISO(from));
  return to.slice(8) >= from.slice(8) ? months : months - 1;
}

/** A whole step history is valid when it starts at `proposed` and each step may follow the one before it. */
export function isValidMatchHistory(
  steps: readonly NextMatchStep[],
  today: string,
  selfRunningMonths?: number,
): boolean {
  const [first, ...rest] = steps;
  if (first?.step !== 'proposed' || first.occurredOn > today) return false;
  let current: MatchState = { step: first.step, stepOn: first.occurredOn };
  for (const s of rest) {
    if (Object.keys(matchStepProblems(current, s, today, selfRunningMonths)).length) return false;
    current = { step: s.step, stepOn: s.occurredOn };
  }
  return true;
}

/**
 * The engagement record reaching `collaborating` writes for the project's municipality, and the
 * stage it gives there at least (docs/stages.md): working with or for a local organization —
 * a side job, or collaboration through one's company — is a `side_job` record (協働
 * collaboration); volunteering and pro bono are `volunteering` records (関与 involvement).
 */
export const COLLABORATION_ENGAGEMENT: Readonly<Record<ProjectKind, { kind: EngagementKind; stage: Stage }>> = {
  side_job: { kind: 'side_job', stage: 'collaboration' },
  company_collaboration: { kind: 'side_job', stage: 'collaboration' },
  pro_bono: { kind: 'volunteering', stage: 'involvement' },
  volunteering: { kind: 'volunteering', stage: 'involvement' },
};

/** The engagement record to write when a match reaches `step`, or null when the step writes none. */
export function engagementForStep(
  step: MatchStep,
  project: { kind: ProjectKind; municipalityCode: string },
  occurredOn: string,
): { kind: EngagementKind; municipalityCode: string; occurredOn: string } | null {
  if (step !== 'collaborating') return null;
  return { kind: COLLABORATION_ENGAGEMENT[project.kind].kind, municipalityCode: project.municipalityCode, occurredOn };
}
