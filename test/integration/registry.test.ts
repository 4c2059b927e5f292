/**
 * The public registry end to end over HTTP, with mail delivered to a real SMTP server started
 * here: sign-up → confirmation mail → confirm → self-service (consents, export, sign-in link,
 * deletion). On PostgreSQL the mail goes through pg-boss, on PGlite through the in-process queue.
 */
import type { ParsedMail } from 'mailparser';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const cookieOf = (res: { cookies: Array<{ name: string; value: string }> }) => {
  const c = res.cookies.find((x) => x.name === 'kankei_supporter');
  return c ? `kankei_supporter=${c.value}` : '';
};
const tokenIn = (mail: ParsedMail, path: string) => {
  const m = (mail.text ?? '').match(new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`));
  if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
  return m[1]!;
};

describe.each(TEST_DRIVERS)('public registry on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, { smtpUrl: smtp.url, publicUrl: 'https://kankei.example.jp' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const formToken = async () =>
    ((await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string })
      .formToken;
  const signUp = async (overrides: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      payload: {
        email: 'hanako.supporter@example.jp',
        name: '応援 花子',
        kana: 'おうえん はなこ',
        prefecture: '東京',
        city: '杉並区',
        municipalityCodes: ['062014', '062031'],
        roots: ['parents_birthplace', 'furusato_donor'],
        interests: ['農業', '祭り'],
        skills: ['デザイン'],
        involvement: ['events', 'side_job'],
        consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: false },
        formToken: await formToken(),
        ...overrides,
      },
    });
  const confirm = (token: string) =>
    t.app.inject({ method: 'POST', url: '/api/public/registrations/confirm', payload: { token } });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });

  let personId = '';
  let session = '';

  it('signs up, mails a confirmation link over SMTP, and confirms into a supporter with consents', async () => {
    const res = await signUp();
    expect(res.statusCode).toBe(202);
    const mail = await smtp.waitFor(
      (m) => JSON.stringify(m.to ?? '').includes('hanako.supporter@example.jp') && /確認/.test(m.subject ?? ''),
    );
    expect(mail.subject).toBe('【山形県移住センター】ふるさとサポーター登録の確認');
    expect(mail.text).toContain('山形市・鶴岡市');
    expect(mail.text).toContain('https://kankei.example.jp/register/confirm?token=');

    const confirmed = await confirm(tokenIn(mail, '/register/confirm'));
    expect(confirmed.statusCode).toBe(200);
    session = cookieOf(confirmed);
    expect(session).not.toBe('');

    const data = (await me(session)).json();
    personId = data.person.id;
    expect(data.person).toMatchObject({
      name: '応援 花子',
      kana: 'オウエン ハナコ',
      prefecture: '東京都',
      email: 'hanako.supporter@example.jp',
    });
    expect(data.links).toEqual(
      expect.arrayContaining([
        { municipalityCode: '062014', kind: 'supporter' },
        { municipalityCode: '062031', kind: 'supporter' },
      ]),
    );
    expect(data.profile).toMatchObject({
      roots: ['parents_birthplace', 'furusato_donor'],
      interests: ['農業', '祭り'],
      involvement: ['events', 'side_job'],
      // Not asked on this sign-up: no hours, one project at a time.
      hoursPerMonth: null,
      projectCapacity: 1,
      // Signed up in Japanese: mails (scouts) in Japanese.
      mailLocale: 'ja',
    });
    const consent = (purpose: string, code: string | null = null) =>
      data.consents.find(
        (c: { purpose: string; municipalityCode: string | null }) =>
          c.purpose === purpose && c.municipalityCode === code,
      )?.granted;
    expect(consent('newsletter')).toBe(true);
    expect(consent('anonymous_statistics')).toBe(false);
    expect(consent('share_with_municipalities', '062014')).toBe(true);
    expect(consent('share_with_municipalities', '062031')).toBe(true);
  });

  it('issues the digital supporter card on confirmation, verifiable by anyone', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me/card', headers: { cookie: session } });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view.qrSvg).toContain('<svg');
    expect(view.verifyUrl).toBe(`https://kankei.example.jp/verify#${view.token}`);
    const verified = (
      await t.app.inject({ method: 'POST', url: '/api/cards/verify', payload: { token: view.token } })
    ).json();
    expect(verified.valid).toBe(true);
    expect(verified.card.name).toBe('応援 花子');
    expect(verified.card.municipalities.map((m: { code: string }) => m.code).sort()).toEqual(['062014', '062031']);
  });

  it('does not accept a confirmation link twice or a made-up one', async () => {
    const mail = smtp.messages.find((m) => /確認/.test(m.subject ?? ''))!;
    const again = await confirm(tokenIn(mail, '/register/confirm'));
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('NOT_FOUND');
    expect((await confirm('made-up-token-0123456789')).statusCode).toBe(404);
  });

  it('lets staff see the supporter, their profile and consents; municipality scope applies', async () => {
    const profile = await t.admin.request({ method: 'GET', url: `/api/people/${personId}/supporter-profile` });
    expect(profile.statusCode).toBe(200);
    expect(profile.json().profile.skills).toEqual(['デザイン']);
    const sagae = await t.staffSession('municipality_staff', '062065');
    expect((await sagae.request({ method: 'GET', url: `/api/people/${personId}/supporter-profile` })).statusCode).toBe(
      404,
    );
    const yamagata = await t.staffSession('municipality_staff', '062014');
    expect((await yamagata.request({ method: 'GET', url: `/api/people/${personId}` })).statusCode).toBe(200);
  });

  it('joins a second sign-up with the same email to the same person without overwriting them', async () => {
    const res = await signUp({
      name: '別名 花子',
      municipalityCodes: ['062057'],
      email: 'HANAKO.supporter@example.jp',
    });
    expect(res.statusCode).toBe(202);
    const mails = smtp.messages.length;
    const mail = await smtp.waitFor((m) => (m.text ?? '').includes('新庄市'));
    expect(smtp.messages.length).toBeGreaterThanOrEqual(mails);
    const confirmed = await confirm(tokenIn(mail, '/register/confirm'));
    const data = (await me(cookieOf(confirmed))).json();
    expect(data.person.id).toBe(personId);
    expect(data.person.name).toBe('応援 花子');
    expect(data.links.map((l: { municipalityCode: string }) => l.municipalityCode).sort()).toEqual([
      '062014',
      '062031',
      '062057',
    ]);
  });

  it('changes consents only with the CSRF token, keeping the dated history', async () => {
    const without = await t.app.inject({
      method: 'PATCH',
      url: '/api/me/consents',
      headers: { cookie: session },
      payload: { newsletter: false },
    });
    expect(without.statusCode).toBe(403);
    const { csrfToken } = (await me(session)).json();
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me/consents',
      headers: { cookie: session, 'x-csrf-token': csrfToken },
      payload: { newsletter: false },
    });
    expect(res.statusCode).toBe(200);
    const data = res.json();
    expect(data.consents.find((c: { purpose: string }) => c.purpose === 'newsletter').granted).toBe(false);
    expect(
      data.consentHistory
        .filter((c: { purpose: string }) => c.purpose === 'newsletter')
        .map((c: { granted: boolean }) => c.granted),
    ).toEqual([false, true, true]);
  });

  it('keeps project scouting off until the supporter turns it on, and records the change', async () => {
    const { csrfToken, consents } = (await me(session)).json();
    // The sign-up did not give it: no decision, so no scouting (docs/matching.md).
    expect(consents.some((c: { purpose: string }) => c.purpose === 'scouting')).toBe(false);
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me/consents',
      headers: { cookie: session, 'x-csrf-token': csrfToken },
      payload: { scouting: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().consents.find((c: { purpose: string }) => c.purpose === 'scouting')).toMatchObject({
      granted: true,
      municipalityCode: null,
    });
  });

  it('lets the supporter correct their own record, audited by field names, and staff find the new name', async () => {
    const before = (await me(session)).json();
    const { csrfToken } = before;
    const patch = (payload: Record<string, unknown>, headers: Record<string, string> = { 'x-csrf-token': csrfToken }) =>
      t.app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: session, ...headers }, payload });
    expect((await patch({ city: 'x' }, {})).statusCode).toBe(403);
    const bad = await patch({ kana: 'abc', hoursPerMonth: -1 });
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['hoursPerMonth', 'kana']);
    const res = await patch({
      name: '応援 花代',
      kana: 'おうえん はなよ',
      city: '仙台市',
      prefecture: '宮城県',
      skills: ['デザイン', '写真'],
      hoursPerMonth: 8,
      mailLocale: 'en',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().person).toMatchObject({
      name: '応援 花代',
      kana: 'オウエン ハナヨ',
      city: '仙台市',
      prefecture: '宮城県',
    });
    expect(res.json().profile).toMatchObject({ skills: ['デザイン', '写真'], hoursPerMonth: 8, mailLocale: 'en' });
    // Nothing sent twice is a change; an absent field stays.
    const again = await patch({ city: '仙台市' });
    expect(again.json().person.email).toBe('hanako.supporter@example.jp');
    const audit = (await t.admin.request({ method: 'GET', url: `/api/audit?action=me.update` })).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0].details.fields.sort()).toEqual(
      ['city', 'hoursPerMonth', 'kana', 'mailLocale', 'name', 'prefecture', 'skills'].sort(),
    );
    expect(JSON.stringify(audit.items[0].details)).not.toContain('仙台市');
    // The search text follows: staff find the supporter by the new reading.
    const found = (await t.admin.request({ method: 'GET', url: '/api/people?q=はなよ' })).json();
    expect(found.items.map((p: { id: string }) => p.id)).toContain(personId);
    // Back as it was (null clears the city if there was none) for the tests that follow.
    const restored = await patch({
      name: before.person.name,
      kana: before.person.kana,
      city: before.person.city,
      prefecture: before.person.prefecture,
      skills: before.profile.skills,
      hoursPerMonth: before.profile.hoursPerMonth,
      mailLocale: before.profile.mailLocale,
    });
    expect(restored.json().person).toEqual(before.person);
    expect(restored.json().profile).toEqual(before.profile);
  });

  it('downloads everything held as JSON and as CSV for Excel', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/api/me/export?format=json', headers: { cookie: session } });
    const japanToday = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
    expect(json.headers['content-disposition']).toContain(`kankei-my-data-${japanToday}.json`);
    expect(json.json().person.name).toBe('応援 花子');
    expect(json.json().csrfToken).toBeUndefined();
    const csv = await t.app.inject({ method: 'GET', url: '/api/me/export?format=csv', headers: { cookie: session } });
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // In Japanese, as the supporter reads it in Excel: headings, words for purposes, Japan time.
    expect(csv.body).toContain('区分,項目,内容');
    expect(csv.body).toContain('本人,氏名,応援 花子');
    expect(csv.body).toMatch(/同意,メールマガジン,同意(する|しない)（\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}）/);
    expect(csv.body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    // Roots and ways of involvement chosen from lists read as the form words them, not as codes.
    expect(csv.body).toContain('プロフィール,ゆかり,親の出身地、ふるさと納税で寄附した');
    expect(csv.body).toContain('プロフィール,関わり方,イベントに参加、副業・兼業で関わる');
    expect(csv.body).not.toMatch(/parents_birthplace|furusato_donor|side_job/);
  });

  it('mails a one-time sign-in link to registered supporters and stays silent for others', async () => {
    const before = smtp.messages.length;
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/public/sign-in',
      payload: { email: 'stranger@example.jp' },
    });
    const known = await t.app.inject({
      method: 'POST',
      url: '/api/public/sign-in',
      payload: { email: 'hanako.supporter@example.jp' },
    });
    expect(unknown.statusCode).toBe(202);
    expect(known.json()).toEqual(unknown.json());
    const mail = await smtp.waitFor((m) => (m.text ?? '').includes('/me/sign-in?token='));
    const token = tokenIn(mail, '/me/sign-in');
    const opened = await t.app.inject({ method: 'POST', url: '/api/public/session', payload: { token } });
    expect(opened.statusCode).toBe(204);
    expect((await me(cookieOf(opened))).json().person.id).toBe(personId);
    expect((await t.app.inject({ method: 'POST', url: '/api/public/session', payload: { token } })).statusCode).toBe(
      404,
    );
    expect(smtp.messages.filter((m) => JSON.stringify(m.to).includes('stranger@example.jp'))).toHaveLength(0);
    expect(smtp.messages.length).toBeGreaterThan(before);
  });

  it('mails at most one sign-in link per 10 minutes while it is unused, however often and from wherever it is asked for', async () => {
    const address = 'hanako.supporter@example.jp';
    const signInMails = () =>
      smtp.messages.filter(
        (m) => JSON.stringify(m.to ?? '').includes(address) && (m.text ?? '').includes('/me/sign-in?token='),
      );
    const before = signInMails().length;
    const asks = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/public/sign-in',
          remoteAddress: `198.51.100.${i + 1}`,
          payload: { email: address },
        }),
      ),
    );
    for (const ask of asks) expect(ask.statusCode).toBe(202);
    await t.app.jobs.drain();
    await expect.poll(() => signInMails().length, { timeout: 15_000 }).toBe(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(signInMails()).toHaveLength(before + 1);
    // Ten minutes later the unused link no longer holds a new one back.
    await t.database.db.execute(
      sql`update supporter_logins set created_at = now() - interval '11 minutes' where person_id = ${personId} and kind = 'link'`,
    );
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/public/sign-in', payload: { email: address } })).statusCode,
    ).toBe(202);
    await expect.poll(() => signInMails().length, { timeout: 15_000 }).toBe(before + 2);
  });

  it('drops honeypot submissions silently and refuses forms sent faster than a person can', async () => {
    const count = async () =>
      (
        (await t.database.db.execute(sql`select count(*)::int as n from registrations`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]!.n;
    const before = await count();
    const bot = await signUp({ email: 'bot@example.jp', website: 'http://spam.example' });
    expect(bot.statusCode).toBe(202);
    expect(await count()).toBe(before);
    const quick = await createTestApp(driver, { minFormFillMs: 60_000 });
    try {
      const token = (
        (await quick.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as {
          formToken: string;
        }
      ).formToken;
      const res = await quick.app.inject({
        method: 'POST',
        url: '/api/public/registrations',
        payload: {
          email: 'fast@example.jp',
          name: '速い 人',
          municipalityCodes: ['062014'],
          consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
          formToken: token,
        },
        headers: { 'accept-language': 'en' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('too quickly');
    } finally {
      await quick.close();
    }
  });

  it('refuses a sign-up whose body is not UTF-8 with 400 INVALID_ENCODING instead of keeping replacement characters', async () => {
    const count = async () =>
      (
        (await t.database.db.execute(sql`select count(*)::int as n from registrations`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]!.n;
    const before = await count();
    const body = JSON.stringify({
      email: 'broken.bytes@example.jp',
      name: 'NAME',
      municipalityCodes: ['062014'],
      consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
      formToken: await formToken(),
    });
    const [head, tail] = body.split('NAME') as [string, string];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      payload: Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xe5, 0xb1]), Buffer.from(tail)]),
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_ENCODING', message: expect.stringContaining('UTF-8') });
    expect(await count()).toBe(before);
    // The same body in UTF-8 is accepted.
    const fine = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      payload: Buffer.from(body.replace('NAME', '山形 花子')),
      headers: { 'content-type': 'application/json' },
    });
    expect(fine.statusCode).toBe(202);
  });

  describe('one pending sign-up per address, one confirmation mail per 10 minutes, one sign-up per form token', () => {
    const target = 'bomb.target@example.jp';
    const scalar = async (query: ReturnType<typeof sql>) =>
      ((await t.database.db.execute(query)) as unknown as { rows: Array<{ n: number }> }).rows[0]!.n;
    const mailsQueuedTo = (address: string) =>
      scalar(sql`select count(*)::int as n from outbound_mail where to_address = ${address}`);
    const mailsArrivedTo = (address: string) =>
      smtp.messages.filter((m) => JSON.stringify(m.to ?? '').includes(address));
    const fromAddress = (i: number, overrides: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/public/registrations',
        remoteAddress: `203.0.113.${i + 1}`,
        payload: {
          email: target,
          name: `攻撃 ${i}号 当選しました 090-0000-000${i} へ電話`,
          municipalityCodes: ['062014'],
          consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
          ...overrides,
        },
      });

    it('mails one confirmation for eight sign-ups of one address from eight addresses, without the names sent; the latest form is what the link confirms', async () => {
      const names: string[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await fromAddress(i, {
          municipalityCodes: i === 7 ? ['062057', '062031'] : ['062014'],
          formToken: await formToken(),
        });
        expect(res.statusCode, res.body).toBe(202);
        names.push(`攻撃 ${i}号 当選しました 090-0000-000${i} へ電話`);
      }
      expect(
        await scalar(
          sql`select count(*)::int as n from registrations where email_key = ${target} and status = 'pending'`,
        ),
      ).toBe(1);
      expect(await mailsQueuedTo(target)).toBe(1);
      const mail = await smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes(target));
      await t.app.jobs.drain();
      await new Promise((r) => setTimeout(r, 300));
      expect(mailsArrivedTo(target)).toHaveLength(1);
      // Nothing typed into the form reaches the mail: no greeting by the submitted name.
      for (const name of names) expect(mail.text).not.toContain(name.split(' ')[1]!);
      expect(mail.text).not.toContain('当選');
      expect(mail.text).not.toContain('090-0000');
      expect(mail.text).toContain('山形市');
      const audit = await scalar(
        sql`select count(*)::int as n from audit_events where action = 'registration.create' and details->>'mailed' = 'false'`,
      );
      expect(audit).toBeGreaterThanOrEqual(7);
    });

    it('after 10 minutes a repeat mails a new link, which replaces the old one and confirms the latest form', async () => {
      const first = smtp.messages.find((m) => JSON.stringify(m.to ?? '').includes(target))!;
      // Ten minutes pass (on the database's clock, which decides).
      await t.database.db.execute(
        sql`update registrations set mailed_at = mailed_at - interval '10 minutes 1 second' where email_key = ${target}`,
      );
      const res = await fromAddress(8, {
        name: '本人 花子',
        municipalityCodes: ['062057', '062031'],
        consents: { newsletter: true, shareWithMunicipalities: false, anonymousStatistics: false },
        formToken: await formToken(),
      });
      expect(res.statusCode).toBe(202);
      expect(await mailsQueuedTo(target)).toBe(2);
      const second = await smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes(target) && m !== first);
      expect(second.text).toContain('新庄市・鶴岡市');
      // And again within the 10 minutes: no third mail.
      expect(
        (
          await fromAddress(9, {
            name: '本人 花子',
            municipalityCodes: ['062057', '062031'],
            formToken: await formToken(),
          })
        ).statusCode,
      ).toBe(202);
      expect(await mailsQueuedTo(target)).toBe(2);

      expect((await confirm(tokenIn(first, '/register/confirm'))).statusCode).toBe(404);
      const confirmed = await confirm(tokenIn(second, '/register/confirm'));
      expect(confirmed.statusCode).toBe(200);
      const data = (await me(cookieOf(confirmed))).json();
      expect(data.person.name).toBe('本人 花子');
      expect(data.links.map((l: { municipalityCode: string }) => l.municipalityCode).sort()).toEqual([
        '062031',
        '062057',
      ]);
      expect(
        await scalar(
          sql`select count(*)::int as n from registrations where email_key = ${target} and status = 'pending'`,
        ),
      ).toBe(0);
    });

    it('a form token serves one accepted sign-up: a reuse is refused with 409 asking to reload the form; a refused sign-up keeps the token usable', async () => {
      const token = await formToken();
      const body = (email: string, codes = ['062014']) => ({
        email,
        name: '一回 限り',
        municipalityCodes: codes,
        consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
        formToken: token,
      });
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/public/registrations',
        payload: body('once@example.jp', ['999999']),
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('VALIDATION');
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/public/registrations', payload: body('once@example.jp') }))
          .statusCode,
      ).toBe(202);
      for (const [lang, words] of [
        ['ja', '再読み込み'],
        ['en', 'reload the page'],
      ] as const) {
        const reused = await t.app.inject({
          method: 'POST',
          url: '/api/public/registrations',
          payload: body(`twice.${lang}@example.jp`),
          headers: { 'accept-language': lang },
        });
        expect(reused.statusCode).toBe(409);
        expect(reused.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(words) });
      }
      expect(await scalar(sql`select count(*)::int as n from registrations where email_key like 'twice.%'`)).toBe(0);
      expect(await mailsQueuedTo('twice.ja@example.jp')).toBe(0);
    });

    it('two simultaneous sign-ups with one form token: one is accepted, the other refused, and only one mail goes out', async () => {
      const token = await formToken();
      const answers = await Promise.all(
        ['race.a@example.jp', 'race.b@example.jp'].map((email, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/public/registrations',
            remoteAddress: `198.51.100.${i + 1}`,
            payload: {
              email,
              name: '同時 送信',
              municipalityCodes: ['062014'],
              consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
              formToken: token,
            },
          }),
        ),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([202, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().error.code).toBe('CONFLICT');
      expect(await scalar(sql`select count(*)::int as n from registrations where email_key like 'race.%'`)).toBe(1);
      expect((await mailsQueuedTo('race.a@example.jp')) + (await mailsQueuedTo('race.b@example.jp'))).toBe(1);
    });
  });

  it('rate-limits public sign-ups per address', async () => {
    const limited = await createTestApp(driver, { publicRateLimit: 2 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        const token = (
          (await limited.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as {
            formToken: string;
          }
        ).formToken;
        const res = await limited.app.inject({
          method: 'POST',
          url: '/api/public/registrations',
          payload: {
            email: `r${i}@example.jp`,
            name: '連続 送信',
            municipalityCodes: ['062014'],
            consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
            formToken: token,
          },
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([202, 202, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  it('deletes the registration for real: person, links, consents and mail gone; the audit keeps only the fact', async () => {
    const { csrfToken } = (await me(session)).json();
    const cardId = (await t.app.inject({ method: 'GET', url: '/api/me/card', headers: { cookie: session } })).json()
      .card.id;
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      headers: { cookie: session, 'x-csrf-token': csrfToken },
    });
    expect(res.statusCode).toBe(204);
    expect((await me(session)).statusCode).toBe(401);
    expect((await t.admin.request({ method: 'GET', url: `/api/people/${personId}` })).statusCode).toBe(404);
    const left = async (table: string) =>
      (
        (await t.database.db.execute(
          sql.raw(`select count(*)::int as n from ${table} where person_id = '${personId}'`),
        )) as unknown as { rows: Array<{ n: number }> }
      ).rows[0]!.n;
    for (const table of [
      'person_links',
      'consents',
      'supporter_profiles',
      'registrations',
      'outbound_mail',
      'supporter_logins',
    ]) {
      expect(await left(table), table).toBe(0);
    }
    const pending = (await t.database.db.execute(
      sql`select count(*)::int as n from registrations where email_key = 'hanako.supporter@example.jp'`,
    )) as unknown as { rows: Array<{ n: number }> };
    expect(pending.rows[0]!.n).toBe(0);
    const audit = (
      await t.admin.request({ method: 'GET', url: `/api/audit?personId=${personId}&action=person.purge` })
    ).json();
    expect(audit.items[0]).toMatchObject({ via: 'self', details: { by: 'self' } });
    expect(JSON.stringify(audit)).not.toContain('花子');
    // The erased person's card stays on the public revocation list until it expires.
    const list = (await t.app.inject({ method: 'GET', url: '/api/cards/revoked' })).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(cardId);
  });

  it('keeps staff-created people out of self-service sign-in until they register', async () => {
    await t.admin.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({ email: 'staff.made@example.jp' }),
    });
    const before = smtp.messages.length;
    await t.app.inject({ method: 'POST', url: '/api/public/sign-in', payload: { email: 'staff.made@example.jp' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      smtp.messages.slice(before).filter((m) => JSON.stringify(m.to).includes('staff.made@example.jp')),
    ).toHaveLength(0);
  });
});
