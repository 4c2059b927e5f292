/**
 * The yearly evaluation: draft → approved with who and when (audited), the prefecture's commentary
 * per indicator and the committee's opinions; the approved report frozen and what the public page,
 * the open data and the report files show; the depth views computed in SQL as the stage rules
 * (stageOf) say, and reconciling with the headline indicators on the same records.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { seedKpiPlans } from '../../src/modules/kpi/index.js';
import { systemContext } from '../../src/platform/request-context.js';
import { stageOf } from '../../src/modules/engagement/index.js';
import { transitionCounts, transitionIndex, transitionPairs } from '../../src/modules/kpi/kpi.depth.js';
import { fiscalYearDates } from '../../src/modules/kpi/kpi.rules.js';
import { ENGAGEMENT_KINDS, type EngagementKind } from '../../src/shared/domain.js';
import { NOTO_CJK_FONTS } from '../../src/modules/kpi/kpi.report-pdf.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely here; the assertions check their shape
type Json = Record<string, any>;

const hasFonts = fs.existsSync(NOTO_CJK_FONTS.regular.path) && fs.existsSync(NOTO_CJK_FONTS.bold.path);
const hasPoppler = ['pdftotext'].every((tool) => {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

describe.each(TEST_DRIVERS)('KPI evaluation and publication on %s', (driver) => {
  let t: TestApp;
  let center: Session;
  let yamagataStaff: Session;
  const people: string[] = [];
  const names: string[] = [];
  const db = () => t.database.db;
  const exec = (q: ReturnType<typeof sql>) => db().execute(q);
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await exec(q)) as unknown as { rows: T[] }).rows;
  const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;
  const record = (personId: string, municipalityCode: string, kind: string, occurredOn: string) =>
    exec(
      sql`insert into engagements (person_id, municipality_code, kind, occurred_on, source, external_key)
          values (${personId}, ${municipalityCode}, ${kind}, ${occurredOn}, 'manual', ${randomUUID()})`,
    );
  const evaluation = (s: Session, fy: number, rest = '', init: Json = {}) =>
    s.request({ method: 'GET', url: `/api/kpi/evaluations/${fy}${rest}`, ...init });

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedKpiPlans(db(), systemContext());
    center = await t.staffSession('center_staff');
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    for (let i = 0; i < 14; i++) {
      const name = `評価 テスト${i}`;
      const res = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({
          name,
          kana: 'ヒョウカ テスト',
          links: [{ municipalityCode: i < 12 ? YAMAGATA : TSURUOKA, kind: 'supporter' }],
        }),
      });
      expect(res.statusCode, res.body).toBe(201);
      people.push(res.json().id);
      names.push(name);
    }
    // ② in FY2025: 12 people in Yamagata step into 関与 by volunteering, 2 in Tsuruoka (a small cell).
    for (const [i, id] of people.entries())
      await record(id, i < 12 ? YAMAGATA : TSURUOKA, 'volunteering', i % 2 ? '2025-04-01' : '2026-03-31');
  });
  afterAll(() => t?.close());

  it('answers an empty draft for a year nobody has written about, and a year outside the plan by field', async () => {
    const res = await evaluation(center, 2025);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ fiscalYear: 2025, state: 'draft', approvedBy: null, opinions: [] });
    expect(body.plan.code).toBe('seed-001');
    expect(body.indicators.map((i: Json) => i.commentary)).toEqual([null, null, null, null]);
    expect(body.approvalProblems.map((p: Json) => p.field)).toEqual([
      'commentary.uij_movers',
      'commentary.relationship_created',
      'commentary.exchange_created',
      'commentary.ready_organizations',
    ]);
    const outside = await evaluation(center, 2030, '', { headers: { 'accept-language': 'en' } });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields.fiscalYear).toContain('FY2024–FY2026');
    expect((await evaluation(yamagataStaff, 2025)).statusCode).toBe(403);
  });

  it('refuses approval while commentary is missing, naming each indicator, and writes nothing', async () => {
    const res = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/approve',
      payload: { confirm: true },
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toHaveLength(4);
    expect(await count(sql`select count(*)::int as n from kpi_evaluations where status = 'approved'`)).toBe(0);
  });

  it('records commentary and the committee’s opinions (audited), checking the opinion’s date and indicator', async () => {
    const codes = ['uij_movers', 'relationship_created', 'exchange_created', 'ready_organizations'];
    for (const code of codes) {
      const res = await center.request({
        method: 'PUT',
        url: `/api/kpi/evaluations/2025/commentary/${code}`,
        payload: { text: `【${code}】について、相談窓口の体制強化が寄与した。\n次年度はオンライン相談を拡充する。` },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const future = await center.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/opinions',
      payload: { givenOn: '2099-09-10', author: '有識者会議', indicatorCode: null, text: '未来の意見' },
    });
    expect(future.statusCode).toBe(400);
    expect(Object.keys(future.json().error.fields)).toEqual(['givenOn']);
    const before = await center.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/opinions',
      payload: { givenOn: '2025-03-31', author: '有識者会議', indicatorCode: 'side_job_hosts', text: '前年度の意見' },
    });
    expect(Object.keys(before.json().error.fields).sort()).toEqual(['givenOn', 'indicatorCode']);
    const blank = await center.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/opinions',
      payload: { givenOn: '2026-09-10', author: '有識者会議', text: '   ' },
    });
    expect(Object.keys(blank.json().error.fields)).toEqual(['text']);
    for (const opinion of [
      {
        givenOn: '2026-09-10',
        author: '山形県関係人口推進有識者会議',
        indicatorCode: 'relationship_created',
        text: '順調に推移している。',
      },
      { givenOn: '2026-09-10', author: '委員長 【デモ】', indicatorCode: null, text: '計画全体として概ね順調。' },
    ]) {
      const res = await center.request({ method: 'POST', url: '/api/kpi/evaluations/2025/opinions', payload: opinion });
      expect(res.statusCode, res.body).toBe(201);
    }
    const body = (await evaluation(center, 2025)).json();
    expect(body.opinions).toHaveLength(2);
    expect(body.approvalProblems).toEqual([]);
    expect(body.indicators[0].commentary).toContain('\n');
    // Empty text removes a commentary, and approval then names it again.
    const removed = (
      await center.request({
        method: 'PUT',
        url: '/api/kpi/evaluations/2025/commentary/uij_movers',
        payload: { text: '' },
      })
    ).json();
    expect(removed.approvalProblems.map((p: Json) => p.field)).toEqual(['commentary.uij_movers']);
    await center.request({
      method: 'PUT',
      url: '/api/kpi/evaluations/2025/commentary/uij_movers',
      payload: { text: '目標に届かなかった。' },
    });
    expect(await count(sql`select count(*)::int as n from audit_events where action like 'kpi.evaluation.%'`)).toBe(
      4 + 2 + 2,
    );
  });

  it('lets only the prefecture admin approve, freezing the figures with who approved and when', async () => {
    const byCenter = await center.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/approve',
      payload: { confirm: true },
    });
    expect(byCenter.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi/opendata.csv' })).statusCode).toBe(404);

    const res = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/approve',
      payload: { confirm: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'approved', approvedBy: expect.any(String), approvalProblems: [] });
    expect(Date.now() - Date.parse(res.json().approvedAt)).toBeLessThan(60_000);
    const again = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/approve',
      payload: { confirm: true },
    });
    expect(again.statusCode).toBe(409);
    const write = await center.request({
      method: 'PUT',
      url: '/api/kpi/evaluations/2025/commentary/uij_movers',
      payload: { text: '承認後の書き換え' },
    });
    expect(write.statusCode).toBe(409);
    const [audit] = await rows<{ details: Json }>(
      sql`select details from audit_events where action = 'kpi.evaluation.approve'`,
    );
    expect(audit!.details.actuals.relationship_created).toBe(14);
    const list = (await center.request({ method: 'GET', url: '/api/kpi/evaluations' })).json();
    expect(list.items).toEqual([
      { fiscalYear: 2025, planCode: 'seed-001', state: 'approved', approvedAt: expect.any(String) },
    ]);
  });

  it('refuses approval of a fiscal year that is not over', async () => {
    const plan = {
      code: 'long-plan',
      nameJa: '長期計画',
      nameEn: 'Long plan',
      fromFiscalYear: 2024,
      toFiscalYear: 2040,
      indicators: [
        {
          code: 'uij_movers',
          labelJa: '移住者数',
          labelEn: 'Movers',
          unit: 'people',
          targets: [{ fiscalYear: 2030, target: 5 }],
        },
      ],
    };
    expect((await t.admin.request({ method: 'POST', url: '/api/kpi/plans', payload: plan })).statusCode).toBe(201);
    const fy = new Date().getUTCFullYear();
    await t.admin.request({
      method: 'PUT',
      url: `/api/kpi/evaluations/${fy}/commentary/uij_movers?plan=long-plan`,
      payload: { text: '途中経過' },
    });
    const res = await t.admin.request({
      method: 'POST',
      url: `/api/kpi/evaluations/${fy}/approve?plan=long-plan`,
      payload: { confirm: true },
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(['fiscalYear']);
  });

  it('lets the admin change a plan’s later targets but not what an approved year’s report shows (audited, old → new)', async () => {
    const plans = (await t.admin.request({ method: 'GET', url: '/api/kpi/plans' })).json().items as Json[];
    const plan = plans.find((p) => p.code === 'seed-001')!;
    const asInput = (indicators: Json[], toFiscalYear = plan.toFiscalYear) => ({
      nameJa: plan.nameJa,
      nameEn: plan.nameEn,
      fromFiscalYear: plan.fromFiscalYear,
      toFiscalYear,
      municipalityCode: null,
      indicators: indicators.map(({ code, labelJa, labelEn, unit, baseline, targets, municipalityTargets }: Json) => ({
        code,
        labelJa,
        labelEn,
        unit,
        baseline,
        targets,
        municipalityTargets,
      })),
    });
    const withTarget = (fy: number, target: number) =>
      plan.indicators.map((i: Json) =>
        i.code === 'relationship_created'
          ? { ...i, targets: [...i.targets.filter((x: Json) => x.fiscalYear !== fy), { fiscalYear: fy, target }] }
          : i,
      );
    const at = plan.indicators.findIndex((i: Json) => i.code === 'relationship_created');
    // FY2025 is approved: its target is in the published report.
    const fixed = await t.admin.request({
      method: 'PUT',
      url: `/api/kpi/plans/${plan.id}`,
      payload: asInput(withTarget(2025, 999)),
    });
    expect(fixed.statusCode, fixed.body).toBe(400);
    expect(fixed.json().error.fields).toEqual({
      [`indicators.${at}.targets`]: expect.stringContaining('2025年度の評価が承認・公表済み'),
    });
    // FY2026 is not: it changes, and the period grows by a year.
    const changed = await t.admin.request({
      method: 'PUT',
      url: `/api/kpi/plans/${plan.id}`,
      payload: asInput(withTarget(2026, 260), 2027),
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().toFiscalYear).toBe(2027);
    expect(changed.json().indicators[at].targets).toContainEqual({ fiscalYear: 2026, target: 260 });
    const [audit] = await rows<{ details: Json }>(
      sql`select details from audit_events where action = 'kpi.plan.update' order by at desc limit 1`,
    );
    expect(audit!.details.changes).toEqual(
      expect.arrayContaining([
        { field: 'toFiscalYear', old: 2026, new: 2027 },
        { field: 'relationship_created.target.FY2026', old: 252, new: 260 },
      ]),
    );
    const missing = await t.admin.request({
      method: 'PUT',
      url: '/api/kpi/plans/00000000-0000-4000-8000-000000000000',
      payload: asInput(plan.indicators),
    });
    expect(missing.statusCode).toBe(404);
    // Back as it was, for the tests after this one.
    const restored = await t.admin.request({
      method: 'PUT',
      url: `/api/kpi/plans/${plan.id}`,
      payload: asInput(plan.indicators),
    });
    expect(restored.statusCode, restored.body).toBe(200);
  });

  it('shows the public the approved figures with small counts hidden and no personal data, unchanged by later records', async () => {
    // A record after approval changes today's figures, not the approved ones.
    const late = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ links: [{ municipalityCode: YAMAGATA, kind: 'supporter' }] }),
      })
    ).json();
    await record(late.id, YAMAGATA, 'volunteering', '2025-06-01');
    const res = await t.app.inject({ method: 'GET', url: '/api/public/kpi', headers: { 'accept-language': 'en' } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.fiscalYear).toBe(2025);
    expect(body.approvedYears).toEqual([2025]);
    const rel = body.indicators.find((i: Json) => i.code === 'relationship_created');
    expect(rel.actual).toEqual({ value: 14, hidden: false });
    expect(rel.target).toEqual({ value: 204, hidden: false });
    expect(rel.labelEn).toBe('Relationship population created by the project');
    expect(rel.trend.map((y: Json) => y.fiscalYear)).toEqual([2024, 2025]);
    const byCode = Object.fromEntries(rel.municipalities.map((m: Json) => [m.code, m.actual]));
    // Tsuruoka's 2 is hidden, and with it at least one more cell of the column (else 14 − the others gives it away).
    expect(byCode[TSURUOKA]).toEqual({ value: null, hidden: true });
    expect(rel.municipalities.filter((m: Json) => m.actual.hidden).length).toBeGreaterThanOrEqual(2);
    const shownSum = rel.municipalities.reduce((sum: number, m: Json) => sum + (m.actual.value ?? 0), 0);
    expect(shownSum).toBeLessThan(14);
    expect(rel.opinions).toEqual([
      { givenOn: '2026-09-10', author: '山形県関係人口推進有識者会議', text: '順調に推移している。' },
    ]);
    expect(body.generalOpinions).toHaveLength(1);
    for (const name of names) expect(res.body).not.toContain(name);
    for (const id of people) expect(res.body).not.toContain(id);
    // Staff figures moved; the approved ones did not.
    const live = (
      await t.admin.request({ method: 'GET', url: '/api/kpi/actuals?fiscalYear=2025&plan=seed-001' })
    ).json();
    expect(live.items.find((i: Json) => i.code === 'relationship_created').actual).toBe(15);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi?fiscalYear=2024' })).statusCode).toBe(404);
  });

  it('publishes the approved figures as open data: BOM, codes with check digits, X for hidden counts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/kpi/opendata.csv' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('060003_kpi_2025.csv');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('全国地方公共団体コード,都道府県名,市区町村名,指標,年度,年度（和暦）,値,単位,備考');
    const rel = lines.filter((l) => l.includes('本事業により創出された関係人口'));
    expect(rel[0]).toMatch(/^060003,山形県,,本事業により創出された関係人口,2025年度,令和7年度,14,人,$/);
    expect(rel.find((l) => l.startsWith(TSURUOKA))).toMatch(/,X,人,秘匿$/);
    expect(lines.filter((l) => l.includes('受入れ体制')).every((l) => l.endsWith(',団体,データなし'))).toBe(true);
  });

  it('gives the report as .xlsx and PDF: the approved data to staff (audited) and to the public with X', async () => {
    const staff = await center.request({ method: 'GET', url: '/api/kpi/reports/2025?format=xlsx' });
    expect(staff.statusCode, staff.body).toBe(200);
    expect(staff.headers['content-disposition']).toContain(encodeURIComponent('2025年度_施策評価報告書.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(staff.rawPayload as unknown as ArrayBuffer);
    const summary = book.getWorksheet('報告書')!;
    const cells = summary.getSheetValues().flat().map(String);
    expect(cells.join(' ')).toContain('承認済み');
    expect(await count(sql`select count(*)::int as n from audit_events where action = 'kpi.report.export'`)).toBe(1);
    const publicBook = await t.app.inject({ method: 'GET', url: '/api/public/kpi/reports/2025?format=xlsx' });
    expect(publicBook.statusCode).toBe(200);
    const pub = new ExcelJS.Workbook();
    await pub.xlsx.load(publicBook.rawPayload as unknown as ArrayBuffer);
    const municipal = pub.getWorksheet('市町村別')!;
    expect(municipal.getSheetValues().flat().map(String)).toContain('X');
    const draft = await center.request({ method: 'GET', url: '/api/kpi/reports/2024?format=xlsx' });
    expect(draft.statusCode).toBe(200);
    expect(draft.headers['content-disposition']).toContain(encodeURIComponent('（案）'));
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi/reports/2024' })).statusCode).toBe(404);
    expect((await yamagataStaff.request({ method: 'GET', url: '/api/kpi/reports/2025' })).statusCode).toBe(404);
  });

  it.skipIf(!hasFonts || !hasPoppler)('renders the public PDF with the Japanese title and the approval', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/public/kpi/reports/2025',
      headers: { accept: 'application/pdf' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-eval-'));
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, res.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(text).toContain('施策評価報告書');
    expect(text).toContain('承認');
    expect(text).toContain('順調に推移している。');
  });

  it('lets only the prefecture admin reopen an approval with a reason: unfrozen, unpublished, audited old → new', async () => {
    const url = '/api/kpi/evaluations/2025/reopen';
    const byCenter = await center.request({ method: 'POST', url, payload: { confirm: true, reason: '再集計' } });
    expect(byCenter.statusCode).toBe(403);
    // No reason: 400 naming the field, nothing changed.
    const blank = await t.admin.request({ method: 'POST', url, payload: { confirm: true, reason: '  ' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('reason');
    expect((await evaluation(center, 2025)).json().state).toBe('approved');

    const res = await t.admin.request({
      method: 'POST',
      url,
      payload: { confirm: true, reason: '鶴岡市の入力漏れを直して再集計する' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'draft', approvedBy: null, approvedAt: null });
    // Unpublished: the public page, the open data and the public report answer 404 again.
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi/opendata.csv' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/kpi/reports/2025' })).statusCode).toBe(404);
    // Unfrozen: the draft is written again, and the staff report shows today's figures as a draft.
    const write = await center.request({
      method: 'PUT',
      url: '/api/kpi/evaluations/2025/commentary/uij_movers',
      payload: { text: '再集計後の評価' },
    });
    expect(write.statusCode, write.body).toBe(200);
    const draft = await center.request({ method: 'GET', url: '/api/kpi/reports/2025?format=xlsx' });
    expect(draft.headers['content-disposition']).toContain(encodeURIComponent('（案）'));
    const [audit] = await rows<{ details: Json }>(
      sql`select details from audit_events where action = 'kpi.evaluation.reopen'`,
    );
    expect(audit!.details).toMatchObject({
      reason: '鶴岡市の入力漏れを直して再集計する',
      old: { status: 'approved', approvedBy: expect.any(String), actuals: { relationship_created: 14 } },
      new: { status: 'draft' },
    });
    // A draft is not reopened; approved again, it shows today's figures (15 after the late record).
    expect(
      (await t.admin.request({ method: 'POST', url, payload: { confirm: true, reason: 'もう一度' } })).statusCode,
    ).toBe(409);
    const again = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/evaluations/2025/approve',
      payload: { confirm: true },
    });
    expect(again.statusCode, again.body).toBe(200);
    const pub = (await t.app.inject({ method: 'GET', url: '/api/public/kpi' })).json();
    expect(pub.indicators.find((i: Json) => i.code === 'relationship_created').actual).toEqual({
      value: 15,
      hidden: false,
    });
  });
});

describe.each(TEST_DRIVERS)('KPI depth views on %s', (driver) => {
  let t: TestApp;
  let yamagataStaff: Session;
  const people: string[] = [];
  const db = () => t.database.db;
  const exec = (q: ReturnType<typeof sql>) => db().execute(q);
  const insert = (personId: string, municipalityCode: string, kind: string, occurredOn: string) =>
    exec(
      sql`insert into engagements (person_id, municipality_code, kind, occurred_on, source, external_key)
          values (${personId}, ${municipalityCode}, ${kind}, ${occurredOn}, 'manual', ${randomUUID()})`,
    );

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedKpiPlans(db(), systemContext());
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    for (let i = 0; i < 5; i++) {
      const res = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ links: [{ municipalityCode: i % 2 ? TSURUOKA : YAMAGATA, kind: 'supporter' }] }),
      });
      people.push(res.json().id);
    }
  });
  afterAll(() => t?.close());

  it('computes stage transitions in SQL as stageOf does, for random records (property)', async () => {
    const M = [YAMAGATA, TSURUOKA] as const;
    const dates = ['2023-06-01', '2024-03-31', '2024-04-01', '2024-10-10', '2025-03-31', '2025-04-01', '2025-12-24'];
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
        for (const r of records) await insert(people[r.person]!, r.municipalityCode, r.kind, r.occurredOn);
        for (const fy of [2024, 2025]) {
          const { from, to } = fiscalYearDates(fy);
          const startAsOf = new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
          const expected: Array<[number, number]> = [];
          for (const [p, id] of people.entries()) {
            for (const m of M) {
              const mine = records
                .filter((r) => r.person === p && r.municipalityCode === m)
                .map((r) => ({ municipalityCode: m, kind: r.kind as EngagementKind, occurredOn: r.occurredOn }));
              // The people's links were made today, after these years: they do not count yet.
              const at = (asOf: string) =>
                transitionIndex(
                  stageOf(
                    mine.filter((r) => r.occurredOn <= asOf),
                    [],
                    asOf,
                  ),
                );
              if (mine.length) expected.push([at(startAsOf), at(to)]);
              void id;
            }
          }
          const got = await transitionPairs(db(), fy, null);
          expect(transitionCounts(got), `FY${fy}`).toEqual(transitionCounts(expected));
        }
      }),
      { numRuns: 10 },
    );
  });

  it('reconciles with the headline indicators: continuing participants and ② on the same records', async () => {
    await exec(sql`delete from engagements`);
    // One municipality per person, no moves: ② is then the people stepping from below 関与 into 関与・協働・二地域居住.
    await insert(people[0]!, YAMAGATA, 'event', '2024-05-01');
    await insert(people[0]!, YAMAGATA, 'event', '2025-05-01'); // 交流 → 関与 in FY2025, continuing
    await insert(people[1]!, TSURUOKA, 'side_job', '2025-07-01'); // (なし) → 協働 in FY2025
    await insert(people[2]!, YAMAGATA, 'visit', '2025-08-01'); // (なし) → 交流
    await insert(people[3]!, TSURUOKA, 'online', '2024-09-01');
    await insert(people[3]!, TSURUOKA, 'donation', '2025-09-01'); // → 関与 (continuing years), not active in 2025
    await insert(people[4]!, YAMAGATA, 'two_region_living', '2025-02-01'); // FY2024
    const depth = (await t.admin.request({ method: 'GET', url: '/api/kpi/depth?fiscalYear=2025' })).json();
    const actuals = (
      await t.admin.request({ method: 'GET', url: '/api/kpi/actuals?fiscalYear=2025&plan=seed-001' })
    ).json();
    const fy2025 = depth.activity.find((a: Json) => a.fiscalYear === 2025);
    const relationship = actuals.items.find((i: Json) => i.code === 'relationship_created').actual;
    const into = [3, 4, 5];
    let steps = 0;
    for (let from = 0; from < 3; from++) for (const to of into) steps += depth.stageTransitions.counts[from][to];
    expect(steps).toBe(relationship);
    expect(relationship).toBe(3);
    // continuing_participants is not an indicator of seed 001: computed through a plan that has it.
    await t.admin.request({
      method: 'POST',
      url: '/api/kpi/plans',
      payload: {
        code: 'depth-plan',
        nameJa: '継続参加の計画',
        nameEn: 'Continuing plan',
        fromFiscalYear: 2024,
        toFiscalYear: 2026,
        indicators: [
          {
            code: 'continuing_participants',
            labelJa: '継続参加者',
            labelEn: 'Continuing',
            unit: 'people',
            targets: [],
          },
        ],
      },
    });
    const continuing = (
      await t.admin.request({ method: 'GET', url: '/api/kpi/actuals?fiscalYear=2025&plan=depth-plan' })
    ).json().items[0].actual;
    expect(fy2025.continuing).toBe(continuing);
    expect(continuing).toBe(1);
    expect(fy2025.active).toBe(3); // people 0, 1, 2 took part in FY2025
    // Cohorts sum to the registered people of their years.
    for (const c of depth.cohortRetention)
      expect(c.cohortSize).toBe(depth.activity.find((a: Json) => a.fiscalYear === c.cohortFiscalYear).registered);
    const cohort2024 = depth.cohortRetention.find((c: Json) => c.cohortFiscalYear === 2024);
    expect(cohort2024.cohortSize).toBe(3); // people 0, 3, 4 first known in FY2024
    expect(cohort2024.retained[0]).toBe(1); // person 0 active again in FY2025
  });

  it('shows municipality staff their own municipality’s depth only', async () => {
    const own = await yamagataStaff.request({ method: 'GET', url: '/api/kpi/depth?fiscalYear=2025' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().municipality.code).toBe(YAMAGATA);
    const total = own
      .json()
      .stageTransitions.counts.flat()
      .reduce((a: number, b: number) => a + b, 0);
    expect(total).toBe(2); // people 0 and 2 in Yamagata; person 4 stood still in FY2025
    const other = await yamagataStaff.request({ method: 'GET', url: `/api/kpi/depth?municipality=${TSURUOKA}` });
    expect(other.statusCode).toBe(404);
  });
});
