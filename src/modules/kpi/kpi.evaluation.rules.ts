/**
 * The evaluation workflow's rules, pure (kpi.evaluation.ts applies them inside a transaction):
 * a draft may be written (commentary per indicator, committee opinions) and approved; an approved
 * evaluation is the published record and refuses further writing until a prefecture admin reopens
 * it with a reason. Approval needs the prefecture's
 * own assessment of every indicator of the plan — the committee reads the figures beside it — and
 * a committee opinion is dated on a day that has happened and not before the fiscal year began.
 */
import type { FieldProblem } from '../../platform/errors.js';
import { fiscalYearDates } from './kpi.rules.js';

export const EVALUATION_STATES = ['draft', 'approved'] as const;
export type EvaluationState = (typeof EVALUATION_STATES)[number];

export type EvaluationAction = 'write' | 'approve' | 'reopen';

/**
 * Whether `action` may happen in `state`: only a draft is written or approved; only an approved
 * evaluation is reopened (by the prefecture admin, with a reason: it goes back to draft).
 */
export function evaluationAllows(state: EvaluationState, action: EvaluationAction): boolean {
  return action === 'reopen' ? state === 'approved' : state === 'draft';
}

/**
 * What stops approval, by field: a fiscal year not yet over on `today` (Japan) as `fiscalYear` —
 * the committee judges a finished year, and its figures would still move — and each indicator of
 * the plan without commentary (blank counts as none) as `commentary.<code>`. Empty: the draft may
 * be approved.
 */
export function approvalProblems(
  indicatorCodes: readonly string[],
  commentary: ReadonlyMap<string, string>,
  fiscalYear: number,
  today: string,
): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  if (fiscalYearDates(fiscalYear).to >= today)
    problems.fiscalYear = { problem: 'too_large', params: { max: lastEndedFiscalYear(today) } };
  for (const code of indicatorCodes)
    if (!(commentary.get(code) ?? '').trim()) problems[`commentary.${code}`] = { problem: 'required' };
  return problems;
}

/**
 * The problem with a committee opinion's date, or null: not after `today` (Japan) and not before
 * the first day of the fiscal year evaluated.
 */
export function opinionDateProblem(givenOn: string, fiscalYear: number, today: string): FieldProblem | null {
  const { from } = fiscalYearDates(fiscalYear);
  if (givenOn > today) return { problem: 'future_date' };
  if (givenOn < from) return { problem: 'too_small', params: { min: from } };
  return null;
}

/** The latest fiscal year whose last day (31 March) lies before `today`. */
export function lastEndedFiscalYear(today: string): number {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m >= 4 ? y - 1 : y - 2;
}
