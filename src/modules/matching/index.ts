/** The matching module's public entry: what other modules and the app may use of it. */
export { matches, projectApplications, projectInterests, projects, regionalIssues } from './matching.tables.js';
