/**
 * Access scope: municipality staff see only people linked to their municipality; partners see
 * no people here. Every route flagged `personalData` is walked as an outsider and must answer
 * 404 — a new personal-data route is covered automatically.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { seedKpiPlans } from '../../src/modules/kpi/index.js';
import { systemContext } from '../../src/platform/request-context.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('access scope on %s', (driver) => {
  let t: TestApp;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let partner: Session;
  let center: Session;
  let yamagataPerson: { id: string; email: string; name: string };
  let tsuruokaPerson: { id: string };

  beforeAll(async () => {
    t = await createTestApp(driver);
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    partner = await t.staffSession('partner');
    center = await t.staffSession('center_staff');
    yamagataPerson = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({
          name: '範囲 確認',
          kana: 'ハンイ カクニン',
          links: [{ municipalityCode: YAMAGATA, kind: 'supporter' }],
        }),
      })
    ).json();
    tsuruokaPerson = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ links: [{ municipalityCode: TSURUOKA, kind: 'roots' }] }),
      })
    ).json();
  });
  afterAll(() => t?.close());

  const personalRoutes = (): RouteOptions[] =>
    t.routes.filter((r) => r.config?.personalData && String(r.url).includes(':id'));

  const methodsOf = (r: RouteOptions) => (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');

  it('flags every route that returns or changes a person as personal data', () => {
    const flagged = t.routes.filter((r) => r.config?.personalData).map((r) => `${methodsOf(r).join(',')} ${r.url}`);
    for (const r of t.routes.filter((r) => String(r.url).startsWith('/api/people'))) {
      expect(flagged, `${methodsOf(r)} ${r.url}`).toContain(`${methodsOf(r).join(',')} ${r.url}`);
    }
    expect(personalRoutes().length).toBeGreaterThanOrEqual(7);
  });

  /**
   * A valid body for each route that takes one, from the example its schema documents in OpenAPI
   * — so the request passes validation and only the scope can stop it.
   */
  async function exampleBodies(): Promise<Map<string, unknown>> {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const examples = new Map<string, unknown>();
    type Media = { example?: unknown; schema?: { example?: unknown } };
    for (const [p, ops] of Object.entries(
      doc.paths as Record<string, Record<string, { requestBody?: { content?: Record<string, Media> } }>>,
    )) {
      for (const [method, op] of Object.entries(ops)) {
        const body = op.requestBody?.content?.['application/json'];
        if (body)
          examples.set(
            `${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`,
            body.example ?? body.schema?.example ?? null,
          );
      }
    }
    return examples;
  }

  for (const who of ['another municipality', 'a partner'] as const) {
    it(`answers 404 on every personal-data route for ${who}`, async () => {
      const outsider = who === 'a partner' ? partner : tsuruokaStaff;
      const examples = await exampleBodies();
      for (const route of personalRoutes()) {
        for (const method of methodsOf(route)) {
          // Every path parameter (:id, :registrationId, …) gets the id of a person out of scope.
          const url = String(route.url).replace(/:\w+/g, yamagataPerson.id);
          const key = `${method} ${route.url}`;
          const payload = examples.get(key);
          if (examples.has(key)) expect(payload, `${key}: give its body schema .meta({ example: {...} })`).toBeTruthy();
          const res = await outsider.request({
            method: method as 'GET',
            url,
            ...(payload ? { payload: payload as object } : {}),
          });
          expect(res.statusCode, `${method} ${route.url}`).toBe(404);
          expect(res.json().error.code, `${method} ${route.url}`).toBe('NOT_FOUND');
        }
      }
      // Nothing was changed by those attempts.
      const after = (await t.admin.request({ method: 'GET', url: `/api/people/${yamagataPerson.id}` })).json();
      expect(after.city).toBeNull();
    });
  }

  it('answers 404 when the merge source is outside the caller’s scope', async () => {
    const own = (
      await yamagataStaff.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ links: [{ municipalityCode: YAMAGATA, kind: 'interest' }] }),
      })
    ).json();
    const res = await yamagataStaff.request({
      method: 'POST',
      url: `/api/people/${own.id}/merge`,
      payload: { sourceId: tsuruokaPerson.id },
    });
    expect(res.statusCode).toBe(404);
  });

  it('keeps people of other municipalities out of search results and filters', async () => {
    const byName = (
      await tsuruokaStaff.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent('ハンイカクニン')}` })
    ).json();
    expect(byName).toMatchObject({ items: [], total: 0 });
    const byFilter = (
      await tsuruokaStaff.request({ method: 'GET', url: `/api/people?municipality=${YAMAGATA}` })
    ).json();
    expect(byFilter.total).toBe(0);
    const all = (await tsuruokaStaff.request({ method: 'GET', url: '/api/people?limit=100' })).json();
    for (const p of all.items)
      expect(p.links.some((l: { municipalityCode: string }) => l.municipalityCode === TSURUOKA)).toBe(true);
    expect((await partner.request({ method: 'GET', url: '/api/people' })).json().total).toBe(0);
  });

  it('lets municipality staff see and change their own municipality’s people', async () => {
    const res = await yamagataStaff.request({ method: 'GET', url: `/api/people/${yamagataPerson.id}` });
    expect(res.statusCode).toBe(200);
    const found = (
      await yamagataStaff.request({ method: 'GET', url: `/api/people?q=${encodeURIComponent('ﾊﾝｲ')}` })
    ).json();
    expect(found.items.map((p: { id: string }) => p.id)).toContain(yamagataPerson.id);
  });

  it('lets center staff see every municipality’s people', async () => {
    expect((await center.request({ method: 'GET', url: `/api/people/${tsuruokaPerson.id}` })).statusCode).toBe(200);
    expect((await center.request({ method: 'GET', url: `/api/people/${yamagataPerson.id}` })).statusCode).toBe(200);
  });

  it('requires municipality staff to link new people to their own municipality only', async () => {
    const none = await yamagataStaff.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({ links: [] }),
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields.links).toBeTruthy();
    const other = await yamagataStaff.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({ links: [{ municipalityCode: TSURUOKA, kind: 'interest' }] }),
    });
    expect(other.json().error.fields['links.0.municipalityCode']).toBeTruthy();
  });

  it('keeps links to other municipalities when municipality staff replace their own', async () => {
    const shared = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({
          links: [
            { municipalityCode: YAMAGATA, kind: 'interest' },
            { municipalityCode: TSURUOKA, kind: 'roots' },
          ],
        }),
      })
    ).json();
    const res = await yamagataStaff.request({
      method: 'PATCH',
      url: `/api/people/${shared.id}`,
      payload: { links: [{ municipalityCode: YAMAGATA, kind: 'supporter' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().links).toEqual([
      { municipalityCode: YAMAGATA, kind: 'supporter' },
      { municipalityCode: TSURUOKA, kind: 'roots' },
    ]);
  });

  it('does not reveal who a hidden duplicate is', async () => {
    const res = await tsuruokaStaff.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({
        email: yamagataPerson.email,
        links: [{ municipalityCode: TSURUOKA, kind: 'interest' }],
      }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toBeUndefined();
    expect(JSON.stringify(res.json())).not.toContain(yamagataPerson.name);
  });

  it('keeps municipality staff to their own municipality’s KPI figures and drill-downs on every KPI route', async () => {
    await seedKpiPlans(t.database.db, systemContext());
    // Every KPI route that takes a municipality (figures, drill-downs, depth views).
    const kpiRoutes = t.routes.filter(
      (r) =>
        (String(r.url).startsWith('/api/kpi/actuals') || String(r.url) === '/api/kpi/depth') && r.config?.personalData,
    );
    expect(kpiRoutes.length).toBeGreaterThanOrEqual(3);
    for (const route of kpiRoutes) {
      const url = String(route.url).replace(':code', 'uij_movers');
      for (const outsider of [tsuruokaStaff, partner]) {
        const res = await outsider.request({ method: 'GET', url: `${url}?fiscalYear=2025&municipality=${YAMAGATA}` });
        expect(res.statusCode, `${url} ${res.body}`).toBe(404);
      }
      const own = await yamagataStaff.request({
        method: 'GET',
        url: `${url}?fiscalYear=2025&municipality=${YAMAGATA}`,
      });
      expect(own.statusCode, `${url} ${own.body}`).toBe(200);
    }
  });
});
