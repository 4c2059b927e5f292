import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, STAFF_PASSWORD, createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { LOCKOUT_THRESHOLD } from '../../src/platform/auth/auth.service.js';

describe.each(TEST_DRIVERS)('authentication on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  it('answers health without a login', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toEqual({ status: 'ok', db: driver });
  });

  it('refuses personal data without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/people' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('sets an HTTP-only, SameSite=Strict session cookie and returns the session with a CSRF token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'kankei_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: `kankei_session=${cookie.value}` } });
    expect(session.json().user.email).toBe(ADMIN_EMAIL);
    expect(session.json().csrfToken).toBe(res.json().csrfToken);
  });

  it('does not store session tokens or passwords in clear', async () => {
    const rows = (await t.database.db.execute(sql`select token_hash from sessions`)) as unknown as { rows: Array<{ token_hash: string }> };
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    const staff = (await t.database.db.execute(sql`select password_hash from staff`)) as unknown as { rows: Array<{ password_hash: string }> };
    expect(staff.rows.every((r) => r.password_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('refuses a cookie request that changes data without the CSRF token', async () => {
    const payload = personPayload();
    const without = await t.app.inject({ method: 'POST', url: '/api/people', payload, headers: { cookie: t.admin.cookie } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/people', payload, headers: { cookie: t.admin.cookie, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.statusCode).toBe(403);
    const right = await t.admin.request({ method: 'POST', url: '/api/people', payload });
    expect(right.statusCode).toBe(201);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: ADMIN_EMAIL, password: 'not-the-password' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.jp', password: 'not-the-password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('locks an account after repeated failures, even for the right password, until an admin re-enables it', async () => {
    const staff = await t.staffSession('center_staff');
    const me = (await staff.request({ method: 'GET', url: '/api/auth/session' })).json().user;
    for (let i = 0; i < LOCKOUT_THRESHOLD - 1; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: me.email, password: 'wrong-password!' } });
      expect(res.statusCode).toBe(401);
    }
    const locking = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: me.email, password: 'wrong-password!' } });
    expect(locking.statusCode).toBe(423);
    expect(locking.json().error.code).toBe('ACCOUNT_LOCKED');
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: me.email, password: STAFF_PASSWORD } });
    expect(right.statusCode).toBe(423);
    const unlock = await t.admin.request({ method: 'PATCH', url: `/api/staff/${me.id}`, payload: { disabled: false } });
    expect(unlock.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: me.email, password: STAFF_PASSWORD } });
    expect(after.statusCode).toBe(200);
  });

  it('logs out: the session cookie stops working', async () => {
    const s = await t.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await s.request({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await s.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
  });

  it('changes the password, ending other sessions', async () => {
    const staff = await t.staffSession('center_staff');
    const email = (await staff.request({ method: 'GET', url: '/api/auth/session' })).json().user.email;
    const other = await t.login(email, STAFF_PASSWORD);
    const wrong = await staff.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'nope', newPassword: 'a-new-password-123' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.currentPassword).toBeTruthy();
    const ok = await staff.request({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: STAFF_PASSWORD, newPassword: 'a-new-password-123' } });
    expect(ok.statusCode).toBe(204);
    expect((await staff.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
    expect((await other.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
    await expect(t.login(email, STAFF_PASSWORD)).rejects.toThrow();
    await t.login(email, 'a-new-password-123');
  });

  it('accepts admin-issued bearer tokens without CSRF, stores them hashed, and honours revocation', async () => {
    const issued = await t.admin.request({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'import script' } });
    expect(issued.statusCode).toBe(201);
    const { id, token } = issued.json();
    expect(token).toMatch(/^kk_/);
    const stored = (await t.database.db.execute(sql`select token_hash from api_tokens where id = ${id}`)) as unknown as { rows: Array<{ token_hash: string }> };
    expect(stored.rows[0]!.token_hash).not.toContain(token);
    const headers = { authorization: `Bearer ${token}` };
    const created = await t.app.inject({ method: 'POST', url: '/api/people', payload: personPayload(), headers });
    expect(created.statusCode).toBe(201);
    const listed = (await t.admin.request({ method: 'GET', url: '/api/auth/tokens' })).json().items.find((x: { id: string }) => x.id === id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect((await t.admin.request({ method: 'DELETE', url: `/api/auth/tokens/${id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/people', headers })).statusCode).toBe(401);
  });

  it('refuses token management to non-admins', async () => {
    const staff = await t.staffSession('center_staff');
    expect((await staff.request({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'x' } })).statusCode).toBe(403);
  });
});

describe.each(TEST_DRIVERS)('login rate limit on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver, { loginRateLimit: 3 });
  });
  afterAll(() => t?.close());

  it('answers 429 RATE_LIMITED after too many login attempts from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'someone@example.jp', password: 'whatever-password' } });
      codes.push(res.statusCode);
    }
    // createTestApp's own admin login used one attempt of the window.
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(2);
    const limited = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@example.jp', password: 'b' }, headers: { 'accept-language': 'en' } });
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('Too many') });
  });
});
