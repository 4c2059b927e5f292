/** The HTTP contract other parts of Kankei (and scripts) rely on, as published in OpenAPI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

describe.each(TEST_DRIVERS)('HTTP contract on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  it('documents every API route in /api/openapi.json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${p}`);
    }
    const expected = [
      'GET /api/health',
      'POST /api/auth/login',
      'GET /api/auth/session',
      'POST /api/auth/logout',
      'POST /api/auth/password',
      'POST /api/auth/tokens',
      'GET /api/auth/tokens',
      'DELETE /api/auth/tokens/{id}',
      'GET /api/municipalities',
      'GET /api/regions',
      'GET /api/organizations',
      'POST /api/organizations',
      'GET /api/staff',
      'POST /api/staff',
      'PATCH /api/staff/{id}',
      'GET /api/people',
      'POST /api/people',
      'GET /api/people/{id}',
      'PATCH /api/people/{id}',
      'DELETE /api/people/{id}',
      'POST /api/people/{id}/merge',
      'POST /api/people/{id}/purge',
      'GET /api/people/{id}/duplicates',
      'GET /api/people/{id}/history',
      'GET /api/audit',
    ];
    for (const e of expected) expect(documented, e).toContain(e);
    // Every registered /api route (bar the document itself) is documented.
    for (const r of t.routes) {
      const url = String(r.url);
      if (!url.startsWith('/api/') || url === '/api/openapi.json') continue;
      for (const m of (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD')) {
        expect(documented, `${m} ${url}`).toContain(`${m} ${url.replace(/:(\w+)/g, '{$1}')}`);
      }
    }
    const person = doc.paths['/api/people/{id}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(person.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'kana',
        'email',
        'phone',
        'postalCode',
        'prefecture',
        'city',
        'birthYear',
        'notes',
        'links',
      ]),
    );
  });

  it('lists the 35 Yamagata municipalities with code, name, kana and region', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/municipalities' });
    const list = res.json() as Array<{ code: string; name: string; kana: string; region: string }>;
    expect(list).toHaveLength(35);
    expect(list.find((m) => m.code === '062014')).toMatchObject({ name: '山形市', kana: 'やまがたし', region: '村山' });
    expect(new Set(list.map((m) => m.region))).toEqual(new Set(['村山', '最上', '置賜', '庄内']));
    for (const m of list) expect(m.code).toMatch(/^06\d{4}$/);
  });

  it('serves the municipal boundaries as GeoJSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/municipalities/geo' });
    expect(res.headers['content-type']).toContain('application/geo+json');
    expect(res.json().features).toHaveLength(35);
  });

  it('answers unknown API paths with the JSON error shape', async () => {
    const res = await t.admin.request({
      method: 'GET',
      url: '/api/nothing-here',
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });
});
