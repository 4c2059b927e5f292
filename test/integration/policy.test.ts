/**
 * Role policies: which staff roles each route admits, and what the others get. The table below
 * records, for every signed-in route, the roles its config admits and the answer to the rest (403
 * FORBIDDEN, or 404 NOT_FOUND on a route about a person, so a refusal does not confirm the person
 * exists). Every registered route is checked against it, from its config and over HTTP for each
 * refused role, so changing who may call a route — or adding a route — is a visible edit here.
 * Each restriction must be a role list of a policy file (docs/architecture.md, "Policies"), the
 * same object the module's services consult, never a list written in the route.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../src/shared/domain.js';
import { STAFF_ROLES } from '../../src/shared/domain.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

/** One letter per role: A prefecture_admin, C center_staff, M municipality_staff, P partner. */
const LETTER: Record<StaffRole, string> = {
  prefecture_admin: 'A',
  center_staff: 'C',
  municipality_staff: 'M',
  partner: 'P',
};

/**
 * Every route that needs a signed-in caller: the roles it admits, then the status the other roles
 * get. HEAD routes answer as their GET. Public routes (`public: true`) are not listed.
 */
const RECORDED: Record<string, string> = {
  'GET /api/auth/session': 'ACMP',
  'POST /api/auth/logout': 'ACMP',
  'POST /api/auth/password': 'ACMP',
  'POST /api/auth/tokens': 'A 403',
  'GET /api/auth/tokens': 'A 403',
  'DELETE /api/auth/tokens/:id': 'A 403',
  'GET /api/organizations': 'ACMP',
  'POST /api/organizations': 'A 403',
  'GET /api/staff': 'A 403',
  'GET /api/staff/consultants': 'ACM 403',
  'POST /api/staff': 'A 403',
  'PATCH /api/staff/:id': 'A 403',
  'GET /api/people': 'ACMP',
  'GET /api/people/export': 'ACM 404',
  'POST /api/people': 'ACMP',
  'GET /api/people/:id': 'ACMP',
  'PATCH /api/people/:id': 'ACMP',
  'DELETE /api/people/:id': 'ACMP',
  'POST /api/people/:id/merge': 'ACMP',
  'GET /api/people/:id/duplicates': 'ACMP',
  'GET /api/people/:id/history': 'ACMP',
  'GET /api/stats/people-by-municipality': 'ACMP',
  'GET /api/dashboard/day': 'ACM 404',
  'GET /api/people/:id/export': 'ACMP',
  'POST /api/people/:id/purge': 'A 404',
  'GET /api/audit': 'A 403',
  'GET /api/mail/undelivered': 'A 403',
  'GET /api/mail/held': 'A 403',
  'GET /api/mail/held/:id': 'A 403',
  'GET /api/admin/jobs': 'A 403',
  'POST /api/admin/jobs/:id/retry': 'A 403',
  'GET /api/people/:id/engagements': 'ACMP',
  'POST /api/people/:id/engagements': 'ACMP',
  'GET /api/people/:id/stages': 'ACMP',
  'POST /api/imports/donations': 'ACM 404',
  'GET /api/imports': 'ACM 403',
  'GET /api/imports/:id': 'ACM 404',
  'GET /api/certifications': 'ACMP',
  'GET /api/analytics/consultations': 'ACM 404',
  'GET /api/people/:id/cards': 'ACMP',
  'POST /api/people/:id/cards': 'ACMP',
  'POST /api/cards/:id/revoke': 'ACMP',
  'POST /api/cards/keys/rotate': 'A 403',
  'POST /api/consultations': 'ACM 404',
  'GET /api/consultations': 'ACMP',
  'GET /api/consultations/:id': 'ACMP',
  'PATCH /api/consultations/:id': 'ACM 404',
  'GET /api/cases': 'ACMP',
  'GET /api/cases/:id': 'ACMP',
  'POST /api/cases/:id/steps': 'ACM 404',
  'GET /api/people/:id/cases': 'ACMP',
  'POST /api/referrals': 'ACM 404',
  'GET /api/referrals': 'ACMP',
  'PATCH /api/referrals/:id': 'ACMP',
  'GET /api/followups': 'ACMP',
  'PATCH /api/followups/:id': 'ACM 404',
  'GET /api/settings/followups': 'A 403',
  'PUT /api/settings/followups': 'A 403',
  'GET /api/settings/organization': 'ACMP',
  'PUT /api/settings/organization': 'A 403',
  'GET /api/segments': 'ACM 403',
  'POST /api/segments': 'ACM 403',
  'POST /api/segments/preview': 'ACM 404',
  'GET /api/segments/:id': 'ACM 403',
  'PATCH /api/segments/:id': 'ACM 403',
  'DELETE /api/segments/:id': 'ACM 403',
  'GET /api/segments/:id/people': 'ACM 404',
  'GET /api/events': 'ACMP',
  'POST /api/events': 'ACM 403',
  'GET /api/events/:id': 'ACMP',
  'PATCH /api/events/:id': 'ACM 403',
  'GET /api/events/:id/registrations': 'ACMP',
  'POST /api/events/:id/registrations': 'ACMP',
  'POST /api/events/:id/registrations/:registrationId/cancel': 'ACMP',
  'POST /api/events/:id/checkins': 'ACMP',
  'POST /api/events/:id/attendance/after-event': 'ACMP',
  'GET /api/events/:id/attendance': 'ACMP',
  'GET /api/events/:id/attendance/export': 'ACMP',
  'GET /api/events/:id/headcounts': 'ACMP',
  'POST /api/events/:id/headcounts': 'ACM 403',
  'GET /api/kpi/plans': 'ACM 403',
  'POST /api/kpi/plans': 'A 403',
  'PUT /api/kpi/plans/:id': 'A 403',
  'GET /api/kpi/actuals': 'ACM 404',
  'GET /api/kpi/actuals/:code/records': 'ACM 404',
  'GET /api/kpi/depth': 'ACM 404',
  'GET /api/kpi/evaluations': 'AC 403',
  'GET /api/kpi/evaluations/:fiscalYear': 'AC 403',
  'PUT /api/kpi/evaluations/:fiscalYear/commentary/:code': 'AC 403',
  'POST /api/kpi/evaluations/:fiscalYear/opinions': 'AC 403',
  'POST /api/kpi/evaluations/:fiscalYear/approve': 'A 403',
  'POST /api/kpi/evaluations/:fiscalYear/reopen': 'A 403',
  'GET /api/kpi/reports/:fiscalYear': 'AC 404',
  'GET /api/people/:id/supporter-profile': 'ACMP',
  'GET /api/regional-issues': 'ACMP',
  'POST /api/regional-issues': 'ACM 403',
  'GET /api/regional-issues/:id': 'ACMP',
  'PATCH /api/regional-issues/:id': 'ACM 403',
  'GET /api/regional-issues/:id/versions': 'ACMP',
  'POST /api/regional-issues/:id/status': 'AC 403',
  'POST /api/regional-issues/:id/comments': 'ACM 403',
  'GET /api/projects': 'ACMP',
  'POST /api/projects': 'ACMP',
  'GET /api/projects/:id': 'ACMP',
  'PATCH /api/projects/:id': 'ACMP',
  'GET /api/projects/:id/candidates': 'ACM 404',
  'POST /api/projects/:id/scouts': 'ACM 404',
  'GET /api/projects/:id/scouts': 'ACM 404',
  'POST /api/matching/proposals': 'AC 404',
  'GET /api/matching/proposals/:id': 'AC 404',
  'GET /api/projects/:id/applications': 'ACMP',
  'POST /api/applications/:id/decision': 'ACMP',
  'POST /api/matches': 'ACM 404',
  'GET /api/matches': 'ACMP',
  'GET /api/matches/:id': 'ACMP',
  'POST /api/matches/:id/steps': 'ACM 404',
  'POST /api/matches/:id/accompaniment': 'ACM 404',
  'GET /api/organizations/:id/readiness': 'ACMP',
  'PUT /api/organizations/:id/readiness': 'ACMP',
  'GET /api/trainings': 'ACMP',
  'POST /api/trainings': 'ACM 403',
  'GET /api/settings/registry': 'ACM 403',
  'PUT /api/settings/registry': 'A 403',
  'GET /api/settings/matching': 'ACM 403',
  'PUT /api/settings/matching': 'A 403',
  'GET /api/premium-applications': 'ACM 404',
  'GET /api/premium-applications/:id/files/:fileId': 'ACM 404',
  'POST /api/registrations/:id/premium': 'M 404',
};

