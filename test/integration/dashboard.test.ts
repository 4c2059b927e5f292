/**
 * The dashboard's figures, per role over HTTP: every count a staff member sees is computed within
 * their scope, and equals the total of the list the figure links to — so a municipality staffer
 * never sees the prefecture's count beside a list that shows their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { registrations } from '../../src/modules/registry/registry.tables.js';
import { dashboardDays } from '../../src/modules/dashboard/dashboard.rules.js';
import { addDays } from '../../src/modules/dashboard/dashboard.rules.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('dashboard figures within scope on %s', (driver) => {
  let t: TestApp;
  let sessions: Record<string, Session>;

  beforeAll(async () => {
    t = await createTestApp(driver);
    sessions = {
      admin: t.admin,
      center: await t.staffSession('center_staff'),
      yamagata: await t.staffSession('municipality_staff', YAMAGATA),
      tsuruoka: await t.staffSession('municipality_staff', TSURUOKA),
    };
    const create = async (links: { municipalityCode: string; kind: string }[]) => {
      const res = await t.admin.request({ method: 'POST', url: '/api/people', payload: personPayload({ links }) });
      expect(res.statusCode).toBe(201);
    };
    // Two people of Tsuruoka only, one of Yamagata only, one tied to both.
    await create([{ municipalityCode: TSURUOKA, kind: 'roots' }]);
    await create([{ municipalityCode: TSURUOKA, kind: 'interest' }]);
    await create([{ municipalityCode: YAMAGATA, kind: 'supporter' }]);
    await create([
      { municipalityCode: YAMAGATA, kind: 'supporter' },
      { municipalityCode: TSURUOKA, kind: 'interest' },
    ]);
  });
  afterAll(() => t?.close());

  const mapCounts = async (s: Session) => {
    const res = await s.request({ method: 'GET', url: '/api/stats/people-by-municipality' });
    expect(res.statusCode).toBe(200);
    return new Map(
      (res.json() as { municipalityCode: string; count: number }[]).map((r) => [r.municipalityCode, r.count]),
    );
  };
  const listTotal = async (s: Session, code: string) => {
    const res = await s.request({ method: 'GET', url: `/api/people?municipality=${code}&limit=1` });
    expect(res.statusCode).toBe(200);
    return (res.json() as { total: number }).total;
  };

  it.each([
    ['admin', { [YAMAGATA]: 2, [TSURUOKA]: 3 }],
    ['center', { [YAMAGATA]: 2, [TSURUOKA]: 3 }],
    // Yamagata's staffer sees Tsuruoka's count as the one shared person, as the list behind it does.
    ['yamagata', { [YAMAGATA]: 2, [TSURUOKA]: 1 }],
    ['tsuruoka', { [YAMAGATA]: 1, [TSURUOKA]: 3 }],
  ])('the map of %s counts what the list behind each municipality shows', async (role, expected) => {
    const session = sessions[role]!;
    const counts = await mapCounts(session);
    for (const [code, n] of Object.entries(expected)) {
      expect(counts.get(code) ?? 0, `${role} ${code}`).toBe(n);
      expect(await listTotal(session, code), `${role} list ${code}`).toBe(n);
    }
    for (const [code, n] of counts) expect(await listTotal(session, code), `${role} list ${code}`).toBe(n);
  });

  describe('the day', () => {
    const days = dashboardDays();
    const { today } = days;
    let consultedSignup: string;

    beforeAll(async () => {
      // Each consultation is with a different visitor (same name and reading would be offered as one person).
      let visitors = 0;
      const consult = async (municipalityCode: string, body: object) => {
        visitors += 1;
        const res = await t.admin.request({
          method: 'POST',
          url: '/api/consultations',
          payload: {
            person: { name: `今日 相談${visitors}（テスト）`, kana: 'キョウ ソウダン' },
            channel: 'phone',
            topics: ['work'],
            municipalityCodes: [municipalityCode],
            ...body,
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json() as { consultation: { id: string; personId: string }; case: { id: string } };
      };
      // Today, one each for Yamagata and Tsuruoka; an older one whose next action is overdue; one not yet due.
      await consult(YAMAGATA, { occurredOn: today });
      await consult(TSURUOKA, { occurredOn: today, nextAction: '資料を送る', nextActionDue: addDays(today, 3) });
      await consult(TSURUOKA, {
        occurredOn: addDays(today, -20),
        nextAction: '電話をかけ直す',
        nextActionDue: addDays(today, -1),
      });
      // A move 40 days ago (its 1-month follow-up is overdue) and one before this fiscal year.
      for (const [code, movedOn] of [
        [YAMAGATA, addDays(today, -40)],
        [TSURUOKA, addDays(days.fiscalYear.from, -1)],
      ] as const) {
        const opened = await consult(code, { occurredOn: addDays(movedOn, -1) });
        const step = await t.admin.request({
          method: 'POST',
          url: `/api/cases/${opened.case.id}/steps`,
          payload: { step: 'moved', occurredOn: movedOn, municipalityCode: code },
        });
        expect(step.statusCode, step.body).toBe(201);
      }
      const event = await t.admin.request({
        method: 'POST',
        url: '/api/events',
        payload: {
          kind: 'seminar',
          title: '今日のセミナー（テスト）',
          startsAt: `${today}T13:00:00+09:00`,
          endsAt: `${today}T15:00:00+09:00`,
          venue: 'テスト会場',
          capacity: 10,
        },
      });
      expect(event.statusCode, event.body).toBe(201);
      // Sign-ups confirmed yesterday: one not contacted yet, one already consulted, one too old to be new.
      const person = async (name: string, code: string) =>
        (
          await t.admin.request({
            method: 'POST',
            url: '/api/people',
            payload: personPayload({ name, links: [{ municipalityCode: code, kind: 'supporter' }] }),
          })
        ).json() as { id: string };
      const waiting = await person('登録 待ち子（テスト）', TSURUOKA);
      const consulted = await person('登録 済み子（テスト）', YAMAGATA);
      consultedSignup = consulted.id;
      const old = await person('登録 古い子（テスト）', YAMAGATA);
      const confirmed = (personId: string, at: Date) => ({
        personId,
        emailKey: `${personId}@example.jp`,
        municipalityCodes: [],
        status: 'confirmed',
        confirmedAt: at,
        expiresAt: at,
      });
      const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
      await t.database.db
        .insert(registrations)
        .values([
          confirmed(waiting.id, yesterday),
          confirmed(consulted.id, yesterday),
          confirmed(old.id, new Date(Date.now() - 40 * 24 * 3600 * 1000)),
        ]);
      const contact = await t.admin.request({
        method: 'POST',
        url: '/api/consultations',
        payload: { personId: consulted.id, channel: 'mail', occurredOn: today, municipalityCodes: [YAMAGATA] },
      });
      expect(contact.statusCode, contact.body).toBe(201);
    });

    const figures = async (s: Session) => {
      const res = await s.request({ method: 'GET', url: '/api/dashboard/day' });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const total = async (s: Session, url: string) => {
      const res = await s.request({ method: 'GET', url });
      expect(res.statusCode, `${url} ${res.body}`).toBe(200);
      return (res.json() as { total: number }).total;
    };

    it.each(['admin', 'center', 'yamagata', 'tsuruoka'])(
      "each of %s's figures equals the list it links to, within their scope",
      async (role) => {
        const s = sessions[role]!;
        const day = await figures(s);
        expect(day.today).toBe(today);
        expect(day.consultationsToday).toBe(await total(s, `/api/consultations?from=${today}&to=${today}&limit=1`));
        expect(day.overdueNextActions).toBe(await total(s, '/api/consultations?nextAction=overdue&limit=1'));
        expect(day.overdueFollowups).toBe(await total(s, '/api/followups?due=overdue&limit=1'));
        expect(day.movesThisYear).toBe(
          await total(s, `/api/cases?movedFrom=${day.fiscalYear.from}&movedTo=${day.fiscalYear.to}&limit=1`),
        );
        expect(day.eventsToday).toBe(await total(s, `/api/events?from=${today}&to=${today}&limit=1`));
        for (const item of day.newSignups.items) {
          expect((await s.request({ method: 'GET', url: `/api/people/${item.personId}` })).statusCode).toBe(200);
        }
      },
    );

    it('counts by role: the prefecture sees all, a municipality its own', async () => {
      const admin = await figures(t.admin);
      // 3 today (2 first contacts + the consulted sign-up's), 1 overdue next action, 1 move this year, 1 event.
      expect(admin).toMatchObject({
        consultationsToday: 3,
        overdueNextActions: 1,
        eventsToday: 1,
      });
      expect(admin.movesThisYear).toBe(addDays(today, -40) >= days.fiscalYear.from ? 1 : 0);
      expect(admin.newSignups.total).toBe(1);
      expect(admin.newSignups.items.map((i: { name: string }) => i.name)).toEqual(['登録 待ち子（テスト）']);
      const yamagata = await figures(sessions.yamagata!);
      expect(yamagata).toMatchObject({ consultationsToday: 2, overdueNextActions: 0, overdueFollowups: 1 });
      expect(yamagata.newSignups.total).toBe(0);
      const tsuruoka = await figures(sessions.tsuruoka!);
      expect(tsuruoka).toMatchObject({ consultationsToday: 1, overdueNextActions: 1, movesThisYear: 0 });
      // The move before this fiscal year has at least its 1-month follow-up overdue.
      expect(tsuruoka.overdueFollowups).toBeGreaterThanOrEqual(1);
      expect(admin.overdueFollowups).toBe(yamagata.overdueFollowups + tsuruoka.overdueFollowups);
      expect(tsuruoka.newSignups.total).toBe(1);
      expect(consultedSignup).toBeTruthy();
    });

    it('refuses a partner, whose start page is the referral inbox', async () => {
      const partner = await t.staffSession('partner');
      expect((await partner.request({ method: 'GET', url: '/api/dashboard/day' })).statusCode).toBe(404);
    });
  });

  it('gives a partner no people counts (their work is referrals)', async () => {
    const partner = await t.staffSession('partner');
    expect((await mapCounts(partner)).size).toBe(0);
  });
});
