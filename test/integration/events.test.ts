/**
 * Events end to end over HTTP: staff create and change a fair with municipal and partner booths;
 * the public registers on a phone (consents as in the registry) and gets a ticket mail over a real
 * SMTP server — Japanese text in JST, an .ics with the right instant, the check-in QR code — and
 * follows the ticket link; the desk checks people in by QR token and by name, exactly once, which
 * records engagements; staff see attendance and who still has no follow-up. Scope: municipality
 * staff of another municipality and an unrelated partner get 404 on every personal route.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { moveEventTo } from '../helpers/events.js';
import { formatTokyoDateTime } from '../../src/shared/dates.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { ticketQrPng } from '../../src/modules/events/events.mail.js';
import {
  sendCancellationMails,
  sendRegistrationCancelledMail,
  sendTicketMail,
} from '../../src/modules/events/events.mailing.js';
import { seedDemoData } from '../../src/seed/demo.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';
const SAKATA = '062049';
const YONEZAWA = '062022';
const PUBLIC_URL = 'https://kankei.example.jp';

type Row = Record<string, unknown>;

describe.each(TEST_DRIVERS)('events on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let center: Session;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let sakataStaff: Session;
  let partner: Session;
  let boothPartner: Session;
  let boothPartnerOrg: string;

  const rows = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: Row[] }).rows;
  const formToken = async () =>
    ((await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string })
      .formToken;
  const signUp = async (
    eventId: string,
    overrides: Record<string, unknown> = {},
    headers: Record<string, string> = {},
    remoteAddress?: string,
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/api/public/events/${eventId}/registrations`,
      headers,
      ...(remoteAddress ? { remoteAddress } : {}),
      payload: {
        name: '移住 花子',
        kana: 'いじゅう はなこ',
        email: 'hanako.fair@example.jp',
        phone: '０９０－１２３４－５６７８',
        prefecture: '東京',
        city: '世田谷区',
        municipalityCodes: [YAMAGATA, TSURUOKA],
        consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: false },
        formToken: await formToken(),
        ...overrides,
      },
    });
  const tokenOf = (mail: ParsedMail) => {
    const m = (mail.text ?? '').match(/\/tickets\/([A-Za-z0-9_-]+)/);
    if (!m) throw new Error(`no ticket link in: ${mail.text}`);
    return m[1]!;
  };
  const mailTo = (address: string, count = 1) =>
    (async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = smtp.messages.filter((m) => JSON.stringify(m.to ?? '').includes(address));
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`only ${found.length} mail(s) to ${address}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

  const fairBody = (overrides: Record<string, unknown> = {}) => ({
    kind: 'fair',
    title: 'やまがた移住・交流フェア（テスト）',
    description: '山形県内の市町村が集まる移住相談会',
    startsAt: '2027-02-06T11:00:00+09:00',
    endsAt: '2027-02-06T17:00:00+09:00',
    venue: '東京交通会館 12階（東京都千代田区有楽町2-10-1）',
    capacity: 300,
    booths: [
      {
        name: '山形市ブース',
        municipalityCode: YAMAGATA,
        slots: [
          { startsAt: '2027-02-06T11:00:00+09:00', endsAt: '2027-02-06T11:30:00+09:00', capacity: 2 },
          { startsAt: '2027-02-06T02:30:00Z', endsAt: '2027-02-06T03:00:00Z', capacity: 1 },
        ],
      },
      {
        name: '酒田市ブース',
        municipalityCode: SAKATA,
        slots: [{ startsAt: '2027-02-06T13:00:00+09:00', endsAt: '2027-02-06T13:30:00+09:00', capacity: 3 }],
      },
    ],
    ...overrides,
  });

  let fair: {
    id: string;
    booths: Array<{
      id: string;
      name: string;
      slots: Array<{ id: string; startsAt: string; capacity: number; bookedCount: number }>;
    }>;
  };
  let partnerSlotId = '';

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, { smtpUrl: smtp.url, publicUrl: PUBLIC_URL });
    center = await t.staffSession('center_staff');
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    sakataStaff = await t.staffSession('municipality_staff', SAKATA);
    partner = await t.staffSession('partner');
    boothPartner = await t.staffSession('partner');
    boothPartnerOrg = String(
      (await rows(sql`select organization_id from staff where id = ${boothPartner.user.id}`))[0]!.organization_id,
    );
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  describe('managing events', () => {
    it('creates a fair with booths and slots; times are read with their offset and answered in +09:00', async () => {
      const res = await center.request({ method: 'POST', url: '/api/events', payload: fairBody() });
      expect(res.statusCode, res.body).toBe(201);
      fair = res.json();
      expect(fair).toMatchObject({
        kind: 'fair',
        startsAt: '2027-02-06T11:00:00+09:00',
        endsAt: '2027-02-06T17:00:00+09:00',
        capacity: 300,
        registeredCount: 0,
        checkedInCount: 0,
        status: 'published',
        hostMunicipality: null,
      });
      expect(fair.booths.map((b) => b.name)).toEqual(['山形市ブース', '酒田市ブース']);
      expect(fair.booths[0]!.slots.map((s) => s.startsAt)).toEqual([
        '2027-02-06T11:00:00+09:00',
        '2027-02-06T11:30:00+09:00',
      ]);
      const stored = await rows(sql`select starts_at from events where id = ${fair.id}`);
      expect(new Date(stored[0]!.starts_at as string).toISOString()).toBe('2027-02-06T02:00:00.000Z');
    });

    it('adds, renames and removes booths and slots with PATCH, assigning a partner organization', async () => {
      const res = await center.request({
        method: 'PATCH',
        url: `/api/events/${fair.id}`,
        payload: {
          title: 'やまがた移住・交流フェア2027（テスト）',
          booths: [
            { id: fair.booths[0]!.id, name: '山形市 移住相談ブース', municipalityCode: YAMAGATA },
            {
              name: 'しごと相談（連携機関）',
              organizationId: boothPartnerOrg,
              slots: [{ startsAt: '2027-02-06T14:00:00+09:00', endsAt: '2027-02-06T14:30:00+09:00', capacity: 5 }],
            },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const updated = res.json();
      expect(updated.title).toBe('やまがた移住・交流フェア2027（テスト）');
      expect(updated.booths.map((b: { name: string }) => b.name)).toEqual([
        '山形市 移住相談ブース',
        'しごと相談（連携機関）',
      ]);
      expect(updated.booths[0].slots).toHaveLength(2);
      expect(updated.booths[1].organization.id).toBe(boothPartnerOrg);
      partnerSlotId = updated.booths[1].slots[0].id;
      fair = updated;
      expect(await rows(sql`select id from event_booths where event_id = ${fair.id}`)).toHaveLength(2);
    });

    it('refuses a slot outside the event, an end before the start, a time without offset, naming the field', async () => {
      const outside = await center.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({
          booths: [
            { name: 'x', slots: [{ startsAt: '2027-02-06T18:00:00+09:00', endsAt: '2027-02-06T18:30:00+09:00' }] },
          ],
        }),
      });
      expect(outside.statusCode).toBe(400);
      expect(Object.keys(outside.json().error.fields)).toEqual(['booths.0.slots.0.startsAt']);
      const backwards = await center.request({
        method: 'PATCH',
        url: `/api/events/${fair.id}`,
        payload: { endsAt: '2027-02-06T10:00:00+09:00' },
      });
      expect(backwards.statusCode).toBe(400);
      expect(Object.keys(backwards.json().error.fields)).toEqual(['endsAt']);
      const local = await center.request({
        method: 'POST',
        url: '/api/events',
        headers: { 'accept-language': 'en' },
        payload: fairBody({ startsAt: '2027-02-06T11:00:00' }),
      });
      expect(local.statusCode).toBe(400);
      expect(local.json().error.fields.startsAt).toMatch(/offset/);
    });

    it('lets municipality staff create and change only events their municipality hosts; partners none', async () => {
      const own = await yamagataStaff.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({ kind: 'mini_day', title: '山形市 移住相談DAY', booths: [] }),
      });
      expect(own.statusCode, own.body).toBe(201);
      expect(own.json().hostMunicipality).toEqual({ code: YAMAGATA, name: '山形市' });
      const other = await yamagataStaff.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({ hostMunicipalityCode: TSURUOKA, booths: [] }),
      });
      expect(other.statusCode).toBe(400);
      expect(Object.keys(other.json().error.fields)).toEqual(['hostMunicipalityCode']);
      expect(
        (
          await yamagataStaff.request({
            method: 'PATCH',
            url: `/api/events/${own.json().id}`,
            payload: { capacity: 20 },
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (await yamagataStaff.request({ method: 'PATCH', url: `/api/events/${fair.id}`, payload: { capacity: 20 } }))
          .statusCode,
      ).toBe(403);
      expect(
        (
          await tsuruokaStaff.request({
            method: 'PATCH',
            url: `/api/events/${own.json().id}`,
            payload: { capacity: 20 },
          })
        ).statusCode,
      ).toBe(403);
      expect((await partner.request({ method: 'POST', url: '/api/events', payload: fairBody() })).statusCode).toBe(403);
    });

    it('lists events with filters and counts for any staff role', async () => {
      await center.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({
          kind: 'seminar',
          title: '下書きセミナー',
          status: 'draft',
          startsAt: '2027-03-01T19:00:00+09:00',
          endsAt: '2027-03-01T20:30:00+09:00',
          booths: [],
        }),
      });
      const all = (await partner.request({ method: 'GET', url: '/api/events?limit=100' })).json();
      expect(all.total).toBeGreaterThanOrEqual(3);
      const fairs = (
        await tsuruokaStaff.request({ method: 'GET', url: '/api/events?kind=fair&from=2027-02-06&to=2027-02-06' })
      ).json();
      expect(fairs.items.map((e: { id: string }) => e.id)).toEqual([fair.id]);
      expect(fairs.items[0]).toMatchObject({ registeredCount: 0, capacity: 300, checkedInCount: 0 });
      expect(
        (await center.request({ method: 'GET', url: '/api/events?status=draft' }))
          .json()
          .items.map((e: { title: string }) => e.title),
      ).toEqual(['下書きセミナー']);
      expect((await center.request({ method: 'GET', url: '/api/events?from=2027-02-07&kind=fair' })).json().total).toBe(
        0,
      );
      const badDay = await center.request({ method: 'GET', url: '/api/events?from=2027-02-30' });
      expect(badDay.statusCode).toBe(400);
      expect(Object.keys(badDay.json().error.fields)).toEqual(['from']);
      expect((await center.request({ method: 'GET', url: `/api/events/${fair.id}` })).json().booths).toHaveLength(2);
    });
  });

  describe('public registration and ticket', () => {
    let hanakoId = '';
    let ticketToken = '';

    it('shows published upcoming events and their slots’ free places, not drafts', async () => {
      const list = (await t.app.inject({ method: 'GET', url: '/api/public/events' })).json();
      const titles = list.items.map((e: { title: string }) => e.title);
      expect(titles).toContain('やまがた移住・交流フェア2027（テスト）');
      expect(titles).not.toContain('下書きセミナー');
      const detail = (await t.app.inject({ method: 'GET', url: `/api/public/events/${fair.id}` })).json();
      expect(detail).toMatchObject({ freePlaces: 300, isFull: false, isOnline: false });
      expect(detail.booths[0].slots.map((s: { freePlaces: number }) => s.freePlaces)).toEqual([2, 1]);
      expect(JSON.stringify(detail)).not.toContain('registeredCount');
    });

    it('registers on a phone, mails a Japanese ticket over SMTP with .ics (DTSTART in UTC) and the QR code, and the ticket link works', async () => {
      const slot = fair.booths[0]!.slots[0]!;
      const res = await signUp(fair.id, { slotId: slot.id });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        status: 'registered',
        alreadyRegistered: false,
        eventId: fair.id,
        slot: { id: slot.id, boothName: '山形市 移住相談ブース', startsAt: '2027-02-06T11:00:00+09:00' },
      });

      const [mail] = await mailTo('hanako.fair@example.jp');
      expect(mail!.subject).toBe('【山形県移住センター】お申し込み受付：やまがた移住・交流フェア2027（テスト）');
      expect(mail!.text).toContain('移住 花子 様');
      expect(mail!.text).toContain('2027年2月6日（土）11:00〜17:00（日本時間）');
      expect(mail!.text).toContain('東京交通会館 12階');
      expect(mail!.text).toContain('山形市 移住相談ブース　2027年2月6日（土）11:00〜11:30');
      expect(mail!.text).toContain(`${PUBLIC_URL}/tickets/`);

      const ics = mail!.attachments.find((a) => a.filename === 'event.ics')!;
      expect(ics.contentType).toBe('text/calendar');
      const calendar = ics.content.toString('utf8');
      expect(calendar).toContain('BEGIN:VEVENT');
      expect(calendar).toMatch(/^DTSTART:20270206T020000Z\r?$/m);
      expect(calendar).toMatch(/^DTEND:20270206T080000Z\r?$/m);
      expect(calendar).toContain('SUMMARY:やまがた移住・交流フェア2027（テスト）');

      ticketToken = tokenOf(mail!);
      const png = mail!.attachments.find((a) => a.filename === 'checkin-qr.png')!;
      expect(png.contentType).toBe('image/png');
      expect(png.content.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      // The QR code carries exactly the ticket token (QR encoding is deterministic).
      expect(png.content.equals(await ticketQrPng(ticketToken))).toBe(true);

      const ticket = await t.app.inject({ method: 'GET', url: `/api/public/tickets/${ticketToken}` });
      expect(ticket.statusCode).toBe(200);
      const view = ticket.json();
      // The ticket page greets the registrant by the full name, as the ticket mail does.
      expect(mail!.text).toContain(`${view.registration.name} 様`);
      expect(view.registration).toEqual({
        name: '移住 花子',
        status: 'registered',
        cancelledAt: null,
        checkedIn: false,
        checkedInAt: null,
        slot: expect.objectContaining({ id: slot.id }),
      });
      expect(view.event).toMatchObject({ id: fair.id, startsAt: '2027-02-06T11:00:00+09:00', status: 'published' });
      expect(view.qrSvg).toContain('<svg');
      const { qrSvg: _qr, ...shown } = view;
      const text = JSON.stringify(shown);
      // The name greets the registrant (as the mail does); nothing else about them is on the ticket.
      for (const personal of ['hanako.fair', '090-1234-5678', '世田谷区', hanakoId || 'person-id'])
        expect(text).not.toContain(personal);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/public/tickets/not-a-real-ticket-token' })).statusCode,
      ).toBe(404);

      // "Add to calendar" on the ticket page: the very file the mail attached, as a download.
      const download = await t.app.inject({ method: 'GET', url: `/api/public/tickets/${ticketToken}/ics` });
      expect(download.statusCode, download.body).toBe(200);
      expect(download.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(download.headers['content-disposition']).toBe('attachment; filename="kankei-event.ics"');
      const strip = (c: string) => c.replace(/^DTSTAMP:.*\r?\n/m, '');
      expect(strip(download.body)).toBe(strip(calendar));
      expect(download.body).toMatch(/^UID:.+@kankei\r?$/m);
      const unknownIcs = await t.app.inject({ method: 'GET', url: '/api/public/tickets/not-a-real-ticket-token/ics' });
      expect(unknownIcs.statusCode).toBe(404);
      expect(unknownIcs.json().error.code).toBe('NOT_FOUND');

      const person = (
        await rows(sql`select id, name, kana, phone, prefecture from people where email_key = 'hanako.fair@example.jp'`)
      )[0]!;
      expect(person).toMatchObject({
        name: '移住 花子',
        kana: 'イジュウ ハナコ',
        prefecture: '東京都',
        phone: '090-1234-5678',
      });
      hanakoId = String(person.id);
      const links = await rows(
        sql`select municipality_code, kind from person_links where person_id = ${hanakoId} order by municipality_code`,
      );
      expect(links).toEqual([
        { municipality_code: YAMAGATA, kind: 'interest' },
        { municipality_code: TSURUOKA, kind: 'interest' },
      ]);
      const consents = await rows(
        sql`select purpose, municipality_code, granted, source from consents where person_id = ${hanakoId} order by purpose, municipality_code`,
      );
      expect(consents).toEqual([
        { purpose: 'anonymous_statistics', municipality_code: null, granted: false, source: 'event_registration' },
        { purpose: 'newsletter', municipality_code: null, granted: true, source: 'event_registration' },
        {
          purpose: 'share_with_municipalities',
          municipality_code: YAMAGATA,
          granted: true,
          source: 'event_registration',
        },
        {
          purpose: 'share_with_municipalities',
          municipality_code: TSURUOKA,
          granted: true,
          source: 'event_registration',
        },
      ]);
      const counts = (
        await rows(
          sql`select registered_count, (select booked_count from booth_slots where id = ${slot.id}) as booked from events where id = ${fair.id}`,
        )
      )[0]!;
      expect(counts).toEqual({ registered_count: 1, booked: 1 });
    });

    it('answers a second registration of the same address with the existing one: no second seat, the same ticket mailed again', async () => {
      // Ten minutes after the ticket went out: sooner, registering again sends nothing (see 'spam protection').
      await rows(
        sql`update event_registrations set ticket_mailed_at = ticket_mailed_at - interval '10 minutes 1 second' where person_id = ${hanakoId}`,
      );
      const again = await signUp(fair.id, {
        name: '別の 名前',
        email: 'HANAKO.FAIR@example.jp',
        slotId: fair.booths[0]!.slots[1]!.id,
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ alreadyRegistered: true, slot: { id: fair.booths[0]!.slots[0]!.id } });
      const mails = await mailTo('hanako.fair@example.jp', 2);
      expect(mails[1]!.text).toContain('すでにお申し込みいただいています');
      expect(mails[1]!.text).toContain('移住 花子 様');
      expect(tokenOf(mails[1]!)).toBe(ticketToken);
      expect((await rows(sql`select registered_count from events where id = ${fair.id}`))[0]!.registered_count).toBe(1);
      expect(await rows(sql`select id from event_registrations where person_id = ${hanakoId}`)).toHaveLength(1);
      expect((await rows(sql`select name from people where id = ${hanakoId}`))[0]!.name).toBe('移住 花子');
    });

    it('queues the ticket mail once when its job runs again (a retry after the mail was queued), in the language asked for', async () => {
      const [reg] = await rows(sql`select id from event_registrations where person_id = ${hanakoId}`);
      const before = (await mailTo('hanako.fair@example.jp', 2)).length;
      const job = {
        registrationId: String(reg!.id),
        mailId: randomUUID(),
        locale: 'en' as const,
        resent: true,
        publicUrl: PUBLIC_URL,
      };
      await sendTicketMail(t.database.db, t.app.mailer, job);
      await sendTicketMail(t.database.db, t.app.mailer, job);
      const mails = await mailTo('hanako.fair@example.jp', before + 1);
      expect(mails[before]!.subject).toBe(
        '[山形県移住センター] Registration confirmed: やまがた移住・交流フェア2027（テスト）',
      );
      expect(mails[before]!.text).toContain('You are already registered');
      expect(tokenOf(mails[before]!)).toBe(ticketToken);
      await t.app.jobs.drain();
      await expect
        .poll(
          async () => (await rows(sql`select status from outbound_mail where id = ${job.mailId}`)).map((r) => r.status),
          { timeout: 10_000 },
        )
        .toEqual(['sent']);
      // The sent row keeps its kind, not the ticket link or QR code (the ticket still works).
      const sentRow = await rows(sql`select kind, t.*::text as whole from outbound_mail t where id = ${job.mailId}`);
      expect(sentRow[0]!.kind).toBe('events.ticket');
      expect(String(sentRow[0]!.whole)).not.toContain(ticketToken);
      // Give a second (wrong) send time to arrive before counting.
      await new Promise((r) => setTimeout(r, 1500));
      expect(smtp.messages.filter((m) => JSON.stringify(m.to ?? '').includes('hanako.fair@example.jp'))).toHaveLength(
        before + 1,
      );
    });

    it('carries an English title and description: shown to English readers and used in English mails, the Japanese ones otherwise', async () => {
      const created = await center.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({
          title: '英語つきフェア（テスト）',
          titleEn: ' Yamagata Fair (test) ',
          descriptionEn: 'Meet the municipalities of Yamagata.',
          booths: [],
        }),
      });
      expect(created.statusCode).toBe(201);
      const english = created.json();
      expect(english).toMatchObject({
        titleEn: 'Yamagata Fair (test)',
        descriptionEn: 'Meet the municipalities of Yamagata.',
      });
      const detail = (await t.app.inject({ method: 'GET', url: `/api/public/events/${english.id}` })).json();
      expect(detail).toMatchObject({ title: '英語つきフェア（テスト）', titleEn: 'Yamagata Fair (test)' });
      // Without English texts both are null: the pages show the Japanese ones.
      expect((await t.app.inject({ method: 'GET', url: `/api/public/events/${fair.id}` })).json()).toMatchObject({
        titleEn: null,
        descriptionEn: null,
      });

      expect((await signUp(english.id, { email: 'english.reader@example.jp', locale: 'en' })).statusCode).toBe(201);
      expect((await signUp(english.id, { email: 'japanese.reader@example.jp' })).statusCode).toBe(201);
      await t.app.jobs.drain();
      const [en] = await mailTo('english.reader@example.jp');
      expect(en!.subject).toBe('[山形県移住センター] Registration confirmed: Yamagata Fair (test)');
      const [ja] = await mailTo('japanese.reader@example.jp');
      expect(ja!.subject).toBe('【山形県移住センター】お申し込み受付：英語つきフェア（テスト）');

      // Cleared with PATCH (an empty text is none).
      const cleared = await center.request({
        method: 'PATCH',
        url: `/api/events/${english.id}`,
        payload: { titleEn: '', descriptionEn: null },
      });
      expect(cleared.statusCode).toBe(200);
      expect(cleared.json()).toMatchObject({ titleEn: null, descriptionEn: null });
    });

    it('keeps an English booth name (checked for length): the public event, ticket and English mail carry it, a PATCH without it keeps it', async () => {
      const slot = { startsAt: '2027-02-06T11:00:00+09:00', endsAt: '2027-02-06T11:30:00+09:00', capacity: 5 };
      const tooLong = await center.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({ booths: [{ name: '長い英語名ブース', nameEn: 'a'.repeat(201), slots: [] }] }),
      });
      expect(tooLong.statusCode).toBe(400);
      expect(Object.keys(tooLong.json().error.fields)).toEqual(['booths.0.nameEn']);

      const created = await center.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({
          title: '英語ブース名フェア（テスト）',
          booths: [
            { name: 'ふるさと回帰支援センター', nameEn: ' Furusato Kaiki Support Center ', slots: [slot] },
            { name: '酒田市ブース', municipalityCode: SAKATA, nameEn: '', slots: [] },
          ],
        }),
      });
      expect(created.statusCode, created.body).toBe(201);
      const event = created.json();
      expect(event.booths.map((b: { nameEn: string | null }) => b.nameEn)).toEqual([
        'Furusato Kaiki Support Center',
        null,
      ]);
      const stored = await rows(
        sql`select name, name_en from event_booths where event_id = ${event.id} order by position`,
      );
      expect(stored).toEqual([
        { name: 'ふるさと回帰支援センター', name_en: 'Furusato Kaiki Support Center' },
        { name: '酒田市ブース', name_en: null },
      ]);

      const detail = (await t.app.inject({ method: 'GET', url: `/api/public/events/${event.id}` })).json();
      expect(detail.booths).toMatchObject([
        { name: 'ふるさと回帰支援センター', nameEn: 'Furusato Kaiki Support Center' },
        { name: '酒田市ブース', nameEn: null },
      ]);

      const signed = await signUp(event.id, {
        email: 'booth.english@example.jp',
        locale: 'en',
        slotId: event.booths[0].slots[0].id,
      });
      expect(signed.statusCode, signed.body).toBe(201);
      expect(signed.json().slot).toMatchObject({
        boothName: 'ふるさと回帰支援センター',
        boothNameEn: 'Furusato Kaiki Support Center',
      });
      const [mail] = await mailTo('booth.english@example.jp');
      expect(mail!.text).toContain('Your consultation slot: Furusato Kaiki Support Center, ');
      const ticket = (await t.app.inject({ method: 'GET', url: `/api/public/tickets/${tokenOf(mail!)}` })).json();
      expect(ticket.registration.slot).toMatchObject({ boothNameEn: 'Furusato Kaiki Support Center' });

      // Staff forms that do not send nameEn leave it; null clears it; a too long one is refused, nothing changed.
      const booths = (nameEn?: string | null) => ({
        booths: [
          { id: event.booths[0].id, name: 'ふるさと回帰支援センター', ...(nameEn === undefined ? {} : { nameEn }) },
          { id: event.booths[1].id, name: '酒田市ブース', municipalityCode: SAKATA },
        ],
      });
      const patch = (payload: Record<string, unknown>) =>
        center.request({ method: 'PATCH', url: `/api/events/${event.id}`, payload });
      const kept = await patch(booths());
      expect(kept.statusCode, kept.body).toBe(200);
      expect(kept.json().booths[0].nameEn).toBe('Furusato Kaiki Support Center');
      const refused = await patch(booths('b'.repeat(201)));
      expect(refused.statusCode).toBe(400);
      expect(Object.keys(refused.json().error.fields)).toEqual(['booths.0.nameEn']);
      const cleared = await patch(booths(null));
      expect(cleared.json().booths[0].nameEn).toBeNull();
      const renamed = await patch(booths('Furusato Center'));
      expect(renamed.json().booths[0].nameEn).toBe('Furusato Center');
    });

    it('joins a known person by email without overwriting their data or consents they decided', async () => {
      const known = (
        await t.admin.request({
          method: 'POST',
          url: '/api/people',
          payload: personPayload({
            name: '既存 太郎',
            kana: null,
            email: 'known.taro@example.jp',
            phone: null,
            links: [{ municipalityCode: SAKATA, kind: 'roots' }],
          }),
        })
      ).json();
      await rows(
        sql`insert into consents (person_id, purpose, municipality_code, granted, source) values (${known.id}, 'share_with_municipalities', ${YAMAGATA}, false, 'self_service')`,
      );
      const res = await signUp(fair.id, {
        name: '上書き 次郎',
        kana: 'きぞん たろう',
        email: 'known.taro@example.jp',
        phone: undefined,
        municipalityCodes: [YAMAGATA, YONEZAWA],
      });
      expect(res.statusCode, res.body).toBe(201);
      const person = (await rows(sql`select name, kana, city from people where id = ${known.id}`))[0]!;
      expect(person).toEqual({ name: '既存 太郎', kana: 'キゾン タロウ', city: '世田谷区' });
      const share = await rows(
        sql`select municipality_code, granted from consents where person_id = ${known.id} and purpose = 'share_with_municipalities' order by municipality_code`,
      );
      expect(share).toEqual([
        { municipality_code: YAMAGATA, granted: false },
        { municipality_code: YONEZAWA, granted: true },
      ]);
      const links = await rows(
        sql`select municipality_code, kind from person_links where person_id = ${known.id} order by municipality_code`,
      );
      expect(links).toEqual([
        { municipality_code: YONEZAWA, kind: 'interest' },
        { municipality_code: SAKATA, kind: 'roots' },
      ]);
      // The ticket goes to the address on record and greets the person on record: the job carries ids only.
      const mails = await mailTo('known.taro@example.jp');
      expect(mails[0]!.text).toContain('既存 太郎 様');
    });

    it('adds no interest links without consent to share', async () => {
      const res = await signUp(fair.id, {
        email: 'no.share@example.jp',
        consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: true },
      });
      expect(res.statusCode).toBe(201);
      const [p] = await rows(sql`select id from people where email_key = 'no.share@example.jp'`);
      expect(await rows(sql`select 1 from person_links where person_id = ${p!.id}`)).toEqual([]);
      expect(
        (await rows(sql`select municipality_codes from event_registrations where person_id = ${p!.id}`))[0]!
          .municipality_codes,
      ).toEqual([YAMAGATA, TSURUOKA]);
      // Chosen but not shared with: the municipalities do not see the registration (the center does).
      for (const staff of [yamagataStaff, tsuruokaStaff]) {
        const seen = (await staff.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })).json();
        expect(seen.items.map((r: { person: { id: string } }) => r.person.id)).not.toContain(p!.id);
      }
      const all = (await center.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })).json();
      expect(all.items.map((r: { person: { id: string } }) => r.person.id)).toContain(p!.id);
    });

    it('refuses a name with nothing to find the person by, as every sign-up does', async () => {
      const res = await signUp(fair.id, { email: 'dashes@example.jp', name: 'ー ー' });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json().error.fields)).toEqual(['name']);
      expect(await rows(sql`select 1 from people where email_key = 'dashes@example.jp'`)).toEqual([]);
    });

    it('drops honeypot submissions silently and refuses unknown municipalities and slots of other events', async () => {
      const bot = await signUp(fair.id, { email: 'bot@example.jp', website: 'http://spam.example.com' });
      expect(bot.statusCode).toBe(201);
      expect(await rows(sql`select 1 from people where email_key = 'bot@example.jp'`)).toEqual([]);
      const unknown = await signUp(fair.id, { email: 'x1@example.jp', municipalityCodes: ['069999'] });
      expect(unknown.statusCode).toBe(400);
      expect(Object.keys(unknown.json().error.fields)).toEqual(['municipalityCodes.0']);
      const other = (
        await center.request({ method: 'POST', url: '/api/events', payload: fairBody({ title: '別のイベント' }) })
      ).json();
      const wrongSlot = await signUp(fair.id, { email: 'x2@example.jp', slotId: other.booths[0].slots[0].id });
      expect(wrongSlot.statusCode).toBe(400);
      expect(Object.keys(wrongSlot.json().error.fields)).toEqual(['slotId']);
      expect(await rows(sql`select 1 from people where email_key in ('x1@example.jp', 'x2@example.jp')`)).toEqual([]);
    });

    it('answers a full event with 409 EVENT_FULL and a full slot with 409 SLOT_FULL (ja and en), keeping nothing', async () => {
      const small = (
        await center.request({
          method: 'POST',
          url: '/api/events',
          payload: fairBody({
            title: '少人数セミナー',
            kind: 'seminar',
            capacity: 1,
            booths: [
              {
                name: '相談',
                municipalityCode: YAMAGATA,
                slots: [{ startsAt: '2027-02-06T12:00:00+09:00', endsAt: '2027-02-06T12:30:00+09:00', capacity: 1 }],
              },
            ],
          }),
        })
      ).json();
      expect((await signUp(small.id, { email: 'first@example.jp' })).statusCode).toBe(201);
      const full = await signUp(small.id, { email: 'second@example.jp' });
      expect(full.statusCode).toBe(409);
      expect(full.json().error).toMatchObject({ code: 'EVENT_FULL', message: expect.stringMatching(/満席/) });
      const fullEn = await signUp(small.id, { email: 'second@example.jp' }, { 'accept-language': 'en' });
      expect(fullEn.json().error.message).toMatch(/full/);
      expect(await rows(sql`select 1 from people where email_key = 'second@example.jp'`)).toEqual([]);

      const slotId = fair.booths[0]!.slots[1]!.id; // capacity 1
      expect((await signUp(fair.id, { email: 'slot.one@example.jp', slotId })).statusCode).toBe(201);
      const slotFull = await signUp(fair.id, { email: 'slot.two@example.jp', slotId }, { 'accept-language': 'en' });
      expect(slotFull.statusCode).toBe(409);
      expect(slotFull.json().error).toMatchObject({
        code: 'SLOT_FULL',
        message: expect.stringMatching(/slot is full/),
      });
      expect(await rows(sql`select 1 from people where email_key = 'slot.two@example.jp'`)).toEqual([]);

      const lower = await center.request({ method: 'PATCH', url: `/api/events/${fair.id}`, payload: { capacity: 1 } });
      expect(lower.statusCode).toBe(400);
      expect(Object.keys(lower.json().error.fields)).toEqual(['capacity']);
      const shrink = await center.request({
        method: 'PATCH',
        url: `/api/events/${fair.id}`,
        payload: {
          booths: [
            { id: fair.booths[0]!.id, name: '山形市 移住相談ブース', municipalityCode: YAMAGATA, slots: [] },
            { id: fair.booths[1]!.id, name: 'しごと相談（連携機関）', organizationId: boothPartnerOrg },
          ],
        },
      });
      expect(shrink.statusCode).toBe(400);
      expect(Object.keys(shrink.json().error.fields)).toEqual(['booths.0.slots']);
    });

    it('refuses registrations for cancelled events (EVENT_CLOSED) and hides drafts (404)', async () => {
      const ev = (
        await center.request({
          method: 'POST',
          url: '/api/events',
          payload: fairBody({ title: '中止になる回', booths: [] }),
        })
      ).json();
      expect(
        (
          await center.request({ method: 'PATCH', url: `/api/events/${ev.id}`, payload: { status: 'cancelled' } })
        ).json().status,
      ).toBe('cancelled');
      const closed = await signUp(ev.id, { email: 'late@example.jp' });
      expect(closed.statusCode).toBe(409);
      expect(closed.json().error.code).toBe('EVENT_CLOSED');
      const draft = (
        await center.request({
          method: 'POST',
          url: '/api/events',
          payload: fairBody({ title: '下書き', status: 'draft', booths: [] }),
        })
      ).json();
      expect((await signUp(draft.id, { email: 'late@example.jp' })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/public/events/${draft.id}` })).statusCode).toBe(404);
    });

    it('includes the event registrations in the supporter’s own export', async () => {
      const me = await t.supporterSession(hanakoId);
      // The English title travels with the supporter's events (their English page shows it), null without one.
      const named = async (titleEn: string) =>
        expect(
          (await center.request({ method: 'PATCH', url: `/api/events/${fair.id}`, payload: { titleEn } })).statusCode,
        ).toBe(200);
      await named('Yamagata Fair');
      const page = (await me.request({ method: 'GET', url: '/api/me' })).json();
      expect(page.eventRegistrations[0].event).toMatchObject({ id: fair.id, titleEn: 'Yamagata Fair' });
      await named('');
      const json = (await me.request({ method: 'GET', url: '/api/me/export?format=json' })).json();
      expect(json.eventRegistrations).toEqual([
        expect.objectContaining({
          event: expect.objectContaining({ id: fair.id, startsAt: '2027-02-06T11:00:00+09:00', titleEn: null }),
          status: 'registered',
          cancelledAt: null,
          slot: expect.objectContaining({ boothName: '山形市 移住相談ブース' }),
        }),
      ]);
      const csv = (await me.request({ method: 'GET', url: '/api/me/export?format=csv' })).body;
      expect(csv).toContain('イベントの申し込み');
    });

    describe('check-in and attendance', () => {
      let hanakoRegistration = '';
      // Check-in is open on the event's days only: the fair is held today for these tests.
      let putBack: () => Promise<void> = async () => {};
      beforeAll(async () => {
        putBack = await moveEventTo(t.database.db, fair.id);
      });
      afterAll(() => putBack());

      it('refuses check-in before the event’s days and after them, naming the days; after the event, attendance comes from a paper list, dated at the event and audited', async () => {
        const later = (
          await center.request({
            method: 'POST',
            url: '/api/events',
            payload: fairBody({ title: '日付テスト 相談会', hostMunicipalityCode: YAMAGATA, booths: [] }),
          })
        ).json() as { id: string };
        const person = (
          await t.admin.request({
            method: 'POST',
            url: '/api/people',
            payload: personPayload({ name: '紙 名簿子', kana: 'カミ メイボコ' }),
          })
        ).json() as { id: string };
        const registered = await center.request({
          method: 'POST',
          url: `/api/events/${later.id}/registrations`,
          payload: { personId: person.id },
        });
        expect(registered.statusCode, registered.body).toBe(201);
        const registrationId = registered.json().registration.id as string;
        const checkin = (lang?: 'en') =>
          center.request({
            method: 'POST',
            url: `/api/events/${later.id}/checkins`,
            payload: { registrationId },
            headers: lang ? { 'accept-language': lang } : {},
          });
        const afterEvent = (ids: string[]) =>
          center.request({
            method: 'POST',
            url: `/api/events/${later.id}/attendance/after-event`,
            payload: { registrationIds: ids },
          });

        // Weeks before (2027-02-06): refused, naming the event's days; a walk-in check-in too.
        const early = await checkin();
        expect(early.statusCode).toBe(409);
        expect(early.json().error).toMatchObject({
          code: 'CONFLICT',
          message: expect.stringContaining('開催日'),
          details: { firstDay: '2027-02-06', lastDay: '2027-02-06' },
        });
        const walkIn = await center.request({
          method: 'POST',
          url: `/api/events/${later.id}/registrations`,
          payload: { personId: person.id, checkIn: true },
        });
        expect(walkIn.statusCode).toBe(409);
        // Nor is the after-event path a way round it.
        expect((await afterEvent([registrationId])).statusCode).toBe(409);

        // The event was three days ago: check-in is closed and says where attendance goes.
        const day = new Date(Date.now() + 9 * 3_600_000 - 3 * 86_400_000).toISOString().slice(0, 10);
        await moveEventTo(t.database.db, later.id, day);
        const late = await checkin('en');
        expect(late.statusCode).toBe(409);
        expect(late.json().error.message).toContain('Record attendance after the event');
        expect(late.json().error.details).toEqual({ firstDay: day, lastDay: day });
        expect(
          (await rows(sql`select checked_in_at from event_registrations where id = ${registrationId}`))[0],
        ).toEqual({
          checked_in_at: null,
        });

        // From the paper list: an id outside the event writes nothing; then recorded, dated at the event.
        expect((await afterEvent([registrationId, randomUUID()])).statusCode).toBe(404);
        const recorded = await afterEvent([registrationId]);
        expect(recorded.statusCode, recorded.body).toBe(200);
        expect(recorded.json()).toEqual({ recorded: [registrationId], alreadyCheckedIn: [] });
        const [reg] = await rows(
          sql`select to_char(checked_in_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') as at, checkin_method from event_registrations where id = ${registrationId}`,
        );
        expect(reg).toEqual({ at: `${day} 11:00`, checkin_method: 'after_event' });
        const engagements = await rows(
          sql`select to_char(occurred_on, 'YYYY-MM-DD') as day from engagements where person_id = ${person.id} and source = 'event'`,
        );
        expect(engagements.length).toBeGreaterThan(0);
        for (const e of engagements) expect(e).toEqual({ day });
        const audits = await rows(
          sql`select details->>'recordedOn' as recorded_on, details->>'method' as method from audit_events where action = 'event.attendance_after' and entity_id = ${registrationId}`,
        );
        expect(audits).toEqual([
          { recorded_on: new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10), method: 'after_event' },
        ]);
        expect((await afterEvent([registrationId])).json()).toEqual({
          recorded: [],
          alreadyCheckedIn: [registrationId],
        });
      });

      it('checks in by QR token once: 201, then 200 with alreadyCheckedIn and the original time', async () => {
        const first = await center.request({
          method: 'POST',
          url: `/api/events/${fair.id}/checkins`,
          payload: { qrToken: ticketToken },
        });
        expect(first.statusCode, first.body).toBe(201);
        const body = first.json();
        expect(body).toMatchObject({
          alreadyCheckedIn: false,
          registration: { person: { id: hanakoId, name: '移住 花子' }, checkinMethod: 'qr' },
        });
        expect(body.checkedInAt).toMatch(/\+09:00$/);
        hanakoRegistration = body.registration.id;
        const again = await center.request({
          method: 'POST',
          url: `/api/events/${fair.id}/checkins`,
          payload: { registrationId: hanakoRegistration },
        });
        expect(again.statusCode).toBe(200);
        expect(again.json()).toMatchObject({ alreadyCheckedIn: true, checkedInAt: body.checkedInAt });
        const ticket = (await t.app.inject({ method: 'GET', url: `/api/public/tickets/${ticketToken}` })).json();
        expect(ticket.registration).toMatchObject({ checkedIn: true, checkedInAt: body.checkedInAt });
      });

      it('answers 404 for a token of another event or an unknown one', async () => {
        const other = (await center.request({ method: 'GET', url: '/api/events?kind=fair&limit=100' }))
          .json()
          .items.find((e: { title: string }) => e.title === '別のイベント');
        expect(
          (
            await center.request({
              method: 'POST',
              url: `/api/events/${other.id}/checkins`,
              payload: { qrToken: ticketToken },
            })
          ).statusCode,
        ).toBe(404);
        expect(
          (
            await center.request({
              method: 'POST',
              url: `/api/events/${fair.id}/checkins`,
              payload: { qrToken: 'unknown-ticket-token-123' },
            })
          ).statusCode,
        ).toBe(404);
        const both = await center.request({ method: 'POST', url: `/api/events/${fair.id}/checkins`, payload: {} });
        expect(both.statusCode).toBe(400);
      });

      it('turns attendance into engagement records for the chosen, booked-booth and host municipalities, so the stage moves', async () => {
        const records = await rows(
          sql`select municipality_code, kind, source, external_key from engagements where person_id = ${hanakoId} order by municipality_code`,
        );
        expect(records).toEqual([
          {
            municipality_code: YAMAGATA,
            kind: 'event',
            source: 'event',
            external_key: `event:${hanakoRegistration}:${YAMAGATA}`,
          },
          {
            municipality_code: TSURUOKA,
            kind: 'event',
            source: 'event',
            external_key: `event:${hanakoRegistration}:${TSURUOKA}`,
          },
        ]);
        const stages = (await center.request({ method: 'GET', url: `/api/people/${hanakoId}/stages` })).json();
        expect(stages.items.find((s: { municipalityCode: string }) => s.municipalityCode === YAMAGATA).stage).toBe(
          'exchange',
        );
      });

      it('finds registrations by kana at the desk (any width), checks in by id, and audits the search', async () => {
        const found = (
          await center.request({
            method: 'GET',
            url: `/api/events/${fair.id}/registrations?q=${encodeURIComponent('ｷｿﾞﾝ')}`,
          })
        ).json();
        expect(found.items.map((r: { person: { name: string } }) => r.person.name)).toEqual(['既存 太郎']);
        const res = await center.request({
          method: 'POST',
          url: `/api/events/${fair.id}/checkins`,
          payload: { registrationId: found.items[0].id },
        });
        expect(res.statusCode).toBe(201);
        expect(res.json().registration.checkinMethod).toBe('desk');
        const audit = await rows(
          sql`select details from audit_events where action = 'event_registration.search' and entity_id = ${fair.id}`,
        );
        expect(audit.length).toBeGreaterThan(0);
        expect(JSON.stringify(audit)).not.toContain('ｷｿﾞﾝ');
      });

      it('registers and checks in a walk-in at once; a second time answers with the existing registration', async () => {
        const walkIn = (
          await t.admin.request({
            method: 'POST',
            url: '/api/people',
            payload: personPayload({
              name: '当日 参加',
              kana: 'トウジツ サンカ',
              links: [{ municipalityCode: SAKATA, kind: 'interest' }],
            }),
          })
        ).json();
        const res = await sakataStaff.request({
          method: 'POST',
          url: `/api/events/${fair.id}/registrations`,
          payload: { personId: walkIn.id, slotId: fair.booths[1]!.slots[0]!.id, checkIn: true },
        });
        expect(res.statusCode, res.body).toBe(201);
        expect(res.json().registration).toMatchObject({
          source: 'staff',
          checkinMethod: 'walk_in',
          municipalityCodes: [SAKATA],
          slot: { id: partnerSlotId },
        });
        const again = await sakataStaff.request({
          method: 'POST',
          url: `/api/events/${fair.id}/registrations`,
          payload: { personId: walkIn.id },
        });
        expect(again.statusCode).toBe(200);
        expect(again.json().alreadyRegistered).toBe(true);
        const engagements = await rows(
          sql`select municipality_code from engagements where person_id = ${walkIn.id} and source = 'event'`,
        );
        expect(engagements).toEqual([{ municipality_code: SAKATA }]);
      });

      it('shows attendance: who registered, who came, booth bookings, and who came without follow-up', async () => {
        const attendanceReads = async () =>
          (await rows(sql`select 1 from audit_events where action = 'event.attendance' and entity_id = ${fair.id}`))
            .length;
        const readsBefore = await attendanceReads();
        const before = (await center.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })).json();
        expect(before.totals).toMatchObject({
          registered: 5,
          checkedIn: 3,
          notCheckedIn: 2,
          walkIns: 1,
          slotBookings: 3,
          checkedInWithoutFollowUp: 3,
        });
        expect(before.withoutFollowUp.map((r: { person: { id: string } }) => r.person.id)).toContain(hanakoId);
        expect(before.booths.map((b: { booked: number; checkedIn: number }) => [b.booked, b.checkedIn])).toEqual([
          [2, 1],
          [1, 1],
        ]);
        // A consultation at the fair (the consultations module records it) is the follow-up.
        const [kase] = await rows(
          sql`insert into cases (person_id, step_on, opened_on) values (${hanakoId}, '2027-02-06', '2027-02-06') returning id`,
        );
        await rows(
          sql`insert into consultations (person_id, case_id, channel, occurred_on, event_id) values (${hanakoId}, ${kase!.id}, 'fair', '2027-02-06', ${fair.id})`,
        );
        const after = (await center.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })).json();
        expect(after.totals.checkedInWithoutFollowUp).toBe(2);
        expect(after.withoutFollowUp.map((r: { person: { id: string } }) => r.person.id)).not.toContain(hanakoId);
        expect(after.items.find((r: { person: { id: string } }) => r.person.id === hanakoId).hasFollowUp).toBe(true);
        expect(after.event.checkedInCount).toBe(3);
        expect(await attendanceReads()).toBe(readsBefore + 2);
      });
    });

    describe('scope', () => {
      // Partners check people in at their booth on the event's day: the fair is held today here too.
      let putBack: () => Promise<void> = async () => {};
      beforeAll(async () => {
        putBack = await moveEventTo(t.database.db, fair.id);
      });
      afterAll(() => putBack());
      it('answers 404 to municipality staff of another municipality and to an unrelated partner on every personal route', async () => {
        const [hanakoReg] = await rows(sql`select id from event_registrations where person_id = ${hanakoId}`);
        const yamagataPerson = (
          await t.admin.request({
            method: 'POST',
            url: '/api/people',
            payload: personPayload({ links: [{ municipalityCode: YAMAGATA, kind: 'supporter' }] }),
          })
        ).json();
        for (const outsider of [sakataStaff, partner]) {
          const list = await outsider.request({
            method: 'GET',
            url: `/api/events/${fair.id}/registrations?q=${encodeURIComponent('移住')}`,
          });
          expect(list.statusCode).toBe(200);
          expect(list.json().items.map((r: { person: { id: string } }) => r.person.id)).not.toContain(hanakoId);
          for (const payload of [{ registrationId: hanakoReg!.id }, { qrToken: ticketToken }]) {
            const res = await outsider.request({ method: 'POST', url: `/api/events/${fair.id}/checkins`, payload });
            expect(res.statusCode).toBe(404);
            expect(res.json().error.code).toBe('NOT_FOUND');
          }
          const walk = await outsider.request({
            method: 'POST',
            url: `/api/events/${fair.id}/registrations`,
            payload: { personId: yamagataPerson.id },
          });
          expect(walk.statusCode).toBe(404);
          const attendance = (
            await outsider.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })
          ).json();
          expect(attendance.items.map((r: { person: { id: string } }) => r.person.id)).not.toContain(hanakoId);
        }
        // Tsuruoka was chosen by Hanako, so Tsuruoka staff see her; an unrelated municipality (Yonezawa) not.
        const yonezawa = await t.staffSession('municipality_staff', '062022');
        const seen = (await yonezawa.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })).json();
        expect(seen.items.map((r: { person: { name: string } }) => r.person.name)).toEqual(['既存 太郎']);
        expect(seen.totals.registered).toBe(1);
        const tsuruoka = (
          await tsuruokaStaff.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })
        ).json();
        expect(tsuruoka.items.map((r: { person: { id: string } }) => r.person.id)).toContain(hanakoId);
        // Nothing was checked in or registered by those attempts.
        expect(
          (
            await rows(sql`select count(*)::int as n from event_registrations where person_id = ${yamagataPerson.id}`)
          )[0]!.n,
        ).toBe(0);
      });

      it('lets a partner see and check in only registrations that booked its booth', async () => {
        const mine = (await boothPartner.request({ method: 'GET', url: `/api/events/${fair.id}/attendance` })).json();
        expect(mine.items.map((r: { person: { name: string } }) => r.person.name)).toEqual(['当日 参加']);
        const booked = await signUp(fair.id, {
          email: 'job.seeker@example.jp',
          name: '仕事 探子',
          kana: 'シゴト サガシコ',
          municipalityCodes: [],
          slotId: partnerSlotId,
        });
        expect(booked.statusCode).toBe(201);
        const found = (
          await boothPartner.request({
            method: 'GET',
            url: `/api/events/${fair.id}/registrations?q=${encodeURIComponent('しごと')}`,
          })
        ).json();
        expect(found.total).toBe(1);
        expect(
          (
            await boothPartner.request({
              method: 'POST',
              url: `/api/events/${fair.id}/checkins`,
              payload: { registrationId: found.items[0].id },
            })
          ).statusCode,
        ).toBe(201);
        const [hanakoReg] = await rows(sql`select id from event_registrations where person_id = ${hanakoId}`);
        expect(
          (
            await boothPartner.request({
              method: 'POST',
              url: `/api/events/${fair.id}/checkins`,
              payload: { registrationId: hanakoReg!.id },
            })
          ).statusCode,
        ).toBe(404);
      });
    });
  });

  describe('cancelling a registration', () => {
    let seminar: { id: string; booths: Array<{ slots: Array<{ id: string }> }> };
    let slotId = '';
    const registrationOf = async (email: string) =>
      (
        await rows(
          sql`select r.id, r.status, r.cancelled_at from event_registrations r join people p on p.id = r.person_id where r.event_id = ${seminar.id} and p.email_key = ${email}`,
        )
      )[0]!;
    const counters = async () =>
      (
        await rows(
          sql`select registered_count, (select booked_count from booth_slots where id = ${slotId}) as booked from events where id = ${seminar.id}`,
        )
      )[0]!;
    const cancelAs = (session: Session, registrationId: string, headers: Record<string, string> = {}) =>
      session.request({
        method: 'POST',
        url: `/api/events/${seminar.id}/registrations/${registrationId}/cancel`,
        headers,
      });
    const cancelTicket = (token: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url: `/api/public/tickets/${token}/cancel`, headers });
    /** Cancellation confirmations queued for an address (outbound_mail: counts mails not yet delivered too). */
    const cancellationMailsTo = async (address: string) => {
      await t.app.jobs.drain();
      if (driver === 'postgres') await new Promise((r) => setTimeout(r, 1500));
      const [row] = await rows(
        sql`select count(*)::int as n from outbound_mail where to_address = ${address} and (subject like '%キャンセル受付%' or subject like '%Registration cancelled%')`,
      );
      return Number(row!.n);
    };

    beforeAll(async () => {
      const res = await center.request({
        method: 'POST',
        url: '/api/events',
        payload: fairBody({
          kind: 'seminar',
          title: '取消テスト セミナー',
          capacity: 1,
          hostMunicipalityCode: null,
          booths: [
            {
              name: '山形市 相談',
              municipalityCode: YAMAGATA,
              slots: [{ startsAt: '2027-02-06T12:00:00+09:00', endsAt: '2027-02-06T12:30:00+09:00', capacity: 1 }],
            },
          ],
        }),
      });
      seminar = res.json();
      slotId = seminar.booths[0]!.slots[0]!.id;
    });

    it('staff cancel: the place and slot are freed once, a second cancel answers the same, and the freed place can be taken again', async () => {
      expect(
        (await signUp(seminar.id, { email: 'cancel.a@example.jp', municipalityCodes: [YAMAGATA], slotId })).statusCode,
      ).toBe(201);
      expect(
        (await signUp(seminar.id, { email: 'cancel.b@example.jp', municipalityCodes: [YAMAGATA] })).json().error.code,
      ).toBe('EVENT_FULL');
      const a = await registrationOf('cancel.a@example.jp');
      expect(await counters()).toEqual({ registered_count: 1, booked: 1 });
      // The ticket job skips a registration cancelled before it runs; this one's ticket is used below.
      await mailTo('cancel.a@example.jp');

      const first = await cancelAs(yamagataStaff, String(a.id));
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({
        id: a.id,
        status: 'cancelled',
        cancelledAt: expect.stringMatching(/\+09:00$/),
      });
      expect(await counters()).toEqual({ registered_count: 0, booked: 0 });
      const second = await cancelAs(center, String(a.id));
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
      expect(await counters()).toEqual({ registered_count: 0, booked: 0 });
      const audits = await rows(
        sql`select actor_staff_id, details from audit_events where action = 'event_registration.cancel' and entity_id = ${a.id}`,
      );
      expect(audits).toEqual([
        { actor_staff_id: yamagataStaff.user.id, details: { eventId: seminar.id, by: 'staff', slot: true } },
      ]);
      // The registrant is told (in the registration's language) once, though staff cancelled twice.
      const told = await smtp.waitFor(
        (m) =>
          JSON.stringify(m.to ?? '').includes('cancel.a@example.jp') && (m.subject ?? '').includes('キャンセル受付'),
      );
      expect(told.subject).toBe('【山形県移住センター】キャンセル受付：取消テスト セミナー');
      expect(told.text).toContain('移住 花子 様');
      expect(told.text).toContain('センターで取り消しました');
      expect(told.text).toContain('2027年2月6日（土）11:00〜17:00（日本時間）');
      expect(told.text).toContain(`${PUBLIC_URL}/events/${seminar.id}`);
      expect(await cancellationMailsTo('cancel.a@example.jp')).toBe(1);

      const b = await signUp(seminar.id, { email: 'cancel.b@example.jp', municipalityCodes: [YAMAGATA], slotId });
      expect(b.statusCode, b.body).toBe(201);
      expect(await counters()).toEqual({ registered_count: 1, booked: 1 });
      await mailTo('cancel.b@example.jp');
      const attendance = (await center.request({ method: 'GET', url: `/api/events/${seminar.id}/attendance` })).json();
      expect(attendance.totals).toMatchObject({ registered: 1, slotBookings: 1 });
      expect(attendance.items.find((r: { id: string }) => r.id === a.id)).toMatchObject({
        status: 'cancelled',
        cancelledAt: first.json().cancelledAt,
      });
    });

    it('refuses to check a cancelled registration in, by id or QR token, with a clear 409 (ja and en)', async () => {
      const a = await registrationOf('cancel.a@example.jp');
      const byId = await center.request({
        method: 'POST',
        url: `/api/events/${seminar.id}/checkins`,
        payload: { registrationId: a.id },
      });
      expect(byId.statusCode).toBe(409);
      expect(byId.json().error).toMatchObject({
        code: 'REGISTRATION_CANCELLED',
        message: expect.stringMatching(/取り消されています/),
      });
      const [mail] = await mailTo('cancel.a@example.jp');
      const en = await center.request({
        method: 'POST',
        url: `/api/events/${seminar.id}/checkins`,
        headers: { 'accept-language': 'en' },
        payload: { qrToken: tokenOf(mail!) },
      });
      expect(en.statusCode).toBe(409);
      expect(en.json().error.message).toMatch(/was cancelled/);
      expect(
        (await rows(sql`select checked_in_at from event_registrations where id = ${a.id}`))[0]!.checked_in_at,
      ).toBeNull();
    });

    it('the registrant cancels from the ticket page by its token, idempotently and audited; the ticket then shows it cancelled', async () => {
      const [mail] = await mailTo('cancel.b@example.jp');
      const token = tokenOf(mail!);
      const b = await registrationOf('cancel.b@example.jp');
      const first = await cancelTicket(token);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().registration).toMatchObject({
        status: 'cancelled',
        cancelledAt: expect.stringMatching(/\+09:00$/),
        checkedIn: false,
      });
      expect(await counters()).toEqual({ registered_count: 0, booked: 0 });
      const again = await cancelTicket(token);
      expect(again.statusCode).toBe(200);
      expect(again.json().registration).toEqual(first.json().registration);
      expect(await counters()).toEqual({ registered_count: 0, booked: 0 });
      expect(
        (await t.app.inject({ method: 'GET', url: `/api/public/tickets/${token}` })).json().registration.status,
      ).toBe('cancelled');
      const audits = await rows(
        sql`select actor_staff_id, via, details from audit_events where action = 'event_registration.cancel' and entity_id = ${b.id}`,
      );
      expect(audits).toEqual([
        { actor_staff_id: null, via: 'public', details: { eventId: seminar.id, by: 'registrant', slot: true } },
      ]);
      const told = await smtp.waitFor(
        (m) =>
          JSON.stringify(m.to ?? '').includes('cancel.b@example.jp') && (m.subject ?? '').includes('キャンセル受付'),
      );
      expect(told.text).toContain('お申し込みのキャンセルを受け付けました');
      expect(told.text).toContain('受付票と QR コードは使えなくなりました');
      // Cancelled twice, mailed once: the second cancellation freed nothing and queued no job.
      expect(await cancellationMailsTo('cancel.b@example.jp')).toBe(1);
      // A ticket job that runs after the cancellation (queued by a late re-send) sends nothing.
      const late = {
        registrationId: String(b.id),
        mailId: randomUUID(),
        locale: 'ja' as const,
        resent: true,
        publicUrl: PUBLIC_URL,
      };
      await sendTicketMail(t.database.db, t.app.mailer, late);
      expect(await rows(sql`select 1 from outbound_mail where id = ${late.mailId}`)).toEqual([]);
      const unknown = await cancelTicket('not-a-real-ticket-token');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('NOT_FOUND');
    });

    it('shows the cancellation in the supporter’s own export: status and when', async () => {
      const [mail] = await mailTo('cancel.b@example.jp');
      const ticket = (await t.app.inject({ method: 'GET', url: `/api/public/tickets/${tokenOf(mail!)}` })).json();
      const [person] = await rows(sql`select id from people where email_key = 'cancel.b@example.jp'`);
      const me = await t.supporterSession(String(person!.id));
      const json = (await me.request({ method: 'GET', url: '/api/me/export?format=json' })).json();
      expect(json.eventRegistrations).toEqual([
        expect.objectContaining({
          event: expect.objectContaining({ id: seminar.id }),
          status: 'cancelled',
          cancelledAt: ticket.registration.cancelledAt,
        }),
      ]);
      expect(json.eventRegistrations[0].cancelledAt).toMatch(/\+09:00$/);
      // GET /api/me (the /me page) carries the same.
      const page = (await me.request({ method: 'GET', url: '/api/me' })).json();
      expect(page.eventRegistrations[0]).toMatchObject({
        status: 'cancelled',
        cancelledAt: ticket.registration.cancelledAt,
      });
      // And the CSV download.
      const csv = (await me.request({ method: 'GET', url: '/api/me/export?format=csv' })).body;
      expect(csv).toContain(`キャンセル（${formatTokyoDateTime(ticket.registration.cancelledAt)}）`);
    });

    it('takes a cancelled registration up again when the person registers again: same ticket, a fresh ticket mail, the seat counted', async () => {
      const before = await registrationOf('cancel.a@example.jp');
      const mails = (await mailTo('cancel.a@example.jp')).length;
      const res = await signUp(seminar.id, { email: 'cancel.a@example.jp', municipalityCodes: [YAMAGATA] });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ alreadyRegistered: false, slot: null });
      const after = await registrationOf('cancel.a@example.jp');
      expect(after).toMatchObject({ id: before.id, status: 'registered', cancelled_at: null });
      expect(await counters()).toEqual({ registered_count: 1, booked: 0 });
      const fresh = (await mailTo('cancel.a@example.jp', mails + 1))[mails];
      expect(fresh!.text).toContain('お申し込みを受け付けました');
      expect(tokenOf(fresh!)).toBe(tokenOf((await mailTo('cancel.a@example.jp'))[0]!));
    });

    it('refuses to cancel a checked-in registration (staff and ticket) with 409 ALREADY_CHECKED_IN', async () => {
      const a = await registrationOf('cancel.a@example.jp');
      // Checked in on the event's day (held today for the check-in, then put back).
      const putBack = await moveEventTo(t.database.db, seminar.id);
      const checkedIn = await center.request({
        method: 'POST',
        url: `/api/events/${seminar.id}/checkins`,
        payload: { registrationId: a.id },
      });
      await putBack();
      expect(checkedIn.statusCode).toBe(201);
      const staff = await cancelAs(center, String(a.id), { 'accept-language': 'en' });
      expect(staff.statusCode).toBe(409);
      expect(staff.json().error).toMatchObject({
        code: 'ALREADY_CHECKED_IN',
        message: expect.stringMatching(/checked in/),
      });
      const [mail] = await mailTo('cancel.a@example.jp');
      const own = await cancelTicket(tokenOf(mail!));
      expect(own.statusCode).toBe(409);
      expect(own.json().error.message).toMatch(/受付（チェックイン）済み/);
      expect(await counters()).toEqual({ registered_count: 1, booked: 0 });
    });

    it('answers 404 to municipality staff of another municipality and to partners (related or not), cancelling nothing', async () => {
      expect(
        (await signUp(seminar.id, { email: 'cancel.b@example.jp', municipalityCodes: [YAMAGATA] })).statusCode,
      ).toBe(409);
      const bigger = await center.request({
        method: 'PATCH',
        url: `/api/events/${seminar.id}`,
        payload: { capacity: 5 },
      });
      expect(bigger.statusCode).toBe(200);
      expect(
        (await signUp(seminar.id, { email: 'cancel.b@example.jp', municipalityCodes: [YAMAGATA] })).statusCode,
      ).toBe(201);
      const b = await registrationOf('cancel.b@example.jp');
      for (const outsider of [sakataStaff, partner, boothPartner]) {
        const res = await cancelAs(outsider, String(b.id));
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
      // A registration of another event under this event's path is not found either.
      const [other] = await rows(sql`select id from event_registrations where event_id = ${fair.id} limit 1`);
      expect((await cancelAs(center, String(other!.id))).statusCode).toBe(404);
      expect((await registrationOf('cancel.b@example.jp')).status).toBe('registered');
      expect((await counters()).registered_count).toBe(2);
    });

    it('mails the registrant’s cancellation in the registration’s language, once per job; nothing when the registration was taken up again first', async () => {
      expect(
        (
          await signUp(seminar.id, {
            email: 'cancel.en@example.jp',
            name: 'Cancel Emma',
            municipalityCodes: [YAMAGATA],
            locale: 'en',
          })
        ).statusCode,
      ).toBe(201);
      const [ticket] = await mailTo('cancel.en@example.jp');
      expect((await cancelTicket(tokenOf(ticket!))).statusCode).toBe(200);
      const told = await smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes('cancel.en@example.jp') && (m.subject ?? '').includes('cancelled'),
      );
      expect(told.subject).toBe('[山形県移住センター] Registration cancelled: 取消テスト セミナー');
      expect(told.text).toContain('Dear Cancel Emma,');
      expect(told.text).toContain('has been cancelled as you asked');
      expect(told.text).toContain(`${PUBLIC_URL}/events/${seminar.id}`);

      // A retry of the job after its mail was queued queues nothing new.
      const reg = await registrationOf('cancel.en@example.jp');
      const job = {
        registrationId: String(reg.id),
        mailId: randomUUID(),
        by: 'registrant' as const,
        publicUrl: PUBLIC_URL,
      };
      await sendRegistrationCancelledMail(t.database.db, t.app.mailer, job);
      await sendRegistrationCancelledMail(t.database.db, t.app.mailer, job);
      expect(await rows(sql`select to_address from outbound_mail where id = ${job.mailId}`)).toEqual([
        { to_address: 'cancel.en@example.jp' },
      ]);
      expect(await cancellationMailsTo('cancel.en@example.jp')).toBe(2);

      // Registered again before a (late) job ran: the job sends nothing.
      expect(
        (await signUp(seminar.id, { email: 'cancel.en@example.jp', municipalityCodes: [YAMAGATA], locale: 'en' }))
          .statusCode,
      ).toBe(201);
      const late = {
        registrationId: String(reg.id),
        mailId: randomUUID(),
        by: 'registrant' as const,
        publicUrl: PUBLIC_URL,
      };
      await sendRegistrationCancelledMail(t.database.db, t.app.mailer, late);
      expect(await rows(sql`select 1 from outbound_mail where id = ${late.mailId}`)).toEqual([]);
      expect(await cancellationMailsTo('cancel.en@example.jp')).toBe(2);
    });
  });

  describe('calling an event off, and walk-ins with an address', () => {
    let day: { id: string };
    const TITLE = '中止テスト 相談DAY';
    const mailsTo = (address: string) => smtp.messages.filter((m) => JSON.stringify(m.to ?? '').includes(address));
    /** Lets queued jobs run: drained in-process; pg-boss polls every 0.5 s, two hops (job → mail). */
    const settle = async () => {
      await t.app.jobs.drain();
      if (driver === 'postgres') await new Promise((r) => setTimeout(r, 2500));
    };

    beforeAll(async () => {
      day = (
        await center.request({
          method: 'POST',
          url: '/api/events',
          payload: fairBody({ kind: 'mini_day', title: TITLE, booths: [] }),
        })
      ).json();
    });

    it('mails the ticket to a walk-in registered by staff when the person has an address, in the language chosen; not again for an existing registration', async () => {
      const withMail = (
        await t.admin.request({
          method: 'POST',
          url: '/api/people',
          payload: personPayload({
            name: '窓口 英子',
            email: 'walkin.en@example.jp',
            links: [{ municipalityCode: SAKATA, kind: 'interest' }],
          }),
        })
      ).json();
      // A walk-in is checked in on the event's day: held today for it, then put back.
      const putBack = await moveEventTo(t.database.db, day.id);
      const res = await sakataStaff.request({
        method: 'POST',
        url: `/api/events/${day.id}/registrations`,
        payload: { personId: withMail.id, checkIn: true, locale: 'en' },
      });
      await putBack();
      expect(res.statusCode, res.body).toBe(201);
      const [mail] = await mailTo('walkin.en@example.jp');
      expect(mail!.subject).toBe(`[山形県移住センター] Registration confirmed: ${TITLE}`);
      expect(mail!.text).toContain('Dear 窓口 英子,');
      expect(mail!.attachments.map((a) => a.filename).sort()).toEqual(['checkin-qr.png', 'event.ics']);
      const ticket = await t.app.inject({ method: 'GET', url: `/api/public/tickets/${tokenOf(mail!)}` });
      expect(ticket.json().registration).toMatchObject({ status: 'registered', checkedIn: true });

      const again = await sakataStaff.request({
        method: 'POST',
        url: `/api/events/${day.id}/registrations`,
        payload: { personId: withMail.id },
      });
      expect(again.statusCode).toBe(200);
      const noMail = (
        await t.admin.request({
          method: 'POST',
          url: '/api/people',
          payload: personPayload({
            name: '窓口 無子',
            email: null,
            links: [{ municipalityCode: SAKATA, kind: 'interest' }],
          }),
        })
      ).json();
      expect(
        (
          await sakataStaff.request({
            method: 'POST',
            url: `/api/events/${day.id}/registrations`,
            payload: { personId: noMail.id },
          })
        ).statusCode,
      ).toBe(201);
      await settle();
      expect(mailsTo('walkin.en@example.jp')).toHaveLength(1);
      expect(await rows(sql`select 1 from outbound_mail where person_id = ${noMail.id}`)).toEqual([]);
    });

    it('mails every registrant still registered when staff cancel the event, each in their language, through a job; audited once', async () => {
      expect((await signUp(day.id, { email: 'off.ja@example.jp', name: '中止 花子' })).statusCode).toBe(201);
      expect((await signUp(day.id, { email: 'off.en@example.jp', name: 'Off Hanako', locale: 'en' })).statusCode).toBe(
        201,
      );
      expect((await signUp(day.id, { email: 'off.gone@example.jp', name: '取消 済子' })).statusCode).toBe(201);
      // Registered in Japanese, then again in English: the registration takes the latest language.
      expect((await signUp(day.id, { email: 'off.switch@example.jp', name: 'Switch Ken' })).statusCode).toBe(201);
      // The first ticket has arrived before the resend is asked for, so the resend is the second mail
      // (two ticket jobs running side by side on pg-boss may deliver in either order).
      await mailTo('off.switch@example.jp');
      // Ten minutes later, so that the ticket is sent again (a resend waits that long).
      await rows(
        sql`update event_registrations r set ticket_mailed_at = ticket_mailed_at - interval '10 minutes 1 second' from people p where p.id = r.person_id and p.email_key = 'off.switch@example.jp'`,
      );
      const switched = await signUp(day.id, { email: 'off.switch@example.jp', name: 'Switch Ken', locale: 'en' });
      expect(switched.statusCode, switched.body).toBe(200);
      expect(
        (
          await rows(
            sql`select r.locale from event_registrations r join people p on p.id = r.person_id where r.event_id = ${day.id} and p.email_key = 'off.switch@example.jp'`,
          )
        )[0]!.locale,
      ).toBe('en');
      const resent = (await mailTo('off.switch@example.jp', 2))[1]!;
      expect(resent.text).toContain('You are already registered');
      const [goneTicket] = await mailTo('off.gone@example.jp');
      expect(
        (await t.app.inject({ method: 'POST', url: `/api/public/tickets/${tokenOf(goneTicket!)}/cancel` })).statusCode,
      ).toBe(200);
      await mailTo('off.ja@example.jp');
      await mailTo('off.en@example.jp');

      const res = await center.request({
        method: 'PATCH',
        url: `/api/events/${day.id}`,
        payload: { status: 'cancelled' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('cancelled');

      const ja = await smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes('off.ja@example.jp') && (m.subject ?? '').includes('中止のお知らせ'),
      );
      expect(ja.subject).toBe(`【山形県移住センター】中止のお知らせ：${TITLE}`);
      expect(ja.text).toContain('中止 花子 様');
      expect(ja.text).toContain('2027年2月6日（土）11:00〜17:00（日本時間）');
      expect(ja.text).toContain(`${PUBLIC_URL}/events`);
      const en = await smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes('off.en@example.jp') && (m.subject ?? '').includes('cancelled'),
      );
      expect(en.subject).toBe(`[山形県移住センター] Event cancelled: ${TITLE}`);
      expect(en.text).toContain('Dear Off Hanako,');
      const walkIn = await smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes('walkin.en@example.jp') && (m.subject ?? '').includes('cancelled'),
      );
      expect(walkIn.text).toContain('has been cancelled');
      const latest = await smtp.waitFor(
        (m) => JSON.stringify(m.to ?? '').includes('off.switch@example.jp') && (m.subject ?? '').includes('cancelled'),
      );
      expect(latest.subject).toBe(`[山形県移住センター] Event cancelled: ${TITLE}`);
      expect(latest.text).toContain('Dear Switch Ken,');

      // Setting the status again is no second cancellation: no audit, no mail.
      expect(
        (
          await center.request({
            method: 'PATCH',
            url: `/api/events/${day.id}`,
            payload: { status: 'cancelled', title: TITLE },
          })
        ).statusCode,
      ).toBe(200);
      await settle();
      expect(mailsTo('off.ja@example.jp')).toHaveLength(2);
      expect(mailsTo('off.en@example.jp')).toHaveLength(2);
      expect(mailsTo('walkin.en@example.jp')).toHaveLength(2);
      // The ticket and the confirmation of their own cancellation; no notice of the event called off.
      expect(mailsTo('off.gone@example.jp').map((m) => m.subject)).toEqual([
        `【山形県移住センター】お申し込み受付：${TITLE}`,
        `【山形県移住センター】キャンセル受付：${TITLE}`,
      ]);
      expect(mailsTo('off.switch@example.jp')).toHaveLength(3);
      const audits = await rows(
        sql`select actor_staff_id, details from audit_events where action = 'event.cancel' and entity_id = ${day.id}`,
      );
      expect(audits).toEqual([
        { actor_staff_id: center.user.id, details: { registrationsHeld: 5, previousStatus: 'published' } },
      ]);
      // Five held: four with an address are mailed, the walk-in without one is not.
      const cancellationMails = await rows(
        sql`select count(*)::int as n from outbound_mail where subject like ${`%${TITLE}`} and (subject like '%中止のお知らせ%' or subject like '%Event cancelled%')`,
      );
      expect(cancellationMails[0]!.n).toBe(4);
    });

    it('queues each registrant’s cancellation mail once when the job runs again', async () => {
      const job = { eventId: day.id, cancellationId: randomUUID(), publicUrl: PUBLIC_URL };
      const before = await rows(sql`select count(*)::int as n from outbound_mail`);
      expect(await sendCancellationMails(t.database.db, t.app.mailer, job)).toBe(4);
      expect(await sendCancellationMails(t.database.db, t.app.mailer, job)).toBe(4);
      const after = await rows(sql`select count(*)::int as n from outbound_mail`);
      expect(Number(after[0]!.n) - Number(before[0]!.n)).toBe(4);
      await settle();
      await expect.poll(() => mailsTo('off.ja@example.jp').length, { timeout: 10_000 }).toBe(3);
    });
  });

  describe('spam protection', () => {
    const queuedMailsTo = async (address: string) =>
      Number((await rows(sql`select count(*)::int as n from outbound_mail where to_address = ${address}`))[0]!.n);
    /** Lets queued jobs run: drained in-process; pg-boss polls every 0.5 s, two hops (job → mail). */
    const settle = async () => {
      await t.app.jobs.drain();
      if (driver === 'postgres') await new Promise((r) => setTimeout(r, 3000));
    };

    it('mails the ticket once however often one address registers again, from however many addresses; again only after 10 minutes', async () => {
      const ev = (
        await center.request({
          method: 'POST',
          url: '/api/events',
          payload: fairBody({ title: '再送は10分に1回', booths: [] }),
        })
      ).json();
      const address = 'ticket.flood@example.jp';
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push(
          (await signUp(ev.id, { email: address, name: `連続 ${i}号` }, {}, `203.0.113.${i + 1}`)).statusCode,
        );
      expect(statuses).toEqual([201, 200, 200, 200, 200, 200, 200, 200]);
      await settle();
      expect(await queuedMailsTo(address)).toBe(1);
      await mailTo(address, 1);

      await rows(
        sql`update event_registrations set ticket_mailed_at = ticket_mailed_at - interval '10 minutes 1 second' where event_id = ${ev.id}`,
      );
      for (let i = 0; i < 3; i++)
        expect((await signUp(ev.id, { email: address }, {}, `198.51.100.${i + 1}`)).statusCode).toBe(200);
      await settle();
      expect(await queuedMailsTo(address)).toBe(2);
      const mails = await mailTo(address, 2);
      expect(mails[1]!.text).toContain('すでにお申し込みいただいています');
      expect(tokenOf(mails[1]!)).toBe(tokenOf(mails[0]!));
    });

    it('a form token serves one accepted registration: a refused one (event called off) keeps it usable, a reuse is refused with 409 asking to reload the form', async () => {
      const open = (
        await center.request({
          method: 'POST',
          url: '/api/events',
          payload: fairBody({ title: 'フォームは一回限り', booths: [] }),
        })
      ).json();
      const off = (
        await center.request({
          method: 'POST',
          url: '/api/events',
          payload: fairBody({ title: '中止の回（トークン）', booths: [] }),
        })
      ).json();
      await center.request({ method: 'PATCH', url: `/api/events/${off.id}`, payload: { status: 'cancelled' } });
      const token = await formToken();
      const closed = await signUp(off.id, { email: 'token.once@example.jp', formToken: token });
      expect(closed.json().error.code).toBe('EVENT_CLOSED');
      expect((await signUp(open.id, { email: 'token.once@example.jp', formToken: token })).statusCode).toBe(201);
      for (const [lang, words] of [
        ['ja', '再読み込み'],
        ['en', 'reload the page'],
      ] as const) {
        const reused = await signUp(
          open.id,
          { email: `token.twice.${lang}@example.jp`, formToken: token },
          { 'accept-language': lang },
        );
        expect(reused.statusCode).toBe(409);
        expect(reused.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(words) });
      }
      expect(await rows(sql`select id from people where email_key like 'token.twice.%'`)).toEqual([]);
      expect(
        Number((await rows(sql`select registered_count from events where id = ${open.id}`))[0]!.registered_count),
      ).toBe(1);
    });

    it('refuses forms sent faster than a person fills them and limits sign-ups per address', async () => {
      const strict = await createTestApp(driver, { publicRateLimit: 3, minFormFillMs: 60_000 });
      try {
        const ev = (
          await strict.admin.request({ method: 'POST', url: '/api/events', payload: fairBody({ booths: [] }) })
        ).json();
        const send = async () => {
          const token = (
            (await strict.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as {
              formToken: string;
            }
          ).formToken;
          return strict.app.inject({
            method: 'POST',
            url: `/api/public/events/${ev.id}/registrations`,
            payload: {
              name: '速い 送信',
              kana: 'ハヤイ ソウシン',
              email: 'fast@example.jp',
              prefecture: '東京都',
              city: '港区',
              consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
              formToken: token,
            },
          });
        };
        for (let i = 0; i < 3; i++) {
          const res = await send();
          expect(res.statusCode).toBe(400);
          expect(res.json().error.message).toMatch(/送信が早すぎます/);
          // Pressing again keeps what was typed: nothing asks to reload the page (which would lose it).
          expect(res.json().error.message).toMatch(/もう一度送信ボタンを押してください/);
          expect(res.json().error.message).not.toMatch(/再読み込み/);
          expect(res.json().error.details).toEqual({ reason: 'too_fast', retryAfterSeconds: 60 });
          expect(res.headers['retry-after']).toBe('60');
        }
        expect((await send()).statusCode).toBe(429);
        const counts = (
          (await strict.database.db.execute(sql`select count(*)::int as n from event_registrations`)) as unknown as {
            rows: Row[];
          }
        ).rows[0]!;
        expect(counts.n).toBe(0);
      } finally {
        await strict.close();
      }
    });
  });

  describe('demo data', () => {
    it('seeds one marked demo fair in Tokyo on a future Saturday with municipal booths, slots and a few registrations, once', async () => {
      await seedDemoData(t.database.db);
      await seedDemoData(t.database.db);
      const demo = await rows(
        // The KPI demo's events are held in the prefecture (venue municipality); the fair is in Tokyo.
        sql`select id, title, venue, starts_at, registered_count, capacity from events where is_demo = 1 and venue_municipality_code is null`,
      );
      expect(demo).toHaveLength(1);
      expect(demo[0]).toMatchObject({ title: '【デモ】やまがた移住・交流フェア', registered_count: 8, capacity: 400 });
      expect(String(demo[0]!.venue)).toContain('東京都千代田区');
      const starts = new Date(demo[0]!.starts_at as string);
      expect(starts.getTime()).toBeGreaterThan(Date.now() + 40 * 24 * 3600 * 1000);
      const detail = (await center.request({ method: 'GET', url: `/api/events/${demo[0]!.id}` })).json();
      expect(detail.startsAt).toMatch(/T11:00:00\+09:00$/);
      expect(new Date(detail.startsAt).getUTCDay()).toBe(6);
      expect(detail.booths.filter((b: { municipality: unknown }) => b.municipality).length).toBeGreaterThanOrEqual(5);
      expect(detail.booths.every((b: { slots: unknown[] }) => b.slots.length === 10)).toBe(true);
      const booked = detail.booths
        .flatMap((b: { slots: Array<{ bookedCount: number }> }) => b.slots)
        .reduce((n: number, x: { bookedCount: number }) => n + x.bookedCount, 0);
      const withSlot = await rows(
        sql`select count(*)::int as n from event_registrations where event_id = ${demo[0]!.id} and slot_id is not null`,
      );
      expect(booked).toBe(withSlot[0]!.n);
      const regs = await rows(
        sql`select p.is_demo from event_registrations r join people p on p.id = r.person_id where r.event_id = ${demo[0]!.id}`,
      );
      expect(regs.every((r) => r.is_demo === 1)).toBe(true);
    });
  });
});
