/**
 * Needs analysis (GET /api/analytics/consultations) on a small data set whose every figure is
 * known by hand: six people, six cases and ten consultations around fiscal year 2025
 * (2025-04-01 … 2026-03-31), seeded directly into the tables, plus one consultation recorded
 * through the consultations API. Exports are parsed back (exceljs, BOM-checked CSV).
 */
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/seed/demo.js';
import { people } from '../../src/modules/people/people.tables.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { cases, caseSteps, consultations } from '../../src/modules/consultations/consultations.tables.js';
import { queryRows } from '../../src/platform/db/client.js';
import { currentFiscalYear } from '../../src/modules/analytics/analytics.rules.js';
import type { ConsultationAnalyticsView } from '../../src/modules/analytics/analytics.schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';
const SAKATA = '062049';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Step = { step: string; on: string; municipality?: string; reason?: string };
type CaseSeed = { person: string; opened: string; municipality: string | null; steps: Step[] };
type ConsultationSeed = {
  person: string;
  case: string;
  on: string;
  channel: string;
  topics: string[];
  codes: string[];
  pref: string | null;
};

const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'] as const;
const CASES: Record<string, CaseSeed> = {
  // Tokyo → moved to Yamagata city after 205 days, through every rung but trial stay.
  k1: {
    person: 'p1',
    opened: '2025-05-10',
    municipality: YAMAGATA,
    steps: [
      { step: 'consulting', on: '2025-06-01' },
      { step: 'visited', on: '2025-08-01' },
      { step: 'decided', on: '2025-10-01' },
      { step: 'moved', on: '2025-12-01', municipality: YAMAGATA },
    ],
  },
  // Osaka → straight to moved (Tsuruoka) after 245 days, then settled.
  k2: {
    person: 'p2',
    opened: '2025-06-20',
    municipality: TSURUOKA,
    steps: [
      { step: 'moved', on: '2026-02-20', municipality: TSURUOKA },
      { step: 'settled', on: '2026-03-10' },
    ],
  },
  // Aichi → trial stay, then ended: chose elsewhere (furthest rung: visited / trial stay).
  k3: {
    person: 'p3',
    opened: '2025-04-05',
    municipality: YAMAGATA,
    steps: [
      { step: 'consulting', on: '2025-05-01' },
      { step: 'trial_stay', on: '2025-09-01' },
      { step: 'ended', on: '2026-01-15', reason: 'chose_elsewhere' },
    ],
  },
  // Unknown residence, opened on the last day of the year.
  k4: { person: 'p4', opened: '2026-03-31', municipality: null, steps: [] },
  // Hokkaido, opened in FY2024, moved on the first day of FY2025 after 151 days.
  k5: {
    person: 'p5',
    opened: '2024-11-01',
    municipality: YAMAGATA,
    steps: [{ step: 'moved', on: '2025-04-01', municipality: YAMAGATA }],
  },
  // Saitama → consulting, then ended: postponed (furthest rung: consulting).
  k6: {
    person: 'p6',
    opened: '2025-09-09',
    municipality: SAKATA,
    steps: [
      { step: 'consulting', on: '2025-10-10' },
      { step: 'ended', on: '2025-11-11', reason: 'postponed' },
    ],
  },
};
const CONSULTATIONS: ConsultationSeed[] = [
  {
    person: 'p1',
    case: 'k1',
    on: '2025-05-10',
    channel: 'fair',
    topics: ['work', 'housing'],
    codes: [YAMAGATA],
    pref: '東京都',
  },
  {
    person: 'p1',
    case: 'k1',
    on: '2025-07-15',
    channel: 'online',
    topics: ['housing'],
    codes: [YAMAGATA],
    pref: '東京都',
  },
  {
    person: 'p2',
    case: 'k2',
    on: '2025-06-20',
    channel: 'osaka_office',
    topics: ['farming'],
    codes: [TSURUOKA],
    pref: '大阪府',
  },
  {
    person: 'p3',
    case: 'k3',
    on: '2025-04-05',
    channel: 'nagoya_office',
    topics: ['childcare', 'work'],
    codes: [YAMAGATA, TSURUOKA],
    pref: '愛知県',
  },
  // p3 moved house to Yamagata prefecture: the latest consultation of the year decides the area.
  { person: 'p3', case: 'k3', on: '2026-03-31', channel: 'phone', topics: [], codes: [], pref: '山形県' },
  { person: 'p4', case: 'k4', on: '2026-04-01', channel: 'mail', topics: ['other'], codes: [TSURUOKA], pref: null }, // FY2026
  { person: 'p4', case: 'k4', on: '2026-03-31', channel: 'mail', topics: ['snow_life'], codes: [], pref: null },
  {
    person: 'p5',
    case: 'k5',
    on: '2024-11-01',
    channel: 'tokyo_counter',
    topics: ['work'],
    codes: [YAMAGATA],
    pref: '北海道',
  }, // FY2024
  // After p5's move: a phone call the day after does not make the phone channel "lead to" that move.
  {
    person: 'p5',
    case: 'k5',
    on: '2025-04-02',
    channel: 'phone',
    topics: ['support_programs'],
    codes: [YAMAGATA],
    pref: '山形県',
  },
  {
    person: 'p6',
    case: 'k6',
    on: '2025-09-09',
    channel: 'station_popup',
    topics: ['work'],
    codes: [SAKATA],
    pref: '埼玉県',
  },
];

