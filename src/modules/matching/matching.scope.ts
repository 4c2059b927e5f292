/**
 * Which issues, projects, applications and matches a staff member sees (docs/matching.md).
 * Prefecture and center see all; municipality staff those of their municipality; a partner the
 * projects of its own organization, their applicants and matches (and the issues it is the contact
 * for). Outside the scope a record answers NOT_FOUND.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { ownMunicipality, seesAllPeople } from '../../platform/scope.js';
import { matches, projectApplications, projects, regionalIssues } from './matching.tables.js';

const partnerOrg = (actor: Actor) => (actor.role === 'partner' && actor.organizationId) || null;

/** SQL condition on `regional_issues`. */
export function issueScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  if (code) return eq(regionalIssues.municipalityCode, code);
  const org = partnerOrg(actor);
  return org ? eq(regionalIssues.contactOrganizationId, org) : sql`false`;
}

/** SQL condition on `projects`. */
export function projectScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  if (code) return eq(projects.municipalityCode, code);
  const org = partnerOrg(actor);
  return org ? eq(projects.organizationId, org) : sql`false`;
}

/** SQL condition on `project_applications`: through the project's scope. */
export function applicationScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  if (code) return eq(projectApplications.municipalityCode, code);
  const org = partnerOrg(actor);
  return org
    ? sql`exists (select 1 from ${projects} ap where ap.id = ${projectApplications.projectId} and ap.organization_id = ${org})`
    : sql`false`;
}

/** SQL condition on `matches`: through the project's scope. */
export function matchScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  if (code) return eq(matches.municipalityCode, code);
  const org = partnerOrg(actor);
  return org
    ? sql`exists (select 1 from ${projects} mp where mp.id = ${matches.projectId} and mp.organization_id = ${org})`
    : sql`false`;
}
