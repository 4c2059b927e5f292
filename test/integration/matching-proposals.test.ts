/**
 * Candidates with reasons in words, and the proposal over every open project, over HTTP on both
 * drivers: scouting consent and the caller's municipalities decide who appears; the proposal never
 * gives a project more than its open seats nor a person more than their capacity, and a pair
 * accepted from it carries its score and reasons into the match.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents, people, personLinks, supporterProfiles } from '../../src/modules/people/index.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { auditEvents } from '../../src/platform/audit/audit.tables.js';
import { searchKey } from '../../src/shared/normalize.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('candidates and proposals on %s', (driver) => {
  let t: TestApp;
  let center: Session;
  let yamagataStaff: Session;
  const ids = new Map<string, string>();

  async function supporter(name: string, skills: string[], scouting: boolean, link: string, capacity = 1) {
    const db = t.database.db;
    const fields = { name, kana: null, email: null, phone: null };
    const [row] = await db
      .insert(people)
      .values({ ...fields, ...derivedColumns(fields) })
      .returning({ id: people.id });
    const personId = row!.id;
    ids.set(name, personId);
    await db.insert(supporterProfiles).values({
      personId,
      skills,
      skillKeys: skills.map(searchKey),
      involvement: ['side_job'],
      hoursPerMonth: 20,
      projectCapacity: capacity,
    });
    await db.insert(consents).values({ personId, purpose: 'scouting', granted: scouting, source: 'self_service' });
    await db.insert(personLinks).values({ personId, municipalityCode: link, kind: 'roots' });
  }

  async function project(title: string, requiredSkills: string[], seats: number) {
    const org = (
      await t.admin.request({
        method: 'POST',
        url: '/api/organizations',
        payload: { name: `${title}の会`, kind: 'sme' },
      })
    ).json().id;
    const created = await t.admin.request({
      method: 'POST',
      url: '/api/projects',
      payload: {
        title,
        kind: 'side_job',
        theme: 'dx',
        municipalityCode: YAMAGATA,
        organizationId: org,
        seats,
        requiredSkills,
      },
    });
    const id = created.json().id as string;
    await t.admin.request({ method: 'PATCH', url: `/api/projects/${id}`, payload: { status: 'published' } });
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp(driver);
    center = await t.staffSession('center_staff');
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    await supporter('候補 山形', ['デザイン', 'EC'], true, YAMAGATA);
    await supporter('候補 鶴岡', ['デザイン'], true, TSURUOKA, 2);
    await supporter('候補 同意なし', ['デザイン', 'EC'], false, YAMAGATA);
  });
  afterAll(() => t?.close());

  it('lists consenting candidates with reasons in words, within the caller’s municipalities', async () => {
    const projectId = await project('【テスト】デザイン', ['デザイン', 'EC'], 1);
    const all = (await center.request({ method: 'GET', url: `/api/projects/${projectId}/candidates?limit=10` })).json();
    expect(all.items.map((c: { name: string }) => c.name)).toEqual(['候補 山形', '候補 鶴岡']);
    const first = all.items[0];
    expect(first.reasons.find((r: { factor: string }) => r.factor === 'required_skills_matched').detail).toContain(
      'デザイン',
    );
    expect(first.score).toBe(first.reasons.reduce((s: number, r: { points: number }) => s + r.points, 0));
    const en = (
      await center.request({
        method: 'GET',
        url: `/api/projects/${projectId}/candidates`,
        headers: { 'accept-language': 'en' },
      })
    ).json();
    expect(en.items[0].reasons[0].detail).toMatch(/[A-Za-z]/);
    const own = (await yamagataStaff.request({ method: 'GET', url: `/api/projects/${projectId}/candidates` })).json();
    expect(own.items.map((c: { name: string }) => c.name)).toEqual(['候補 山形']);
    const bad = await center.request({ method: 'GET', url: `/api/projects/${projectId}/candidates?limit=0` });
    expect(Object.keys(bad.json().error.fields)).toEqual(['limit']);
    // Each list read is one audit event naming the people it showed; the refused one wrote none.
    const reads = await t.database.db
      .select({ details: auditEvents.details, municipalityCode: auditEvents.municipalityCode })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'match.candidate_read'), eq(auditEvents.entityId, projectId)))
      .orderBy(asc(auditEvents.at), asc(auditEvents.id));
    expect(reads.map((r) => r.details)).toEqual([
      { results: 2, personIds: all.items.map((c: { personId: string }) => c.personId) },
      { results: 2, personIds: all.items.map((c: { personId: string }) => c.personId) },
      { results: 1, personIds: [ids.get('候補 山形')] },
    ]);
    expect(reads.every((r) => r.municipalityCode === YAMAGATA)).toBe(true);
  });

  it('proposes across all open projects within seats and capacity, and a pair accepted keeps its reasons', async () => {
    const second = await project('【テスト】デザイン二', ['デザイン'], 2);
    const asked = await center.request({
      method: 'POST',
      url: '/api/matching/proposals',
      payload: { municipalityCode: YAMAGATA },
    });
    expect(asked.statusCode, asked.body).toBe(202);
    let proposal = asked.json();
    for (let i = 0; i < 100 && proposal.status !== 'done'; i++) {
      await t.app.jobs.drain();
      await new Promise((r) => setTimeout(r, 100));
      proposal = (await center.request({ method: 'GET', url: `/api/matching/proposals/${proposal.id}` })).json();
    }
    expect(proposal.status).toBe('done');
    // Two open projects with three seats; 山形 can take one project, 鶴岡 two; the unconsenting never.
    const perPerson = new Map<string, number>();
    const perProject = new Map<string, number>();
    for (const a of proposal.assignments) {
      perPerson.set(a.personId, (perPerson.get(a.personId) ?? 0) + 1);
      perProject.set(a.projectId, (perProject.get(a.projectId) ?? 0) + 1);
      expect(a.reasons.length).toBeGreaterThan(0);
    }
    expect(perPerson.get(ids.get('候補 山形')!) ?? 0).toBeLessThanOrEqual(1);
    expect(perPerson.get(ids.get('候補 鶴岡')!) ?? 0).toBeLessThanOrEqual(2);
    expect(perPerson.has(ids.get('候補 同意なし')!)).toBe(false);
    expect(perProject.get(second) ?? 0).toBeLessThanOrEqual(2);
    expect(proposal.assignments).toHaveLength(3);
    expect(proposal.openSeatsLeft).toBe(0);
    expect(proposal.totalScore).toBe(proposal.assignments.reduce((s: number, a: { score: number }) => s + a.score, 0));
    // Each pair is named (person, project); pages of the assignments, highest score first.
    expect(proposal.assignmentCount).toBe(3);
    for (const a of proposal.assignments) {
      expect(a.person).toMatchObject({ id: a.personId, name: expect.stringMatching(/^候補 /) });
      expect(a.project).toMatchObject({ id: a.projectId, municipalityCode: YAMAGATA });
    }
    const scores = proposal.assignments.map((a: { score: number }) => a.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const second2 = (
      await center.request({ method: 'GET', url: `/api/matching/proposals/${proposal.id}?limit=2&offset=2` })
    ).json();
    expect(second2.assignments).toEqual([proposal.assignments[2]]);
    expect(second2.assignmentCount).toBe(3);
    const reads = await t.database.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'matching.proposal_read'), eq(auditEvents.entityId, proposal.id)))
      .orderBy(asc(auditEvents.at), asc(auditEvents.id));
    expect(reads.at(-1)?.details).toEqual({ count: 3, offset: 2, personIds: [proposal.assignments[2].personId] });

    const pair = proposal.assignments[0];
    const match = await center.request({
      method: 'POST',
      url: '/api/matches',
      payload: { projectId: pair.projectId, personId: pair.personId, proposalId: proposal.id },
    });
    expect(match.statusCode, match.body).toBe(201);
    expect(match.json()).toMatchObject({ step: 'proposed', score: pair.score });
    expect(match.json().reasons).toEqual(pair.reasons);
    expect(
      (await yamagataStaff.request({ method: 'GET', url: `/api/matching/proposals/${proposal.id}` })).statusCode,
    ).toBe(404);
  });
});