const personId = new Map<string, string>();
const caseId = new Map<string, string>();

async function seed(t: TestApp): Promise<void> {
  const { db } = t.database;
  for (const [i, key] of PEOPLE.entries()) {
    const fields = {
      name: `分析 太郎${i}`,
      kana: 'ブンセキ タロウ',
      email: `analytics-${key}@example.jp`,
      phone: null,
    };
    const [row] = await db
      .insert(people)
      .values({ ...fields, ...derivedColumns(fields) })
      .returning({ id: people.id });
    personId.set(key, row!.id);
  }
  for (const [key, c] of Object.entries(CASES)) {
    const last = c.steps.at(-1);
    const moved = c.steps.find((s) => s.step === 'moved');
    const id = randomUUID();
    caseId.set(key, id);
    await db.insert(cases).values({
      id,
      personId: personId.get(c.person)!,
      municipalityCode: c.municipality,
      step: last?.step ?? 'first_contact',
      stepOn: last?.on ?? c.opened,
      openedOn: c.opened,
      movedMunicipalityCode: moved?.municipality ?? null,
      movedOn: moved?.on ?? null,
      endReason: last?.reason ?? null,
    });
    await db.insert(caseSteps).values(
      [{ step: 'first_contact', on: c.opened } as Step, ...c.steps].map((s) => ({
        caseId: id,
        personId: personId.get(c.person)!,
        step: s.step,
        occurredOn: s.on,
        municipalityCode: s.municipality ?? null,
        endReason: s.reason ?? null,
      })),
    );
  }
  await db.insert(consultations).values(
    CONSULTATIONS.map((c) => ({
      personId: personId.get(c.person)!,
      caseId: caseId.get(c.case)!,
      channel: c.channel,
      occurredOn: c.on,
      topics: c.topics,
      municipalityCodes: c.codes,
      residencePrefecture: c.pref,
    })),
  );
}

/**
 * Panels that count the same thing agree (each states its population in words on the page): the
 * year's moves are the cases that moved in during the year in the totals, the time-to-move panel
 * and the map; the funnel's cohort is the year's opened cases; channels and areas split the year's
 * consultations and people without losing or adding any.
 */
