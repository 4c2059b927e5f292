/**
 * Races at the door and at the sign-up form. On PostgreSQL (a pool of 20 connections) the
 * requests really run at the same time; on PGlite they are serialized, and the same rules must
 * still hold: one check-in however many scanners fire, and never more registrations than places.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { moveEventTo } from '../helpers/events.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';
const SAKATA = '062049';

type Row = Record<string, unknown>;

describe.each(TEST_DRIVERS)('event races on %s', (driver) => {
  let t: TestApp;
  const rows = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: Row[] }).rows;
  const formToken = async () =>
    ((await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string })
      .formToken;
  /** A form token serves one accepted sign-up: one fresh token per simultaneous sign-up. */
  const formTokens = (n: number) => Promise.all(Array.from({ length: n }, formToken));
  const createEvent = async (payload: Record<string, unknown>) => {
    const res = await t.admin.request({
      method: 'POST',
      url: '/api/events',
      payload: {
        kind: 'fair',
        title: '混雑テスト',
        startsAt: '2027-02-06T11:00:00+09:00',
        endsAt: '2027-02-06T17:00:00+09:00',
        venue: '東京',
        ...payload,
      },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json() as { id: string; booths: Array<{ slots: Array<{ id: string }> }> };
  };
  const signUp = (eventId: string, token: string, i: number, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/public/events/${eventId}/registrations`,
      payload: {
        name: `同時 ${i}号`,
        kana: 'ドウジ テスト',
        email: `rush${i}@example.jp`,
        prefecture: '東京都',
        city: '新宿区',
        municipalityCodes: [TSURUOKA],
        consents: { newsletter: false, shareWithMunicipalities: true, anonymousStatistics: false },
        formToken: token,
        ...extra,
      },
    });

  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  it('checks a registration in exactly once when 50 scanners fire at the same time, with one engagement per municipality', async () => {
    const event = await createEvent({
      hostMunicipalityCode: SAKATA,
      booths: [
        {
          name: '山形市',
          municipalityCode: YAMAGATA,
          slots: [{ startsAt: '2027-02-06T11:00:00+09:00', endsAt: '2027-02-06T11:30:00+09:00', capacity: 5 }],
        },
      ],
    });
    const reg = await signUp(event.id, await formToken(), 0, { slotId: event.booths[0]!.slots[0]!.id });
    expect(reg.statusCode, reg.body).toBe(201);
    const [registration] = await rows(sql`select id, person_id from event_registrations where event_id = ${event.id}`);
    // The scanners fire on the event's day: check-in is open only then.
    await moveEventTo(t.database.db, event.id);
    const staff = await t.staffSession('center_staff');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        staff.request({
          method: 'POST',
          url: `/api/events/${event.id}/checkins`,
          payload: { registrationId: registration!.id },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const times = new Set(answers.map((a) => a.json().checkedInAt));
    expect(times.size).toBe(1);
    expect(answers.filter((a) => a.json().alreadyCheckedIn === false)).toHaveLength(1);

    const checkins = await rows(
      sql`select checked_in_at from event_registrations where id = ${registration!.id} and checked_in_at is not null`,
    );
    expect(checkins).toHaveLength(1);
    const engagements = await rows(
      sql`select municipality_code, count(*)::int as n from engagements where person_id = ${registration!.person_id} group by municipality_code order by municipality_code`,
    );
    // Chosen (Tsuruoka) ∪ booked booth (Yamagata) ∪ host (Sakata), each once.
    expect(engagements).toEqual([
      { municipality_code: YAMAGATA, n: 1 },
      { municipality_code: TSURUOKA, n: 1 },
      { municipality_code: SAKATA, n: 1 },
    ]);
    const audits = await rows(
      sql`select count(*)::int as n from audit_events where action = 'event.checkin' and entity_id = ${registration!.id}`,
    );
    expect(audits[0]!.n).toBe(1);
  });

  it('never registers more than the capacity: 200 concurrent sign-ups for 50 places give exactly 50', async () => {
    const event = await createEvent({ capacity: 50 });
    const tokens = await formTokens(200);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => signUp(event.id, tokens[i]!, i + 1)));
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.statusCode, (byStatus.get(a.statusCode) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 50, 409: 150 });
    for (const a of answers.filter((x) => x.statusCode === 409)) expect(a.json().error.code).toBe('EVENT_FULL');
    const [counts] = await rows(
      sql`select registered_count, (select count(*)::int from event_registrations r where r.event_id = e.id) as registrations from events e where id = ${event.id}`,
    );
    expect(counts).toEqual({ registered_count: 50, registrations: 50 });
    // The refused sign-ups left nothing behind: no person, no consent, no link.
    const [people] = await rows(sql`select count(*)::int as n from people where email_key like 'rush%@example.jp'`);
    expect(people!.n).toBe(51);
  });

  it('never books a slot beyond its capacity under concurrent sign-ups', async () => {
    const event = await createEvent({
      booths: [
        {
          name: '鶴岡市',
          municipalityCode: TSURUOKA,
          slots: [{ startsAt: '2027-02-06T12:00:00+09:00', endsAt: '2027-02-06T12:30:00+09:00', capacity: 3 }],
        },
      ],
    });
    const slotId = event.booths[0]!.slots[0]!.id;
    const tokens = await formTokens(30);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => signUp(event.id, tokens[i]!, 1000 + i, { slotId })),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().error.code)).toEqual(
      Array(27).fill('SLOT_FULL'),
    );
    const [slot] = await rows(sql`select booked_count from booth_slots where id = ${slotId}`);
    expect(slot!.booked_count).toBe(3);
    expect((await rows(sql`select registered_count from events where id = ${event.id}`))[0]!.registered_count).toBe(3);
  });

  it('frees a place once when 20 cancellations of one registration race, and keeps the counters exact while cancellations and sign-ups race', async () => {
    const event = await createEvent({
      capacity: 10,
      booths: [
        {
          name: '鶴岡市',
          municipalityCode: TSURUOKA,
          slots: [{ startsAt: '2027-02-06T12:00:00+09:00', endsAt: '2027-02-06T12:30:00+09:00', capacity: 10 }],
        },
      ],
    });
    const slotId = event.booths[0]!.slots[0]!.id;
    for (let i = 0; i < 10; i++)
      expect((await signUp(event.id, await formToken(), 7000 + i, { slotId })).statusCode).toBe(201);
    const held = await rows(
      sql`select id from event_registrations where event_id = ${event.id} order by created_at, id`,
    );
    const staff = await t.staffSession('center_staff');
    const cancel = (id: unknown) =>
      staff.request({ method: 'POST', url: `/api/events/${event.id}/registrations/${id}/cancel` });

    const same = await Promise.all(Array.from({ length: 20 }, () => cancel(held[0]!.id)));
    expect(same.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(same.map((a) => a.json().cancelledAt)).size).toBe(1);
    const audits = await rows(
      sql`select count(*)::int as n from audit_events where action = 'event_registration.cancel' and entity_id = ${held[0]!.id}`,
    );
    expect(audits[0]!.n).toBe(1);
    // Only the cancellation that freed the place tells the registrant: one mail, not twenty.
    await t.app.jobs.drain();
    const told = await rows(
      sql`select count(*)::int as n from outbound_mail where to_address = 'rush7000@example.jp' and subject like '%キャンセル受付%'`,
    );
    expect(told[0]!.n).toBe(1);
    const counters = async () =>
      (
        await rows(sql`select e.registered_count, s.booked_count,
        (select count(*)::int from event_registrations r where r.event_id = e.id and r.status = 'registered') as held,
        (select count(*)::int from event_registrations r where r.slot_id = s.id and r.status = 'registered') as held_in_slot
        from events e join booth_slots s on s.event_id = e.id where e.id = ${event.id}`)
      )[0]!;
    expect(await counters()).toEqual({ registered_count: 9, booked_count: 9, held: 9, held_in_slot: 9 });

    // Four more cancellations and 30 new sign-ups (half for the slot) at once: whatever the order,
    // the counters equal the places held and never pass the capacity.
    const tokens = await formTokens(30);
    const answers = await Promise.all([
      ...held.slice(1, 5).map((r) => cancel(r.id)),
      ...Array.from({ length: 30 }, (_, i) => signUp(event.id, tokens[i]!, 7100 + i, i % 2 ? { slotId } : {})),
    ]);
    expect(answers.slice(0, 4).map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    const taken = answers.slice(4).filter((a) => a.statusCode === 201).length;
    expect(taken).toBeGreaterThanOrEqual(1);
    expect(taken).toBeLessThanOrEqual(5);
    for (const a of answers.slice(4).filter((x) => x.statusCode !== 201))
      expect(a.json().error.code).toBe('EVENT_FULL');
    const after = await counters();
    expect(after.registered_count).toBe(after.held);
    expect(after.booked_count).toBe(after.held_in_slot);
    expect(after.held).toBe(5 + taken);
    expect(after.held).toBeLessThanOrEqual(10);
  });

  it('accepts one of two simultaneous sign-ups sent with one form token; the other is refused (409, reload the form) and leaves nothing', async () => {
    const event = await createEvent({ capacity: 100 });
    const token = await formToken();
    const answers = await Promise.all([6001, 6002].map((i) => signUp(event.id, token, i)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().error.code).toBe('CONFLICT');
    expect(
      (
        await rows(
          sql`select count(*)::int as n from people where email_key in ('rush6001@example.jp', 'rush6002@example.jp')`,
        )
      )[0]!.n,
    ).toBe(1);
    expect((await rows(sql`select registered_count from events where id = ${event.id}`))[0]!.registered_count).toBe(1);
  });

  it('makes one person and one registration of simultaneous sign-ups with the same address', async () => {
    const event = await createEvent({ capacity: 100 });
    const tokens = await formTokens(10);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => signUp(event.id, tokens[i]!, 5000)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect((await rows(sql`select count(*)::int as n from people where email_key = 'rush5000@example.jp'`))[0]!.n).toBe(
      1,
    );
    expect((await rows(sql`select registered_count from events where id = ${event.id}`))[0]!.registered_count).toBe(1);
  });
});
