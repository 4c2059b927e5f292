/**
 * Who may do what with regional issues, projects and matches (platform/policy.ts). Which records
 * a permitted role reaches is matching.scope.ts: municipality staff their municipality's, partners
 * their own organization's projects and applicants.
 */
import type { Actor } from '../../platform/auth/actor.js';
import { hasRole, type Policy, roleList } from '../../platform/policy.js';
import { seesAllPeople } from '../../platform/scope.js';

/** Staff who register and edit regional issues and comment on them: communities go through their municipality. */
export const ISSUE_WRITERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

/**
 * Staff who coordinate: move an issue's status, ask for proposals across all projects, confirm an
 * organization's readiness (center and prefecture, 関係案内所).
 */
export const COORDINATORS = roleList('prefecture_admin', 'center_staff');

/** Staff who look for candidates and work matches: coordinators and municipality staff for their projects. */
export const MATCH_WORKERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

/** Staff who record trainings and advisor dispatches. */
export const TRAINING_RECORDERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

/** Who changes the matching settings: the prefecture decides when a collaboration counts as self-running. */
export const MATCHING_SETTINGS_EDITORS = roleList('prefecture_admin');

export const mayCoordinate: Policy = (actor: Actor) => hasRole(actor, COORDINATORS);

/**
 * Whether the actor may create or change a project: coordinators any, municipality staff their
 * municipality's, a partner its own organization's.
 */
export const mayManageProject: Policy<{ municipalityCode: string; organizationId: string }> = (actor, project) =>
  seesAllPeople(actor) ||
  (actor.role === 'municipality_staff' && actor.municipalityCode === project.municipalityCode) ||
  (actor.role === 'partner' && Boolean(actor.organizationId) && actor.organizationId === project.organizationId);

/** Whether the actor may edit this issue: coordinators any, municipality staff their municipality's. */
export const mayEditIssue: Policy<{ municipalityCode: string }> = (actor, issue) =>
  seesAllPeople(actor) || (actor.role === 'municipality_staff' && actor.municipalityCode === issue.municipalityCode);