function expectPanelsAgree(a: ConsultationAnalyticsView) {
  const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
  expect(a.timeToMove.cases, 'time to move = moves').toBe(a.totals.moves);
  expect(sum(a.municipalities.map((m) => m.moves)), 'map moves = moves').toBe(a.totals.moves);
  expect(a.conversion.casesOpened, 'funnel cohort = cases opened').toBe(a.totals.casesOpened);
  expect(sum(a.channels.map((c) => c.consultations)), 'channels = consultations').toBe(a.totals.consultations);
  expect(sum(a.areas.map((r) => r.consultations)), 'areas = consultations').toBe(a.totals.consultations);
  expect(sum(a.areas.map((r) => r.people)), 'areas = people').toBe(a.totals.people);
  for (const c of a.channels) expect(c.peopleMoved, c.channel).toBeLessThanOrEqual(c.people);
}

describe.each(TEST_DRIVERS)('needs analysis on %s', (driver) => {
  let t: TestApp;
  let center: Session;
  let tsuruokaStaff: Session;
  let partner: Session;
  const analysis = async (session: Session, query: string) => {
    const res = await session.request({ method: 'GET', url: `/api/analytics/consultations${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ConsultationAnalyticsView;
  };

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seed(t);
    center = await t.staffSession('center_staff');
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    partner = await t.staffSession('partner');
  });
  afterAll(() => t?.close());

  it('counts the fiscal year’s consultations, people, opened cases and moves', async () => {
    const a = await analysis(center, '?fy=2025');
    expect(a).toMatchObject({ fiscalYear: 2025, from: '2025-04-01', to: '2026-03-31', municipality: null });
    expect(a.totals).toEqual({ consultations: 8, people: 6, casesOpened: 5, moves: 3 });
  });

  it('agrees with itself where panels count the same thing, on hand-made data and on the demo data', async () => {
    expectPanelsAgree(await analysis(center, '?fy=2025'));
    const demo = await createTestApp(driver);
    try {
      await seedDemoData(demo.database.db);
      const staff = await demo.staffSession('center_staff');
      const res = await staff.request({ method: 'GET', url: '/api/analytics/consultations' });
      expect(res.statusCode, res.body).toBe(200);
      const a = res.json() as ConsultationAnalyticsView;
      expect(a.totals.consultations).toBeGreaterThan(0);
      expectPanelsAgree(a);
    } finally {
      await demo.close();
    }
  });

  it('places each person in the area of their latest consultation of the year', async () => {
    const a = await analysis(center, '?fy=2025');
    const byArea = Object.fromEntries(a.areas.map((x) => [x.area, [x.people, x.consultations]]));
    expect(byArea).toEqual({
      shutoken: [2, 3],
      kansai: [1, 1],
      chukyo: [0, 1],
      yamagata: [2, 2],
      other: [0, 0],
      unknown: [1, 1],
    });
    const shutoken = a.areas.find((x) => x.area === 'shutoken')!;
    expect(shutoken.peopleShare).toBeCloseTo(2 / 6, 10);
    expect(shutoken.consultationsShare).toBeCloseTo(3 / 8, 10);
  });

  it('spreads topics over the twelve months of the year', async () => {
    const a = await analysis(center, '?fy=2025');
    expect(a.topicsByMonth.map((m) => m.month)).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    const month = (m: string) => a.topicsByMonth.find((x) => x.month === m)!;
    expect(month('2025-04').consultations).toBe(2);
    expect(month('2025-04').topics).toMatchObject({ work: 1, childcare: 1, support_programs: 1, housing: 0 });
    expect(month('2025-08')).toMatchObject({ consultations: 0 });
    expect(month('2026-03').consultations).toBe(2);
    expect(month('2026-03').topics.snow_life).toBe(1);
    const totals = Object.fromEntries(
      a.topicTotals.filter((x) => x.consultations).map((x) => [x.topic, x.consultations]),
    );
    expect(totals).toEqual({ work: 3, housing: 2, childcare: 1, farming: 1, support_programs: 1, snow_life: 1 });
    expect(a.topicTotals.find((x) => x.topic === 'work')!.share).toBeCloseTo(3 / 8, 10);
  });

  it('counts, per channel, the people who later moved through that case', async () => {
    const a = await analysis(center, '?fy=2025');
    const used = Object.fromEntries(
      a.channels.filter((c) => c.consultations).map((c) => [c.channel, [c.consultations, c.people, c.peopleMoved]]),
    );
    expect(used).toEqual({
      fair: [1, 1, 1],
      online: [1, 1, 1],
      osaka_office: [1, 1, 1],
      nagoya_office: [1, 1, 0],
      phone: [2, 2, 0], // p5's call came the day after the move
      mail: [1, 1, 0],
      station_popup: [1, 1, 0],
    });
    expect(a.channels.find((c) => c.channel === 'fair')!.moveRate).toBe(1);
    expect(a.channels.find((c) => c.channel === 'phone')!.moveRate).toBe(0);
    expect(a.channels.find((c) => c.channel === 'tokyo_counter')!.moveRate).toBeNull();
  });

  it('gives the median and quartiles of days from first contact to move', async () => {
    const a = await analysis(center, '?fy=2025');
    // 151 (k5), 205 (k1), 245 (k2)
    expect(a.timeToMove).toEqual({ cases: 3, p25: 178, median: 205, p75: 225 });
  });

  it('builds the funnel of the cases opened in the year, counting skipped rungs as passed', async () => {
    const a = await analysis(center, '?fy=2025');
    expect(a.conversion.casesOpened).toBe(5);
    expect(a.conversion.stages.map((s) => [s.stage, s.cases])).toEqual([
      ['first_contact', 5],
      ['consulting', 4],
      ['visited_or_trial_stay', 3],
      ['decided', 2],
      ['moved', 2],
      ['settled', 1],
    ]);
    expect(a.conversion.stages[1]).toMatchObject({ shareOfOpened: 0.8, shareOfPrevious: 0.8 });
    expect(a.conversion.stages[0]!.shareOfPrevious).toBeNull();
    expect(a.conversion.ended.cases).toBe(2);
    expect(a.conversion.ended.byReason.filter((r) => r.cases)).toEqual([
      { reason: 'chose_elsewhere', cases: 1 },
      { reason: 'postponed', cases: 1 },
    ]);
  });

  it('lists every municipality for the map, with its counts', async () => {
    const a = await analysis(center, '?fy=2025');
    expect(a.municipalities).toHaveLength(35);
    const m = (code: string) => a.municipalities.find((x) => x.code === code)!;
    expect(m(YAMAGATA)).toEqual({ code: YAMAGATA, name: '山形市', consultations: 4, casesOpened: 2, moves: 2 });
    expect(m(TSURUOKA)).toMatchObject({ consultations: 2, casesOpened: 1, moves: 1 });
    expect(m(SAKATA)).toMatchObject({ consultations: 1, casesOpened: 1, moves: 0 });
    expect(m('062022')).toMatchObject({ consultations: 0, casesOpened: 0, moves: 0 });
  });

  it('narrows to what concerns one municipality', async () => {
    const a = await analysis(center, `?fy=2025&municipality=${TSURUOKA}`);
    expect(a.municipality).toEqual({ code: TSURUOKA, name: '鶴岡市' });
    expect(a.totals).toEqual({ consultations: 2, people: 2, casesOpened: 1, moves: 1 });
    expect(Object.fromEntries(a.areas.filter((x) => x.people).map((x) => [x.area, x.people]))).toEqual({
      kansai: 1,
      chukyo: 1,
    });
    expect(a.timeToMove).toEqual({ cases: 1, p25: 245, median: 245, p75: 245 });
    expect(a.conversion.stages.map((s) => s.cases)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('defaults to the current fiscal year and keeps years apart', async () => {
    const current = await analysis(center, '');
    expect(current.fiscalYear).toBe(currentFiscalYear());
    const fy2026 = await analysis(center, '?fy=2026');
    expect(fy2026.totals).toMatchObject({ consultations: 1, people: 1, casesOpened: 0, moves: 0 });
    expect(fy2026.timeToMove).toEqual({ cases: 0, p25: null, median: null, p75: null });
    expect(fy2026.areas.find((x) => x.area === 'unknown')!.peopleShare).toBe(1);
    const empty = await analysis(center, '?fy=2010');
    expect(empty.totals).toEqual({ consultations: 0, people: 0, casesOpened: 0, moves: 0 });
    expect(empty.areas.every((x) => x.peopleShare === null)).toBe(true);
  });

  it('gives municipality staff their own municipality only, and partners nothing', async () => {
    const own = await analysis(tsuruokaStaff, '?fy=2025');
    expect(own.municipality?.code).toBe(TSURUOKA);
    expect(own.totals).toEqual({ consultations: 2, people: 2, casesOpened: 1, moves: 1 });
    expect((await analysis(tsuruokaStaff, `?fy=2025&municipality=${TSURUOKA}`)).totals.consultations).toBe(2);
    for (const [session, query] of [
      [tsuruokaStaff, `?fy=2025&municipality=${YAMAGATA}`],
      [tsuruokaStaff, `?fy=2025&municipality=${YAMAGATA}&format=csv`],
      [partner, '?fy=2025'],
      [partner, '?fy=2025&format=xlsx'],
      [center, '?fy=2025&municipality=069999'],
    ] as const) {
      const res = await session.request({ method: 'GET', url: `/api/analytics/consultations${query}` });
      expect(res.statusCode, query).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('refuses bad parameters naming the field', async () => {
    for (const [query, field] of [
      ['?fy=abc', 'fy'],
      ['?fy=1999', 'fy'],
      ['?municipality=12', 'municipality'],
      ['?format=pdf', 'format'],
      ['?table=people', 'table'],
      ['?x=1', null],
    ] as const) {
      const res = await center.request({ method: 'GET', url: `/api/analytics/consultations${query}` });
      expect(res.statusCode, query).toBe(400);
      if (field) expect(Object.keys(res.json().error.fields ?? {}), query).toContain(field);
    }
  });

  it('exports a workbook with one sheet per table, Japanese headers and number formats', async () => {
    const res = await center.request({
      method: 'GET',
      url: '/api/analytics/consultations?fy=2025',
      headers: { accept: XLSX },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="consultations-FY2025.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '概要',
      '相談者の居住地域',
      '相談内容の推移',
      '相談経路と移住',
      '初回相談から移住までの日数',
      '段階別の到達（年度内に開始したケース）',
      '市町村別',
    ]);
    const summary = workbook.getWorksheet('概要')!;
    expect(summary.getRow(2).values).toEqual([undefined, '年度', '2025年度（令和7年度）']);
    expect(summary.getCell('B5').value).toBe(8);
    const areas = workbook.getWorksheet('相談者の居住地域')!;
    expect(areas.getRow(1).values).toEqual([
      undefined,
      '地域',
      '相談者数',
      '相談者の割合',
      '相談件数',
      '相談件数の割合',
    ]);
    expect(areas.getCell('A2').value).toBe('首都圏（東京都・神奈川県・埼玉県・千葉県）');
    expect(areas.getCell('B2').value).toBe(2);
    expect(areas.getCell('C2').value).toBeCloseTo(2 / 6, 10);
    expect(areas.getCell('C2').numFmt).toBe('0.0%');
    expect(areas.getCell('B2').numFmt).toBe('#,##0');
    const time = workbook.getWorksheet('初回相談から移住までの日数')!;
    expect(time.getRow(2).values).toEqual([undefined, '年度内に移住したケース', 3, 178, 205, 225]);
    const topics = workbook.getWorksheet('相談内容の推移')!;
    expect(topics.getCell('A2').value).toBe('2025年4月');
    expect(topics.getRow(14).getCell(1).value).toBe('年度計');
    expect(topics.getRow(14).getCell(2).value).toBe(8);
  });

  it('exports one table as UTF-8 CSV with BOM, or every table as the workbook shows it, one titled block each', async () => {
    const one = await center.request({
      method: 'GET',
      url: `/api/analytics/consultations?fy=2025&format=csv&table=channels&municipality=${TSURUOKA}`,
    });
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(one.headers['content-disposition']).toBe(
      `attachment; filename="consultations-FY2025-${TSURUOKA}-channels.csv"`,
    );
    expect([...one.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = one.rawPayload.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('相談経路,相談件数,相談者数,うち移住した人数,移住率');
    expect(lines).toContain('大阪事務所,1,1,1,1');
    expect(lines).toContain('名古屋事務所,1,1,0,0');
    expect(lines).toContain('東京窓口,0,0,0,');

    const long = await center.request({
      method: 'GET',
      url: '/api/analytics/consultations?fy=2025',
      headers: { accept: 'text/csv' },
    });
    expect(long.headers['content-disposition']).toBe('attachment; filename="consultations-FY2025.csv"');
    expect([...long.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = long.rawPayload.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    // The same wide tables as the workbook's sheets, one block each under its title (not 表,行,列,値 rows).
    expect(rows[0]).toBe('概要');
    expect(rows[1]).toBe('項目,値');
    expect(rows).toContain('相談件数,8');
    const block = (title: string) => {
      const lines = long.rawPayload.subarray(3).toString('utf8').split('\r\n');
      const start = lines.indexOf(title);
      expect(start, title).toBeGreaterThanOrEqual(0);
      const end = lines.indexOf('', start);
      return lines.slice(start + 1, end === -1 ? undefined : end);
    };
    expect(block('相談者の居住地域')[0]).toBe('地域,相談者数,相談者の割合,相談件数,相談件数の割合');
    expect(
      block('相談者の居住地域').some(
        (l) => l.startsWith('首都圏（東京都・神奈川県・埼玉県・千葉県）,') && l.includes(',0.3333,'),
      ),
    ).toBe(true);
    expect(block('相談経路と移住')[0]).toBe('相談経路,相談件数,相談者数,うち移住した人数,移住率');
    expect(block('市町村別')[0]).toMatch(/^市町村コード,市町村名,/);
    expect(block('市町村別').some((l) => l.startsWith('062014,山形市,'))).toBe(true);
    expect(
      block('段階別の到達（年度内に開始したケース）').some((l) => l.startsWith('終了の理由：延期・見送り,1,')),
    ).toBe(true);
    expect(block('初回相談から移住までの日数').length).toBeGreaterThan(1);
  });

  it('answers JSON unless the Accept header or ?format= asks for a file', async () => {
    const json = await center.request({
      method: 'GET',
      url: '/api/analytics/consultations?fy=2025',
      headers: { accept: 'text/html,*/*;q=0.8' },
    });
    expect(json.headers['content-type']).toContain('application/json');
    const preferCsv = await center.request({
      method: 'GET',
      url: '/api/analytics/consultations?fy=2025',
      headers: { accept: `application/json;q=0.5, text/csv` },
    });
    expect(preferCsv.headers['content-type']).toContain('text/csv');
    const override = await center.request({
      method: 'GET',
      url: '/api/analytics/consultations?fy=2025&format=json',
      headers: { accept: XLSX },
    });
    expect(override.headers['content-type']).toContain('application/json');
  });

  it('records every export, but not the views, in the audit trail', async () => {
    const before = (await t.admin.request({ method: 'GET', url: '/api/audit?action=analytics.export' })).json()
      .total as number;
    await analysis(center, '?fy=2025');
    await center.request({
      method: 'GET',
      url: `/api/analytics/consultations?fy=2025&format=xlsx&municipality=${TSURUOKA}`,
    });
    const audit = (await t.admin.request({ method: 'GET', url: '/api/audit?action=analytics.export' })).json();
    expect(audit.total).toBe(before + 1);
    expect(audit.items[0].details).toEqual({
      report: 'consultations',
      format: 'xlsx',
      fiscalYear: 2025,
      municipality: TSURUOKA,
      table: null,
    });
  });

  it('counts a consultation recorded through the consultations API', async () => {
    const before = await analysis(center, '?fy=2024');
    expect(before.totals).toEqual({ consultations: 1, people: 1, casesOpened: 1, moves: 0 });
    const res = await center.request({
      method: 'POST',
      url: '/api/consultations',
      payload: {
        person: {
          name: '経由 花子',
          kana: 'ケイユ ハナコ',
          email: 'analytics-api@example.jp',
          prefecture: '神奈川県',
          city: '横浜市',
        },
        channel: 'tokyo_counter',
        occurredOn: '令和6年10月1日',
        topics: ['work', 'two_region_living'],
        municipalityCodes: [SAKATA],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const after = await analysis(center, '?fy=2024');
    expect(after.totals).toEqual({ consultations: 2, people: 2, casesOpened: 2, moves: 0 });
    expect(after.areas.find((x) => x.area === 'shutoken')!.people).toBe(1);
    expect(after.topicsByMonth.find((m) => m.month === '2024-10')!.topics).toMatchObject({
      work: 1,
      two_region_living: 1,
    });
    expect(after.municipalities.find((m) => m.code === SAKATA)).toMatchObject({ consultations: 1, casesOpened: 1 });
    expect(after.channels.find((c) => c.channel === 'tokyo_counter')).toMatchObject({
      consultations: 2,
      people: 2,
      peopleMoved: 1,
    }); // p5 moved later
  });

  describe('kept answers', () => {
    const get = async (query: string) => {
      const res = await center.request({ method: 'GET', url: `/api/analytics/consultations${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return { cache: res.headers['x-analytics-cache'], view: res.json() as ConsultationAnalyticsView };
    };
    const addConsultation = (values: { person: string; case: string; on: string; channel?: string }) =>
      t.database.db
        .insert(consultations)
        .values({
          personId: personId.get(values.person)!,
          caseId: caseId.get(values.case)!,
          channel: values.channel ?? 'online',
          occurredOn: values.on,
          residencePrefecture: '東京都',
        })
        .returning({ id: consultations.id });

    it('answers again from the kept answer until something it counts changes', async () => {
      const first = await get('?fy=2023');
      const again = await get('?fy=2023');
      expect(again.cache).toBe('hit');
      expect(again.view).toEqual(first.view);
      const tsuruoka = await get(`?fy=2023&municipality=${TSURUOKA}`);
      expect(await get(`?fy=2023&municipality=${TSURUOKA}`)).toMatchObject({ cache: 'hit', view: tsuruoka.view });

      const [added] = await addConsultation({ person: 'p6', case: 'k6', on: '2023-06-01' });
      const after = await get('?fy=2023');
      expect(after.cache).toBe('miss');
      expect(after.view.totals.consultations).toBe(first.view.totals.consultations + 1);
      expect((await get(`?fy=2023&municipality=${TSURUOKA}`)).cache).toBe('miss');
      expect((await get('?fy=2023')).cache).toBe('hit');

      // Notes and next actions are not counted: the answer stays.
      await t.database.db.update(consultations).set({ notes: '追記' }).where(eq(consultations.id, added!.id));
      expect((await get('?fy=2023')).cache).toBe('hit');
      await t.database.db.delete(consultations).where(eq(consultations.id, added!.id));
      expect(await get('?fy=2023')).toMatchObject({ cache: 'miss', view: { totals: first.view.totals } });
    });

    it('keeps other years’ answers when a consultation of one year changes', async () => {
      await get('?fy=2023');
      await get('?fy=2022');
      const [added] = await addConsultation({ person: 'p6', case: 'k6', on: '2022-12-24' });
      expect((await get('?fy=2023')).cache).toBe('hit');
      expect((await get('?fy=2022')).cache).toBe('miss');
      await t.database.db.delete(consultations).where(eq(consultations.id, added!.id));
    });

    it('drops every year from a case’s first consultation on when the case moves', async () => {
      // k4 (p4) was opened on 2026-03-31; a consultation of it dated 2023 reaches back to FY2023.
      const [early] = await addConsultation({ person: 'p4', case: 'k4', on: '2023-10-10', channel: 'fair' });
      const before = await get('?fy=2023');
      expect(before.view.channels.find((c) => c.channel === 'fair')).toMatchObject({ people: 1, peopleMoved: 0 });
      await get('?fy=2022');
      await t.database.db
        .update(cases)
        .set({ step: 'moved', stepOn: '2026-06-01', movedOn: '2026-06-01', movedMunicipalityCode: SAKATA })
        .where(eq(cases.id, caseId.get('k4')!));
      const after = await get('?fy=2023');
      expect(after.cache).toBe('miss');
      expect(after.view.channels.find((c) => c.channel === 'fair')).toMatchObject({ people: 1, peopleMoved: 1 });
      expect((await get('?fy=2022')).cache).toBe('hit');
      await t.database.db
        .update(cases)
        .set({ step: 'first_contact', stepOn: '2026-03-31', movedOn: null, movedMunicipalityCode: null })
        .where(eq(cases.id, caseId.get('k4')!));
      await t.database.db.delete(consultations).where(eq(consultations.id, early!.id));
      expect((await get('?fy=2023')).view.channels.find((c) => c.channel === 'fair')).toMatchObject({ people: 0 });
    });

    it('never keeps an answer that missed a change committed after its snapshot', async () => {
      if (driver !== 'postgres') return; // needs a second connection with an open transaction
      const writer = new pg.Client({ connectionString: t.database.url });
      await writer.connect();
      try {
        const base = (await get('?fy=2023')).view.totals.consultations;
        await writer.query('begin');
        await writer.query(
          `insert into consultations (person_id, case_id, channel, occurred_on) values ($1, $2, 'phone', '2023-08-08')`,
          [personId.get('p6'), caseId.get('k6')],
        );
        // The writer has logged its change but not committed: a new computation cannot see it…
        await t.database.db.execute(sql`delete from analytics_results`);
        const during = await get('?fy=2023');
        expect(during).toMatchObject({ cache: 'miss', view: { totals: { consultations: base } } });
        expect((await get('?fy=2023')).cache).toBe('hit');
        await writer.query('commit');
        // …so once it commits, that answer is stale.
        const after = await get('?fy=2023');
        expect(after).toMatchObject({ cache: 'miss', view: { totals: { consultations: base + 1 } } });
        await writer.query(`delete from consultations where occurred_on = '2023-08-08'`);
      } finally {
        await writer.end();
      }
    });

    it('forgets change records no kept answer needs', async () => {
      await t.database.db.execute(sql`update analytics_changes set recorded_at = now() - interval '1 hour'`);
      await t.database.db.execute(sql`update analytics_results set computed_at = now() - interval '2 days'`);
      await get('?fy=2021'); // computes and prunes
      // xmin is server-wide: another database's long transaction (a parallel test file) may hold it
      // back, and changes at or after it must stay. Everything before the kept snapshot's xmin goes.
      const [left] = await queryRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from analytics_changes
            where xid < (select min(pg_snapshot_xmin(snapshot::pg_snapshot)::text::bigint) from analytics_results)`,
      );
      expect(left!.n).toBe(0);
      expect((await get('?fy=2021')).cache).toBe('hit');
    });
  });
});
