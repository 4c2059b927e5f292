/** The matching module's public entry: what other modules and the app may use of it. */
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
export { myMatchingData } from './projects.service.js';
export { matches, projectApplications, projectInterests, projects, regionalIssues } from './matching.tables.js';
