/** The matching module's public entry: what other modules and the app may use of it. */
export {
  type Assignment,
  type AssignmentInput,
  type AssignmentResult,
  candidatePairs,
  exactAssignment,
  greedyAssignment,
  type Proposal,
  type ProposalProject,
  type ProposalTalent,
  proposeAssignments,
  type ScoredPair,
  solveAssignment,
} from './matching.assignment.js';
export {
  describeReason,
  PROJECT_KINDS,
  type ProjectKind,
  type ProjectNeeds,
  type ScoreReason,
  scoreCandidate,
  type TalentProfile,
} from './matching.scoring.js';
