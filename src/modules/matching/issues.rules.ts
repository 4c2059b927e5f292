/**
 * The status rules of a regional issue, as pure functions: raised → brushing_up → published →
 * matched → collaborating → self_running, forward only (steps may be skipped: an issue found in
 * good shape is published at once), `closed` from any open status with a reason; nothing moves
 * after self_running or closed. docs/matching.md.
 */
import { ISSUE_STATUSES, type IssueStatus } from '../../shared/matching.js';

const FINAL: ReadonlySet<IssueStatus> = new Set(['self_running', 'closed']);
const rank = (s: IssueStatus) => ISSUE_STATUSES.indexOf(s);

export type IssueStatusProblem = 'final' | 'backwards' | 'same' | 'reason_required' | 'reason_not_allowed';

/** Why the change from → to is refused, or null when it is allowed. */
export function issueStatusProblem(
  from: IssueStatus,
  to: IssueStatus,
  closeReason: string | undefined,
): IssueStatusProblem | null {
  if (FINAL.has(from)) return 'final';
  if (to === 'closed') return closeReason ? null : 'reason_required';
  if (closeReason) return 'reason_not_allowed';
  if (to === from) return 'same';
  if (rank(to) < rank(from)) return 'backwards';
  return null;
}

/** Whether a project may be cut from an issue in this status: once it is published, not after it closed. */
export const issueTakesProjects = (status: IssueStatus): boolean =>
  rank(status) >= rank('published') && status !== 'closed';
