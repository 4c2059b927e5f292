/**
 * Staff accounts: what each role needs, who may manage accounts, and what disabling an account does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/platform/errors.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  createTestApp,
  personPayload,
  STAFF_PASSWORD,
  type TestApp,
} from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

type StaffView = {
  id: string;
  email: string;
  name: string;
  role: string;
  municipalityCode: string | null;
  organizationId: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
};

const STAFF_KEYS = [
  'createdAt',
  'disabled',
  'email',
  'id',
  'lockedUntil',
  'municipalityCode',
  'name',
  'organizationId',
  'role',
];

const uniqueEmail = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}@test.kankei.example`;

/** A 400 VALIDATION answer that names exactly `fields`, in Japanese (default) or English. */
function expectFieldError(res: LightMyRequestResponse, fields: string[], lang: 'ja' | 'en' = 'ja') {
  expect(res.statusCode, res.body).toBe(400);
  const { error } = res.json() as { error: { code: string; message: string; fields?: Record<string, string> } };
  expect(error.code).toBe('VALIDATION');
  expect(Object.keys(error.fields ?? {}).sort()).toEqual([...fields].sort());
  for (const message of Object.values(error.fields ?? {})) {
    if (lang === 'ja') expect(message).toMatch(/[\u3040-\u30ff]/);
    else expect(message).not.toMatch(/[\u3040-\u30ff]/);
  }
}

function expectError(res: LightMyRequestResponse, code: keyof typeof ERROR_STATUS) {
  expect(res.statusCode, res.body).toBe(ERROR_STATUS[code]);
  expect((res.json() as { error: { code: string } }).error.code).toBe(code);
}

