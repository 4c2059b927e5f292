/**
 * The plan's figures: plans as data (the seed-001 plan on every database, admins add plans), the
 * actuals computed by the rules of docs/kpi.md from hand-made records with known answers, and who
 * sees which municipality's figures and records.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { seedKpiPlans } from '../../src/modules/kpi/index.js';
import { systemContext } from '../../src/platform/request-context.js';
import { continuingRows, relationshipRows } from '../../src/modules/kpi/kpi.queries.js';
import { continuingParticipants, relationshipCreated } from '../../src/modules/kpi/kpi.rules.js';
import { ENGAGEMENT_KINDS, type LinkKind } from '../../src/shared/domain.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('KPI plans on %s', (driver) => {
  let t: TestApp;
  let yamagataStaff: Session;

  beforeAll(async () => {
    t = await createTestApp(driver);
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
  });
  afterAll(() => t?.close());

  it('seeds the plan of seed 001 once, with the four indicators and DESIGN.md’s figures', async () => {
    expect(await seedKpiPlans(t.database.db, systemContext())).toBe(true);
    expect(await seedKpiPlans(t.database.db, systemContext())).toBe(false);
    const res = await yamagataStaff.request({ method: 'GET', url: '/api/kpi/plans' });
    expect(res.statusCode).toBe(200);
    const [plan] = res.json().items;
    expect(plan).toMatchObject({ code: 'seed-001', fromFiscalYear: 2024, toFiscalYear: 2026, municipalityCode: null });
    const targets = Object.fromEntries(
      plan.indicators.map((i: { code: string; baseline: number; targets: Array<{ target: number }> }) => [
        i.code,
        [i.baseline, ...i.targets.map((x) => x.target)],
      ]),
    );
    expect(targets).toEqual({
      uij_movers: [268, 72, 85, 87],
      relationship_created: [0, 131, 204, 252],
      exchange_created: [0, 7178, 7671, 8148],
      ready_organizations: [0, 16, 18, 18],
    });
  });

  it('lets the prefecture admin add a municipality’s plan with its own targets', async () => {
    const body = {
      code: 'tsuruoka-2025',
      nameJa: '鶴岡市 関係人口計画',
      nameEn: 'Tsuruoka plan',
      fromFiscalYear: 2025,
      toFiscalYear: 2026,
      municipalityCode: TSURUOKA,
      indicators: [
        {
          code: 'continuing_participants',
          labelJa: '継続して参加する人数',
          labelEn: 'Continuing participants',
          unit: 'people',
          targets: [
            { fiscalYear: 2025, target: 10 },
            { fiscalYear: 2026, target: 12 },
          ],
          municipalityTargets: [{ municipalityCode: TSURUOKA, fiscalYear: 2025, target: 10 }],
        },
      ],
    };
    const created = await t.admin.request({ method: 'POST', url: '/api/kpi/plans', payload: body });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().indicators[0]).toMatchObject({ code: 'continuing_participants', baseline: 0 });
    const again = await t.admin.request({ method: 'POST', url: '/api/kpi/plans', payload: body });
    expect(again.statusCode).toBe(400);
    expect(Object.keys(again.json().error.fields)).toEqual(['code']);
  });

  it('names the field when a target lies outside the period or a year is given twice', async () => {
    const res = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/plans',
      headers: { 'accept-language': 'en' },
      payload: {
        code: 'bad-plan',
        nameJa: '誤り',
        nameEn: 'Wrong',
        fromFiscalYear: 2025,
        toFiscalYear: 2026,
        indicators: [
          {
            code: 'uij_movers',
            labelJa: '移住者',
            labelEn: 'Movers',
            unit: 'people',
            targets: [
              { fiscalYear: 2024, target: 1 },
              { fiscalYear: 2025, target: 1 },
              { fiscalYear: 2025, target: 2 },
            ],
          },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({
      'indicators.0.targets.0.fiscalYear': expect.stringContaining('FY2025–FY2026'),
      'indicators.0.targets.2.fiscalYear': expect.any(String),
    });
    const plans = (await t.admin.request({ method: 'GET', url: '/api/kpi/plans' })).json().items;
    expect(plans.map((p: { code: string }) => p.code)).not.toContain('bad-plan');
  });

  it('refuses plan changes to municipality staff', async () => {
    const res = await yamagataStaff.request({ method: 'POST', url: '/api/kpi/plans', payload: {} });
    expect(res.statusCode).toBe(403);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here; the assertions check their shape
type Json = Record<string, any>;

describe.each(TEST_DRIVERS)('KPI actuals from the records on %s', (driver) => {
  let t: TestApp;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let partner: Session;
  const people: string[] = [];
  const db = () => t.database.db;
  const exec = (q: ReturnType<typeof sql>) => db().execute(q);

  const actuals = async (s: Session, query: string) => {
    const res = await s.request({ method: 'GET', url: `/api/kpi/actuals?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Json;
  };
  const item = (body: Json, code: string) => body.items.find((i: Json) => i.code === code);

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedKpiPlans(db(), systemContext());
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    partner = await t.staffSession('partner');
    for (let i = 0; i < 6; i++) {
      const res = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ links: [{ municipalityCode: i % 2 ? TSURUOKA : YAMAGATA, kind: 'supporter' }] }),
      });
      people.push(res.json().id);
    }
  });
  afterAll(() => t?.close());

  it('① sums household sizes of moves dated in the fiscal year, by UIJ type, at the 3/31 – 4/1 edge', async () => {
    const move = async (personId: string, occurredOn: string, municipalityCode: string, extra: object) => {
      const c = await t.admin.request({
        method: 'POST',
        url: '/api/consultations',
        payload: {
          personId,
          channel: 'tokyo_counter',
          occurredOn: '2024-04-01',
          municipalityCodes: [municipalityCode],
        },
      });
      expect(c.statusCode, c.body).toBe(201);
      const res = await t.admin.request({
        method: 'POST',
        url: `/api/cases/${c.json().case.id}/steps`,
        payload: { step: 'moved', occurredOn, municipalityCode, ...extra },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await move(people[0]!, '2025-03-31', YAMAGATA, { householdSize: 3, uijType: 'I' });
    await move(people[1]!, '2025-04-01', TSURUOKA, { householdSize: 2, uijType: 'U' });
    await move(people[2]!, '2024-09-01', TSURUOKA, {});
    const fy2024 = await actuals(t.admin, 'fiscalYear=2024');
    expect(item(fy2024, 'uij_movers')).toMatchObject({
      target: 72,
      actual: 4,
      cumulativeTarget: 72,
      cumulativeActual: 4,
      breakdown: [
        { key: 'U', value: 0 },
        { key: 'I', value: 3 },
        { key: 'J', value: 0 },
        { key: 'unknown', value: 1 },
      ],
    });
    const fy2025 = await actuals(t.admin, 'fiscalYear=2025');
    expect(item(fy2025, 'uij_movers')).toMatchObject({ actual: 2, cumulativeActual: 6, cumulativeTarget: 157 });
    const tsuruoka = fy2024.municipalities.find((m: Json) => m.code === TSURUOKA);
    expect(tsuruoka.figures.find((f: Json) => f.code === 'uij_movers').actual).toBe(1);
  });

  it('④ shows no data (null), never zero, until readiness records exist', async () => {
    const body = await actuals(t.admin, 'fiscalYear=2024');
    expect(item(body, 'ready_organizations')).toMatchObject({
      target: 16,
      actual: null,
      cumulativeActual: null,
      achievement: null,
    });
  });

  it('③ counts check-ins by their Japan day and headcounts of events held in the prefecture; online and outside excluded', async () => {
    const event = async (venueMunicipalityCode: string | null, status = 'published') => {
      const [row] = (
        (await exec(
          sql`insert into events (kind, title, starts_at, ends_at, status, venue_municipality_code)
              values ('fair', 'テスト', '2025-03-31T10:00:00+09:00', '2025-04-01T18:00:00+09:00', ${status}, ${venueMunicipalityCode})
              returning id`,
        )) as unknown as { rows: Array<{ id: string }> }
      ).rows;
      return row!.id;
    };
    const checkIn = (eventId: string, personId: string, at: string) =>
      exec(
        sql`insert into event_registrations (event_id, person_id, qr_token_hash, checked_in_at)
            values (${eventId}, ${personId}, ${`hash-${eventId}-${personId}`}, ${at}::timestamptz)`,
      );
    const inYamagata = await event(YAMAGATA);
    const online = await event(null);
    await checkIn(inYamagata, people[0]!, '2025-03-31T23:59:00+09:00');
    await checkIn(inYamagata, people[1]!, '2025-04-01T00:00:00+09:00');
    await checkIn(inYamagata, people[2]!, '2025-03-31T14:59:00Z'); // 23:59 JST, still FY2024
    await checkIn(online, people[3]!, '2025-03-31T12:00:00+09:00');
    const headcount = await yamagataStaff.request({
      method: 'POST',
      url: `/api/events/${inYamagata}/headcounts`,
      payload: { countedOn: '2025-03-31', count: 120, note: '受付で数えた来場者' },
    });
    // The event is the center's: municipality staff may not record on it.
    expect(headcount.statusCode).toBe(403);
    const recorded = await t.admin.request({
      method: 'POST',
      url: `/api/events/${inYamagata}/headcounts`,
      payload: { countedOn: '2025-03-31', count: 120, note: '受付で数えた来場者' },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json()).toMatchObject({ count: 120, countedOn: '2025-03-31', countedBy: { id: t.admin.user.id } });
    await t.admin.request({
      method: 'POST',
      url: `/api/events/${online}/headcounts`,
      payload: { countedOn: '2025-03-31', count: 500 },
    });
    const future = await t.admin.request({
      method: 'POST',
      url: `/api/events/${online}/headcounts`,
      headers: { 'accept-language': 'en' },
      payload: { countedOn: '2999-01-01', count: 5 },
    });
    expect(future.statusCode).toBe(400);
    expect(Object.keys(future.json().error.fields)).toEqual(['countedOn']);
    const list = await t.admin.request({ method: 'GET', url: `/api/events/${online}/headcounts` });
    expect(list.json()).toMatchObject({ total: 500 });

    expect(item(await actuals(t.admin, 'fiscalYear=2024'), 'exchange_created').actual).toBe(122);
    expect(item(await actuals(t.admin, 'fiscalYear=2025'), 'exchange_created')).toMatchObject({
      actual: 1,
      cumulativeActual: 123,
    });
    const records = await t.admin.request({
      method: 'GET',
      url: '/api/kpi/actuals/exchange_created/records?fiscalYear=2024',
    });
    expect(records.json()).toMatchObject({
      total: 1,
      sum: 122,
      items: [{ kind: 'event', id: inYamagata, value: 122 }],
    });
  });

  it('② counts a person once, in the year of their first step up into 関与・協働・二地域居住', async () => {
    const record = (personId: string, municipalityCode: string, kind: string, occurredOn: string) =>
      exec(
        sql`insert into engagements (person_id, municipality_code, kind, occurred_on, source)
            values (${personId}, ${municipalityCode}, ${kind}, ${occurredOn}, 'manual')`,
      );
    await record(people[3]!, YAMAGATA, 'event', '2024-05-01');
    await record(people[3]!, YAMAGATA, 'event', '2025-04-01'); // second fiscal year → 関与 in FY2025
    await record(people[4]!, TSURUOKA, 'volunteering', '2025-03-31'); // 関与 in FY2024
    await record(people[4]!, YAMAGATA, 'side_job', '2025-06-01'); // later elsewhere: not counted again
    await record(people[5]!, YAMAGATA, 'event', '2024-05-01'); // only 交流
    const fy2024 = await actuals(t.admin, 'fiscalYear=2024');
    const fy2025 = await actuals(t.admin, 'fiscalYear=2025');
    expect(item(fy2024, 'relationship_created')).toMatchObject({ actual: 1, target: 131 });
    expect(item(fy2025, 'relationship_created')).toMatchObject({
      actual: 1,
      cumulativeActual: 2,
      cumulativeTarget: 335,
    });
    const drill = (
      await t.admin.request({ method: 'GET', url: '/api/kpi/actuals/relationship_created/records?fiscalYear=2025' })
    ).json();
    expect(drill).toMatchObject({
      total: 1,
      sum: 1,
      items: [{ personId: people[3], on: '2025-04-01', detail: 'involvement' }],
    });
  });

  it('shows municipality staff only their municipality’s figures and records, and audits drill-downs', async () => {
    const own = await actuals(yamagataStaff, 'fiscalYear=2024');
    expect(own.municipality.code).toBe(YAMAGATA);
    expect(own.municipalities.map((m: Json) => m.code)).toEqual([YAMAGATA]);
    expect(item(own, 'uij_movers').actual).toBe(3);
    expect(item(own, 'uij_movers').target).toBeNull();
    const other = await yamagataStaff.request({
      method: 'GET',
      url: `/api/kpi/actuals?fiscalYear=2024&municipality=${TSURUOKA}`,
    });
    expect(other.statusCode).toBe(404);
    const otherRecords = await yamagataStaff.request({
      method: 'GET',
      url: `/api/kpi/actuals/uij_movers/records?fiscalYear=2024&municipality=${TSURUOKA}`,
    });
    expect(otherRecords.statusCode).toBe(404);
    const tsuruokaRecords = (
      await tsuruokaStaff.request({ method: 'GET', url: '/api/kpi/actuals/uij_movers/records?fiscalYear=2024' })
    ).json();
    expect(tsuruokaRecords.items.map((r: Json) => r.municipalityCode)).toEqual([TSURUOKA]);
    expect(tsuruokaRecords.sum).toBe(1);
    expect((await partner.request({ method: 'GET', url: '/api/kpi/actuals' })).statusCode).toBe(404);
    expect((await partner.request({ method: 'GET', url: '/api/kpi/actuals/uij_movers/records' })).statusCode).toBe(404);
    const audit = (
      (await exec(
        sql`select count(*)::int as n from audit_events where action = 'kpi.records.read' and municipality_code = ${TSURUOKA}`,
      )) as unknown as { rows: Array<{ n: number }> }
    ).rows[0]!.n;
    expect(audit).toBeGreaterThanOrEqual(1);
  });

  it('computes ② and continuing participants in SQL exactly as the pure rules do, for random records (property)', async () => {
    const M = [YAMAGATA, TSURUOKA] as const;
    const dates = ['2023-05-01', '2024-03-31', '2024-04-01', '2024-11-11', '2025-03-31', '2025-04-01', '2026-01-05'];
    const arb = fc.array(
      fc.record({
        person: fc.integer({ min: 0, max: people.length - 1 }),
        municipalityCode: fc.constantFrom(...M),
        kind: fc.constantFrom(...ENGAGEMENT_KINDS),
        occurredOn: fc.constantFrom(...dates),
      }),
      { maxLength: 14 },
    );
    await fc.assert(
      fc.asyncProperty(arb, async (records) => {
        await exec(sql`delete from engagements`);
        for (const r of records)
          await exec(
            sql`insert into engagements (person_id, municipality_code, kind, occurred_on, source, external_key)
                values (${people[r.person]!}, ${r.municipalityCode}, ${r.kind}, ${r.occurredOn}, 'manual', ${randomUUID()})`,
          );
        const range = { fromFiscalYear: 2023, toFiscalYear: 2025 };
        const [sqlRelationship, sqlContinuing, links] = await Promise.all([
          relationshipRows(db(), range),
          continuingRows(db(), range),
          db().execute(
            sql`select person_id, municipality_code, kind, (created_at at time zone 'Asia/Tokyo')::date::text as since from person_links`,
          ),
        ]);
        const linkRows = (
          links as unknown as {
            rows: Array<{ person_id: string; municipality_code: string; kind: LinkKind; since: string }>;
          }
        ).rows;
        const persons = people.map((personId) => ({
          personId,
          records: records
            .filter((r) => people[r.person] === personId)
            .map((r) => ({ municipalityCode: r.municipalityCode, kind: r.kind, occurredOn: r.occurredOn })),
          links: linkRows
            .filter((l) => l.person_id === personId)
            .map((l) => ({ municipalityCode: l.municipality_code, kind: l.kind, since: l.since })),
        }));
        const flat = records.map((r) => ({ ...r, personId: people[r.person]! }));
        for (const fy of [2023, 2024, 2025]) {
          for (const m of [null, ...M]) {
            const expected = relationshipCreated(persons, fy, '2100-01-01', m).length;
            const got = sqlRelationship
              .filter((r) => r.fiscalYear === fy && (!m || r.municipalityCode === m))
              .reduce((s, r) => s + r.value, 0);
            expect(got, `② FY${fy} ${m ?? 'all'}`).toBe(expected);
            const cont = continuingParticipants(flat, fy, m);
            const row = m
              ? sqlContinuing.byMunicipality.find((r) => r.fiscalYear === fy && r.municipalityCode === m)
              : sqlContinuing.total.find((r) => r.fiscalYear === fy);
            expect(row?.continuing ?? 0, `continuing FY${fy} ${m ?? 'all'}`).toBe(cont.count);
          }
        }
      }),
      { numRuns: 12 },
    );
  });
});
