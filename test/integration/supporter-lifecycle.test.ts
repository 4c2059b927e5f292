/**
 * The supporter lifecycle (issue 15, first half) over HTTP on both drivers: the prefecture's
 * registration settings and privacy notice, the registration cap (also under concurrent
 * additions), basic and premium tiers with evidence files and their review, the card showing the
 * tier, identity assurance, and the supporter editing their own data on /me.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

type AuditRow = { action: string; details: Record<string, unknown> | null; person_id: string | null };

describe.each(TEST_DRIVERS)('supporter lifecycle on %s', (driver) => {
  let t: TestApp;
  let muniStaff: Session;
  beforeAll(async () => {
    t = await createTestApp(driver);
    muniStaff = await t.staffSession('municipality_staff', '062014');
  });
  afterAll(async () => {
    await t?.close();
  });

  const audits = async (action: string) =>
    (
      (await t.database.db.execute(
        sql`select action, details, person_id from audit_events where action = ${action} order by at`,
      )) as unknown as { rows: AuditRow[] }
    ).rows;

  describe('registration settings', () => {
    it('gives staff the defaults: a cap of 10 and the default privacy notice in both languages', async () => {
      const res = await muniStaff.request({ method: 'GET', url: '/api/settings/registry' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        prefectureCode: '06',
        registrationCap: 10,
        isDefaultPrivacyNotice: { ja: true, en: true },
      });
      expect(body.privacyNoticeJa).toContain('開示・訂正・利用停止・削除');
      expect(body.privacyNoticeEn).toContain('disclosure, correction, suspension or deletion');
    });

    it('refuses the change to municipality staff (prefecture admins only)', async () => {
      const res = await muniStaff.request({
        method: 'PUT',
        url: '/api/settings/registry',
        payload: { registrationCap: 3, privacyNoticeJa: null, privacyNoticeEn: null },
      });
      expect(res.statusCode).toBe(403);
      expect((await muniStaff.request({ method: 'GET', url: '/api/settings/registry' })).json().registrationCap).toBe(
        10,
      );
    });

    it('refuses a cap outside 1–50 naming the field, in the asked language', async () => {
      for (const cap of [0, 51, 2.5]) {
        const res = await t.admin.request({
          method: 'PUT',
          url: '/api/settings/registry',
          headers: { 'accept-language': 'en' },
          payload: { registrationCap: cap },
        });
        expect(res.statusCode).toBe(400);
        expect(Object.keys(res.json().error.fields)).toEqual(['registrationCap']);
      }
    });

    it('lets a prefecture admin change the cap and the privacy text, audited by field names only', async () => {
      const res = await t.admin.request({
        method: 'PUT',
        url: '/api/settings/registry',
        payload: { registrationCap: 12, privacyNoticeJa: '## 県の方針\n県独自の文面です。', privacyNoticeEn: null },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ registrationCap: 12, isDefaultPrivacyNotice: { ja: false, en: true } });
      const [row] = (await audits('settings.registry.update')).slice(-1);
      expect(row!.details).toMatchObject({ changed: ['registrationCap', 'privacyNoticeJa'] });
      expect(JSON.stringify(row!.details)).not.toContain('県独自');

      const ja = await t.app.inject({ method: 'GET', url: '/api/public/privacy-notice' });
      expect(ja.json()).toMatchObject({ locale: 'ja', text: '## 県の方針\n県独自の文面です。', registrationCap: 12 });
      const en = await t.app.inject({ method: 'GET', url: '/api/public/privacy-notice?lang=en' });
      expect(en.json().text).toContain('Who sees what');

      // Back to the defaults for the rest of the file.
      const reset = await t.admin.request({
        method: 'PUT',
        url: '/api/settings/registry',
        payload: { registrationCap: 10, privacyNoticeJa: '', privacyNoticeEn: null },
      });
      expect(reset.json().isDefaultPrivacyNotice).toEqual({ ja: true, en: true });
    });
  });
  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;
  const setCap = async (registrationCap: number) => {
    const res = await t.admin.request({ method: 'PUT', url: '/api/settings/registry', payload: { registrationCap } });
    expect(res.statusCode).toBe(200);
  };
  /** A person staff created as a supporter of the given municipalities, and their /me session. */
  const supporter = async (codes: string[]) => {
    const res = await t.admin.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({ links: codes.map((municipalityCode) => ({ municipalityCode, kind: 'supporter' })) }),
    });
    expect(res.statusCode).toBe(201);
    const personId = res.json().id as string;
    return { personId, session: await t.supporterSession(personId) };
  };
  const codes = async (n: number) =>
    (await rows<{ code: string }>(sql`select code from municipalities order by code limit ${n}`)).map((r) => r.code);
  const formToken = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as {
      formToken: string;
      registrationCap: number;
    };
  const signUp = async (email: string, municipalityCodes: string[], lang = 'ja') =>
    t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      headers: { 'accept-language': lang },
      payload: {
        email,
        name: '上限 試子',
        kana: 'ジョウゲン タメコ',
        prefecture: '東京都',
        municipalityCodes,
        consents: { newsletter: false, shareWithMunicipalities: true, anonymousStatistics: false },
        formToken: (await formToken()).formToken,
      },
    });
  /** The confirmation token of the last sign-up mailed to the address (held mail: no SMTP here). */
  const confirmationToken = async (email: string) => {
    const [mail] = await rows<{ text_body: string }>(
      sql`select text_body from outbound_mail where to_address = ${email} order by created_at desc limit 1`,
    );
    return /register\/confirm\?token=([A-Za-z0-9_-]+)/.exec(mail!.text_body)![1]!;
  };

  describe('registration cap', () => {
    it('tells the sign-up form the cap and refuses a sign-up over it, naming the field and the cap in the asked language', async () => {
      expect((await formToken()).registrationCap).toBe(10);
      const eleven = await codes(11);
      const ja = await signUp('cap.ja@example.jp', eleven);
      expect(ja.statusCode).toBe(400);
      expect(ja.json().error.fields.municipalityCodes).toContain('10までです');
      expect(ja.json().error.details).toEqual({ registrationCap: 10, current: 0 });
      const en = await signUp('cap.en@example.jp', eleven, 'en');
      expect(en.json().error.fields.municipalityCodes).toContain('at most 10 municipalities');
      expect((await rows(sql`select 1 from registrations where email_key like 'cap.%'`)).length).toBe(0);
    });

    it('counts the municipalities a person supports already when a sign-up is confirmed', async () => {
      await setCap(3);
      const first = await signUp('cap.confirm@example.jp', (await codes(2)).slice(0, 2));
      expect(first.statusCode).toBe(202);
      const ok = await t.app.inject({
        method: 'POST',
        url: '/api/public/registrations/confirm',
        payload: { token: await confirmationToken('cap.confirm@example.jp') },
      });
      expect(ok.statusCode).toBe(200);
      const [row] = await rows<{ id: string }>(sql`select id from people where email_key = 'cap.confirm@example.jp'`);
      const regs = await rows<{ identity_assurance: string; tier: string }>(
        sql`select identity_assurance, tier from supporter_registrations where person_id = ${row!.id}`,
      );
      expect(regs).toEqual([
        { identity_assurance: 'email', tier: 'basic' },
        { identity_assurance: 'email', tier: 'basic' },
      ]);
      // Two more would make four: the form alone cannot tell, the confirmation refuses.
      const more = (await codes(4)).slice(2, 4);
      expect((await signUp('cap.confirm@example.jp', more)).statusCode).toBe(202);
      const over = await t.app.inject({
        method: 'POST',
        url: '/api/public/registrations/confirm',
        payload: { token: await confirmationToken('cap.confirm@example.jp') },
      });
      expect(over.statusCode).toBe(400);
      expect(over.json().error.details).toEqual({ registrationCap: 3, current: 2 });
      expect(
        (await rows(sql`select 1 from person_links where person_id = ${row!.id} and kind = 'supporter'`)).length,
      ).toBe(2);
      await setCap(10);
    });

    it('adds municipalities on /me within the cap and refuses the whole request over it', async () => {
      await setCap(3);
      const [a, b, c, d] = await codes(4);
      const { session } = await supporter([a!]);
      const over = await session.request({
        method: 'POST',
        url: '/api/me/municipalities',
        payload: { municipalityCodes: [b, c, d], shareWithMunicipalities: true },
      });
      expect(over.statusCode).toBe(400);
      expect(over.json().error.fields.municipalityCodes).toContain('3までです（登録済み：1）');
      const ok = await session.request({
        method: 'POST',
        url: '/api/me/municipalities',
        payload: { municipalityCodes: [b, c], shareWithMunicipalities: true },
      });
      expect(ok.statusCode).toBe(200);
      const me = ok.json();
      expect(me.registrationCap).toBe(3);
      expect(me.supporterRegistrations.map((r: { municipalityCode: string }) => r.municipalityCode).sort()).toEqual(
        [a, b, c].sort(),
      );
      // Added through the signed-in page (a mailed link): email; the one staff typed: nothing checked.
      expect(
        Object.fromEntries(
          me.supporterRegistrations.map((r: { municipalityCode: string; identityAssurance: string }) => [
            r.municipalityCode,
            r.identityAssurance,
          ]),
        ),
      ).toEqual({ [a!]: 'none', [b!]: 'email', [c!]: 'email' });
      const shared = me.consents.filter(
        (x: { purpose: string; granted: boolean }) => x.purpose === 'share_with_municipalities' && x.granted,
      );
      expect(shared.map((x: { municipalityCode: string }) => x.municipalityCode).sort()).toEqual([b, c].sort());
      expect((await audits('supporter.municipalities.add')).at(-1)!.details).toMatchObject({ added: [b, c] });

      const removed = await session.request({ method: 'DELETE', url: `/api/me/municipalities/${b}` });
      expect(removed.statusCode).toBe(200);
      expect(removed.json().supporterRegistrations).toHaveLength(2);
      await session.request({ method: 'DELETE', url: `/api/me/municipalities/${c}` });
      const last = await session.request({ method: 'DELETE', url: `/api/me/municipalities/${a}` });
      expect(last.statusCode).toBe(400);
      expect(Object.keys(last.json().error.fields)).toEqual(['municipalityCode']);
      await setCap(10);
    });

    it('never exceeds the cap under 20 simultaneous additions', async () => {
      await setCap(5);
      const all = await codes(21);
      const { personId, session } = await supporter([all[0]!]);
      const answers = await Promise.all(
        all.slice(1).map((code) =>
          session.request({
            method: 'POST',
            url: '/api/me/municipalities',
            payload: { municipalityCodes: [code], shareWithMunicipalities: false },
          }),
        ),
      );
      const statuses = answers.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(4);
      expect(statuses.filter((s) => s === 400)).toHaveLength(16);
      for (const refused of answers.filter((r) => r.statusCode === 400))
        expect(refused.json().error.details).toEqual({ registrationCap: 5, current: 5 });
      const held = await rows(sql`select 1 from person_links where person_id = ${personId} and kind = 'supporter'`);
      expect(held).toHaveLength(5);
      const regs = await rows(sql`select 1 from supporter_registrations where person_id = ${personId}`);
      expect(regs).toHaveLength(5);
      await setCap(10);
    });
  });
  describe('premium tier', () => {
    const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const PDF = Buffer.from('%PDF-1.4\n% 【テスト】活動証明\n%%EOF\n');
    const apply = (
      session: Session,
      fields: Record<string, string>,
      files: Array<{ name: string; content: Buffer; type?: string }>,
      lang = 'ja',
      url = '/api/me/premium-applications',
    ) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      for (const f of files)
        form.append('evidenceFiles', new Blob([new Uint8Array(f.content)], { type: f.type ?? 'image/png' }), f.name);
      return session.request({ method: 'POST', url, payload: form, headers: { 'accept-language': lang } });
    };
    const fields = (code: string) => ({
      municipalityCode: code,
      activity: 'volunteering',
      activityDescription: '毎年の雪下ろしボランティアに参加しています。',
    });

    it('refuses evidence of another type or over 5 MB, naming the file, and stores nothing', async () => {
      const { personId, session } = await supporter(['062014']);
      const exe = await apply(session, fields('062014'), [
        { name: 'ok.png', content: PNG },
        { name: 'photo.png', content: Buffer.from('MZ this is not an image'), type: 'image/png' },
      ]);
      expect(exe.statusCode).toBe(400);
      expect(exe.json().error.fields['evidenceFiles.1']).toContain('JPEG, PNG, WebP, PDF');
      const big = await apply(
        session,
        fields('062014'),
        [{ name: 'big.pdf', content: Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]), type: 'application/pdf' }],
        'en',
      );
      expect(big.statusCode).toBe(400);
      expect(big.json().error.fields['evidenceFiles.0']).toContain('at most 5 MB');
      const none = await apply(session, fields('062014'), []);
      expect(Object.keys(none.json().error.fields)).toEqual(['evidenceFiles']);
      const notMine = await apply(session, fields('062031'), [{ name: 'ok.png', content: PNG }]);
      expect(Object.keys(notMine.json().error.fields)).toEqual(['municipalityCode']);
      const json = await session.request({
        method: 'POST',
        url: '/api/me/premium-applications',
        payload: fields('062014'),
      });
      expect(json.statusCode).toBe(415);
      expect(await rows(sql`select 1 from premium_applications where person_id = ${personId}`)).toHaveLength(0);
    });

    it('applies with files, is asked for more, answers, and is approved: premium, engagement, card and /verify', async () => {
      const { personId, session } = await supporter(['062014', '062031']);
      await t.app.inject({ method: 'GET', url: '/api/health' });
      // A card before the approval: basic everywhere.
      expect(
        (await t.admin.request({ method: 'POST', url: `/api/people/${personId}/cards`, payload: {} })).statusCode,
      ).toBe(201);
      const applied = await apply(session, fields('062014'), [
        { name: 'photo.png', content: PNG },
        { name: 'certificate.pdf', content: PDF, type: 'application/pdf' },
      ]);
      expect(applied.statusCode, applied.body).toBe(201);
      const [application] = applied.json().items;
      expect(application).toMatchObject({ status: 'submitted', activity: 'volunteering', municipalityCode: '062014' });
      expect(application.files.map((f: { mediaType: string }) => f.mediaType)).toEqual([
        'image/png',
        'application/pdf',
      ]);
      // A second application while one is open: refused.
      expect((await apply(session, fields('062014'), [{ name: 'p.png', content: PNG }])).statusCode).toBe(400);

      // The queue: the municipality's staff see it, another municipality's do not.
      const queue = await muniStaff.request({ method: 'GET', url: '/api/premium-applications?status=submitted' });
      const item = queue.json().items.find((i: { id: string }) => i.id === application.id);
      expect(item).toMatchObject({ personId, status: 'submitted' });
      const other = await t.staffSession('municipality_staff', '062031');
      expect(
        (await other.request({ method: 'GET', url: '/api/premium-applications' }))
          .json()
          .items.map((i: { id: string }) => i.id),
      ).not.toContain(application.id);
      // The evidence, viewable by the reviewer (audited), not by another municipality nor the public.
      const fileUrl = `/api/premium-applications/${application.id}/files/${application.files[1].id}`;
      const file = await muniStaff.request({ method: 'GET', url: fileUrl });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toContain('application/pdf');
      expect(file.rawPayload.equals(PDF)).toBe(true);
      expect((await other.request({ method: 'GET', url: fileUrl })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: fileUrl })).statusCode).toBe(401);
      expect((await audits('premium.evidence.read')).at(-1)).toMatchObject({ person_id: personId });

      const registrationId = application.registrationId as string;
      const review = (as: Session, payload: Record<string, unknown>) =>
        as.request({ method: 'POST', url: `/api/registrations/${registrationId}/premium`, payload });
      // Only the municipality's own staff decide; a reason is required to ask for more or refuse.
      expect((await review(other, { decision: 'approve' })).statusCode).toBe(404);
      expect((await review(t.admin, { decision: 'approve' })).statusCode).toBe(404);
      const noReason = await review(muniStaff, { decision: 'ask_more' });
      expect(Object.keys(noReason.json().error.fields)).toEqual(['reviewMessage']);
      const asked = await review(muniStaff, {
        decision: 'ask_more',
        reviewMessage: '参加日の分かる書類を追加してください。',
      });
      expect(asked.json()).toEqual({ status: 'more_requested' });
      expect((await review(muniStaff, { decision: 'approve' })).statusCode).toBe(400);

      const mine = await session.request({ method: 'GET', url: '/api/me/premium-applications' });
      expect(mine.json().items[0].steps.map((s: { step: string }) => s.step)).toEqual(['submitted', 'more_requested']);
      expect(mine.json().items[0].steps[1].message).toBe('参加日の分かる書類を追加してください。');
      const answered = await apply(
        session,
        { replyMessage: '参加証明書を追加しました。' },
        [{ name: 'more.pdf', content: PDF, type: 'application/pdf' }],
        'ja',
        `/api/me/premium-applications/${application.id}/answer`,
      );
      expect(answered.statusCode, answered.body).toBe(200);
      expect(answered.json().items[0]).toMatchObject({ status: 'submitted' });
      expect(answered.json().items[0].files).toHaveLength(3);

      const approved = await review(muniStaff, { decision: 'approve' });
      expect(approved.json()).toEqual({ status: 'approved' });
      const me = (await session.request({ method: 'GET', url: '/api/me' })).json();
      const tiers = Object.fromEntries(
        me.supporterRegistrations.map((r: { municipalityCode: string; tier: string }) => [r.municipalityCode, r.tier]),
      );
      expect(tiers).toEqual({ '062014': 'premium', '062031': 'basic' });
      expect(me.engagements).toContainEqual(
        expect.objectContaining({ municipalityCode: '062014', kind: 'volunteering' }),
      );
      const card = (await session.request({ method: 'GET', url: '/api/me/card' })).json();
      expect(card.card.municipalities).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: '062014', tier: 'premium' }),
          expect.objectContaining({ code: '062031', tier: 'basic' }),
        ]),
      );
      const verified = (
        await t.app.inject({ method: 'POST', url: '/api/cards/verify', payload: { token: card.token } })
      ).json();
      expect(verified.valid).toBe(true);
      expect(verified.card.municipalities).toContainEqual(expect.objectContaining({ code: '062014', tier: 'premium' }));
      expect((await audits('premium.approve')).at(-1)).toMatchObject({ person_id: personId });
      // Decided: nothing more to decide.
      expect((await review(muniStaff, { decision: 'refuse', reviewMessage: '重複' })).statusCode).toBe(400);
    });
  });
});