describe.each(TEST_DRIVERS)('staff on %s', (driver) => {
  let t: TestApp;
  let organizationId: string;

  const createStaff = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.admin.request({ method: 'POST', url: '/api/staff', payload, headers });
  const listStaff = async () =>
    ((await t.admin.request({ method: 'GET', url: '/api/staff' })).json() as { items: StaffView[] }).items;
  const staffCount = async () =>
    (
      (await t.database.db.execute(sql`select count(*)::int as n from staff`)) as unknown as {
        rows: Array<{ n: number }>;
      }
    ).rows[0]!.n;
  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  beforeAll(async () => {
    t = await createTestApp(driver);
    const res = await t.admin.request({
      method: 'POST',
      url: '/api/organizations',
      payload: { name: '置賜移住支援ネットワーク', kind: 'partner_agency', municipalityCode: '062014' },
    });
    expect(res.statusCode, res.body).toBe(201);
    organizationId = res.json().id;
  });
  afterAll(() => t?.close());

  describe('creating accounts', () => {
    it('admin creates a center_staff account without municipality or organization; the answer has no password data', async () => {
      const email = uniqueEmail('center');
      const res = await createStaff({ email, name: 'センター 職員', role: 'center_staff', password: STAFF_PASSWORD });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json() as StaffView;
      expect(Object.keys(created).sort()).toEqual(STAFF_KEYS);
      expect(created).toMatchObject({
        email,
        name: 'センター 職員',
        role: 'center_staff',
        municipalityCode: null,
        organizationId: null,
        disabled: false,
        lockedUntil: null,
      });
      expect(res.body).not.toContain(STAFF_PASSWORD);
      expect(res.body).not.toMatch(/argon2|passwordHash/i);
      const listed = (await listStaff()).find((s) => s.id === created.id);
      expect(listed).toEqual(created);
      expect(JSON.stringify(await listStaff())).not.toMatch(/argon2|passwordHash/i);
    });

    it('admin creates a prefecture_admin account, which can then manage staff', async () => {
      const email = uniqueEmail('admin2');
      const res = await createStaff({ email, name: '第二 管理者', role: 'prefecture_admin', password: STAFF_PASSWORD });
      expect(res.statusCode, res.body).toBe(201);
      const second = await t.login(email, STAFF_PASSWORD);
      expect(second.user.role).toBe('prefecture_admin');
      expect((await second.request({ method: 'GET', url: '/api/staff' })).statusCode).toBe(200);
    });

    it('stores the email lower-cased and NFKC-normalized, so the account signs in with any case', async () => {
      const local = `mixed-${randomBytes(3).toString('hex')}`;
      const res = await createStaff({
        email: `${local.toUpperCase()}@Test.Kankei.Example`,
        name: '大文字 太郎',
        role: 'center_staff',
        password: STAFF_PASSWORD,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().email).toBe(`${local}@test.kankei.example`);
      expect((await login(`${local}@test.kankei.example`, STAFF_PASSWORD)).statusCode).toBe(200);
      expect((await login(`${local.toUpperCase()}@TEST.KANKEI.EXAMPLE`, STAFF_PASSWORD)).statusCode).toBe(200);
    });

    it('municipality_staff requires a municipalityCode: missing or null → 400 naming municipalityCode', async () => {
      const before = await staffCount();
      const base = {
        email: uniqueEmail('muni'),
        name: '市町村 職員',
        role: 'municipality_staff',
        password: STAFF_PASSWORD,
      };
      expectFieldError(await createStaff(base), ['municipalityCode']);
      expectFieldError(await createStaff({ ...base, municipalityCode: null }), ['municipalityCode']);
      expectFieldError(await createStaff(base, { 'accept-language': 'en' }), ['municipalityCode'], 'en');
      expect((await createStaff(base, { 'accept-language': 'en' })).json().error.fields.municipalityCode).toMatch(
        /Municipality staff need/,
      );
      expect(await staffCount()).toBe(before);
    });

    it('municipality_staff requires a known municipalityCode: unknown 999999 or malformed → 400 naming municipalityCode; a known one → 201', async () => {
      const before = await staffCount();
      const base = {
        email: uniqueEmail('muni'),
        name: '市町村 職員',
        role: 'municipality_staff',
        password: STAFF_PASSWORD,
      };
      for (const code of ['999999', '062010', '62014', '0620140', 'abcdef', '']) {
        expectFieldError(await createStaff({ ...base, municipalityCode: code }), ['municipalityCode']);
      }
      const unknown = await createStaff({ ...base, municipalityCode: '999999' }, { 'accept-language': 'en' });
      expect(unknown.json().error.fields.municipalityCode).toContain('999999');
      expect(await staffCount()).toBe(before);

      const ok = await createStaff({ ...base, municipalityCode: '062031' });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ role: 'municipality_staff', municipalityCode: '062031', organizationId: null });
      const session = await t.login(base.email, STAFF_PASSWORD);
      expect(session.user).toMatchObject({ role: 'municipality_staff', municipalityCode: '062031' });
    });

    it('partner requires the organizationId of an existing organization: missing, null, unknown or malformed → 400 naming organizationId; existing → 201', async () => {
      const before = await staffCount();
      const base = { email: uniqueEmail('partner'), name: '連携 機関員', role: 'partner', password: STAFF_PASSWORD };
      expectFieldError(await createStaff(base), ['organizationId']);
      expectFieldError(await createStaff({ ...base, organizationId: null }), ['organizationId']);
      expectFieldError(await createStaff({ ...base, organizationId: randomUUID() }), ['organizationId']);
      expectFieldError(await createStaff({ ...base, organizationId: 'not-a-uuid' }), ['organizationId']);
      expect(await staffCount()).toBe(before);

      const ok = await createStaff({ ...base, organizationId });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ role: 'partner', organizationId, municipalityCode: null });
      const session = await t.login(base.email, STAFF_PASSWORD);
      expect(session.user).toMatchObject({ role: 'partner', organizationId });
    });

    it('a binding the role does not take is refused: center_staff or admin with municipalityCode, center_staff or municipality_staff with organizationId, partner with municipalityCode', async () => {
      const before = await staffCount();
      const account = (role: string) => ({
        email: uniqueEmail(role),
        name: 'テスト 職員',
        role,
        password: STAFF_PASSWORD,
      });
      expectFieldError(await createStaff({ ...account('center_staff'), municipalityCode: '062014' }), [
        'municipalityCode',
      ]);
      expectFieldError(await createStaff({ ...account('prefecture_admin'), municipalityCode: '062014' }), [
        'municipalityCode',
      ]);
      expectFieldError(await createStaff({ ...account('center_staff'), organizationId }), ['organizationId']);
      expectFieldError(
        await createStaff({ ...account('municipality_staff'), municipalityCode: '062014', organizationId }),
        ['organizationId'],
      );
      expectFieldError(await createStaff({ ...account('partner'), organizationId, municipalityCode: '062014' }), [
        'municipalityCode',
      ]);
      const en = await createStaff(
        { ...account('center_staff'), municipalityCode: '062014' },
        { 'accept-language': 'en' },
      );
      expect(en.json().error.fields.municipalityCode).toMatch(/not allowed for this role/);
      expect(await staffCount()).toBe(before);
    });

    it('an unknown role is refused with 400 naming role', async () => {
      const before = await staffCount();
      for (const role of ['superuser', 'PREFECTURE_ADMIN', '', 'admin']) {
        expectFieldError(
          await createStaff({ email: uniqueEmail('role'), name: '役割 不明', role, password: STAFF_PASSWORD }),
          ['role'],
        );
      }
      expect(await staffCount()).toBe(before);
    });

    it('a duplicate email is refused with 400 naming email, also when it differs only in case or is written in full-width letters', async () => {
      const local = `dup-${randomBytes(3).toString('hex')}`;
      const email = `${local}@test.kankei.example`;
      const first = await createStaff({ email, name: '重複 一号', role: 'center_staff', password: STAFF_PASSWORD });
      expect(first.statusCode, first.body).toBe(201);
      const before = await staffCount();
      const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      const variants = [
        email,
        email.toUpperCase(),
        `${local.toUpperCase()}@test.kankei.example`,
        fullWidth(email),
        `${fullWidth(local)}@test.kankei.example`,
        ADMIN_EMAIL,
        ADMIN_EMAIL.toUpperCase(),
      ];
      for (const variant of variants) {
        const res = await createStaff({
          email: variant,
          name: '重複 二号',
          role: 'center_staff',
          password: STAFF_PASSWORD,
        });
        expectFieldError(res, ['email']);
      }
      const en = await createStaff(
        { email: email.toUpperCase(), name: '重複 二号', role: 'center_staff', password: STAFF_PASSWORD },
        { 'accept-language': 'en' },
      );
      expect(en.json().error.fields.email).toMatch(/already in use/);
      expect(await staffCount()).toBe(before);
    });

    it('two simultaneous creations with the same email make one account and never answer 500', async () => {
      const email = uniqueEmail('race');
      const before = await staffCount();
      const answers = await Promise.all(
        [0, 1, 2].map((i) =>
          createStaff({
            email: i === 1 ? email.toUpperCase() : email,
            name: `同時 ${i}`,
            role: 'center_staff',
            password: STAFF_PASSWORD,
          }),
        ),
      );
      const statuses = answers.map((r) => r.statusCode).sort();
      expect(
        statuses.filter((s) => s === 201),
        JSON.stringify(answers.map((r) => r.body)),
      ).toHaveLength(1);
      for (const r of answers.filter((a) => a.statusCode !== 201)) {
        expect([400, 409], r.body).toContain(r.statusCode);
        expect(['VALIDATION', 'CONFLICT']).toContain(r.json().error.code);
      }
      expect(await staffCount()).toBe(before + 1);
    });

    it('a password shorter than 12 characters is refused with 400 naming password; 12 and 200 characters are accepted, 201 is refused', async () => {
      const before = await staffCount();
      const account = (password: string) => ({
        email: uniqueEmail('pw'),
        name: 'パスワード 試験',
        role: 'center_staff',
        password,
      });
      for (const password of ['', 'short', 'elevenchars', '１２３４５６７８９０１']) {
        expectFieldError(await createStaff(account(password)), ['password']);
      }
      const en = await createStaff(account('elevenchars'), { 'accept-language': 'en' });
      expect(en.json().error.fields.password).toMatch(/at least 12/);
      expectFieldError(await createStaff(account('p'.repeat(201))), ['password']);
      expect(await staffCount()).toBe(before);

      // 200 characters that are not a repetition (a repetition is refused as a weak password).
      const long = Array.from({ length: 200 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[(i * 7) % 26]).join('');
      for (const password of ['twelve-chars', long]) {
        const body = account(password);
        const res = await createStaff(body);
        expect(res.statusCode, res.body).toBe(201);
        expect((await login(body.email, password)).statusCode).toBe(200);
      }
    });
  });

  describe('only the prefecture admin manages accounts', () => {
    let target: StaffView;
    let tokenId: string;
    let someone: { id: string };

    beforeAll(async () => {
      target = (
        await createStaff({
          email: uniqueEmail('target'),
          name: '変更されない 職員',
          role: 'center_staff',
          password: STAFF_PASSWORD,
        })
      ).json();
      tokenId = (
        await t.admin.request({ method: 'POST', url: '/api/auth/tokens', payload: { name: '管理者のトークン' } })
      ).json().id;
      someone = (await t.admin.request({ method: 'POST', url: '/api/people', payload: personPayload() })).json();
    });

    const adminOnly = () => [
      { method: 'GET' as const, url: '/api/staff' },
      {
        method: 'POST' as const,
        url: '/api/staff',
        payload: {
          email: uniqueEmail('sneaky'),
          name: '不正 作成',
          role: 'prefecture_admin',
          password: STAFF_PASSWORD,
        },
      },
      { method: 'PATCH' as const, url: `/api/staff/${target.id}`, payload: { name: '乗っ取り' } },
      { method: 'PATCH' as const, url: `/api/staff/${target.id}`, payload: { disabled: true } },
      { method: 'POST' as const, url: '/api/organizations', payload: { name: '不正な機関', kind: 'company' } },
      { method: 'GET' as const, url: '/api/audit' },
      { method: 'GET' as const, url: '/api/audit?action=staff.create' },
      { method: 'POST' as const, url: '/api/auth/tokens', payload: { name: '不正なトークン' } },
      { method: 'GET' as const, url: '/api/auth/tokens' },
      { method: 'DELETE' as const, url: `/api/auth/tokens/${tokenId}` },
      // A personal-data route: "not allowed" would confirm the person exists, so it answers NOT_FOUND.
      { method: 'POST' as const, url: `/api/people/${someone.id}/purge`, refusal: 'NOT_FOUND' as const },
    ];
    const refusalOf = (request: { refusal?: 'NOT_FOUND' }) => request.refusal ?? 'FORBIDDEN';

    const tableCounts = async () =>
      (
        (await t.database.db.execute(sql`
        select (select count(*) from staff)::int as staff,
               (select count(*) from organizations)::int as organizations,
               (select count(*) from api_tokens)::int as api_tokens,
               (select count(*) from api_tokens where revoked_at is not null)::int as revoked,
               (select count(*) from people)::int as people`)) as unknown as { rows: Array<Record<string, number>> }
      ).rows[0];

    it.each(['center_staff', 'municipality_staff', 'partner'] as const)(
      '%s gets 403 FORBIDDEN on staff, organization, audit and token administration (404 on purge), and nothing changes',
      async (role) => {
        const session = await t.staffSession(role, role === 'municipality_staff' ? '062014' : undefined);
        const before = await tableCounts();
        for (const { refusal, ...request } of adminOnly()) {
          const res = await session.request(request);
          const code = refusalOf({ refusal });
          expect(res.statusCode, `${request.method} ${request.url}: ${res.body}`).toBe(ERROR_STATUS[code]);
          expect(res.json().error.code, `${request.method} ${request.url}`).toBe(code);
          if (code === 'FORBIDDEN') expect(res.json().error.message).toBe('この操作を行う権限がありません。');
        }
        const en = await session.request({ method: 'GET', url: '/api/staff', headers: { 'accept-language': 'en' } });
        expect(en.json().error.message).toBe('You are not allowed to do this.');
        expect(await tableCounts()).toEqual(before);
        expect((await listStaff()).find((s) => s.id === target.id)).toEqual(target);
      },
    );

    it('a non-admin API token gets 403 FORBIDDEN (404 on purge) on the admin endpoints too', async () => {
      const member = (
        await createStaff({
          email: uniqueEmail('bearer'),
          name: 'トークン 職員',
          role: 'center_staff',
          password: STAFF_PASSWORD,
        })
      ).json() as StaffView;
      const token = (
        await t.admin.request({
          method: 'POST',
          url: '/api/auth/tokens',
          payload: { name: '職員のトークン', staffId: member.id },
        })
      ).json().token as string;
      const before = await tableCounts();
      for (const { refusal, ...request } of adminOnly()) {
        const res = await t.app.inject({ ...request, headers: { authorization: `Bearer ${token}` } });
        const code = refusalOf({ refusal });
        expect(res.statusCode, `${request.method} ${request.url}: ${res.body}`).toBe(ERROR_STATUS[code]);
        expect(res.json().error.code).toBe(code);
      }
      expect(await tableCounts()).toEqual(before);
      // The token itself works for what the role may do.
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/people', headers: { authorization: `Bearer ${token}` } }))
          .statusCode,
      ).toBe(200);
    });

    it('without a session the admin endpoints answer 401 UNAUTHENTICATED', async () => {
      for (const { refusal: _refusal, ...request } of adminOnly()) {
        const res = await t.app.inject(request);
        expect(res.statusCode, `${request.method} ${request.url}`).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('disabling accounts', () => {
    async function newMember(role: 'center_staff' | 'municipality_staff' = 'center_staff') {
      const email = uniqueEmail('member');
      const res = await createStaff({
        email,
        name: '新人 職員',
        role,
        password: STAFF_PASSWORD,
        ...(role === 'municipality_staff' ? { municipalityCode: '062014' } : {}),
      });
      expect(res.statusCode, res.body).toBe(201);
      return { ...(res.json() as StaffView), email };
    }
    const setDisabled = (id: string, disabled: boolean) =>
      t.admin.request({ method: 'PATCH', url: `/api/staff/${id}`, payload: { disabled } });

    it('a new staff member can sign in; disabling ends their session (401) and sign-in (401 INVALID_CREDENTIALS); re-enabling lets them sign in again', async () => {
      const member = await newMember('municipality_staff');
      const session = await t.login(member.email, STAFF_PASSWORD);
      expect(session.user).toMatchObject({ id: member.id, role: 'municipality_staff', municipalityCode: '062014' });
      expect((await session.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
      expect((await session.request({ method: 'GET', url: '/api/people' })).statusCode).toBe(200);

      const disabled = await setDisabled(member.id, true);
      expect(disabled.statusCode, disabled.body).toBe(200);
      expect(disabled.json()).toMatchObject({ id: member.id, disabled: true });
      expect((await listStaff()).find((s) => s.id === member.id)?.disabled).toBe(true);

      // The existing session is over at the very next request, reads and writes alike.
      expectError(await session.request({ method: 'GET', url: '/api/auth/session' }), 'UNAUTHENTICATED');
      expectError(await session.request({ method: 'GET', url: '/api/people' }), 'UNAUTHENTICATED');
      const peopleBefore = (
        (await t.database.db.execute(sql`select count(*)::int as n from people`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]!.n;
      expectError(
        await session.request({ method: 'POST', url: '/api/people', payload: personPayload() }),
        'UNAUTHENTICATED',
      );
      const peopleAfter = (
        (await t.database.db.execute(sql`select count(*)::int as n from people`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]!.n;
      expect(peopleAfter).toBe(peopleBefore);

      // Sign-in fails exactly like a wrong password, so the answer does not reveal the account state.
      const refused = await login(member.email, STAFF_PASSWORD);
      expectError(refused, 'INVALID_CREDENTIALS');
      const wrongPassword = await login(member.email, 'not-the-password-1');
      expect(refused.json()).toEqual(wrongPassword.json());

      const enabled = await setDisabled(member.id, false);
      expect(enabled.json()).toMatchObject({ id: member.id, disabled: false });
      const again = await t.login(member.email, STAFF_PASSWORD);
      expect((await again.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
    });

    it('sessions from before the disabling stay ended after re-enabling', async () => {
      const member = await newMember();
      const session = await t.login(member.email, STAFF_PASSWORD);
      expect((await session.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
      await setDisabled(member.id, true);
      expectError(await session.request({ method: 'GET', url: '/api/auth/session' }), 'UNAUTHENTICATED');
      await setDisabled(member.id, false);
      // Disabling must end the session, not merely suspend it until someone re-enables the account.
      expectError(await session.request({ method: 'GET', url: '/api/auth/session' }), 'UNAUTHENTICATED');
    });

    it("a disabled staff member's API token stops working", async () => {
      const member = await newMember();
      const token = (
        await t.admin.request({
          method: 'POST',
          url: '/api/auth/tokens',
          payload: { name: '無効化テスト', staffId: member.id },
        })
      ).json().token as string;
      const withToken = () =>
        t.app.inject({ method: 'GET', url: '/api/people', headers: { authorization: `Bearer ${token}` } });
      expect((await withToken()).statusCode).toBe(200);
      await setDisabled(member.id, true);
      expectError(await withToken(), 'UNAUTHENTICATED');
    });

    it('re-enabling an account also unlocks it after too many failed sign-ins', async () => {
      const member = await newMember();
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 6; i++) last = await login(member.email, 'wrong-password-123');
      expectError(last!, 'RATE_LIMITED');
      expectError(await login(member.email, STAFF_PASSWORD), 'RATE_LIMITED');
      expect((await listStaff()).find((s) => s.id === member.id)?.lockedUntil).not.toBeNull();
      const enabled = await setDisabled(member.id, false);
      expect(enabled.json()).toMatchObject({ disabled: false, lockedUntil: null });
      expect((await login(member.email, STAFF_PASSWORD)).statusCode).toBe(200);
    });

    it('an admin cannot disable themselves (400 naming disabled) and stays signed in and enabled', async () => {
      const res = await setDisabled(t.admin.user.id, true);
      expectFieldError(res, ['disabled']);
      const en = await t.admin.request({
        method: 'PATCH',
        url: `/api/staff/${t.admin.user.id}`,
        payload: { disabled: true },
        headers: { 'accept-language': 'en' },
      });
      expectFieldError(en, ['disabled'], 'en');
      expect((await listStaff()).find((s) => s.id === t.admin.user.id)?.disabled).toBe(false);
      expect((await t.admin.request({ method: 'GET', url: '/api/auth/session' })).statusCode).toBe(200);
      expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(200);
    });

    it('another admin can disable an admin; renaming works; an unknown id answers 404 and a malformed id 400', async () => {
      const other = (
        await createStaff({
          email: uniqueEmail('admin3'),
          name: '別の 管理者',
          role: 'prefecture_admin',
          password: STAFF_PASSWORD,
        })
      ).json() as StaffView;
      const renamed = await t.admin.request({
        method: 'PATCH',
        url: `/api/staff/${other.id}`,
        payload: { name: '改名した 管理者' },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ id: other.id, name: '改名した 管理者', disabled: false });
      expect((await setDisabled(other.id, true)).json()).toMatchObject({ disabled: true });

      expectError(
        await t.admin.request({ method: 'PATCH', url: `/api/staff/${randomUUID()}`, payload: { name: '誰でもない' } }),
        'NOT_FOUND',
      );
      expectFieldError(
        await t.admin.request({ method: 'PATCH', url: '/api/staff/not-a-uuid', payload: { name: '誰でもない' } }),
        ['id'],
      );
    });
  });

  describe('audit', () => {
    it('staff.create appears in GET /api/audit with the admin as actor, the new account as entity, and no password', async () => {
      const email = uniqueEmail('audited');
      const created = (
        await createStaff({
          email,
          name: '監査 対象',
          role: 'municipality_staff',
          municipalityCode: '062031',
          password: STAFF_PASSWORD,
        })
      ).json() as StaffView;
      const res = await t.admin.request({ method: 'GET', url: '/api/audit?action=staff.create&limit=100' });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as {
        items: Array<Record<string, unknown> & { actor: { id: string; email: string } | null }>;
        total: number;
      };
      expect(page.items.every((e) => e.action === 'staff.create')).toBe(true);
      const event = page.items.find((e) => e.entityId === created.id);
      expect(event).toBeDefined();
      expect(event).toMatchObject({
        action: 'staff.create',
        entityType: 'staff',
        entityId: created.id,
        via: 'session',
        municipalityCode: '062031',
        details: { role: 'municipality_staff' },
      });
      expect(event!.actor).toMatchObject({ id: t.admin.user.id, email: ADMIN_EMAIL });
      expect(JSON.stringify(event)).not.toContain(STAFF_PASSWORD);

      const byActor = (
        await t.admin.request({
          method: 'GET',
          url: `/api/audit?actorId=${t.admin.user.id}&action=staff.create&limit=100`,
        })
      ).json() as {
        items: Array<{ entityId: string }>;
      };
      expect(byActor.items.map((e) => e.entityId)).toContain(created.id);
    });

    it('disabling and re-enabling are audited as staff.update with the admin as actor', async () => {
      const member = (
        await createStaff({
          email: uniqueEmail('audit-upd'),
          name: '更新 監査',
          role: 'center_staff',
          password: STAFF_PASSWORD,
        })
      ).json() as StaffView;
      await t.admin.request({ method: 'PATCH', url: `/api/staff/${member.id}`, payload: { disabled: true } });
      await t.admin.request({ method: 'PATCH', url: `/api/staff/${member.id}`, payload: { disabled: false } });
      const page = (
        await t.admin.request({ method: 'GET', url: '/api/audit?action=staff.update&limit=100' })
      ).json() as {
        items: Array<{ entityId: string; actor: { id: string } | null; details: { fields?: string[] } }>;
      };
      const events = page.items.filter((e) => e.entityId === member.id);
      expect(events).toHaveLength(2);
      for (const e of events) {
        expect(e.actor?.id).toBe(t.admin.user.id);
        expect(e.details.fields).toEqual(['disabled']);
      }
    });
  });

  describe('consultant choice for the consultation forms', () => {
    type ConsultantView = { id: string; name: string; role: string; municipalityCode: string | null };
    const consultants = async (session: { request: TestApp['admin']['request'] }) => {
      const res = await session.request({ method: 'GET', url: '/api/staff/consultants' });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: ConsultantView[] }).items;
    };

    it('lists active admin and center accounts, and only the caller’s own municipality staff, without e-mail addresses', async () => {
      const make = async (name: string, role: string, municipalityCode?: string) => {
        const res = await createStaff({
          email: uniqueEmail('consultant'),
          name,
          role,
          password: STAFF_PASSWORD,
          ...(municipalityCode ? { municipalityCode } : {}),
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json() as StaffView;
      };
      const center = await make('相談 センター員', 'center_staff');
      const gone = await make('退職 センター員', 'center_staff');
      expect(
        (await t.admin.request({ method: 'PATCH', url: `/api/staff/${gone.id}`, payload: { disabled: true } }))
          .statusCode,
      ).toBe(200);
      const yamagata = await make('山形市 相談員', 'municipality_staff', '062014');
      const tsuruoka = await make('鶴岡市 相談員', 'municipality_staff', '062031');
      const partnerAccount = (
        await createStaff({
          email: uniqueEmail('consultant'),
          name: '連携 相談員',
          role: 'partner',
          organizationId,
          password: STAFF_PASSWORD,
        })
      ).json() as StaffView;

      const centerSession = await t.staffSession('center_staff');
      const seenByCenter = await consultants(centerSession);
      const ids = (list: ConsultantView[]) => list.map((c) => c.id);
      expect(ids(seenByCenter)).toEqual(expect.arrayContaining([center.id, t.admin.user.id, centerSession.user.id]));
      for (const hidden of [gone.id, yamagata.id, tsuruoka.id, partnerAccount.id])
        expect(ids(seenByCenter)).not.toContain(hidden);
      expect(new Set(seenByCenter.map((c) => c.role))).toEqual(new Set(['prefecture_admin', 'center_staff']));
      expect(seenByCenter.find((c) => c.id === center.id)).toEqual({
        id: center.id,
        name: '相談 センター員',
        role: 'center_staff',
        municipalityCode: null,
      });
      for (const c of seenByCenter) expect(Object.keys(c).sort()).toEqual(['id', 'municipalityCode', 'name', 'role']);

      const yamagataSession = await t.staffSession('municipality_staff', '062014');
      const seenByYamagata = ids(await consultants(yamagataSession));
      expect(seenByYamagata).toEqual(expect.arrayContaining([center.id, yamagata.id, yamagataSession.user.id]));
      for (const hidden of [gone.id, tsuruoka.id, partnerAccount.id]) expect(seenByYamagata).not.toContain(hidden);

      const seenByAdmin = ids(await consultants(t.admin));
      expect(seenByAdmin).toEqual(expect.arrayContaining([center.id, yamagata.id, tsuruoka.id]));
      expect(seenByAdmin).not.toContain(gone.id);
      expect(seenByAdmin).not.toContain(partnerAccount.id);

      for (const list of [seenByCenter, await consultants(yamagataSession), await consultants(t.admin)]) {
        const text = JSON.stringify(list);
        expect(text).not.toContain('@');
        expect(text).not.toMatch(/argon2|passwordHash|email/i);
      }
    });

    it('refuses partners with 403 and anonymous callers with 401', async () => {
      const partner = await t.staffSession('partner');
      const refused = await partner.request({ method: 'GET', url: '/api/staff/consultants' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('FORBIDDEN');
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/staff/consultants' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    });
  });
});
