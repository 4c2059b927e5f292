/**
 * The last seat of a project under a rush. On PostgreSQL (a pool of 20 connections) the requests
 * really run at once; on PGlite they are serialized, and the rule must hold either way: never
 * more accepted than seats, and the seat counter equal to the acceptances held.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const RUSH = 50;

type Row = Record<string, unknown>;

describe.each(TEST_DRIVERS)('project seats under a rush on %s', (driver) => {
  let t: TestApp;
  let supporters: Session[];
  const rows = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: Row[] }).rows;

  const publishProject = async (acceptance: 'first_come' | 'screening', seats: number) => {
    const created = await t.admin.request({
      method: 'POST',
      url: '/api/projects',
      payload: {
        title: '【テスト】最後の一枠',
        kind: 'volunteering',
        theme: 'nature',
        municipalityCode: YAMAGATA,
        organizationId: (
          await t.admin.request({
            method: 'POST',
            url: '/api/organizations',
            payload: { name: '受け入れ団体', kind: 'npo' },
          })
        ).json().id,
        seats,
        acceptance,
      },
    });
    if (created.statusCode !== 201) throw new Error(created.body);
    const id = created.json().id as string;
    await t.admin.request({ method: 'PATCH', url: `/api/projects/${id}`, payload: { status: 'published' } });
    return id;
  };
  const apply = (s: Session, projectId: string) =>
    s.request({ method: 'POST', url: `/api/public/projects/${projectId}/applications`, payload: { answers: [] } });

  beforeAll(async () => {
    t = await createTestApp(driver);
    supporters = [];
    for (let i = 0; i < RUSH + 2; i++) {
      const person = (
        await t.admin.request({ method: 'POST', url: '/api/people', payload: personPayload({ name: `殺到 ${i}号` }) })
      ).json();
      supporters.push(await t.supporterSession(person.id));
    }
  }, 120_000);
  afterAll(() => t?.close());

  it(`accepts exactly one of ${RUSH} simultaneous applications for the last seat of a first-come project`, async () => {
    const projectId = await publishProject('first_come', 3);
    // Two seats go before the rush.
    for (const s of supporters.slice(RUSH)) expect((await apply(s, projectId)).json().status).toBe('accepted');
    const answers = await Promise.all(supporters.slice(0, RUSH).map((s) => apply(s, projectId)));
    const accepted = answers.filter((r) => r.statusCode === 201);
    const full = answers.filter((r) => r.statusCode === 409);
    expect(accepted).toHaveLength(1);
    expect(full).toHaveLength(RUSH - 1);
    for (const r of full) expect(r.json().error.code).toBe('PROJECT_FULL');
    const [counts] = await rows(sql`select p.filled_count,
        (select count(*)::int from project_applications a where a.project_id = p.id and a.status = 'accepted') as accepted,
        (select count(*)::int from project_applications a where a.project_id = p.id) as applications,
        (select count(*)::int from matches m where m.project_id = p.id and m.holds_seat = 1) as seats_held
      from projects p where p.id = ${projectId}`);
    // A refused application is not kept: nothing half-written.
    expect(counts).toEqual({ filled_count: 3, accepted: 3, applications: 3, seats_held: 3 });
  });

  it(`accepts no more than the seats when the organization accepts ${RUSH} applicants at once`, async () => {
    const projectId = await publishProject('screening', 1);
    const applied = await Promise.all(supporters.slice(0, RUSH).map((s) => apply(s, projectId)));
    for (const r of applied) expect(r.json().status).toBe('applied');
    const decisions = await Promise.all(
      applied.map((r) =>
        t.admin.request({
          method: 'POST',
          url: `/api/applications/${r.json().id}/decision`,
          payload: { decision: 'accepted' },
        }),
      ),
    );
    expect(decisions.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(decisions.filter((r) => r.statusCode === 409 && r.json().error.code === 'PROJECT_FULL')).toHaveLength(
      RUSH - 1,
    );
    const [counts] = await rows(sql`select p.filled_count,
        (select count(*)::int from project_applications a where a.project_id = p.id and a.status = 'accepted') as accepted,
        (select count(*)::int from matches m where m.project_id = p.id) as matches
      from projects p where p.id = ${projectId}`);
    expect(counts).toEqual({ filled_count: 1, accepted: 1, matches: 1 });
  });
});
