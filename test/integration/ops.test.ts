/**
 * What operators watch: readiness (database, migrations, job queue) and Prometheus metrics behind
 * a token, on both drivers. Metrics name route patterns, never the requested path (a path can
 * hold a person's id).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe.each(TEST_DRIVERS)('operations endpoints (%s)', (driver) => {
  let t: TestApp;
  let closed: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver, { metricsToken: TOKEN });
    closed = await createTestApp(driver);
  });
  afterAll(async () => {
    await t?.close();
    await closed?.close();
  });

  it('is ready when the database answers, every migration is applied and the queue answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true }, jobs: { ok: true } },
    });
  });

  it('is not ready (503) while a migration is not applied, and names the check', async () => {
    const db = t.database.db;
    const [newest] = (
      (await db.execute(
        sql`select id, hash, created_at::text as created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
      )) as unknown as { rows: Array<{ id: number; hash: string; created_at: string }> }
    ).rows;
    await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${newest!.id}`);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/ready' });
      expect(res.statusCode).toBe(503);
      const body = res.json() as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.status).toBe('not_ready');
      expect(body.checks.migrations).toEqual({ ok: false, detail: '1 migration(s) not applied' });
      expect(body.checks.database?.ok).toBe(true);
    } finally {
      await db.execute(
        sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${newest!.id}, ${newest!.hash}, ${newest!.created_at}::bigint)`,
      );
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(200);
  });

  it('serves no metrics without a configured token (404)', async () => {
    const res = await closed.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(404);
  });

  it('refuses metrics without the token or with another one (401)', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
      expect(res.body).not.toContain('kankei_http_requests_total');
    }
  });

  it('counts requests by route pattern, times them, and shows the queue and the process', async () => {
    const created = await t.admin.request({
      method: 'POST',
      url: '/api/people',
      payload: { name: '【テスト】計測 花子', kana: 'ケイソク ハナコ' },
    });
    expect(created.statusCode).toBe(201);
    const personId = (created.json() as { id: string }).id;
    for (let i = 0; i < 3; i++) {
      expect((await t.admin.request({ method: 'GET', url: `/api/people/${personId}` })).statusCode).toBe(200);
    }
    await t.app.inject({ method: 'GET', url: '/api/no-such-route' });

    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('kankei_http_requests_total{method="GET",route="/api/people/:id",status="200"} 3');
    expect(text).toContain('kankei_http_requests_total{method="POST",route="/api/people",status="201"} 1');
    expect(text).toMatch(/kankei_http_request_duration_seconds_count\{method="GET",route="\/api\/people\/:id"\} 3/);
    expect(text).toMatch(/kankei_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    // The requested path (with the person's id) is never a label.
    expect(text).not.toContain(personId);
    expect(text).toMatch(/kankei_jobs\{job="[^"]+",state="waiting"\} \d+/);
    expect(text).toContain('kankei_process_cpu_seconds_total');
    if (driver === 'postgres') expect(text).toMatch(/kankei_db_pool_connections\{state="total"\} \d+/);
    else expect(text).not.toContain('kankei_db_pool_connections{');
  });
});
