/**
 * The case pipeline (first contact → consulting → visited / trial stay → decided → moved →
 * settled, or ended without a move) as pure functions: which step may follow which, how a new
 * consultation joins or opens a case, and when the follow-ups after a move fall due. The rules are
 * written down in docs/cases.md and property-tested in pipeline.test.ts.
 */
import { addMonths, formatISO, parseISO } from 'date-fns';
import { CASE_STEPS, type CaseEndReason, type CaseStep } from '../../shared/domain.js';
import type { FieldProblem } from '../../platform/errors.js';

/**
 * The rung of each step. `visited` and `trial_stay` share a rung: either may come first, alone,
 * or again (a second visit). `ended` stands outside the ladder.
 */
export const RUNG: Readonly<Record<CaseStep, number>> = {
  first_contact: 0,
  consulting: 1,
  visited: 2,
  trial_stay: 2,
  decided: 3,
  moved: 4,
  settled: 5,
  ended: -1,
};

/** Steps that close a case: nothing may follow them, and the person's next consultation opens a new case. */
export const CLOSING_STEPS: ReadonlySet<CaseStep> = new Set(['settled', 'ended']);

export const isOpenStep = (step: CaseStep): boolean => !CLOSING_STEPS.has(step);

/** The steps staff may add to a case (first contact only ever opens one). */
export const ADDABLE_STEPS = CASE_STEPS.filter((s) => s !== 'first_contact');

/**
 * Why `to` may not follow `from`, or null when it may. Forward moves may skip rungs (a person may
 * move without a trial stay); moving backwards is refused — the case records the furthest point
 * reached, and a person who steps back is noted on the case or ends it (reason `postponed`).
 */
export function transitionProblem(from: CaseStep, to: CaseStep): FieldProblem | null {
  if (from === 'ended') return { problem: 'case_ended' };
  if (from === 'settled') return { problem: 'case_settled' };
  if (to === 'first_contact') return { problem: 'first_contact_opens_case' };
  if (to === 'ended') return RUNG[from] < RUNG.moved ? null : { problem: 'ended_after_move' };
  if (to === 'settled') return from === 'moved' ? null : { problem: 'settled_needs_moved' };
  if (RUNG[to] === RUNG.visited && RUNG[from] === RUNG.visited) return null;
  if (RUNG[to] > RUNG[from]) return null;
  if (RUNG[to] === RUNG[from]) return { problem: 'same_step' };
  return { problem: 'step_backwards', params: { from, to } };
}

export type CaseState = { step: CaseStep; stepOn: string };

export type NextStep = {
  step: CaseStep;
  occurredOn: string;
  municipalityCode?: string | null;
  endReason?: CaseEndReason | null;
  householdSize?: number | null;
  uijType?: string | null;
};

/**
 * Every problem with adding `next` to a case at `current`, by field (empty: allowed). Dates are
 * ISO yyyy-mm-dd; `today` is today in Asia/Tokyo.
 */
export function stepProblems(current: CaseState, next: NextStep, today: string): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  const transition = transitionProblem(current.step, next.step);
  if (transition) fields.step = transition;
  if (next.occurredOn > today) fields.occurredOn = { problem: 'future_date' };
  else if (next.occurredOn < current.stepOn)
    fields.occurredOn = { problem: 'before_previous_step', params: { date: current.stepOn } };
  if (next.step === 'moved' && !next.municipalityCode) fields.municipalityCode = { problem: 'required_for_moved' };
  if (next.step === 'ended' && !next.endReason) fields.endReason = { problem: 'required_for_ended' };
  if (next.step !== 'ended' && next.endReason) fields.endReason = { problem: 'only_for_ended' };
  // Household size and UIJ type describe a move (KPI ①); on any other step they would count nothing.
  if (next.step !== 'moved' && next.householdSize != null) fields.householdSize = { problem: 'only_for_moved' };
  if (next.step !== 'moved' && next.uijType != null) fields.uijType = { problem: 'only_for_moved' };
  return fields;
}

/** A whole step history is valid when each step may follow the one before it. */
export function isValidHistory(steps: readonly NextStep[], today: string): boolean {
  const [first, ...rest] = steps;
  if (first?.step !== 'first_contact' || first.occurredOn > today) return false;
  let current: CaseState = { step: first.step, stepOn: first.occurredOn };
  for (const s of rest) {
    if (Object.keys(stepProblems(current, s, today)).length) return false;
    current = { step: s.step, stepOn: s.occurredOn };
  }
  return true;
}

export type PersonCase = { id: string; step: CaseStep; stepOn: string; openedOn: string };

/**
 * Which of the person's cases a new consultation on `occurredOn` belongs to, and what it changes:
 * - `attach`: dated before a closed case was closed (recorded late) → it belongs to that case's
 *   history (the earliest such case); the case keeps its step;
 * - `join`: the open case takes it; a case still at first contact moves to `consulting`;
 * - `open`: no case, or only closed cases that ended before it → a new case at first contact.
 * A consultation dated before its case's first contact becomes the first contact (the opening
 * moves back), so that the steps stay in date order.
 */
export type ConsultationEffect =
  | { kind: 'open' }
  | { kind: 'attach'; caseId: string; firstContactOn: string | null }
  | { kind: 'join'; caseId: string; firstContactOn: string | null; consulting: { on: string } | null };

export function consultationEffect(personCases: readonly PersonCase[], occurredOn: string): ConsultationEffect {
  const closed = personCases
    .filter((c) => !isOpenStep(c.step))
    .sort((a, b) => (a.openedOn < b.openedOn ? -1 : a.openedOn > b.openedOn ? 1 : 0));
  const earlier = (c: PersonCase) => (occurredOn < c.openedOn ? occurredOn : null);
  const during = closed.find((c) => occurredOn < c.stepOn);
  if (during) return { kind: 'attach', caseId: during.id, firstContactOn: earlier(during) };
  const open = personCases.find((c) => isOpenStep(c.step));
  if (!open) return { kind: 'open' };
  if (open.step !== 'first_contact')
    return { kind: 'join', caseId: open.id, firstContactOn: earlier(open), consulting: null };
  const on = occurredOn > open.stepOn ? occurredOn : open.stepOn;
  return { kind: 'join', caseId: open.id, firstContactOn: earlier(open), consulting: { on } };
}

/** Months as configured: whole, positive, sorted, each once. */
export function normalizeMonths(months: readonly number[]): number[] {
  return [...new Set(months.filter((m) => Number.isInteger(m) && m > 0))].sort((a, b) => a - b);
}

/** `months` after an ISO date; a day the target month lacks clamps to its end (1/31 + 1 → 2/28 or 2/29). */
export function addMonthsClamped(isoDate: string, months: number): string {
  return formatISO(addMonths(parseISO(isoDate), months), { representation: 'date' });
}

/** The follow-ups due after a move on `movedOn`, one per configured month. */
export function followupSchedule(
  movedOn: string,
  months: readonly number[],
): Array<{ monthsAfterMove: number; dueOn: string }> {
  return normalizeMonths(months).map((m) => ({ monthsAfterMove: m, dueOn: addMonthsClamped(movedOn, m) }));
}
