import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  STAFF_PASSWORD,
  createTestApp,
  personPayload,
  type TestApp,
} from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import {
  ACCOUNT_RULE,
  IP_RULE,
  MAX_WAIT_SECONDS,
  accountKey,
  ipKey,
  waitSecondsAfter,
} from '../../src/platform/auth/login-throttle.js';
import { createOrResetAdmin } from '../../src/seed/seed.js';

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
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'kankei_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: `kankei_session=${cookie.value}` },
    });
    expect(session.json().user.email).toBe(ADMIN_EMAIL);
    expect(session.json().csrfToken).toBe(res.json().csrfToken);
  });

  it('does not store session tokens or passwords in clear', async () => {
    const rows = (await t.database.db.execute(sql`select token_hash from sessions`)) as unknown as {
      rows: Array<{ token_hash: string }>;
    };
    expect(rows.rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
    const staff = (await t.database.db.execute(sql`select password_hash from staff`)) as unknown as {
      rows: Array<{ password_hash: string }>;
    };
    expect(staff.rows.every((r) => r.password_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('refuses a cookie request that changes data without the CSRF token', async () => {
    const payload = personPayload();
    const without = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      payload,
      headers: { cookie: t.admin.cookie },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/people',
      payload,
      headers: { cookie: t.admin.cookie, 'x-csrf-token': 'x'.repeat(43) },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await t.admin.request({ method: 'POST', url: '/api/people', payload });
    expect(right.statusCode).toBe(201);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN_EMAIL, password: 'not-the-password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.jp', password: 'not-the-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('makes an account wait after repeated failures, refusing even the right password, until an admin re-enables it', async () => {
    const staff = await t.staffSession('center_staff');
    const me = (await staff.request({ method: 'GET', url: '/api/auth/session' })).json().user;
    for (let i = 0; i < ACCOUNT_RULE.freeFailures; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: me.email, password: 'wrong-password!' },
      });
      expect(res.statusCode).toBe(401);
    }
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: me.email, password: STAFF_PASSWORD },
    });
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('RATE_LIMITED');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    const unlock = await t.admin.request({ method: 'PATCH', url: `/api/staff/${me.id}`, payload: { disabled: false } });
    expect(unlock.statusCode).toBe(200);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: me.email, password: STAFF_PASSWORD },
    });
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
    const wrong = await staff.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'nope', newPassword: 'a-new-password-123' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.currentPassword).toBeTruthy();
    const ok = await staff.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: STAFF_PASSWORD, newPassword: 'a-new-password-123' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await staff.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
    expect((await other.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(401);
    await expect(t.login(email, STAFF_PASSWORD)).rejects.toThrow();
    await t.login(email, 'a-new-password-123');
  });

  it('refuses a common, decorated or repetitive new password with the reason in the user’s language, and keeps the old one', async () => {
    const staff = await t.staffSession('center_staff');
    const email = (await staff.request({ method: 'GET', url: '/api/auth/session' })).json().user.email;
    const change = (newPassword: string, headers: Record<string, string> = {}) =>
      staff.request({
        method: 'POST',
        url: '/api/auth/password',
        headers,
        payload: { currentPassword: STAFF_PASSWORD, newPassword },
      });
    const listed = await change('ＰａｓｓＷｏｒｄ１２３４');
    expect(listed.statusCode).toBe(400);
    expect(listed.json().error.fields.newPassword).toContain('よく使われていて推測されやすい');
    const repeated = await change('abcabcabcabc', { 'accept-language': 'en' });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().error.fields.newPassword).toContain('repetition or a sequence');
    // Nothing changed: the old password still signs in.
    await t.login(email, STAFF_PASSWORD);
    // An admin creating an account is held to the same list.
    const created = await t.admin.request({
      method: 'POST',
      url: '/api/staff',
      payload: {
        email: 'weak-password@test.kankei.example',
        name: '弱い パスワード',
        role: 'center_staff',
        password: 'qwerty123456',
      },
    });
    expect(created.statusCode).toBe(400);
    expect(Object.keys(created.json().error.fields)).toEqual(['password']);
    const staffRows = await t.database.db.execute(
      sql`select 1 from staff where email = 'weak-password@test.kankei.example'`,
    );
    expect((staffRows as unknown as { rows: unknown[] }).rows).toHaveLength(0);
  });

  it('makes a session that guesses the current password wait like a sign-in does', async () => {
    const staff = await t.staffSession('center_staff');
    const guess = () =>
      staff.request({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'a-guess', newPassword: 'a-new-password-123' },
      });
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await guess());
    expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 400, 400, 400, 429, 429]);
    expect(answers[5]!.json().error.code).toBe('RATE_LIMITED');
    expect(Number(answers[5]!.headers['retry-after'])).toBeGreaterThan(0);
    // The right password is refused too while the account waits.
    const right = await staff.request({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: STAFF_PASSWORD, newPassword: 'a-new-password-123' },
    });
    expect(right.statusCode).toBe(429);
    const failed = await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'auth.password_change_failed' and entity_id = ${staff.user.id}`,
    );
    expect((failed as unknown as { rows: Array<{ n: number }> }).rows[0]!.n).toBe(5);
  });

  it('accepts admin-issued bearer tokens without CSRF, stores them hashed, and honours revocation', async () => {
    const issued = await t.admin.request({
      method: 'POST',
      url: '/api/auth/tokens',
      payload: { name: 'import script' },
    });
    expect(issued.statusCode).toBe(201);
    const { id, token } = issued.json();
    expect(token).toMatch(/^kk_/);
    const stored = (await t.database.db.execute(
      sql`select token_hash from api_tokens where id = ${id}`,
    )) as unknown as { rows: Array<{ token_hash: string }> };
    expect(stored.rows[0]!.token_hash).not.toContain(token);
    const headers = { authorization: `Bearer ${token}` };
    const created = await t.app.inject({ method: 'POST', url: '/api/people', payload: personPayload(), headers });
    expect(created.statusCode).toBe(201);
    const listed = (await t.admin.request({ method: 'GET', url: '/api/auth/tokens' }))
      .json()
      .items.find((x: { id: string }) => x.id === id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect((await t.admin.request({ method: 'DELETE', url: `/api/auth/tokens/${id}` })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/people', headers })).statusCode).toBe(401);
  });

  it('refuses token management to non-admins', async () => {
    const staff = await t.staffSession('center_staff');
    expect((await staff.request({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'x' } })).statusCode).toBe(
      403,
    );
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
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'someone@example.jp', password: 'whatever-password' },
      });
      codes.push(res.statusCode);
    }
    // createTestApp's own admin login used one attempt of the window.
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(2);
    const limited = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@example.jp', password: 'b' },
      headers: { 'accept-language': 'en' },
    });
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('Too many') });
  });
});

describe.each(TEST_DRIVERS)('waits after failed sign-ins on %s', (driver) => {
  let t: TestApp;
  let member: { id: string; email: string };
  beforeAll(async () => {
    t = await createTestApp(driver);
    const session = await t.staffSession('center_staff');
    member = (await session.request({ method: 'GET', url: '/api/auth/session' })).json().user;
  });
  afterAll(() => t?.close());

  // Each test signs in from its own address, so the per-IP count of one does not reach into another.
  const attempt = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });
  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const throttle = async (key: string) =>
    (
      await rows<{ failures: number; wait_seconds: number | null }>(
        sql`select failures, extract(epoch from wait_until - last_attempt_at)::float as wait_seconds from login_throttle where key_hash = ${key}`,
      )
    )[0];
  /** Moves the account's wait into the past, as if it had passed. */
  const letWaitPass = (email: string) =>
    t.database.db.execute(
      sql`update login_throttle set wait_until = now() - interval '1 second' where key_hash = ${accountKey(email)}`,
    );
  const answer = (res: Awaited<ReturnType<typeof attempt>>) => ({
    status: res.statusCode,
    body: res.json(),
    retryAfter: res.headers['retry-after'] ?? null,
  });

  it('answers seven wrong passwords for an existing and an unknown email alike: statuses, bodies and Retry-After', async () => {
    const existing = [];
    const unknown = [];
    for (let i = 0; i < 7; i++) existing.push(answer(await attempt(member.email, 'wrong-password!', '10.0.1.1')));
    for (let i = 0; i < 7; i++)
      unknown.push(answer(await attempt('nobody-here@example.jp', 'wrong-password!', '10.0.1.2')));
    expect(existing.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(unknown).toEqual(existing);
    expect(existing[5]!.body.error.code).toBe('RATE_LIMITED');
    expect(existing[5]!.retryAfter).toBe('2');
    expect(existing[0]!.retryAfter).toBeNull();
    // The unknown email is counted like an account, under its hash only.
    expect(await throttle(accountKey('nobody-here@example.jp'))).toEqual({ failures: 5, wait_seconds: 2 });
    const stored = await rows<{ key_hash: string }>(sql`select key_hash from login_throttle`);
    expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
    await letWaitPass(member.email);
    expect((await attempt(member.email, STAFF_PASSWORD, '10.0.1.1')).statusCode).toBe(200);
    expect(await throttle(accountKey(member.email))).toBeUndefined();
  });

  it('counts 18 simultaneous wrong passwords exactly and lets only the free attempts through', async () => {
    const answers = await Promise.all(
      Array.from({ length: 18 }, () => attempt(member.email, 'wrong-password!', '10.0.2.1')),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(ACCOUNT_RULE.freeFailures);
    expect(statuses.filter((s) => s === 429)).toHaveLength(18 - ACCOUNT_RULE.freeFailures);
    // Every attempt the IP let through is counted (no lost updates); the account counted those it let through.
    expect(await throttle(ipKey('10.0.2.1'))).toEqual({ failures: 18, wait_seconds: null });
    expect((await throttle(accountKey(member.email)))?.failures).toBe(ACCOUNT_RULE.freeFailures);
    const audit = await rows<{ action: string; n: number }>(
      sql`select action, count(*)::int as n from audit_events where entity_id = ${member.id} and action like 'auth.%' and ip = '10.0.2.1' group by action order by action`,
    );
    expect(audit).toEqual([
      { action: 'auth.locked', n: 1 },
      { action: 'auth.login_failed', n: ACCOUNT_RULE.freeFailures - 1 },
      { action: 'auth.login_locked', n: 18 - ACCOUNT_RULE.freeFailures },
    ]);

    await letWaitPass(member.email);
    expect((await attempt(member.email, STAFF_PASSWORD, '10.0.2.1')).statusCode).toBe(200);
    expect(await throttle(accountKey(member.email))).toBeUndefined();
    expect(await throttle(ipKey('10.0.2.1'))).toBeUndefined();
  });

  it('doubles the wait with each further failure, up to 15 minutes, and refuses the right password while waiting', async () => {
    for (let i = 0; i < ACCOUNT_RULE.freeFailures - 1; i++)
      expect((await attempt(member.email, 'wrong-password!', '10.0.3.1')).statusCode).toBe(401);
    const waits: number[] = [];
    for (let failures = ACCOUNT_RULE.freeFailures; failures < ACCOUNT_RULE.freeFailures + 6; failures++) {
      await letWaitPass(member.email);
      expect((await attempt(member.email, 'wrong-password!', '10.0.3.1')).statusCode).toBe(401);
      const row = (await throttle(accountKey(member.email)))!;
      expect(row.failures).toBe(failures);
      waits.push(row.wait_seconds!);
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64]);
    expect(waits).toEqual(waits.map((_, i) => waitSecondsAfter(ACCOUNT_RULE.freeFailures + i, ACCOUNT_RULE)));

    await t.database.db.execute(
      sql`update login_throttle set failures = 40, wait_until = now() - interval '1 second' where key_hash = ${accountKey(member.email)}`,
    );
    expect((await attempt(member.email, 'wrong-password!', '10.0.3.1')).statusCode).toBe(401);
    expect((await throttle(accountKey(member.email)))!.wait_seconds).toBe(MAX_WAIT_SECONDS);
    const right = await attempt(member.email, STAFF_PASSWORD, '10.0.3.2');
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(MAX_WAIT_SECONDS - 60);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(MAX_WAIT_SECONDS);

    // The way back in for an admin kept out: `kankei create-admin` resets the password and lifts the wait.
    await createOrResetAdmin(t.database.db, { email: member.email, password: 'a-fresh-password-1' });
    expect((await attempt(member.email, 'a-fresh-password-1', '10.0.3.2')).statusCode).toBe(200);
  });

  it('makes one address wait after many failures across accounts (password spraying), not other addresses', async () => {
    for (let i = 0; i < IP_RULE.freeFailures; i++) {
      expect((await attempt(`sprayed-${i}@example.jp`, 'Summer2026!', '10.0.4.1')).statusCode).toBe(401);
    }
    const refused = await attempt(member.email, 'a-fresh-password-1', '10.0.4.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('2');
    expect((await attempt(member.email, 'a-fresh-password-1', '10.0.4.2')).statusCode).toBe(200);
  });
});
