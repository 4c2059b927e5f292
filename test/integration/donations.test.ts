/**
 * Donor import (ふるさと納税 寄附者一覧) through the HTTP API on both databases: encodings and date
 * styles as platforms and Excel write them, header recognition and mapping, row-by-row refusals
 * with their reasons, idempotent re-imports, dry runs that write nothing, dedupe with existing
 * people and within the file, 心のふるさと県民 certification, scope and audit.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.js';
import { seedCertificationRules } from '../../src/seed/seed.js';
import { certifiedSince } from '../../src/modules/donations/certification.js';
import { recomputeCertificationsFor } from '../../src/modules/donations/donations.service.js';
import { people } from '../../src/modules/people/people.tables.js';
import { engagements } from '../../src/modules/engagement/engagement.tables.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { importDonorFile } from '../../src/modules/donations/donations.import.js';
import { inspectFile } from '../../src/modules/donations/donations.upload.js';
import { ADMIN_EMAIL, createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { donor, encodeCsv, PLATFORM_HEADER, wide, type Encoding } from '../fixtures/donations/donors.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

type Totals = { rows: number; imported: number; duplicates: number; refused: number; newPeople: number };
type ReportRow = {
  rowNumber: number;
  outcome: string;
  personId: string | null;
  personName: string | null;
  engagementId: string | null;
  problems: Array<{ column: string; field: string; problem: string; message: string; value?: string }>;
};

/** A platform-style row for donor i. */
const platformRow = (i: number, date: string, amount = '10,000', tag = 't') => {
  const d = donor(i, tag);
  return [`R-${tag}-${i}-${date}`, date, amount, d.name, d.kana, d.postal, d.address, d.phone, d.email];
};

