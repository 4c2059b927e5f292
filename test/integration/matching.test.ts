/**
 * Regional issues, projects, applications, matches, readiness and trainings over HTTP, on both
 * drivers: the happy path from an issue raised to a match with accompaniment, the scope of each
 * role, what partners and the public see of people, and bad input naming its field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('matching on %s', (driver) => {
  let t: TestApp;
  let center: Session;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let partner: Session;
  let otherPartner: Session;
  let partnerOrg: string;
  let issueId: string;
  let projectId: string;
  let person: { id: string; email: string; phone: string };
  let supporter: Session;

  const orgOf = async (s: Session) =>
    (await s.request({ method: 'GET', url: '/api/auth/session' })).json().user.organizationId as string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    center = await t.staffSession('center_staff');
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    partner = await t.staffSession('partner');
    otherPartner = await t.staffSession('partner');
    partnerOrg = await orgOf(partner);
    person = (
      await t.admin.request({ method: 'POST', url: '/api/people', payload: personPayload({ name: '応募 花子' }) })
    ).json();
    supporter = await t.supporterSession(person.id);
  });
  afterAll(() => t?.close());

  it('registers an issue, brushes it up as versions with author and changed fields, and moves it forward only', async () => {
    const created = await yamagataStaff.request({
      method: 'POST',
      url: '/api/regional-issues',
      payload: {
        title: '【テスト】商店街の買い物支援',
        category: 'shopping_access',
        municipalityCode: YAMAGATA,
        background: '徒歩圏の店が減っている',
        skills: ['EC'],
        hoursPerMonth: 10,
        remotePercent: 50,
        contactOrganizationId: partnerOrg,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    issueId = created.json().id;
    expect(created.json()).toMatchObject({ status: 'raised', version: 1, contactOrganization: { id: partnerOrg } });

    const edited = await center.request({
      method: 'PATCH',
      url: `/api/regional-issues/${issueId}`,
      payload: { hoursPerMonth: 12, background: '徒歩圏の店が減り、移動販売を検討中' },
    });
    expect(edited.json().version).toBe(2);
    // Saving the same values again writes no version.
    const unchanged = await center.request({
      method: 'PATCH',
      url: `/api/regional-issues/${issueId}`,
      payload: { hoursPerMonth: 12 },
    });
    expect(unchanged.json().version).toBe(2);

    for (const status of ['brushing_up', 'published'])
      expect(
        (await center.request({ method: 'POST', url: `/api/regional-issues/${issueId}/status`, payload: { status } }))
          .statusCode,
      ).toBe(200);
    const back = await center.request({
      method: 'POST',
      url: `/api/regional-issues/${issueId}/status`,
      payload: { status: 'raised' },
    });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.fields.status).toBeTruthy();
    const closeWithout = await center.request({
      method: 'POST',
      url: `/api/regional-issues/${issueId}/status`,
      payload: { status: 'closed' },
    });
    expect(Object.keys(closeWithout.json().error.fields)).toEqual(['closeReason']);
    // Municipality staff do not move the status: coordinators do.
    expect(
      (
        await yamagataStaff.request({
          method: 'POST',
          url: `/api/regional-issues/${issueId}/status`,
          payload: { status: 'matched' },
        })
      ).statusCode,
    ).toBe(403);

    const versions = (await center.request({ method: 'GET', url: `/api/regional-issues/${issueId}/versions` })).json();
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1]);
    expect(versions.items[2]).toMatchObject({
      author: 'テスト center_staff',
      changedFields: ['background', 'hoursPerMonth'],
    });
    expect(versions.items[3].snapshot).toMatchObject({ hoursPerMonth: 10, status: 'raised' });

    const comment = await yamagataStaff.request({
      method: 'POST',
      url: `/api/regional-issues/${issueId}/comments`,
      payload: { body: '商工会に確認済み' },
    });
    expect(comment.statusCode).toBe(201);
    const detail = (await center.request({ method: 'GET', url: `/api/regional-issues/${issueId}` })).json();
    expect(detail.comments).toHaveLength(1);
  });

  it('keeps issues within scope: other municipalities get 404, the contact partner sees it', async () => {
    expect((await tsuruokaStaff.request({ method: 'GET', url: `/api/regional-issues/${issueId}` })).statusCode).toBe(
      404,
    );
    expect((await tsuruokaStaff.request({ method: 'GET', url: '/api/regional-issues' })).json().total).toBe(0);
    expect((await partner.request({ method: 'GET', url: `/api/regional-issues/${issueId}` })).statusCode).toBe(200);
    expect((await otherPartner.request({ method: 'GET', url: `/api/regional-issues/${issueId}` })).statusCode).toBe(
      404,
    );
    const other = await tsuruokaStaff.request({
      method: 'POST',
      url: '/api/regional-issues',
      payload: { title: 'x', category: 'dx', municipalityCode: YAMAGATA },
    });
    expect(other.json().error.fields.municipalityCode).toBeTruthy();
  });

  it('lets a partner post a project for its own organization only, publish it, and shows it publicly without people', async () => {
    const foreign = await partner.request({
      method: 'POST',
      url: '/api/projects',
      payload: {
        title: 'x',
        kind: 'side_job',
        theme: 'dx',
        municipalityCode: YAMAGATA,
        seats: 1,
        organizationId: await orgOf(otherPartner),
      },
    });
    expect(Object.keys(foreign.json().error.fields)).toEqual(['organizationId']);
    const badOrder = await partner.request({
      method: 'POST',
      url: '/api/projects',
      payload: {
        title: 'x',
        kind: 'side_job',
        theme: 'dx',
        municipalityCode: YAMAGATA,
        seats: 1,
        feeMinYen: 5,
        feeMaxYen: 1,
      },
    });
    expect(Object.keys(badOrder.json().error.fields)).toEqual(['feeMaxYen']);

    const created = await partner.request({
      method: 'POST',
      url: '/api/projects',
      payload: {
        title: '【テスト】商店街の EC 立ち上げ',
        kind: 'side_job',
        theme: 'dx',
        municipalityCode: YAMAGATA,
        issueId,
        seats: 1,
        hoursPerMonth: 10,
        remotePercent: 80,
        requiredSkills: ['EC'],
        questions: [{ id: 'q1', text: '関わりたい理由', required: true }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    projectId = created.json().id;
    expect(created.json()).toMatchObject({ status: 'draft', organization: { id: partnerOrg }, filled: 0 });
    expect((await t.app.inject({ method: 'GET', url: `/api/public/projects/${projectId}` })).statusCode).toBe(404);

    const published = await partner.request({
      method: 'PATCH',
      url: `/api/projects/${projectId}`,
      payload: { status: 'published' },
    });
    expect(published.json().status).toBe('published');
    expect((await otherPartner.request({ method: 'GET', url: `/api/projects/${projectId}` })).statusCode).toBe(404);
    expect((await tsuruokaStaff.request({ method: 'GET', url: `/api/projects/${projectId}` })).statusCode).toBe(404);
    expect((await yamagataStaff.request({ method: 'GET', url: `/api/projects/${projectId}` })).statusCode).toBe(200);

    const list = (
      await t.app.inject({
        method: 'GET',
        url: `/api/public/projects?municipality=${YAMAGATA}&remote=true&kind=side_job`,
      })
    ).json();
    expect(list.items.map((p: { id: string }) => p.id)).toContain(projectId);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/public/projects?remote=false` }))
        .json()
        .items.map((p: { id: string }) => p.id),
    ).not.toContain(projectId);
    const page = (await t.app.inject({ method: 'GET', url: `/api/public/projects/${projectId}` })).json();
    expect(page).toMatchObject({ seatsLeft: 1, interestedCount: 0, organizationName: 'テスト連携機関' });
    expect(JSON.stringify(page)).not.toContain(person.email);
  });

  it('takes 興味ある and an application from a signed-in supporter, with answers checked by question', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/public/projects/${projectId}/interest` });
    expect(anonymous.statusCode).toBe(401);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: `/api/public/projects/${projectId}/interest`,
      headers: { cookie: supporter.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(
      (await supporter.request({ method: 'POST', url: `/api/public/projects/${projectId}/interest` })).statusCode,
    ).toBe(201);
    expect(
      (await supporter.request({ method: 'POST', url: `/api/public/projects/${projectId}/interest` })).statusCode,
    ).toBe(201);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/public/projects/${projectId}` })).json().interestedCount,
    ).toBe(1);

    const missing = await supporter.request({
      method: 'POST',
      url: `/api/public/projects/${projectId}/applications`,
      payload: { answers: [] },
    });
    expect(Object.keys(missing.json().error.fields)).toEqual(['answers']);
    const unknown = await supporter.request({
      method: 'POST',
      url: `/api/public/projects/${projectId}/applications`,
      payload: { answers: [{ questionId: 'zz', answer: 'x' }] },
    });
    expect(Object.keys(unknown.json().error.fields)).toEqual(['answers.0.questionId']);
    const applied = await supporter.request({
      method: 'POST',
      url: `/api/public/projects/${projectId}/applications`,
      payload: { answers: [{ questionId: 'q1', answer: '週末に関われます' }] },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    expect(applied.json()).toMatchObject({ status: 'applied', matchId: null });

    const me = (await supporter.request({ method: 'GET', url: '/api/me' })).json();
    expect(me.projectInterests).toHaveLength(1);
    expect(me.projectApplications).toMatchObject([{ projectId, status: 'applied' }]);
  });

  it('shows the applicants to the project’s partner with contact and answers, audited; nobody else', async () => {
    const res = await partner.request({ method: 'GET', url: `/api/projects/${projectId}/applications` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.interested).toBe(1);
    expect(body.items).toMatchObject([
      { person: { id: person.id, email: person.email }, answers: [{ questionId: 'q1', answer: '週末に関われます' }] },
    ]);
    expect(Object.keys(body.items[0].person).sort()).toEqual(['email', 'id', 'name', 'phone']);
    const audit = (await t.admin.request({ method: 'GET', url: `/api/audit?personId=${person.id}&limit=50` })).json();
    expect(audit.items.map((a: { action: string }) => a.action)).toContain('project_application.read');
    for (const outsider of [otherPartner, tsuruokaStaff])
      expect(
        (await outsider.request({ method: 'GET', url: `/api/projects/${projectId}/applications` })).statusCode,
      ).toBe(404);
  });

  it('accepts the application into a match at agreed that holds the seat; a full project refuses the next', async () => {
    const [application] = (
      await partner.request({ method: 'GET', url: `/api/projects/${projectId}/applications` })
    ).json().items;
    const accepted = await partner.request({
      method: 'POST',
      url: `/api/applications/${application.id}/decision`,
      payload: { decision: 'accepted' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const matchId = accepted.json().matchId;
    expect((await partner.request({ method: 'GET', url: `/api/projects/${projectId}` })).json().filled).toBe(1);

    const second = (
      await t.admin.request({ method: 'POST', url: '/api/people', payload: personPayload({ name: '二番 次郎' }) })
    ).json();
    const secondSupporter = await t.supporterSession(second.id);
    const app2 = (
      await secondSupporter.request({
        method: 'POST',
        url: `/api/public/projects/${projectId}/applications`,
        payload: { answers: [{ questionId: 'q1', answer: 'x' }] },
      })
    ).json();
    const full = await partner.request({
      method: 'POST',
      url: `/api/applications/${app2.id}/decision`,
      payload: { decision: 'accepted' },
    });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('PROJECT_FULL');

    const match = (await center.request({ method: 'GET', url: `/api/matches/${matchId}` })).json();
    expect(match).toMatchObject({ step: 'agreed', holdsSeat: true, person: { id: person.id } });
    expect((await tsuruokaStaff.request({ method: 'GET', url: `/api/matches/${matchId}` })).statusCode).toBe(404);
    expect((await otherPartner.request({ method: 'GET', url: `/api/matches/${matchId}` })).statusCode).toBe(404);
    expect((await partner.request({ method: 'GET', url: `/api/matches/${matchId}` })).statusCode).toBe(200);

    const logged = await yamagataStaff.request({
      method: 'POST',
      url: `/api/matches/${matchId}/accompaniment`,
      payload: {
        occurredOn: '2026-11-10',
        kind: 'meeting',
        note: '役割分担を確認',
        nextStep: '現地視察',
        nextDueOn: '2026-11-30',
      },
    });
    expect(logged.statusCode, logged.body).toBe(201);
    expect(logged.json().accompaniment).toMatchObject([{ kind: 'meeting', nextDueOn: '2026-11-30' }]);
    const badDue = await yamagataStaff.request({
      method: 'POST',
      url: `/api/matches/${matchId}/accompaniment`,
      payload: { occurredOn: '2026-11-10', kind: 'meeting', nextDueOn: '2026-11-01' },
    });
    expect(Object.keys(badDue.json().error.fields)).toEqual(['nextDueOn']);

    // The supporter sees the match and can withdraw, which gives the seat back.
    const me = (await supporter.request({ method: 'GET', url: '/api/me' })).json();
    expect(me.matches).toMatchObject([{ id: matchId, step: 'agreed' }]);
    // The supporter's own CSV words the match and the application, never their codes.
    const csv = (await supporter.request({ method: 'GET', url: '/api/me/export?format=csv' })).body;
    expect(csv).toMatch(/マッチング,.+（.+）,合意（\d{4}\/\d{2}\/\d{2}）/);
    expect(csv).toMatch(/プロジェクトへの応募,.+,受け入れ決定（/);
    expect(csv).not.toMatch(/,(agreed|accepted|applied)\b/);
    const withdrawn = await supporter.request({
      method: 'POST',
      url: `/api/me/applications/${application.id}/withdraw`,
    });
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect((await partner.request({ method: 'GET', url: `/api/projects/${projectId}` })).json().filled).toBe(0);
    expect((await center.request({ method: 'GET', url: `/api/matches/${matchId}` })).json()).toMatchObject({
      step: 'ended',
      endReason: 'person_declined',
      holdsSeat: false,
    });
  });

  it('lets coordinators open a match from a candidate pair, once per live pair', async () => {
    const someone = (
      await t.admin.request({ method: 'POST', url: '/api/people', payload: personPayload({ name: '候補 三郎' }) })
    ).json();
    const created = await center.request({
      method: 'POST',
      url: '/api/matches',
      payload: { projectId, personId: someone.id },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ step: 'proposed', steps: [{ step: 'proposed' }] });
    const again = await center.request({
      method: 'POST',
      url: '/api/matches',
      payload: { projectId, personId: someone.id },
    });
    expect(again.statusCode).toBe(409);
    expect(
      (await partner.request({ method: 'POST', url: '/api/matches', payload: { projectId, personId: someone.id } }))
        .statusCode,
    ).toBe(404);
    const listed = (await yamagataStaff.request({ method: 'GET', url: `/api/matches?projectId=${projectId}` })).json();
    expect(listed.total).toBe(2);

    // The ladder one rung at a time; collaborating moves the person's stage with the municipality to 協働.
    const matchId = created.json().id;
    const step = (payload: Record<string, unknown>) =>
      yamagataStaff.request({ method: 'POST', url: `/api/matches/${matchId}/steps`, payload });
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
    const skipped = await step({ step: 'agreed', occurredOn: today });
    expect(Object.keys(skipped.json().error.fields)).toEqual(['step']);
    expect((await step({ step: 'introduced', occurredOn: today })).statusCode).toBe(201);
    const agreed = await step({ step: 'agreed', occurredOn: today });
    expect(agreed.json()).toMatchObject({ step: 'agreed', holdsSeat: true });
    expect((await partner.request({ method: 'GET', url: `/api/projects/${projectId}` })).json().filled).toBe(1);
    const future = await step({ step: 'collaborating', occurredOn: '2999-01-01' });
    expect(Object.keys(future.json().error.fields)).toEqual(['occurredOn']);
    const collaborating = await step({ step: 'collaborating', occurredOn: today, note: '月2回の打ち合わせで開始' });
    expect(collaborating.json().steps.map((s: { step: string }) => s.step)).toEqual([
      'proposed',
      'introduced',
      'agreed',
      'collaborating',
    ]);
    const stages = (await center.request({ method: 'GET', url: `/api/people/${someone.id}/stages` })).json();
    expect(JSON.stringify(stages)).toContain('"collaboration"');
    const engagements = (await center.request({ method: 'GET', url: `/api/people/${someone.id}/engagements` })).json();
    expect(engagements.items).toMatchObject([{ kind: 'side_job', municipalityCode: YAMAGATA, source: 'match' }]);
    // The prefecture's N (months without accompaniment) decides when self-running may be recorded.
    const defaults = (await yamagataStaff.request({ method: 'GET', url: '/api/settings/matching' })).json();
    expect(defaults).toMatchObject({ selfRunningMonths: 6, isDefault: true });
    const notAdmin = await center.request({
      method: 'PUT',
      url: '/api/settings/matching',
      payload: { selfRunningMonths: 3 },
    });
    expect(notAdmin.statusCode).toBe(403);
    const set = await t.admin.request({
      method: 'PUT',
      url: '/api/settings/matching',
      payload: { selfRunningMonths: 3 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ selfRunningMonths: 3, isDefault: false });
    const soon = await step({ step: 'self_running', occurredOn: today, evidence: 'no_accompaniment_for_months' });
    expect(Object.keys(soon.json().error.fields)).toEqual(['evidence']);
    expect(soon.json().error.fields.evidence).toContain('3か月');
    const audited = (
      await t.admin.request({ method: 'GET', url: '/api/audit?action=settings.matching.update' })
    ).json();
    expect(audited.items[0]).toMatchObject({ details: { selfRunningMonths: { from: 6, to: 3 } } });
    const ended = await step({ step: 'ended', occurredOn: today, endReason: 'finished' });
    expect(ended.json()).toMatchObject({ step: 'ended', holdsSeat: false });
    expect((await partner.request({ method: 'GET', url: `/api/projects/${projectId}` })).json().filled).toBe(0);
    expect((await step({ step: 'collaborating', occurredOn: today })).statusCode).toBe(400);
    expect((await tsuruokaStaff.request({ method: 'GET', url: '/api/matches' })).json().total).toBe(0);
  });

  it('records readiness (confirmed by a coordinator) and trainings within scope', async () => {
    const training = await center.request({
      method: 'POST',
      url: '/api/trainings',
      payload: {
        kind: 'training',
        heldOn: '2026-10-20',
        topic: '受け入れ研修',
        organizationIds: [partnerOrg],
        attendees: 12,
      },
    });
    expect(training.statusCode, training.body).toBe(201);
    const foreign = await yamagataStaff.request({
      method: 'POST',
      url: '/api/trainings',
      payload: { kind: 'advisor_dispatch', heldOn: '2026-10-21', topic: 'x', municipalityCode: TSURUOKA, attendees: 3 },
    });
    expect(Object.keys(foreign.json().error.fields)).toEqual(['municipalityCode']);
    expect((await partner.request({ method: 'GET', url: '/api/trainings' })).json().total).toBe(1);
    expect((await otherPartner.request({ method: 'GET', url: '/api/trainings' })).json().total).toBe(0);

    const own = await partner.request({
      method: 'PUT',
      url: `/api/organizations/${partnerOrg}/readiness`,
      payload: { contactPerson: true, strengths: ['EC', '物流'] },
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(
      (
        await partner.request({
          method: 'PUT',
          url: `/api/organizations/${partnerOrg}/readiness`,
          payload: { confirm: true },
        })
      ).statusCode,
    ).toBe(403);
    const confirmed = (
      await center.request({
        method: 'PUT',
        url: `/api/organizations/${partnerOrg}/readiness`,
        payload: { receivingPlan: true, confirm: true },
      })
    ).json();
    expect(confirmed).toMatchObject({
      checklist: { contactPerson: true, receivingPlan: true, publishedIssueOrProject: false },
      derived: { publishedIssueOrProject: true, trainingAttended: true },
      strengths: ['EC', '物流'],
      confirmedBy: 'テスト center_staff',
    });
    expect(
      (await otherPartner.request({ method: 'GET', url: `/api/organizations/${partnerOrg}/readiness` })).statusCode,
    ).toBe(404);
  });

  it('names the field of bad input on the write routes', async () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/api/regional-issues', { title: '', category: 'dx', municipalityCode: YAMAGATA }, 'title'],
      ['POST', '/api/regional-issues', { title: 'x', category: 'nope', municipalityCode: YAMAGATA }, 'category'],
      ['POST', '/api/regional-issues', { title: 'x', category: 'dx', municipalityCode: '999999' }, 'municipalityCode'],
      ['PATCH', `/api/regional-issues/${issueId}`, { remotePercent: 101 }, 'remotePercent'],
      ['PATCH', `/api/regional-issues/${issueId}`, { periodStart: '2026-05-01', periodEnd: '2026-04-01' }, 'periodEnd'],
      ['POST', `/api/regional-issues/${issueId}/comments`, { body: '\u0000' }, 'body'],
      ['POST', '/api/projects', { title: 'x', kind: 'job', theme: 'dx', municipalityCode: YAMAGATA, seats: 1 }, 'kind'],
      [
        'POST',
        '/api/projects',
        { title: 'x', kind: 'side_job', theme: 'dx', municipalityCode: YAMAGATA, seats: 0 },
        'seats',
      ],
      ['PATCH', `/api/projects/${projectId}`, { status: 'draft' }, 'status'],
      ['POST', '/api/trainings', { kind: 'training', heldOn: 'someday', topic: 'x', attendees: 1 }, 'heldOn'],
      ['POST', '/api/matches', { projectId, personId: 'not-a-uuid' }, 'personId'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await center.request({ method: method as 'POST', url, payload });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(Object.keys(res.json().error.fields), `${method} ${url}`).toEqual([field]);
    }
  });
});