/**
 * The policy each route that restricts roles takes its list from: \`<module> <ROLE_LIST>\`, the
 * module's \`<module>.policy.ts\` (platform's under \`platform/\`). A list written out in the route,
 * even with the same roles, is none of them.
 */
const POLICY_OF: Record<string, string> = {
  'POST /api/auth/tokens': 'platform/auth TOKEN_ADMINS',
  'GET /api/auth/tokens': 'platform/auth TOKEN_ADMINS',
  'DELETE /api/auth/tokens/:id': 'platform/auth TOKEN_ADMINS',
  'POST /api/organizations': 'places ORGANIZATION_ADMINS',
  'GET /api/staff': 'staff STAFF_ADMINS',
  'GET /api/staff/consultants': 'staff CONSULTANT_PICKERS',
  'POST /api/staff': 'staff STAFF_ADMINS',
  'PATCH /api/staff/:id': 'staff STAFF_ADMINS',
  'GET /api/people/export': 'people PEOPLE_EXPORTERS',
  'POST /api/people/:id/purge': 'registry PERSON_ERASERS',
  'GET /api/audit': 'platform/audit AUDIT_READERS',
  'GET /api/mail/undelivered': 'platform/mail MAIL_ADMINS',
  'GET /api/mail/held': 'platform/mail MAIL_ADMINS',
  'GET /api/mail/held/:id': 'platform/mail MAIL_ADMINS',
  'GET /api/admin/jobs': 'platform/jobs JOB_ADMINS',
  'POST /api/admin/jobs/:id/retry': 'platform/jobs JOB_ADMINS',
  'POST /api/imports/donations': 'donations DONOR_IMPORTERS',
  'GET /api/imports': 'donations DONOR_IMPORTERS',
  'GET /api/imports/:id': 'donations DONOR_IMPORTERS',
  'GET /api/analytics/consultations': 'analytics NEEDS_ANALYSTS',
  'GET /api/dashboard/day': 'dashboard DAY_READERS',
  'POST /api/cards/keys/rotate': 'cards SIGNING_KEY_ADMINS',
  'POST /api/consultations': 'consultations CONSULTING_ROLES',
  'PATCH /api/consultations/:id': 'consultations CONSULTING_ROLES',
  'POST /api/cases/:id/steps': 'consultations CONSULTING_ROLES',
  'POST /api/referrals': 'consultations CONSULTING_ROLES',
  'PATCH /api/followups/:id': 'consultations CONSULTING_ROLES',
  'GET /api/settings/followups': 'consultations FOLLOWUP_RULE_ADMINS',
  'PUT /api/settings/followups': 'consultations FOLLOWUP_RULE_ADMINS',
  'PUT /api/settings/organization': 'outreach SETTINGS_ADMINS',
  'GET /api/segments': 'outreach SEGMENT_USERS',
  'POST /api/segments': 'outreach SEGMENT_USERS',
  'POST /api/segments/preview': 'outreach SEGMENT_USERS',
  'GET /api/segments/:id': 'outreach SEGMENT_USERS',
  'PATCH /api/segments/:id': 'outreach SEGMENT_USERS',
  'DELETE /api/segments/:id': 'outreach SEGMENT_USERS',
  'GET /api/segments/:id/people': 'outreach SEGMENT_USERS',
  'POST /api/events': 'events EVENT_MANAGERS',
  'PATCH /api/events/:id': 'events EVENT_MANAGERS',
  'POST /api/events/:id/headcounts': 'events EVENT_MANAGERS',
  'GET /api/kpi/plans': 'kpi KPI_READERS',
  'POST /api/kpi/plans': 'kpi PLAN_EDITORS',
  'PUT /api/kpi/plans/:id': 'kpi PLAN_EDITORS',
  'GET /api/kpi/actuals': 'kpi KPI_READERS',
  'GET /api/kpi/actuals/:code/records': 'kpi KPI_READERS',
  'GET /api/kpi/depth': 'kpi KPI_READERS',
  'GET /api/kpi/evaluations': 'kpi EVALUATION_WRITERS',
  'GET /api/kpi/evaluations/:fiscalYear': 'kpi EVALUATION_WRITERS',
  'PUT /api/kpi/evaluations/:fiscalYear/commentary/:code': 'kpi EVALUATION_WRITERS',
  'POST /api/kpi/evaluations/:fiscalYear/opinions': 'kpi EVALUATION_WRITERS',
  'POST /api/kpi/evaluations/:fiscalYear/approve': 'kpi EVALUATION_APPROVERS',
  'POST /api/kpi/evaluations/:fiscalYear/reopen': 'kpi EVALUATION_APPROVERS',
  'GET /api/kpi/reports/:fiscalYear': 'kpi EVALUATION_WRITERS',
  'POST /api/regional-issues': 'matching ISSUE_WRITERS',
  'PATCH /api/regional-issues/:id': 'matching ISSUE_WRITERS',
  'POST /api/regional-issues/:id/status': 'matching COORDINATORS',
  'POST /api/regional-issues/:id/comments': 'matching ISSUE_WRITERS',
  'GET /api/projects/:id/candidates': 'matching MATCH_WORKERS',
  'POST /api/projects/:id/scouts': 'matching MATCH_WORKERS',
  'GET /api/projects/:id/scouts': 'matching MATCH_WORKERS',
  'POST /api/matching/proposals': 'matching COORDINATORS',
  'GET /api/matching/proposals/:id': 'matching COORDINATORS',
  'POST /api/matches': 'matching MATCH_WORKERS',
  'POST /api/matches/:id/steps': 'matching MATCH_WORKERS',
  'POST /api/matches/:id/accompaniment': 'matching MATCH_WORKERS',
  'POST /api/trainings': 'matching TRAINING_RECORDERS',
  'GET /api/settings/registry': 'registry REGISTRY_SETTINGS_READERS',
  'PUT /api/settings/registry': 'registry REGISTRY_SETTINGS_EDITORS',
  'GET /api/settings/matching': 'matching MATCH_WORKERS',
  'PUT /api/settings/matching': 'matching MATCHING_SETTINGS_EDITORS',
  'GET /api/premium-applications': 'registry PREMIUM_QUEUE_READERS',
  'GET /api/premium-applications/:id/files/:fileId': 'registry PREMIUM_QUEUE_READERS',
  'POST /api/registrations/:id/premium': 'registry PREMIUM_REVIEWERS',
};