describe.each(TEST_DRIVERS)('donor import on %s', (driver) => {
  let t: TestApp;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let partner: Session;

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedCertificationRules(t.database.db);
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    partner = await t.staffSession('partner');
  });
  afterAll(() => t?.close());

  function upload(
    session: Session,
    file: Buffer | null,
    fields: Record<string, string> = {},
    options: { fileName?: string; lang?: 'ja' | 'en' } = {},
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries({ municipalityCode: YAMAGATA, ...fields })) form.append(k, v);
    if (file)
      form.append('file', new Blob([new Uint8Array(file)], { type: 'text/csv' }), options.fileName ?? 'donors.csv');
    return session.request({
      method: 'POST',
      url: '/api/imports/donations',
      payload: form,
      headers: options.lang === 'en' ? { 'accept-language': 'en' } : {},
    });
  }

  async function importRows(
    rows: string[][],
    encoding: Encoding = 'utf-8',
    session = t.admin,
    fields: Record<string, string> = {},
  ) {
    const res = await upload(session, encodeCsv(rows, encoding), fields);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as {
      id: string;
      status: string;
      encoding: string;
      totals: Totals;
      rows: ReportRow[];
      rowsTotal: number;
    };
  }

  const report = async (id: string, query = '', session = t.admin, lang?: 'en') =>
    (
      await session.request({
        method: 'GET',
        url: `/api/imports/${id}${query}`,
        headers: lang ? { 'accept-language': lang } : {},
      })
    ).json() as {
      totals: Totals;
      rows: ReportRow[];
      rowsTotal: number;
    };

  const count = async (table: string) =>
    (await queryRows<{ n: number }>(t.database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

  const personOf = async (id: string) => (await t.admin.request({ method: 'GET', url: `/api/people/${id}` })).json();
  const donationsOf = async (id: string) =>
    (
      (await t.admin.request({ method: 'GET', url: `/api/people/${id}/engagements` })).json().items as Array<{
        kind: string;
        occurredOn: string;
        amountYen: number;
        source: string;
        municipalityCode: string;
      }>
    ).filter((e) => e.kind === 'donation');

  it('imports a CP932 file with 和暦 dates and full-width digits, creating people and donation records', async () => {
    const rows = [
      [...PLATFORM_HEADER],
      platformRow(1, wide('令和6年4月1日'), '￥１０，０００', 'cp'),
      platformRow(2, 'R5.12.24', '¥5,000', 'cp'),
      platformRow(3, '令和元年5月1日', '30000円', 'cp'),
      platformRow(4, '平成31年4月30日', '"1,000,000"'.replaceAll('"', ''), 'cp'),
      platformRow(5, '㍻31.1.2', '１２０００', 'cp'),
    ];
    const result = await importRows(rows, 'cp932');
    expect(result).toMatchObject({
      status: 'completed',
      encoding: 'cp932',
      totals: { rows: 5, imported: 5, duplicates: 0, refused: 0, newPeople: 5 },
    });
    expect(result.rows.map((r) => r.outcome)).toEqual(['imported', 'imported', 'imported', 'imported', 'imported']);
    expect(result.rows[0]!.rowNumber).toBe(2);

    const first = await personOf(result.rows[0]!.personId!);
    const d1 = donor(1, 'cp');
    expect(first).toMatchObject({
      name: d1.name,
      kana: d1.kana,
      email: d1.email,
      phone: d1.phone,
      postalCode: d1.postal,
      prefecture: '東京都',
      city: '世田谷区',
    });
    expect(first.links).toEqual([{ municipalityCode: YAMAGATA, kind: 'interest' }]);
    expect(await donationsOf(first.id)).toEqual([
      expect.objectContaining({
        kind: 'donation',
        occurredOn: '2024-04-01',
        amountYen: 10000,
        source: 'donation_import',
        municipalityCode: YAMAGATA,
      }),
    ]);
    const dates = await Promise.all(result.rows.map(async (r) => (await donationsOf(r.personId!))[0]!.occurredOn));
    expect(dates).toEqual(['2024-04-01', '2023-12-24', '2019-05-01', '2019-04-30', '2019-01-02']);
    expect((await donationsOf(result.rows[3]!.personId!))[0]!.amountYen).toBe(1_000_000);
  });

  for (const encoding of ['cp932', 'utf-8-bom'] as const) {
    it(`imports an address typed over two lines (Alt+Enter) in a ${encoding} file, and names each donor in the report`, async () => {
      const tag = `br-${encoding}`;
      const two = (i: number, br: string) => {
        const r = platformRow(i, '2024/5/1', '10,000', tag);
        r[6] = `東京都世田谷区${br}桜${i}-1 コーポ山形101`;
        return r;
      };
      const tab = platformRow(3, '2024/5/1', '10,000', tag);
      tab[6] = '東京都世田谷区\t桜3-1';
      const result = await importRows([[...PLATFORM_HEADER], two(1, '\n'), two(2, '\r\n'), tab], encoding);
      expect(result.totals).toMatchObject({ rows: 3, imported: 2, refused: 1 });
      const [first, second, refused] = result.rows;
      // Donors by name, not by the first characters of time-ordered ids that look alike.
      expect([first!.personName, second!.personName]).toEqual([donor(1, tag).name, donor(2, tag).name]);
      expect(await personOf(first!.personId!)).toMatchObject({ prefecture: '東京都', city: '世田谷区' });
      expect(await personOf(second!.personId!)).toMatchObject({ prefecture: '東京都', city: '世田谷区' });
      // Other control characters are still refused, naming the row's column.
      expect(refused).toMatchObject({ rowNumber: 4, outcome: 'refused', personId: null, personName: null });
      expect(refused!.problems.map((p) => [p.column, p.problem])).toEqual([['住所', 'control_characters']]);
      // Reading the report is a read of the donors shown, audited by id.
      const [audit] = await queryRows<{ details: { personIds: string[] } }>(
        t.database.db,
        sql`select details from audit_events where action = 'donation_import.report.read' and entity_id = ${result.id}`,
      );
      expect(audit!.details.personIds.sort()).toEqual([first!.personId, second!.personId].sort());
    });
  }

  it('recognizes variant headers (ふりがな, 入金日, 金額, …) in a UTF-8 file with BOM, without a mapping', async () => {
    const header = ['氏名', 'ふりがな', '入金日', '金額', 'メール', 'TEL', '〒', 'ご住所', '返礼品'];
    const d = donor(1, 'bom');
    const rows = [
      header,
      [
        d.name,
        'やまがた はなこ',
        '2024/5/1',
        '8,000',
        d.email,
        d.phone,
        d.postal,
        '山形県鶴岡市馬場町9-25',
        'さくらんぼ',
      ],
    ];
    const result = await importRows(rows, 'utf-8-bom');
    expect(result.encoding).toBe('utf-8-bom');
    expect(result.totals).toMatchObject({ imported: 1, refused: 0 });
    const person = await personOf(result.rows[0]!.personId!);
    expect(person).toMatchObject({
      kana: 'ヤマガタ ハナコ',
      prefecture: '山形県',
      city: '鶴岡市',
      postalCode: d.postal,
    });
    expect((await donationsOf(person.id))[0]).toMatchObject({ occurredOn: '2024-05-01', amountYen: 8000 });
  });

  it('reads a UTF-8 file without BOM with western dates', async () => {
    const rows = [
      [...PLATFORM_HEADER],
      platformRow(1, '2024/4/1', '10000', 'w'),
      platformRow(2, '2024-04-02', '10000', 'w'),
      platformRow(3, '2024年4月3日', '10000', 'w'),
    ];
    const result = await importRows(rows, 'utf-8');
    expect(result.encoding).toBe('utf-8');
    const dates = await Promise.all(result.rows.map(async (r) => (await donationsOf(r.personId!))[0]!.occurredOn));
    expect(dates).toEqual(['2024-04-01', '2024-04-02', '2024-04-03']);
  });

  describe('a file with bad rows', () => {
    const good = [
      platformRow(1, '2024/6/1', '10,000', 'bad'),
      platformRow(2, '2024/6/2', '10,000', 'bad'),
      platformRow(3, '2024/6/3', '10,000', 'bad'),
    ];
    const badDate = platformRow(4, '令和元年2月30日', '10,000', 'bad');
    const negative = platformRow(5, '2024/6/5', '-3,000', 'bad');
    const noName = platformRow(6, '2024/6/6', '10,000', 'bad');
    noName[3] = '';
    const badPhone = platformRow(7, '2024/6/7', '10,000', 'bad');
    badPhone[7] = '090-12';
    const file = [[...PLATFORM_HEADER], good[0]!, badDate, good[1]!, negative, noName, badPhone, good[2]!];
    let firstId = '';

    it('refuses the bad rows, naming the column and why, and imports the others', async () => {
      const result = await importRows(file);
      firstId = result.id;
      expect(result.totals).toEqual({ rows: 7, imported: 3, duplicates: 0, refused: 4, newPeople: 3 });
      const refused = await report(result.id, '?outcome=refused');
      expect(refused.rowsTotal).toBe(4);
      expect(refused.rows.map((r) => [r.rowNumber, r.problems.map((p) => `${p.column}:${p.problem}`)])).toEqual([
        [3, ['寄附日:invalid_date']],
        [5, ['寄附金額:negative_amount']],
        [6, ['寄附者氏名:required']],
        [7, ['電話番号:invalid_phone']],
      ]);
      expect(refused.rows[0]!.problems[0]).toMatchObject({
        value: '令和元年2月30日',
        message: expect.stringContaining('「寄附日」'),
      });
      expect(refused.rows.every((r) => r.personId === null && r.engagementId === null)).toBe(true);
      const english = await report(result.id, '?outcome=refused', t.admin, 'en');
      expect(english.rows[1]!.problems[0]!.message).toBe('The "寄附金額" cannot be negative.');
      const imported = await report(result.id, '?outcome=imported&limit=2&offset=1');
      expect(imported.rowsTotal).toBe(3);
      expect(imported.rows.map((r) => r.rowNumber)).toEqual([4, 8]);
    });

    it('adds nothing when the same file is imported again', async () => {
      const [engagementsBefore, peopleBefore] = [await count('engagements'), await count('people')];
      const again = await importRows(file);
      expect(again.totals).toEqual({ rows: 7, imported: 0, duplicates: 3, refused: 4, newPeople: 0 });
      expect(again.id).not.toBe(firstId);
      expect([await count('engagements'), await count('people')]).toEqual([engagementsBefore, peopleBefore]);
      const duplicates = await report(again.id, '?outcome=duplicate');
      expect(duplicates.rows.map((r) => r.rowNumber)).toEqual([2, 4, 8]);
      expect(duplicates.rows.every((r) => r.personId !== null && r.engagementId === null)).toBe(true);
    });

    it('imports only the previously refused rows from the fixed file', async () => {
      const fixed = file.map((r) => [...r]);
      fixed[2]![1] = '令和元年12月30日';
      fixed[4]![2] = '3,000';
      fixed[5]![3] = donor(6, 'bad').name;
      fixed[6]![7] = donor(7, 'bad').phone;
      const result = await importRows(fixed);
      expect(result.totals).toEqual({ rows: 7, imported: 4, duplicates: 3, refused: 0, newPeople: 4 });
      expect((await importRows(fixed)).totals).toEqual({
        rows: 7,
        imported: 0,
        duplicates: 7,
        refused: 0,
        newPeople: 0,
      });
    });
  });

  it('previews a dry run (encoding, headers, mapping, first rows with problems) without writing anything', async () => {
    const tables = [
      'donation_imports',
      'donation_import_rows',
      'people',
      'person_links',
      'engagements',
      'audit_events',
      'certifications',
    ];
    const before = await Promise.all(tables.map(count));
    const rows = [
      [...PLATFORM_HEADER],
      ...Array.from({ length: 30 }, (_, i) => platformRow(i, '2024/7/1', '10,000', 'dry')),
    ];
    rows[2]![2] = '1万円';
    const res = await upload(t.admin, encodeCsv(rows, 'cp932'), { dryRun: 'true' });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview).toMatchObject({ dryRun: true, encoding: 'cp932', headers: [...PLATFORM_HEADER], missing: [] });
    expect(preview.mapping).toMatchObject({
      寄附日: 'donatedOn',
      寄附金額: 'amountYen',
      寄附者氏名: 'name',
      フリガナ: 'kana',
    });
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[0]).toMatchObject({
      rowNumber: 2,
      outcome: 'ok',
      values: { donatedOn: '2024-07-01', amountYen: 10000, kana: donor(0, 'dry').kana },
    });
    expect(preview.rows[1]).toMatchObject({
      rowNumber: 3,
      outcome: 'refused',
      problems: [{ column: '寄附金額', problem: 'invalid_amount' }],
    });
    expect(await Promise.all(tables.map(count))).toEqual(before);

    // A file whose headers are not recognized: the preview says what is missing.
    const unknown = await upload(
      t.admin,
      encodeCsv(
        [
          ['Donor', 'Paid', 'Yen'],
          ['山形 一郎', '2024/1/1', '100'],
        ],
        'utf-8',
      ),
      { dryRun: 'true' },
    );
    expect(unknown.json()).toMatchObject({ missing: ['name', 'donatedOn', 'amountYen'], mapping: { Donor: null } });
  });

  it('uses the column mapping sent with the file, and refuses a file it cannot map', async () => {
    const rows = [
      ['Donor', 'Paid', 'Yen', 'Mail'],
      ['山形 一郎', '2024/1/10', '1,500', 'ichiro-map@example.jp'],
    ];
    const refused = await upload(t.admin, encodeCsv(rows, 'utf-8'), {}, { lang: 'en' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.mapping).toContain('donation date');
    expect(refused.json().error.details.missing).toEqual(['name', 'donatedOn', 'amountYen']);
    const mapping = JSON.stringify({ Donor: 'name', Paid: 'donatedOn', Yen: 'amountYen', Mail: 'email' });
    const result = await importRows(rows, 'utf-8', t.admin, { mapping });
    expect(result.totals).toMatchObject({ imported: 1 });
    expect(await personOf(result.rows[0]!.personId!)).toMatchObject({
      name: '山形 一郎',
      email: 'ichiro-map@example.jp',
    });
    const bad = await upload(t.admin, encodeCsv(rows, 'utf-8'), { mapping: JSON.stringify({ Nobody: 'name' }) });
    expect(bad.json().error.fields.mapping).toContain('Nobody');
    const notJson = await upload(t.admin, encodeCsv(rows, 'utf-8'), { mapping: '{Donor: name' });
    expect(notJson.json().error.fields.mapping).toBeTruthy();
  });

  it('matches donors to existing people by email or phone without changing them, and dedupes within the file', async () => {
    const existing = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({
          name: '既存 太郎',
          kana: undefined,
          email: 'kizon@example.jp',
          phone: '080-0000-1111',
          links: [{ municipalityCode: TSURUOKA, kind: 'supporter' }],
        }),
      })
    ).json();
    const rows = [
      ['寄附者氏名', 'フリガナ', '寄附日', '寄附金額', 'メールアドレス', '電話番号', '郵便番号'],
      ['既存 太郎（寄附）', 'きぞん たろう', '2024/2/1', '5000', 'KIZON@example.jp', '', ''],
      ['既存 太郎', '', '2024/3/1', '5000', '', '08000001111', ''],
      // One donor, three rows: linked by email, then by phone.
      ['同一 花子', 'どういつ はなこ', '2024/2/1', '5000', 'same@example.jp', '', ''],
      ['同一 花子', 'どういつ はなこ', '2024/2/2', '5000', 'same@example.jp', '090-5555-0001', ''],
      ['同一 花子', 'どういつ はなこ', '2024/2/3', '5000', '', '090-5555-0001', ''],
      // No contact at all: the same name, reading and postal code are one donor.
      ['連絡 なし', 'れんらく なし', '2024/2/1', '3000', '', '', '990-0001'],
      ['連絡 なし', 'れんらく なし', '2024/2/1', '3000', '', '', '990-0001'],
      ['連絡 なし', 'れんらく なし', '2024/2/1', '3000', '', '', '990-0002'],
    ];
    const result = await importRows(rows);
    expect(result.totals).toEqual({ rows: 8, imported: 8, duplicates: 0, refused: 0, newPeople: 3 });
    const ids = result.rows.map((r) => r.personId);
    expect(ids[0]).toBe(existing.id);
    expect(ids[1]).toBe(existing.id);
    expect(new Set(ids.slice(2, 5)).size).toBe(1);
    expect(ids[5]).toBe(ids[6]);
    expect(ids[7]).not.toBe(ids[5]);
    // Two identical rows are two donations (told apart by their position among identical rows).
    expect(await donationsOf(ids[5]!)).toHaveLength(2);
    const after = await personOf(existing.id);
    expect(after).toMatchObject({ name: '既存 太郎', kana: null, email: existing.email });
    expect(after.links).toEqual([
      { municipalityCode: YAMAGATA, kind: 'interest' },
      { municipalityCode: TSURUOKA, kind: 'supporter' },
    ]);
    const sameDonor = await personOf(ids[2]!);
    expect(sameDonor).toMatchObject({ email: 'same@example.jp', phone: '090-5555-0001' });
    // Re-importing finds every donor again, contactless ones included.
    expect((await importRows(rows)).totals).toEqual({ rows: 8, imported: 0, duplicates: 8, refused: 0, newPeople: 0 });
  });

  it('dedupes donors across batches of a large file', async () => {
    const rows: string[][] = [[...PLATFORM_HEADER]];
    for (let i = 0; i < 12_000; i++)
      rows.push(platformRow(i % 3_000, `2023/${(i % 12) + 1}/${(i % 28) + 1}`, '1,000', 'big'));
    const result = await importRows(rows, 'cp932');
    expect(result.totals).toEqual({ rows: 12_000, imported: 12_000, duplicates: 0, refused: 0, newPeople: 3_000 });
  }, 120_000);

  it('records the same file the same way whatever the batch size: donors across batches, runs of imported rows, refusals', async () => {
    const rows: string[][] = [[...PLATFORM_HEADER]];
    for (let i = 0; i < 14; i++) rows.push(platformRow(i % 5, `2024/${(i % 12) + 1}/1`, '2,000', 'batches'));
    rows[4]![2] = '-100';
    rows[9]![1] = '令和元年2月30日';
    // A donor without email or phone whose name gives nothing to search by (only a long-vowel mark)
    // could never be found again: refused (no_letters), so a re-import cannot duplicate them.
    rows.push(
      ['R-batches-x1', '2024/3/3', '1,000', 'ー', '', '', '', '', ''],
      ['R-batches-x2', '2024/3/4', '1,000', 'ー', '', '', '', '', ''],
    );
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kankei-donations-test-'));
    const file = path.join(dir, 'batches.csv');
    await writeFile(file, encodeCsv(rows, 'utf-8'));
    const inspected = await inspectFile(file);
    const ctx = {
      via: 'staff' as const,
      locale: 'ja' as const,
      actor: {
        staffId: t.admin.user.id,
        email: ADMIN_EMAIL,
        name: 'admin',
        role: 'prefecture_admin' as const,
        municipalityCode: null,
        organizationId: null,
        via: 'session' as const,
      },
      ip: '127.0.0.1',
      userAgent: 'test',
    };
    const prepared = { path: file, fileName: 'batches.csv', sha256: inspected.sha256, encoding: 'utf-8' as const };
    const options = { municipalityCode: YAMAGATA, linkOnlyVisible: false };
    try {
      const small = await importDonorFile(t.database.db, ctx, prepared, { ...options, batchRows: 3 });
      expect(small.totals).toEqual({ rows: 16, imported: 12, duplicates: 0, refused: 4, newPeople: 5 });
      const first = await report(small.id, '?limit=100');
      expect(first.rowsTotal).toBe(16);
      expect(first.rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
      expect(first.rows.filter((r) => r.outcome === 'refused').map((r) => r.rowNumber)).toEqual([5, 10, 16, 17]);
      for (const r of first.rows.filter((r) => r.outcome === 'imported')) {
        expect(r.personId).not.toBeNull();
        expect((await donationsOf(r.personId!)).some((d) => d.source === 'donation_import')).toBe(true);
      }
      // Rows of one donor in different batches are one person.
      const personOfRow = new Map(first.rows.map((r) => [r.rowNumber, r.personId]));
      expect(personOfRow.get(2)).toBe(personOfRow.get(7));
      expect(personOfRow.get(3)).toBe(personOfRow.get(13));
      const engagementIds = first.rows.filter((r) => r.outcome === 'imported').map((r) => r.engagementId);
      expect(new Set(engagementIds).size).toBe(12);
      // A page cut from the middle of runs, and the imported rows alone.
      expect((await report(small.id, '?limit=4&offset=5')).rows.map((r) => r.rowNumber)).toEqual([7, 8, 9, 10]);
      expect(
        (await report(small.id, '?outcome=imported&limit=3&offset=2')).rows.map((r) => [r.rowNumber, r.engagementId]),
      ).toEqual(
        first.rows
          .filter((r) => r.outcome === 'imported')
          .slice(2, 5)
          .map((r) => [r.rowNumber, r.engagementId]),
      );

      // The same file again with another batch size: every donor is found again, nothing added.
      const large = await importDonorFile(t.database.db, ctx, prepared, { ...options, batchRows: 10_000 });
      expect(large.totals).toEqual({ rows: 16, imported: 0, duplicates: 12, refused: 4, newPeople: 0 });
      const second = await report(large.id, '?outcome=duplicate&limit=100');
      for (const r of second.rows) expect(r.personId).toBe(personOfRow.get(r.rowNumber));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('certifies donors of three consecutive years (心のふるさと県民), since the donation that completed the run', async () => {
    const a = donor(1, 'cert');
    const b = donor(2, 'cert');
    const row = (d: typeof a, date: string) => [d.name, d.kana, date, '10000', d.email];
    const header = ['寄附者氏名', 'フリガナ', '寄附日', '寄附金額', 'メールアドレス'];
    const first = await importRows([
      header,
      row(a, '2022/5/1'),
      row(a, '2023/5/1'),
      row(a, '2024/6/1'),
      row(a, '2024/3/1'),
      row(b, '2022/5/1'),
      row(b, '2024/5/1'),
    ]);
    const aId = first.rows[0]!.personId!;
    const bId = first.rows[4]!.personId!;
    const list = async (session = t.admin) =>
      (await session.request({ method: 'GET', url: '/api/certifications?limit=1000' })).json().items as Array<{
        personId: string;
        kind: string;
        since: string;
      }>;
    expect((await list()).find((c) => c.personId === aId)).toMatchObject({
      kind: 'kokoro_furusato',
      since: '2024-03-01',
      label: '山形 心のふるさと県民',
    });
    expect((await list()).find((c) => c.personId === bId)).toBeUndefined();
    // A 2023 donation (imported for another municipality of the prefecture) closes B's gap.
    await importRows([header, row(b, '2023/11/1')], 'utf-8', t.admin, { municipalityCode: TSURUOKA });
    expect((await list()).find((c) => c.personId === bId)).toMatchObject({ since: '2024-05-01' });
    // Scope: Yamagata staff see A (linked to Yamagata); Tsuruoka staff see B only (linked there too), not A.
    expect((await list(yamagataStaff)).map((c) => c.personId)).toEqual(expect.arrayContaining([aId, bId]));
    const tsuruokaList = (await list(tsuruokaStaff)).map((c) => c.personId);
    expect(tsuruokaList).toContain(bId);
    expect(tsuruokaList).not.toContain(aId);
    expect(await list(partner)).toEqual([]);
  });

  it('computes certifications in SQL exactly as the pure rule does (calendar and fiscal years)', async () => {
    const db = t.database.db;
    const [{ id: actor } = { id: '' }] = await queryRows<{ id: string }>(db, sql`select id from staff limit 1`);
    const dayMs = 86_400_000;
    const date = fc
      .integer({ min: Date.UTC(2015, 0, 1) / dayMs, max: Date.UTC(2025, 5, 1) / dayMs })
      .map((d) => new Date(d * dayMs).toISOString().slice(0, 10));
    for (const basis of ['calendar', 'fiscal'] as const) {
      await queryRows(
        db,
        sql`update certification_rules set year_basis = ${basis} where prefecture_code = '06' and kind = 'kokoro_furusato'`,
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(date, { maxLength: 8 }), { minLength: 1, maxLength: 6 }),
          async (donations) => {
            const ids: string[] = [];
            for (const dates of donations) {
              const [p] = await db
                .insert(people)
                .values({ name: 'テスト 認定', searchText: 'x', searchGrams: [], createdBy: actor })
                .returning({ id: people.id });
              ids.push(p!.id);
              if (dates.length) {
                await db.insert(engagements).values(
                  dates.map((d, i) => ({
                    personId: p!.id,
                    municipalityCode: i % 2 ? TSURUOKA : YAMAGATA,
                    kind: 'donation',
                    occurredOn: d,
                    source: 'manual',
                  })),
                );
              }
            }
            await recomputeCertificationsFor(db, ids, '06');
            const held = await queryRows<{ person_id: string; since: string }>(
              db,
              sql`select person_id, since::text as since from certifications where person_id in ${ids}`,
            );
            const bySql = new Map(held.map((h) => [h.person_id, h.since]));
            donations.forEach((dates, i) => {
              expect(bySql.get(ids[i]!) ?? null).toBe(certifiedSince(dates, { consecutiveYears: 3, yearBasis: basis }));
            });
          },
        ),
        { numRuns: 12 },
      );
    }
    await queryRows(
      db,
      sql`update certification_rules set year_basis = 'calendar' where prefecture_code = '06' and kind = 'kokoro_furusato'`,
    );
  }, 120_000);

  it('keeps imports within scope: municipality staff import and read only their own municipality’s', async () => {
    const rows = [[...PLATFORM_HEADER], platformRow(1, '2024/8/1', '10,000', 'scope')];
    const own = await importRows(rows, 'utf-8', yamagataStaff);
    expect((await yamagataStaff.request({ method: 'GET', url: `/api/imports/${own.id}` })).statusCode).toBe(200);
    const other = await tsuruokaStaff.request({ method: 'GET', url: `/api/imports/${own.id}` });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('NOT_FOUND');
    expect((await partner.request({ method: 'GET', url: `/api/imports/${own.id}` })).statusCode).toBe(404);
    const list = (await tsuruokaStaff.request({ method: 'GET', url: '/api/imports' })).json();
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(own.id);
    expect(
      (await yamagataStaff.request({ method: 'GET', url: '/api/imports' }))
        .json()
        .items.map((i: { id: string }) => i.id),
    ).toContain(own.id);

    const forOther = await upload(tsuruokaStaff, encodeCsv(rows, 'utf-8'), { municipalityCode: YAMAGATA });
    expect(forOther.statusCode).toBe(400);
    expect(forOther.json().error.fields.municipalityCode).toBeTruthy();
    const unknown = await upload(t.admin, encodeCsv(rows, 'utf-8'), { municipalityCode: '999999' });
    expect(unknown.json().error.fields.municipalityCode).toBeTruthy();
    expect((await upload(partner, encodeCsv(rows, 'utf-8'))).statusCode).toBe(404);
  });

  it('does not reveal (nor link) a person outside the municipality when its staff import their donation', async () => {
    const d = donor(1, 'hidden');
    const yamagataOnly = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({
          name: d.name,
          email: d.email,
          phone: d.phone,
          links: [{ municipalityCode: YAMAGATA, kind: 'roots' }],
        }),
      })
    ).json();
    const result = await importRows(
      [
        ['寄附者氏名', '寄附日', '寄附金額', 'メールアドレス'],
        [d.name, '2024/9/1', '7000', d.email],
      ],
      'utf-8',
      tsuruokaStaff,
      { municipalityCode: TSURUOKA },
    );
    expect(result.totals).toMatchObject({ imported: 1, newPeople: 0 });
    expect(result.rows[0]).toMatchObject({ outcome: 'imported', personId: null, personName: null, engagementId: null });
    expect((await tsuruokaStaff.request({ method: 'GET', url: `/api/people/${yamagataOnly.id}` })).statusCode).toBe(
      404,
    );
    expect((await personOf(yamagataOnly.id)).links).toEqual([{ municipalityCode: YAMAGATA, kind: 'roots' }]);
    // The center sees the donation and whose it is.
    expect((await donationsOf(yamagataOnly.id)).map((e) => e.municipalityCode)).toEqual([TSURUOKA]);
    expect((await report(result.id)).rows[0]).toMatchObject({ personId: yamagataOnly.id, personName: d.name });
  });

  it('audits the import with counts only, and each person it created', async () => {
    const result = await importRows([
      [...PLATFORM_HEADER],
      platformRow(1, '2024/10/1', '10,000', 'audit'),
      platformRow(2, '2024/10/1', 'x', 'audit'),
    ]);
    const events = (
      await t.admin.request({ method: 'GET', url: '/api/audit?action=donations.import&limit=100' })
    ).json().items as Array<{ entityId: string; details: Record<string, unknown> }>;
    const event = events.find((e) => e.entityId === result.id)!;
    expect(event.details).toMatchObject({ rows: 2, imported: 1, refused: 1, newPeople: 1, encoding: 'utf-8' });
    expect(JSON.stringify(event.details)).not.toContain('example.jp');
    const created = (
      await t.admin.request({
        method: 'GET',
        url: `/api/audit?personId=${result.rows[0]!.personId}&action=person.create`,
      })
    ).json().items;
    expect(created).toHaveLength(1);
    expect(created[0].details).toMatchObject({ source: 'donation_import', importId: result.id });
  });

  it('refuses files it cannot read, with the reason, writing nothing', async () => {
    const imports = await count('donation_imports');
    const fileError = async (body: Buffer | null, lang: 'ja' | 'en' = 'en') => {
      const res = await upload(t.admin, body, {}, { lang });
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error.fields.file as string;
    };
    expect(await fileError(Buffer.from('\ufeff寄附者氏名,寄附日,寄附金額\r\n', 'utf16le'))).toContain('UTF-16');
    const mixed = Buffer.concat([
      Buffer.from('寄附者氏名,寄附日,寄附金額\r\n山形 花子,2024/1/1,100\r\n'),
      encodeCsv([['最上 太郎', '2024/1/1', '100']], 'cp932'),
    ]);
    expect(await fileError(mixed)).toContain('line 3');
    expect(await fileError(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]))).toContain('NUL');
    expect(await fileError(Buffer.from('寄附者氏名,寄附日,寄附金額\r\n"山形 花子,2024/1/1,100\r\n'))).toContain('line');
    expect(await fileError(Buffer.from('\r\n,,,\r\n'), 'ja')).toContain('見出し');
    expect(await fileError(null)).toBeTruthy();
    expect(await count('donation_imports')).toBe(imports);
    const json = await t.admin.request({
      method: 'POST',
      url: '/api/imports/donations',
      payload: { municipalityCode: YAMAGATA },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.message).toContain('multipart');
  });
});
