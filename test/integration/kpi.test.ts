/**
 * The plan's figures: plans as data (the seed-001 plan on every database, admins add plans), the
 * actuals computed by the rules of docs/kpi.md from hand-made records with known answers, and who
 * sees which municipality's figures and records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { seedKpiPlans } from '../../src/modules/kpi/index.js';
import { systemContext } from '../../src/platform/request-context.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('KPI plans on %s', (driver) => {
  let t: TestApp;
  let yamagataStaff: Session;

  beforeAll(async () => {
    t = await createTestApp(driver);
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
  });
  afterAll(() => t?.close());

  it('seeds the plan of seed 001 once, with the four indicators and DESIGN.md’s figures', async () => {
    expect(await seedKpiPlans(t.database.db, systemContext())).toBe(true);
    expect(await seedKpiPlans(t.database.db, systemContext())).toBe(false);
    const res = await yamagataStaff.request({ method: 'GET', url: '/api/kpi/plans' });
    expect(res.statusCode).toBe(200);
    const [plan] = res.json().items;
    expect(plan).toMatchObject({ code: 'seed-001', fromFiscalYear: 2024, toFiscalYear: 2026, municipalityCode: null });
    const targets = Object.fromEntries(
      plan.indicators.map((i: { code: string; baseline: number; targets: Array<{ target: number }> }) => [
        i.code,
        [i.baseline, ...i.targets.map((x) => x.target)],
      ]),
    );
    expect(targets).toEqual({
      uij_movers: [268, 72, 85, 87],
      relationship_created: [0, 131, 204, 252],
      exchange_created: [0, 7178, 7671, 8148],
      ready_organizations: [0, 16, 18, 18],
    });
  });

  it('lets the prefecture admin add a municipality’s plan with its own targets', async () => {
    const body = {
      code: 'tsuruoka-2025',
      nameJa: '鶴岡市 関係人口計画',
      nameEn: 'Tsuruoka plan',
      fromFiscalYear: 2025,
      toFiscalYear: 2026,
      municipalityCode: TSURUOKA,
      indicators: [
        {
          code: 'continuing_participants',
          labelJa: '継続して参加する人数',
          labelEn: 'Continuing participants',
          unit: 'people',
          targets: [
            { fiscalYear: 2025, target: 10 },
            { fiscalYear: 2026, target: 12 },
          ],
          municipalityTargets: [{ municipalityCode: TSURUOKA, fiscalYear: 2025, target: 10 }],
        },
      ],
    };
    const created = await t.admin.request({ method: 'POST', url: '/api/kpi/plans', payload: body });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().indicators[0]).toMatchObject({ code: 'continuing_participants', baseline: 0 });
    const again = await t.admin.request({ method: 'POST', url: '/api/kpi/plans', payload: body });
    expect(again.statusCode).toBe(400);
    expect(Object.keys(again.json().error.fields)).toEqual(['code']);
  });

  it('names the field when a target lies outside the period or a year is given twice', async () => {
    const res = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/plans',
      headers: { 'accept-language': 'en' },
      payload: {
        code: 'bad-plan',
        nameJa: '誤り',
        nameEn: 'Wrong',
        fromFiscalYear: 2025,
        toFiscalYear: 2026,
        indicators: [
          {
            code: 'uij_movers',
            labelJa: '移住者',
            labelEn: 'Movers',
            unit: 'people',
            targets: [
              { fiscalYear: 2024, target: 1 },
              { fiscalYear: 2025, target: 1 },
              { fiscalYear: 2025, target: 2 },
            ],
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      'indicators.0.targets.0.fiscalYear': expect.stringContaining('FY2025–FY2026'),
      'indicators.0.targets.2.fiscalYear': expect.any(String),
    });
    const plans = (await t.admin.request({ method: 'GET', url: '/api/kpi/plans' })).json().items;
    expect(plans.map((p: { code: string }) => p.code)).not.toContain('bad-plan');
  });

  it('refuses plan changes to municipality staff', async () => {
    const res = await yamagataStaff.request({ method: 'POST', url: '/api/kpi/plans', payload: {} });
    expect(res.statusCode).toBe(403);
  });
});