/** Every role list the policy files export, by identity, named as in POLICY_OF. */
async function policyRoleLists(): Promise<Map<unknown, string>> {
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  const lists = new Map<unknown, string>();
  const files = fs.readdirSync(src, { recursive: true }).map(String);
  for (const file of files.filter((f) => f.endsWith('.policy.ts'))) {
    const owner = `${file.startsWith('platform') ? 'platform/' : ''}${path.basename(file, '.policy.ts')}`;
    const exported = (await import(path.join(src, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported))
      if (Array.isArray(value)) lists.set(value, `${owner} ${name}`);
  }
  return lists;
}

const methodsOf = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]).map(String);
const isPublic = (r: RouteOptions) => r.config?.public === true;

/** The route's entry in the table's notation, from its config as the auth hook reads it. */
function admission(route: RouteOptions): string {
  const roles = route.config?.roles;
  const admitted = STAFF_ROLES.filter((role) => !roles || roles.includes(role));
  const letters = admitted.map((role) => LETTER[role]).join('');
  if (admitted.length === STAFF_ROLES.length) return letters;
  return `${letters} ${route.config?.personalData ? 404 : 403}`;
}

describe.each(TEST_DRIVERS)('role policies on %s', (driver) => {
  let t: TestApp;
  let sessions: Record<StaffRole, Session>;

  beforeAll(async () => {
    t = await createTestApp(driver);
    sessions = {
      prefecture_admin: t.admin,
      center_staff: await t.staffSession('center_staff'),
      municipality_staff: await t.staffSession('municipality_staff', '062014'),
      partner: await t.staffSession('partner'),
    };
  });
  afterAll(() => t?.close());

  const guarded = () => t.routes.filter((r) => !isPublic(r));

  it('admits on every signed-in route the roles recorded for it, refusing the others with the recorded status', () => {
    const found: Record<string, string> = {};
    for (const route of guarded()) {
      for (const method of methodsOf(route)) {
        const key = `${method === 'HEAD' ? 'GET' : method} ${route.url}`;
        // A HEAD route answers as its GET: same config, same roles.
        if (method === 'HEAD') expect(admission(route), `HEAD ${route.url}`).toBe(RECORDED[key]);
        else found[key] = admission(route);
      }
    }
    expect(found).toEqual(RECORDED);
  });

  it('answers every role a route does not admit with FORBIDDEN, or NOT_FOUND on personal data, before reading the body', async () => {
    let refused = 0;
    for (const route of guarded()) {
      const roles = route.config?.roles;
      if (!roles) continue;
      const url = String(route.url).replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
      for (const method of methodsOf(route).filter((m) => m !== 'HEAD')) {
        for (const role of STAFF_ROLES.filter((r) => !roles.includes(r))) {
          const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? { payload: {} } : {};
          const res = await sessions[role].request({ method: method as 'GET', url, ...body });
          const where = `${method} ${route.url} as ${role}`;
          expect(res.statusCode, where).toBe(route.config?.personalData ? 404 : 403);
          expect(res.json().error.code, where).toBe(route.config?.personalData ? 'NOT_FOUND' : 'FORBIDDEN');
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(60);
  });

  it('takes the roles of every route that restricts them from its module’s policy, never from a list in the route', async () => {
    const lists = await policyRoleLists();
    const found: Record<string, string> = {};
    for (const route of guarded()) {
      const roles = route.config?.roles;
      if (!roles) continue;
      for (const method of methodsOf(route).filter((m) => m !== 'HEAD'))
        found[`${method} ${route.url}`] = lists.get(roles) ?? `a list in the route: ${roles.join(', ')}`;
    }
    expect(found).toEqual(POLICY_OF);
  });
});
