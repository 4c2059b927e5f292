/**
 * Which address a request comes from — what rate limits count and the audit trail records — is
 * the connecting address unless TRUST_PROXY names that address as a proxy; only then is its
 * X-Forwarded-For believed. A client talking to Kankei directly cannot choose its own address.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../helpers/app.js';

const FORGED = { 'x-forwarded-for': '203.0.113.77' };

async function loginIp(t: TestApp, remoteAddress: string): Promise<string | null> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress,
    headers: FORGED,
    payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  const rows = (await t.database.db.execute(
    sql`select ip from audit_events where action = 'auth.login' order by at desc, id desc limit 1`,
  )) as unknown as { rows: Array<{ ip: string | null }> };
  return rows.rows[0]?.ip ?? null;
}

describe('the client address behind a proxy', () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    direct = await createTestApp('pglite');
    proxied = await createTestApp('pglite', { trustProxy: '10.0.0.5' });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    expect(await loginIp(direct, '198.51.100.9')).toBe('198.51.100.9');
  });

  it('believes X-Forwarded-For only from the trusted proxy', async () => {
    expect(await loginIp(proxied, '10.0.0.5')).toBe('203.0.113.77');
    expect(await loginIp(proxied, '198.51.100.9')).toBe('198.51.100.9');
  });
});
