import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

describe.each(TEST_DRIVERS)('audit trail on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  it('records create, read, update and search with who and from where', async () => {
    const staff = await t.staffSession('center_staff');
    const p = (
      await staff.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload(),
        headers: { 'user-agent': 'audit-test/1.0' },
      })
    ).json();
    await staff.request({ method: 'GET', url: `/api/people/${p.id}` });
    await staff.request({ method: 'PATCH', url: `/api/people/${p.id}`, payload: { city: '新庄市' } });
    const res = await t.admin.request({ method: 'GET', url: `/api/audit?personId=${p.id}` });
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBe(3);
    expect(items.map((i: { action: string }) => i.action)).toEqual(['person.update', 'person.read', 'person.create']);
    for (const item of items) {
      expect(item.actor.id).toBe(staff.user.id);
      expect(item.ip).toBeTruthy();
      expect(item.via).toBe('session');
    }
    expect(items[2].userAgent).toBe('audit-test/1.0');
    expect(items[0].details.fields).toEqual(['city']);
  });

  it('filters by actor and action', async () => {
    const res = (
      await t.admin.request({ method: 'GET', url: `/api/audit?actorId=${t.admin.user.id}&action=auth.login` })
    ).json();
    expect(res.total).toBeGreaterThanOrEqual(1);
    for (const i of res.items) expect(i.action).toBe('auth.login');
  });

  it('cannot be changed or removed, not even with SQL', async () => {
    await expect(t.database.db.execute(sql`update audit_events set action = 'forged'`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from audit_events`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`truncate audit_events`)).rejects.toThrow();
    const n = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'forged'`,
    )) as unknown as { rows: Array<{ n: number }> };
    expect(n.rows[0]!.n).toBe(0);
  });

  it('lets an erasure forget the IP and user agent of what the public did themselves, and nothing else', async () => {
    const q = (query: ReturnType<typeof sql>) => t.database.db.execute(query);
    await q(sql`insert into audit_events (via, action, ip, user_agent) values
      ('public', 'test.public', '192.0.2.1', 'phone/1'), ('self', 'test.self', '192.0.2.2', 'phone/2'), ('session', 'test.staff', '192.0.2.3', 'desk/1')`);
    // Refused: another value, another column along with the origin, half the origin, a staff row, deleting.
    await expect(q(sql`update audit_events set ip = '198.51.100.1' where action = 'test.public'`)).rejects.toThrow();
    await expect(
      q(sql`update audit_events set ip = null, user_agent = null, details = '{"x":1}' where action = 'test.public'`),
    ).rejects.toThrow();
    await expect(
      q(sql`update audit_events set ip = null, user_agent = null, action = 'forged' where action = 'test.self'`),
    ).rejects.toThrow();
    await expect(q(sql`update audit_events set ip = null where action = 'test.public'`)).rejects.toThrow();
    await expect(
      q(sql`update audit_events set ip = null, user_agent = null where action = 'test.staff'`),
    ).rejects.toThrow();
    await expect(
      q(sql`update audit_events set ip = null, user_agent = null, via = 'public' where action = 'test.staff'`),
    ).rejects.toThrow();
    await expect(q(sql`delete from audit_events where action = 'test.public'`)).rejects.toThrow();
    // Allowed: forgetting the origin of the public's own rows.
    await q(sql`update audit_events set ip = null, user_agent = null where action in ('test.public', 'test.self')`);
    const rows = (
      (await q(
        sql`select action, via, ip, user_agent from audit_events where action like 'test.%' order by action`,
      )) as unknown as { rows: unknown[] }
    ).rows;
    expect(rows).toEqual([
      { action: 'test.public', via: 'public', ip: null, user_agent: null },
      { action: 'test.self', via: 'self', ip: null, user_agent: null },
      { action: 'test.staff', via: 'session', ip: '192.0.2.3', user_agent: 'desk/1' },
    ]);
  });

  it('offers no route that changes audit rows', () => {
    const auditRoutes = t.routes.filter((r) => String(r.url).startsWith('/api/audit'));
    expect(auditRoutes.flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method])).sort()).toEqual([
      'GET',
      'HEAD',
    ]);
  });

  it('is readable by admins only', async () => {
    const staff = await t.staffSession('center_staff');
    expect((await staff.request({ method: 'GET', url: '/api/audit' })).statusCode).toBe(403);
  });
});
