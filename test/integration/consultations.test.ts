/**
 * Consultations, cases, referrals and follow-ups through the HTTP API: a consultation recorded in
 * one request (new or existing person), the case it opens and moves along the pipeline (every rule,
 * with errors naming the field in ja and en), the move (link, engagement, stage 移住, follow-ups on
 * clamped dates), referrals as the partner sees them, overdue follow-ups, and the scope: another
 * municipality's staff and an unrelated partner get 404 on every record and empty lists.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/seed/demo.js';
import { seedFollowupRules } from '../../src/seed/seed.js';
import { todayInTokyo } from '../../src/shared/dates.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

/** yyyy-mm-dd shifted by whole days. */
function shiftDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The latest 31st, at least 45 days ago, of a month followed by a shorter one (Jan, Mar, May,
 * Aug, Oct): its one-month follow-up is clamped and already overdue, the later ones upcoming.
 */
function clampingMoveDate(today: string): string {
  for (let d = shiftDays(today, -45); ; d = shiftDays(d, -1)) {
    if (d.endsWith('-31') && ['01', '03', '05', '08', '10'].includes(d.slice(5, 7))) return d;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here; the assertions check their shape
type Json = Record<string, any>;

describe.each(TEST_DRIVERS)('consultations, cases, referrals and follow-ups on %s', (driver) => {
  let t: TestApp;
  let center: Session;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let partner: Session;
  let otherPartner: Session;
  let partnerOrgId: string;
  const today = todayInTokyo();

  // Records shared by the tests below (created in order).
  let newPerson: Json;
  let firstCase: Json;
  let firstConsultation: Json;
  let movedCase: Json;
  let referralToPartner: Json;

  const post = (s: Session, url: string, payload: object, headers: Record<string, string> = {}) =>
    s.request({ method: 'POST', url, payload, headers });
  const get = (s: Session, url: string) => s.request({ method: 'GET', url });
  const patch = (s: Session, url: string, payload: object) => s.request({ method: 'PATCH', url, payload });
  const count = async (table: string) =>
    (
      (await t.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
        rows: Array<{ n: number }>;
      }
    ).rows[0]!.n;

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedFollowupRules(t.database.db);
    center = await t.staffSession('center_staff');
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    partner = await t.staffSession('partner');
    otherPartner = await t.staffSession('partner');
    partnerOrgId = ((await get(partner, '/api/auth/session')).json() as Json).user.organizationId;
    expect(partnerOrgId).toBeTruthy();
  });
  afterAll(() => t?.close());

  describe('recording a consultation', () => {
    it('records a consultation with a new person in one request: person, interest link, case at first contact (和暦 date)', async () => {
      const res = await post(center, '/api/consultations', {
        person: {
          name: '移住 希望子',
          kana: 'いじゅう きぼうこ',
          email: 'Kiboko@Example.jp',
          prefecture: '東京都',
          city: '世田谷区',
        },
        channel: 'fair',
        occurredOn: '令和6年6月1日',
        topics: ['work', 'housing'],
        municipalityCodes: [YAMAGATA],
        desiredTiming: 'within_1_year',
        householdSize: 3,
        withChildren: true,
        familyNote: '夫婦と小学生1人',
        notes: 'リモートワーク継続を希望',
        nextAction: '空き家バンクの情報を送る',
        nextActionDue: '2024/6/15',
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json() as Json;
      expect(body.personCreated).toBe(true);
      expect(body.caseOpened).toBe(true);
      expect(body.consultation).toMatchObject({
        channel: 'fair',
        occurredOn: '2024-06-01',
        nextActionDue: '2024-06-15',
        residencePrefecture: '東京都',
        topics: ['work', 'housing'],
        municipalityCodes: [YAMAGATA],
        householdSize: 3,
        withChildren: true,
        person: { name: '移住 希望子', kana: 'イジュウ キボウコ' },
      });
      expect(body.consultation.consultant.id).toBe(center.user.id);
      expect(body.case).toMatchObject({
        step: 'first_contact',
        stepOn: '2024-06-01',
        openedOn: '2024-06-01',
        municipalityCode: YAMAGATA,
        isOpen: true,
      });
      newPerson = (await get(center, `/api/people/${body.consultation.person.id}`)).json();
      expect(newPerson.email).toBe('Kiboko@Example.jp');
      expect(newPerson.links).toEqual([{ municipalityCode: YAMAGATA, kind: 'interest' }]);
      firstCase = body.case;
      firstConsultation = body.consultation;
      // The municipality of interest now finds the person and the consultation.
      expect((await get(yamagataStaff, `/api/people/${newPerson.id}`)).statusCode).toBe(200);
      expect((await get(yamagataStaff, `/api/consultations/${firstConsultation.id}`)).statusCode).toBe(200);
    });

    it('answers a new person whose email is known like POST /api/people: 409 with the candidate, nothing written', async () => {
      const before = {
        people: await count('people'),
        consultations: await count('consultations'),
        cases: await count('cases'),
      };
      const res = await post(center, '/api/consultations', {
        person: { name: '別人 かもしれない', email: 'kiboko@example.jp' },
        channel: 'phone',
        occurredOn: '2024-06-20',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('DUPLICATE_PERSON');
      expect(res.json().error.details.candidates).toEqual([
        { id: newPerson.id, name: '移住 希望子', match: 'contact' },
      ]);
      expect({
        people: await count('people'),
        consultations: await count('consultations'),
        cases: await count('cases'),
      }).toEqual(before);
    });

    it('offers the person just registered when the same name and reading are entered again without contacts', async () => {
      const before = { people: await count('people'), consultations: await count('consultations') };
      // The visitor saved a moment ago, typed again as a new person (half-width kana, no space).
      const res = await post(center, '/api/consultations', {
        person: { name: '移住希望子', kana: 'ｲｼﾞｭｳ ｷﾎﾞｳｺ' },
        channel: 'phone',
        occurredOn: '2024-06-20',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details.candidates).toEqual([{ id: newPerson.id, name: '移住 希望子', match: 'name' }]);
      expect({ people: await count('people'), consultations: await count('consultations') }).toEqual(before);
    });

    it('records a consultation with an existing person: it joins the open case and moves it to consulting', async () => {
      const res = await post(center, '/api/consultations', {
        personId: newPerson.id,
        channel: 'tokyo_counter',
        occurredOn: '2024-07-10',
        topics: ['childcare'],
        municipalityCodes: [YAMAGATA, TSURUOKA],
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json() as Json;
      expect(body).toMatchObject({ personCreated: false, caseOpened: false });
      expect(body.case).toMatchObject({
        id: firstCase.id,
        step: 'consulting',
        stepOn: '2024-07-10',
        openedOn: '2024-06-01',
      });
      const person = (await get(center, `/api/people/${newPerson.id}`)).json() as Json;
      expect(person.links).toEqual([
        { municipalityCode: YAMAGATA, kind: 'interest' },
        { municipalityCode: TSURUOKA, kind: 'interest' },
      ]);
    });

    it('a consultation recorded late, dated before the first contact, becomes the first contact', async () => {
      const created = await post(center, '/api/consultations', {
        person: { name: '遅れて 記録' },
        channel: 'mail',
        occurredOn: '2024-05-10',
      });
      const caseId = created.json().case.id as string;
      const personId = created.json().consultation.person.id as string;
      const late = await post(center, '/api/consultations', { personId, channel: 'phone', occurredOn: '2024-05-01' });
      expect(late.json().case).toMatchObject({
        id: caseId,
        step: 'consulting',
        openedOn: '2024-05-01',
        stepOn: '2024-05-10',
      });
      const detail = (await get(center, `/api/cases/${caseId}`)).json() as Json;
      expect(detail.steps.map((s: Json) => [s.step, s.occurredOn])).toEqual([
        ['first_contact', '2024-05-01'],
        ['consulting', '2024-05-10'],
      ]);
    });

    it('names the field when the person, the date, the municipalities or the consultant are wrong (ja and en)', async () => {
      const cases: Array<[object, string, RegExp, RegExp]> = [
        [{ channel: 'fair', occurredOn: '2024-06-01' }, 'personId', /相談者/, /person/],
        [
          { personId: newPerson.id, person: { name: '二重' }, channel: 'fair', occurredOn: '2024-06-01' },
          'person',
          /どちらか一方/,
          /either/,
        ],
        [{ personId: newPerson.id, channel: 'fair', occurredOn: shiftDays(today, 1) }, 'occurredOn', /未来/, /future/],
        [{ personId: newPerson.id, channel: 'fair', occurredOn: '令和6年2月30日' }, 'occurredOn', /日付/, /date/],
        [
          { personId: newPerson.id, channel: 'fair', occurredOn: '2024-06-01', municipalityCodes: ['069999'] },
          'municipalityCodes.0',
          /登録されていません/,
          /not registered/,
        ],
        [
          { personId: newPerson.id, channel: 'fair', occurredOn: '2024-06-01', consultantId: partner.user.id },
          'consultantId',
          /職員が見つかりません/,
          /not found/,
        ],
        [
          {
            personId: newPerson.id,
            channel: 'fair',
            occurredOn: '2024-06-01',
            eventId: '00000000-0000-4000-8000-000000000000',
          },
          'eventId',
          /見つかりません/,
          /not found/,
        ],
        [
          {
            personId: newPerson.id,
            channel: 'fair',
            occurredOn: '2024-06-01',
            referral: { area: 'jobs', toOrganizationId: partnerOrgId, toMunicipalityCode: YAMAGATA },
          },
          'referral.toMunicipalityCode',
          /どちらか一方/,
          /exactly one/,
        ],
      ];
      const before = await count('consultations');
      for (const [payload, field, ja, en] of cases) {
        const resJa = await post(center, '/api/consultations', payload);
        expect(resJa.statusCode, `${field} ${resJa.body}`).toBe(400);
        expect(Object.keys(resJa.json().error.fields), field).toEqual([field]);
        expect(resJa.json().error.fields[field]).toMatch(ja);
        const resEn = await post(center, '/api/consultations', payload, { 'accept-language': 'en' });
        expect(resEn.json().error.fields[field]).toMatch(en);
      }
      expect(await count('consultations')).toBe(before);
    });

    it('municipality staff record consultations about their own municipality only', async () => {
      const other = await post(yamagataStaff, '/api/consultations', {
        person: { name: '市町村 記録' },
        channel: 'yamagata_counter',
        occurredOn: '2024-08-01',
        municipalityCodes: [TSURUOKA],
      });
      expect(other.statusCode).toBe(400);
      expect(other.json().error.fields).toHaveProperty(['municipalityCodes.0']);
      const none = await post(yamagataStaff, '/api/consultations', {
        person: { name: '市町村 記録' },
        channel: 'yamagata_counter',
        occurredOn: '2024-08-01',
      });
      expect(none.json().error.fields).toHaveProperty('municipalityCodes');
      const own = await post(yamagataStaff, '/api/consultations', {
        person: { name: '市町村 記録' },
        channel: 'yamagata_counter',
        occurredOn: '2024-08-01',
        municipalityCodes: [YAMAGATA],
      });
      expect(own.statusCode, own.body).toBe(201);
      expect(own.json().consultation.consultant.id).toBe(yamagataStaff.user.id);
    });

    it('lists consultations by filter, changes notes and the next action, and audits reads', async () => {
      const page = (
        await get(center, `/api/consultations?personId=${newPerson.id}&from=2024-06-01&to=令和6年12月31日`)
      ).json() as Json;
      expect(page.total).toBe(2);
      expect(page.items.map((c: Json) => c.occurredOn)).toEqual(['2024-07-10', '2024-06-01']);
      expect((await get(center, `/api/consultations?caseId=${firstCase.id}&channel=fair`)).json().total).toBe(1);
      expect(
        (await get(center, `/api/consultations?municipality=${TSURUOKA}&personId=${newPerson.id}`)).json().total,
      ).toBe(1);

      const done = await patch(center, `/api/consultations/${firstConsultation.id}`, {
        nextActionDone: true,
        notes: '物件情報を送付済み',
        nextActionDue: '2024-06-20',
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ notes: '物件情報を送付済み', nextActionDue: '2024-06-20' });
      expect(done.json().nextActionDoneAt).toBeTruthy();
      const reopened = await patch(center, `/api/consultations/${firstConsultation.id}`, { nextActionDone: false });
      expect(reopened.json().nextActionDoneAt).toBeNull();

      const audit = (await get(t.admin, `/api/audit?personId=${newPerson.id}&limit=100`)).json() as Json;
      const actions = audit.items.map((e: Json) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['consultation.create', 'consultation.read', 'consultation.update']),
      );
      const searches = (await get(t.admin, '/api/audit?action=consultations.search&limit=5')).json() as Json;
      expect(searches.items[0].details.personIds).toContain(newPerson.id);
    });
  });

  describe('the case pipeline', () => {
    it('moves a case forward: visited, trial stay (same rung, either order), decided', async () => {
      for (const [step, occurredOn] of [
        ['visited', '2024-08-01'],
        ['trial_stay', '2024-08-20'],
        ['visited', '2024-09-01'],
        ['decided', '2024-09-15'],
      ] as const) {
        const res = await post(center, `/api/cases/${firstCase.id}/steps`, { step, occurredOn });
        expect(res.statusCode, `${step} ${res.body}`).toBe(201);
        expect(res.json()).toMatchObject({ step, stepOn: occurredOn });
      }
    });

    it('refuses every invalid step with a message naming the field (ja and en), writing nothing', async () => {
      const url = `/api/cases/${firstCase.id}/steps`;
      const refused: Array<[object, string, RegExp, RegExp]> = [
        [{ step: 'consulting', occurredOn: '2024-10-01' }, 'step', /前の段階に戻す/, /cannot go back/],
        [{ step: 'decided', occurredOn: '2024-10-01' }, 'step', /すでにこの段階/, /already at this step/],
        [{ step: 'first_contact', occurredOn: '2024-10-01' }, 'step', /案件を始める段階/, /opens a case/],
        [{ step: 'settled', occurredOn: '2024-10-01' }, 'step', /「移住」の次/, /only follow moved/],
        [
          { step: 'moved', occurredOn: '2024-09-14', municipalityCode: YAMAGATA },
          'occurredOn',
          /前の段階の日付（2024-09-15）/,
          /previous step's date \(2024-09-15\)/,
        ],
        [
          { step: 'moved', occurredOn: shiftDays(today, 1), municipalityCode: YAMAGATA },
          'occurredOn',
          /未来/,
          /future/,
        ],
        [{ step: 'moved', occurredOn: '2024-10-01' }, 'municipalityCode', /転入先/, /move-in municipality/],
        [
          { step: 'moved', occurredOn: '2024-10-01', municipalityCode: '069999' },
          'municipalityCode',
          /登録されていません/,
          /not registered/,
        ],
        [{ step: 'ended', occurredOn: '2024-10-01' }, 'endReason', /終了の理由/, /end reason/],
        [
          { step: 'moved', occurredOn: '2024-10-01', municipalityCode: YAMAGATA, endReason: 'postponed' },
          'endReason',
          /「終了」のときだけ/,
          /only be given with ended/,
        ],
        [
          { step: 'ended', occurredOn: '2024-10-01', endReason: 'postponed', householdSize: 2 },
          'householdSize',
          /「移住」のときだけ/,
          /only be given with moved/,
        ],
        [
          { step: 'ended', occurredOn: '2024-10-01', endReason: 'postponed', uijType: 'U' },
          'uijType',
          /「移住」のときだけ/,
          /only be given with moved/,
        ],
        [
          { step: 'moved', occurredOn: '2024-10-01', municipalityCode: YAMAGATA, householdSize: 21 },
          'householdSize',
          /世帯人数/,
          /household size/,
        ],
        [
          { step: 'moved', occurredOn: '2024-10-01', municipalityCode: YAMAGATA, householdSize: 0 },
          'householdSize',
          /世帯人数/,
          /household size/,
        ],
        [
          { step: 'moved', occurredOn: '2024-10-01', municipalityCode: YAMAGATA, uijType: 'X' },
          'uijType',
          /UIJターンの種別/,
          /UIJ-turn type/,
        ],
      ];
      const before = await count('case_steps');
      for (const [payload, field, ja, en] of refused) {
        const resJa = await post(center, url, payload);
        expect(resJa.statusCode, `${JSON.stringify(payload)} ${resJa.body}`).toBe(400);
        expect(Object.keys(resJa.json().error.fields), JSON.stringify(payload)).toEqual([field]);
        expect(resJa.json().error.fields[field]).toMatch(ja);
        const resEn = await post(center, url, payload, { 'accept-language': 'en' });
        expect(resEn.json().error.fields[field]).toMatch(en);
      }
      expect(await count('case_steps')).toBe(before);
      expect((await get(center, `/api/cases/${firstCase.id}`)).json().step).toBe('decided');
    });

    it('moved: records the place and date, adds the moved_in link and engagement (stage 移住) and follow-ups at 1/6/12 months, clamped', async () => {
      const movedOn = clampingMoveDate(today);
      const res = await post(center, `/api/cases/${firstCase.id}/steps`, {
        step: 'moved',
        occurredOn: movedOn,
        municipalityCode: YAMAGATA,
        householdSize: 3,
        uijType: 'I',
        note: '家族3人で転入',
      });
      expect(res.statusCode, res.body).toBe(201);
      movedCase = res.json();
      // The household size and UIJ type stay on the moved step (KPI ① counts the people).
      expect(movedCase.steps.at(-1)).toMatchObject({ step: 'moved', householdSize: 3, uijType: 'I' });
      expect(movedCase.steps.slice(0, -1).every((s: Json) => s.householdSize === null && s.uijType === null)).toBe(
        true,
      );
      expect(movedCase).toMatchObject({
        step: 'moved',
        movedMunicipalityCode: YAMAGATA,
        movedOn,
        municipalityCode: YAMAGATA,
        isOpen: true,
      });
      const month = (n: number) => {
        const [y, m] = movedOn.split('-').map(Number) as [number, number];
        const total = y * 12 + (m - 1) + n;
        const ty = Math.floor(total / 12);
        const tm = (total % 12) + 1;
        const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
        return `${ty}-${String(tm).padStart(2, '0')}-${String(Math.min(31, last)).padStart(2, '0')}`;
      };
      expect(
        movedCase.followups.map((f: Json) => [f.monthsAfterMove, f.dueOn, f.municipalityCode, f.assignee?.id]),
      ).toEqual([
        [1, month(1), YAMAGATA, center.user.id],
        [6, month(6), YAMAGATA, center.user.id],
        [12, month(12), YAMAGATA, center.user.id],
      ]);
      expect(month(1).endsWith('-31')).toBe(false); // the one-month date was clamped
      expect(movedCase.followups[0].isOverdue).toBe(true);

      const person = (await get(center, `/api/people/${newPerson.id}`)).json() as Json;
      expect(person.links).toContainEqual({ municipalityCode: YAMAGATA, kind: 'moved_in' });
      const engagements = (await get(center, `/api/people/${newPerson.id}/engagements`)).json().items as Json[];
      expect(engagements.filter((e) => e.kind === 'moved_in')).toEqual([
        expect.objectContaining({ municipalityCode: YAMAGATA, occurredOn: movedOn, source: 'case' }),
      ]);
      const stages = (await get(center, `/api/people/${newPerson.id}/stages`)).json().items as Json[];
      expect(stages.find((s) => s.municipalityCode === YAMAGATA)).toMatchObject({ stage: 'migrated', since: movedOn });
      expect(await count(`engagements where external_key = 'case:${firstCase.id}:moved'`)).toBe(1);
    });

    it('settled closes the case; nothing follows; the next consultation opens a new case', async () => {
      const settled = await post(center, `/api/cases/${firstCase.id}/steps`, { step: 'settled', occurredOn: today });
      expect(settled.statusCode, settled.body).toBe(201);
      expect(settled.json()).toMatchObject({ step: 'settled', isOpen: false });
      const after = await post(center, `/api/cases/${firstCase.id}/steps`, {
        step: 'ended',
        occurredOn: today,
        endReason: 'other',
      });
      expect(after.json().error.fields.step).toMatch(/完了/);
      const next = await post(center, '/api/consultations', {
        personId: newPerson.id,
        channel: 'online',
        occurredOn: today,
        topics: ['two_region_living'],
      });
      expect(next.json()).toMatchObject({ caseOpened: true, case: { step: 'first_contact', openedOn: today } });
      expect(next.json().case.id).not.toBe(firstCase.id);
      // A consultation dated before the settled case closed belongs to that case.
      const earlier = await post(center, '/api/consultations', {
        personId: newPerson.id,
        channel: 'phone',
        occurredOn: '2024-09-20',
      });
      expect(earlier.json()).toMatchObject({ caseOpened: false, case: { id: firstCase.id, step: 'settled' } });
    });

    it('ended needs a reason; an ended case takes no further step and the next consultation opens a new case', async () => {
      const created = (
        await post(center, '/api/consultations', {
          person: { name: '終了 例' },
          channel: 'osaka_office',
          occurredOn: '2024-04-01',
          municipalityCodes: [TSURUOKA],
        })
      ).json() as Json;
      const url = `/api/cases/${created.case.id}/steps`;
      const noReason = await post(center, url, { step: 'ended', occurredOn: '2024-05-01', note: '他県に決めた' });
      expect(noReason.statusCode).toBe(400);
      expect(Object.keys(noReason.json().error.fields)).toEqual(['endReason']);
      const ended = await post(center, url, {
        step: 'ended',
        occurredOn: '2024-05-01',
        endReason: 'chose_elsewhere',
        note: '他県に決めた',
      });
      expect(ended.statusCode, ended.body).toBe(201);
      expect(ended.json()).toMatchObject({
        step: 'ended',
        endReason: 'chose_elsewhere',
        endNote: '他県に決めた',
        isOpen: false,
      });
      expect(ended.json().steps.at(-1)).toMatchObject({
        step: 'ended',
        endReason: 'chose_elsewhere',
        occurredOn: '2024-05-01',
      });
      const after = await post(
        center,
        url,
        { step: 'consulting', occurredOn: '2024-06-01' },
        { 'accept-language': 'en' },
      );
      expect(after.json().error.fields.step).toMatch(/has ended/);
      const next = await post(center, '/api/consultations', {
        personId: created.consultation.person.id,
        channel: 'online',
        occurredOn: '2024-06-01',
      });
      expect(next.json().caseOpened).toBe(true);
      // A case that moved cannot end.
      const moved = (
        await post(center, '/api/consultations', {
          person: { name: '移住後 終了不可' },
          channel: 'phone',
          occurredOn: '2024-04-01',
        })
      ).json() as Json;
      await post(center, `/api/cases/${moved.case.id}/steps`, {
        step: 'moved',
        occurredOn: '2024-05-01',
        municipalityCode: TSURUOKA,
      });
      const endAfterMove = await post(center, `/api/cases/${moved.case.id}/steps`, {
        step: 'ended',
        occurredOn: '2024-06-01',
        endReason: 'other',
      });
      expect(endAfterMove.json().error.fields.step).toMatch(/移住済み/);
    });

    it('lists cases by step, municipality and consultant; the person page shows every case with steps, consultations and referrals', async () => {
      const moved = (await get(center, `/api/cases?step=settled&municipality=${YAMAGATA}`)).json() as Json;
      expect(moved.items.map((c: Json) => c.id)).toContain(firstCase.id);
      const mine = (await get(center, `/api/cases?consultant=${yamagataStaff.user.id}`)).json() as Json;
      expect(mine.total).toBe(1);
      expect((await get(center, `/api/cases?personId=${newPerson.id}&open=true`)).json().total).toBe(1);

      const timeline = (await get(center, `/api/people/${newPerson.id}/cases`)).json().items as Json[];
      expect(timeline).toHaveLength(2);
      const old = timeline.find((c) => c.id === firstCase.id)!;
      expect(old.steps.map((s: Json) => s.step)).toEqual([
        'first_contact',
        'consulting',
        'visited',
        'trial_stay',
        'visited',
        'decided',
        'moved',
        'settled',
      ]);
      expect(old.steps.every((s: Json, i: number) => i === 0 || s.occurredOn >= old.steps[i - 1].occurredOn)).toBe(
        true,
      );
      expect(old.consultations.map((c: Json) => c.occurredOn)).toEqual(['2024-06-01', '2024-07-10', '2024-09-20']);
      const audit = (await get(t.admin, `/api/audit?personId=${newPerson.id}&action=person.cases.read`)).json() as Json;
      expect(audit.total).toBeGreaterThan(0);
    });
  });

  describe('referrals (オール山形)', () => {
    let referralToTsuruoka: Json;

    it('a consultation refers the person to a partner; the partner sees only theirs, with name and contact (audited)', async () => {
      const res = await post(center, '/api/consultations', {
        person: { name: '紹介 先子', email: 'shokai@example.jp', phone: '090-1111-2222', prefecture: '埼玉県' },
        channel: 'fair',
        occurredOn: '2024-10-05',
        municipalityCodes: [YAMAGATA],
        referral: { toOrganizationId: partnerOrgId, area: 'jobs', message: '製造業の求人をご紹介ください。' },
      });
      expect(res.statusCode, res.body).toBe(201);
      referralToPartner = res.json().referral;
      expect(referralToPartner).toMatchObject({
        status: 'sent',
        area: 'jobs',
        caseId: res.json().case.id,
        consultationId: res.json().consultation.id,
        isOpen: true,
      });
      expect(referralToPartner.toOrganization.id).toBe(partnerOrgId);

      const otherReferral = await post(center, '/api/referrals', {
        personId: newPerson.id,
        toMunicipalityCode: TSURUOKA,
        area: 'housing',
        message: '住まいの相談',
      });
      expect(otherReferral.statusCode, otherReferral.body).toBe(201);
      referralToTsuruoka = otherReferral.json();

      const seen = (await get(partner, '/api/referrals')).json() as Json;
      expect(seen.total).toBe(1);
      expect(seen.items[0]).toMatchObject({
        id: referralToPartner.id,
        person: { name: '紹介 先子', email: 'shokai@example.jp', phone: '090-1111-2222', prefecture: '埼玉県' },
      });
      expect((await get(otherPartner, '/api/referrals')).json()).toEqual({ items: [], total: 0 });
      const audit = (await get(t.admin, '/api/audit?action=referrals.search&limit=10')).json() as Json;
      const partnerRead = audit.items.find((e: Json) => e.actor?.id === partner.user.id);
      expect(partnerRead.details.personIds).toEqual([referralToPartner.person.id]);
      // Nothing else here for a partner: not the person, the consultation or the case.
      expect((await get(partner, `/api/people/${referralToPartner.person.id}`)).statusCode).toBe(404);
      expect((await get(partner, `/api/consultations/${referralToPartner.consultationId}`)).statusCode).toBe(404);
      expect((await get(partner, `/api/cases/${referralToPartner.caseId}`)).statusCode).toBe(404);
    });

    it('the partner accepts and reports the outcome; an unrelated partner gets 404; a closed referral stays closed', async () => {
      const url = `/api/referrals/${referralToPartner.id}`;
      expect((await patch(otherPartner, url, { status: 'accepted' })).statusCode).toBe(404);
      expect((await patch(tsuruokaStaff, url, { status: 'accepted' })).statusCode).toBe(404);
      const accepted = await patch(partner, url, { status: 'accepted' });
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect(accepted.json()).toMatchObject({
        status: 'accepted',
        daysToFirstResponse: 0,
        isOpen: true,
        closedAt: null,
      });
      const noOutcome = await patch(partner, url, { status: 'completed' });
      expect(noOutcome.statusCode).toBe(400);
      expect(Object.keys(noOutcome.json().error.fields)).toEqual(['outcome']);
      const done = await patch(partner, url, {
        status: 'completed',
        outcome: 'matched',
        outcomeNote: '面接を経て内定',
      });
      expect(done.json()).toMatchObject({
        status: 'completed',
        outcome: 'matched',
        outcomeNote: '面接を経て内定',
        isOpen: false,
      });
      expect(done.json().closedAt).toBeTruthy();
      expect(done.json().respondedAt).toBe(accepted.json().respondedAt);
      const again = await patch(partner, url, { status: 'declined' });
      expect(again.json().error.fields.status).toMatch(/すでに完了/);
    });

    it('the center sees open referrals, longest waiting first, with days since sent; municipality staff see those to them', async () => {
      await t.database.db.execute(
        sql`update referrals set sent_at = now() - interval '5 days' where id = ${referralToTsuruoka.id}`,
      );
      const open = (await get(center, '/api/referrals?open=true')).json() as Json;
      expect(open.items.map((r: Json) => r.id)).toEqual([referralToTsuruoka.id]);
      expect(open.items[0]).toMatchObject({ daysSinceSent: 5, daysToFirstResponse: null, status: 'sent' });
      const all = (await get(center, '/api/referrals?status=completed')).json() as Json;
      expect(all.items.map((r: Json) => r.id)).toEqual([referralToPartner.id]);
      expect((await get(tsuruokaStaff, '/api/referrals')).json().items.map((r: Json) => r.id)).toEqual([
        referralToTsuruoka.id,
      ]);
      expect((await get(yamagataStaff, '/api/referrals')).json().total).toBe(0);
      const answered = await patch(tsuruokaStaff, `/api/referrals/${referralToTsuruoka.id}`, { status: 'accepted' });
      expect(answered.json()).toMatchObject({ status: 'accepted', daysToFirstResponse: 5, daysSinceSent: 5 });
    });

    it('refuses a referral with no person, two targets or an unknown organization, naming the field', async () => {
      const none = await post(center, '/api/referrals', { toMunicipalityCode: YAMAGATA, area: 'jobs' });
      expect(Object.keys(none.json().error.fields)).toEqual(['personId']);
      const both = await post(center, '/api/referrals', {
        personId: newPerson.id,
        toMunicipalityCode: YAMAGATA,
        toOrganizationId: partnerOrgId,
        area: 'jobs',
      });
      expect(Object.keys(both.json().error.fields)).toEqual(['toMunicipalityCode']);
      const unknown = await post(center, '/api/referrals', {
        personId: newPerson.id,
        toOrganizationId: '00000000-0000-4000-8000-000000000000',
        area: 'jobs',
      });
      expect(Object.keys(unknown.json().error.fields)).toEqual(['toOrganizationId']);
      expect(
        (await post(partner, '/api/referrals', { personId: newPerson.id, toMunicipalityCode: YAMAGATA, area: 'jobs' }))
          .statusCode,
      ).toBe(404);
    });
  });

  describe('follow-ups', () => {
    it('lists overdue follow-ups for the center and the move-in municipality only; done ones leave the list', async () => {
      const overdue = (await get(center, '/api/followups?due=overdue')).json() as Json;
      const own = overdue.items.filter((f: Json) => f.caseId === firstCase.id);
      expect(own.map((f: Json) => f.monthsAfterMove)).toEqual([1]);
      expect(own[0]).toMatchObject({ isOverdue: true, status: 'open', person: { id: newPerson.id } });
      const upcoming = (await get(center, `/api/followups?due=upcoming&municipality=${YAMAGATA}`)).json() as Json;
      expect(upcoming.items.filter((f: Json) => f.caseId === firstCase.id).map((f: Json) => f.monthsAfterMove)).toEqual(
        [6, 12],
      );
      expect((await get(yamagataStaff, '/api/followups?due=overdue')).json().items.map((f: Json) => f.id)).toContain(
        own[0].id,
      );
      expect(
        (await get(tsuruokaStaff, '/api/followups')).json().items.every((f: Json) => f.municipalityCode === TSURUOKA),
      ).toBe(true);
      expect((await get(partner, '/api/followups')).json()).toEqual({ items: [], total: 0 });

      expect((await patch(tsuruokaStaff, `/api/followups/${own[0].id}`, { status: 'done' })).statusCode).toBe(404);
      expect((await patch(partner, `/api/followups/${own[0].id}`, { status: 'done' })).statusCode).toBe(404);
      const done = await patch(yamagataStaff, `/api/followups/${own[0].id}`, {
        status: 'done',
        note: '電話で近況を確認',
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ status: 'done', note: '電話で近況を確認', isOverdue: false });
      const after = (await get(center, '/api/followups?due=overdue')).json() as Json;
      expect(after.items.map((f: Json) => f.id)).not.toContain(own[0].id);
    });

    it('follow-up months are set per prefecture by the prefecture admin and apply to later moves', async () => {
      const settings = (await get(t.admin, '/api/settings/followups')).json() as Json;
      expect(settings.items).toContainEqual(
        expect.objectContaining({ prefectureCode: '06', months: [1, 6, 12], isDefault: false }),
      );
      expect(
        (
          await t.admin.request({
            method: 'PUT',
            url: '/api/settings/followups',
            payload: { prefectureCode: '06', months: [3, 1, 3] },
          })
        ).json(),
      ).toMatchObject({ months: [1, 3] });
      expect(
        (
          await center.request({
            method: 'PUT',
            url: '/api/settings/followups',
            payload: { prefectureCode: '06', months: [2] },
          })
        ).statusCode,
      ).toBe(403);
      const unknown = await t.admin.request({
        method: 'PUT',
        url: '/api/settings/followups',
        payload: { prefectureCode: '13', months: [2] },
      });
      expect(Object.keys(unknown.json().error.fields)).toEqual(['prefectureCode']);
      const created = (
        await post(center, '/api/consultations', {
          person: { name: '設定 確認' },
          channel: 'phone',
          occurredOn: '2024-01-31',
        })
      ).json() as Json;
      const moved = (
        await post(center, `/api/cases/${created.case.id}/steps`, {
          step: 'moved',
          occurredOn: '2024-01-31',
          municipalityCode: TSURUOKA,
        })
      ).json() as Json;
      expect(moved.followups.map((f: Json) => [f.monthsAfterMove, f.dueOn])).toEqual([
        [1, '2024-02-29'],
        [3, '2024-04-30'],
      ]);
      await t.admin.request({
        method: 'PUT',
        url: '/api/settings/followups',
        payload: { prefectureCode: '06', months: [1, 6, 12] },
      });
    });
  });

  describe('scope', () => {
    it('another municipality’s staff and an unrelated partner get 404 on every record route and see none of it in lists', async () => {
      // A Yamagata-only person, consultation, case, referral and follow-up.
      const created = (
        await post(center, '/api/consultations', {
          person: { name: '山形 だけ', email: 'yamagata.only@example.jp' },
          channel: 'yamagata_counter',
          occurredOn: '2024-03-31',
          municipalityCodes: [YAMAGATA],
          referral: { toMunicipalityCode: YAMAGATA, area: 'housing' },
        })
      ).json() as Json;
      const moved = (
        await post(center, `/api/cases/${created.case.id}/steps`, {
          step: 'moved',
          occurredOn: '2024-03-31',
          municipalityCode: YAMAGATA,
        })
      ).json() as Json;
      const personId = created.consultation.person.id as string;
      const followupId = moved.followups[0].id as string;
      const routes: Array<[string, string, object | undefined]> = [
        ['GET', `/api/consultations/${created.consultation.id}`, undefined],
        ['PATCH', `/api/consultations/${created.consultation.id}`, { notes: '書き換え' }],
        ['GET', `/api/cases/${created.case.id}`, undefined],
        ['POST', `/api/cases/${created.case.id}/steps`, { step: 'settled', occurredOn: today }],
        ['GET', `/api/people/${personId}/cases`, undefined],
        ['PATCH', `/api/referrals/${created.referral.id}`, { status: 'declined' }],
        ['PATCH', `/api/followups/${followupId}`, { status: 'skipped' }],
        [
          'POST',
          '/api/consultations',
          { personId, channel: 'phone', occurredOn: '2024-04-01', municipalityCodes: [TSURUOKA] },
        ],
        ['POST', '/api/referrals', { personId, toMunicipalityCode: TSURUOKA, area: 'jobs' }],
        ['POST', '/api/referrals', { caseId: created.case.id, toMunicipalityCode: TSURUOKA, area: 'jobs' }],
      ];
      for (const outsider of [tsuruokaStaff, otherPartner]) {
        for (const [method, url, payload] of routes) {
          const res = await outsider.request({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
          expect(res.statusCode, `${outsider.user.role} ${method} ${url} ${res.body}`).toBe(404);
          expect(res.json().error.code).toBe('NOT_FOUND');
        }
        for (const list of [
          '/api/consultations?limit=100',
          '/api/cases?limit=100',
          '/api/referrals?limit=100',
          '/api/followups?limit=100',
        ]) {
          const page = (await get(outsider, list)).json() as Json;
          const people = page.items.map((x: Json) => x.person.id);
          expect(people, `${outsider.user.role} ${list}`).not.toContain(personId);
        }
        expect((await get(outsider, `/api/consultations?personId=${personId}`)).json()).toEqual({
          items: [],
          total: 0,
        });
      }
      // The partner sees nothing at all here; Yamagata staff see all of it.
      for (const list of ['/api/consultations', '/api/cases', '/api/followups'])
        expect((await get(otherPartner, list)).json().total).toBe(0);
      expect(
        (await get(yamagataStaff, `/api/cases/${created.case.id}`)).json().referrals.map((r: Json) => r.id),
      ).toEqual([created.referral.id]);
      expect((await get(yamagataStaff, `/api/people/${personId}/cases`)).json().items).toHaveLength(1);
      const unchanged = (await get(center, `/api/consultations/${created.consultation.id}`)).json() as Json;
      expect(unchanged.notes).toBeNull();
    });

    it('municipality staff see a case they were referred, but only the consultations that concern them', async () => {
      const created = (
        await post(center, '/api/consultations', {
          person: { name: '鶴岡 紹介' },
          channel: 'phone',
          occurredOn: '2024-02-01',
          municipalityCodes: [YAMAGATA],
        })
      ).json() as Json;
      await post(center, '/api/referrals', { caseId: created.case.id, toMunicipalityCode: TSURUOKA, area: 'farming' });
      const detail = await get(tsuruokaStaff, `/api/cases/${created.case.id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json().referrals).toHaveLength(1);
      // The consultation's case was referred to Tsuruoka: the consultation concerns it too.
      expect(detail.json().consultations).toHaveLength(1);
      const other = (
        await post(center, '/api/consultations', {
          person: { name: '山形 のみ' },
          channel: 'phone',
          occurredOn: '2024-02-01',
          municipalityCodes: [YAMAGATA],
        })
      ).json() as Json;
      expect((await get(tsuruokaStaff, `/api/cases/${other.case.id}`)).statusCode).toBe(404);
    });
  });

  describe('the person’s own data and demo data', () => {
    it('the supporter’s export includes their consultations, cases and referrals', async () => {
      const supporter = await t.supporterSession(referralToPartner.person.id);
      const me = (await supporter.request({ method: 'GET', url: '/api/me' })).json() as Json;
      expect(me.consultations).toEqual([
        expect.objectContaining({ occurredOn: '2024-10-05', channel: 'fair', municipalityCodes: [YAMAGATA] }),
      ]);
      expect(me.cases).toEqual([
        expect.objectContaining({
          step: 'first_contact',
          steps: [expect.objectContaining({ step: 'first_contact', occurredOn: '2024-10-05', municipalityCode: null })],
        }),
      ]);
      expect(me.referrals).toEqual([
        expect.objectContaining({ area: 'jobs', to: 'テスト連携機関', status: 'completed', outcome: 'matched' }),
      ]);
      const csv = await supporter.request({ method: 'GET', url: '/api/me/export?format=csv' });
      // Sections as an office reads them (区分: 相談, 紹介 …), not internal names.
      expect(csv.body).toContain('相談');
      expect(csv.body).toContain('紹介');
      // The referral in words: its area, to whom, its status and outcome — no internal values.
      expect(csv.body).toContain('紹介,就業：テスト連携機関,完了・支援につながった（');
      expect(csv.body).not.toMatch(/jobs|completed|matched/);
    });

    it('seeds marked demo cases once: moved with follow-ups, ended with a reason, open with a referral', async () => {
      await seedDemoData(t.database.db);
      const seeded = {
        cases: await count(`cases where is_demo = 1`),
        consultations: await count(`consultations where is_demo = 1`),
      };
      await seedDemoData(t.database.db);
      expect({
        cases: await count(`cases where is_demo = 1`),
        consultations: await count(`consultations where is_demo = 1`),
      }).toEqual(seeded);
      const handWritten = `cases k join people p on p.id = k.person_id where k.is_demo = 1 and p.email like 'demo-consult%'`;
      const rows = (
        (await t.database.db.execute(
          sql.raw(`select k.step, k.end_reason, k.moved_municipality_code from ${handWritten} order by k.step`),
        )) as unknown as {
          rows: Json[];
        }
      ).rows;
      expect(rows.map((r) => r.step).sort()).toEqual(['ended', 'first_contact', 'moved']);
      expect(rows.find((r) => r.step === 'ended')?.end_reason).toBe('chose_elsewhere');
      expect(await count(`followups f join ${handWritten.replace('cases k', 'cases k on k.id = f.case_id')}`)).toBe(3);
      expect(await count(`referrals r join cases k on k.id = r.case_id where k.is_demo = 1`)).toBe(1);
      // The history behind the needs analysis: 150 demo people with a case each, moves among them.
      expect(seeded.cases).toBe(3 + 150);
      expect(seeded.consultations).toBeGreaterThan(4 + 150);
      const moved = await count(`cases where is_demo = 1 and step in ('moved', 'settled')`);
      expect(moved).toBeGreaterThan(5);
      expect(
        await count(
          `person_links l join cases k on k.person_id = l.person_id and l.municipality_code = k.moved_municipality_code where k.is_demo = 1 and l.kind = 'moved_in'`,
        ),
      ).toBe(moved);
      // Moves bring follow-ups; in the history those already due were done on their day.
      expect(
        await count(
          `followups f join cases k on k.id = f.case_id join people p on p.id = k.person_id where p.email like 'demo0%' and f.status = 'open' and f.due_on < current_date`,
        ),
      ).toBe(0);
      // Every consultation lies within its case's life.
      expect(
        await count(
          `consultations c join cases k on k.id = c.case_id where c.is_demo = 1 and c.occurred_on < k.opened_on`,
        ),
      ).toBe(0);
    });
  });
});
