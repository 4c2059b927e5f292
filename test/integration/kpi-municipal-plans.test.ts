/**
 * A municipality's own plan, evaluated and approved, on the public KPI page (selectable beside the
 * prefecture's, judged by that municipality's figures, with the same disclosure control), and the
 * depth views limited to the people who declared some roots (ルーツ).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { seedKpiPlans } from '../../src/modules/kpi/index.js';
import { systemContext } from '../../src/platform/request-context.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here; the assertions check their shape
type Json = Record<string, any>;

describe.each(TEST_DRIVERS)('municipal plans in public and depth by roots on %s', (driver) => {
  let t: TestApp;
  let tsuruokaStaff: Session;
  const db = () => t.database.db;
  const exec = (q: ReturnType<typeof sql>) => db().execute(q);

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedKpiPlans(db(), systemContext());
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    // ② in FY2025: 12 people step into 関与 with Tsuruoka, 3 with Yamagata; 5 of Tsuruoka's were born there.
    for (let i = 0; i < 15; i++) {
      const municipality = i < 12 ? TSURUOKA : YAMAGATA;
      const res = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ links: [{ municipalityCode: municipality, kind: 'supporter' }] }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().id as string;
      await exec(
        sql`insert into engagements (person_id, municipality_code, kind, occurred_on, source, external_key)
            values (${id}, ${municipality}, 'volunteering', '2025-06-01', 'manual', ${randomUUID()})`,
      );
      if (i < 5) await exec(sql`insert into supporter_profiles (person_id, roots) values (${id}, '{birthplace}')`);
    }
    // The machine running the suite may be shared and busy: fifteen people through the API can take long.
  }, 300_000);
  afterAll(() => t?.close());

  it('limits the depth views to people who declared the roots asked for, in the municipality’s scope too', async () => {
    const depth = async (s: Session, query: string) => {
      const res = await s.request({ method: 'GET', url: `/api/kpi/depth?fiscalYear=2025${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Json;
    };
    const all = await depth(t.admin, '');
    expect(all.roots).toBeNull();
    expect(all.stageTransitions.counts[0][3]).toBe(15);
    const born = await depth(t.admin, '&roots=birthplace');
    expect(born.roots).toBe('birthplace');
    expect(born.stageTransitions.counts[0][3]).toBe(5);
    expect(born.activity.find((a: Json) => a.fiscalYear === 2025).active).toBe(5);
    expect((await depth(t.admin, '&roots=fan')).stageTransitions.counts[0][3]).toBe(0);
    // Municipality staff: their own municipality, with roots as asked.
    const own = await depth(tsuruokaStaff, '&roots=birthplace');
    expect(own.municipality.code).toBe(TSURUOKA);
    expect(own.stageTransitions.counts[0][3]).toBe(5);
    const bad = await t.admin.request({ method: 'GET', url: '/api/kpi/depth?fiscalYear=2025&roots=moon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('roots');
  });

  it('publishes a municipality’s approved plan on the public page, judged by its own figures, selectable', async () => {
    const plan = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/plans',
      payload: {
        code: 'tsuruoka-2025',
        nameJa: '鶴岡市 関係人口計画',
        nameEn: 'Tsuruoka relationship-population plan',
        fromFiscalYear: 2025,
        toFiscalYear: 2026,
        municipalityCode: TSURUOKA,
        indicators: [
          {
            code: 'relationship_created',
            labelJa: '関係人口の創出数',
            labelEn: 'Relationship population created',
            unit: 'people',
            baseline: 0,
            targets: [{ fiscalYear: 2025, target: 20 }],
          },
        ],
      },
    });
    expect(plan.statusCode, plan.body).toBe(201);
    // Nothing approved yet: the public page has nothing, for either plan.
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi?plan=tsuruoka-2025' })).statusCode).toBe(404);
    const commentary = await t.admin.request({
      method: 'PUT',
      url: '/api/kpi/evaluations/2025/commentary/relationship_created?plan=tsuruoka-2025',
      payload: { text: '鶴岡市のボランティア受入れが進んだ。' },
    });
    expect(commentary.statusCode, commentary.body).toBe(200);
    const approved = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/approve?plan=tsuruoka-2025',
      payload: { confirm: true },
    });
    expect(approved.statusCode, approved.body).toBe(200);

    // The prefecture's plans have no approved report: the default page still has none.
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi' })).statusCode).toBe(404);
    const res = await t.app.inject({ method: 'GET', url: '/api/public/kpi?plan=tsuruoka-2025' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Json;
    expect(body.plan).toMatchObject({ code: 'tsuruoka-2025', name: '鶴岡市 関係人口計画' });
    expect(body.plans).toEqual([
      {
        code: 'tsuruoka-2025',
        name: '鶴岡市 関係人口計画',
        nameEn: 'Tsuruoka relationship-population plan',
        municipality: { code: TSURUOKA, name: expect.any(String) },
      },
    ]);
    const rel = body.indicators.find((i: Json) => i.code === 'relationship_created');
    // Tsuruoka's 12, not the prefecture's 15; its target 20.
    expect(rel.actual).toEqual({ value: 12, hidden: false });
    expect(rel.target).toEqual({ value: 20, hidden: false });
    expect(rel.municipalities.map((m: Json) => m.code)).toEqual([TSURUOKA]);
    // The public report of that plan too.
    const report = await t.app.inject({
      method: 'GET',
      url: '/api/public/kpi/reports/2025?format=xlsx&plan=tsuruoka-2025',
    });
    expect(report.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi?plan=Nope!' })).statusCode).toBe(400);
  });

  it('hides a municipal plan’s small count as X, as for the prefecture', async () => {
    await exec(sql`delete from engagements where municipality_code = ${TSURUOKA} and person_id in (
      select person_id from engagements where municipality_code = ${TSURUOKA} order by person_id limit 5)`);
    const reopen = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/reopen?plan=tsuruoka-2025',
      payload: { confirm: true, reason: '記録の訂正' },
    });
    expect(reopen.statusCode, reopen.body).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi?plan=tsuruoka-2025' })).statusCode).toBe(404);
    const approved = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/approve?plan=tsuruoka-2025',
      payload: { confirm: true },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const body = (await t.app.inject({ method: 'GET', url: '/api/public/kpi?plan=tsuruoka-2025' })).json() as Json;
    const rel = body.indicators.find((i: Json) => i.code === 'relationship_created');
    expect(rel.actual).toEqual({ value: null, hidden: true });
  });
});
