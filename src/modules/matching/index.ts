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
  type Candidate,
  type CandidateOptions,
  findProjectCandidates,
  loadProposalTalents,
  type PoolTalent,
} from './matching.candidates.js';
export {
  COLLABORATION_ENGAGEMENT,
  DEFAULT_SELF_RUNNING_MONTHS,
  engagementForStep,
  isOpenMatchStep,
  MATCH_END_REASONS,
  MATCH_STEPS,
  type MatchEndReason,
  type MatchStep,
  matchStepProblems,
  type NextMatchStep,
  SELF_RUNNING_EVIDENCE,
  type SelfRunningEvidence,
} from './matching.pipeline.js';
export {
  describeReason,
  PROJECT_KINDS,
  type ProjectKind,
  type ProjectNeeds,
  type ScoreReason,
  scoreCandidate,
  type TalentProfile,
} from './matching.scoring.js';
export { matchingPublicRoutes, matchingSupporterRoutes } from './matching.public-routes.js';
export { matchingRoutes } from './matching.routes.js';
export { MyMatchingData } from './matching.schemas.js';
export { seedDemoMatching } from './matching.demo.js';
export { myMatchingData } from './projects.service.js';
export { defineMatchingJobs } from './proposals.service.js';
export { matches, projectApplications, projectInterests, projects, regionalIssues } from './matching.tables.js';
