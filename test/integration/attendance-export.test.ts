/**
 * The attendance list as a file: CSV (UTF-8 with BOM) and .xlsx through platform/export, Japanese
 * headers and labels, check-in times in Japan time, within the caller's scope and audited.
 */
import { moveEventTo } from '../helpers/events.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

describe.each(TEST_DRIVERS)('attendance export on %s', (driver) => {
  let t: TestApp;
  let eventId: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    const event = await t.admin.request({
      method: 'POST',
      url: '/api/events',
      payload: {
        kind: 'seminar',
        title: '名簿テスト セミナー',
        startsAt: '2026-03-06T13:00:00+09:00',
        endsAt: '2026-03-06T15:00:00+09:00',
        venue: 'テスト会場',
        capacity: 10,
      },
    });
    expect(event.statusCode, event.body).toBe(201);
    eventId = event.json().id;
    const person = (
      await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ name: '名簿 太郎', kana: 'メイボ タロウ' }),
      })
    ).json();
    // Check-in is open on the event's days only: hold the event today for the check-in, then put it back.
    const putBack = await moveEventTo(t.database.db, eventId);
    const reg = await t.admin.request({
      method: 'POST',
      url: `/api/events/${eventId}/registrations`,
      payload: { personId: person.id, checkIn: true },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    await putBack();
  });
  afterAll(() => t?.close());

  it('writes a CSV with Japanese headers, labels and Japan time, named by the event day', async () => {
    const res = await t.admin.request({ method: 'GET', url: `/api/events/${eventId}/attendance/export?format=csv` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attendance-2026-03-06.csv');
    const text = res.rawPayload.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = text.slice(1).trim().split(/\r?\n/);
    expect(header).toBe('氏名,フリガナ,申込,申込の経路,ブース,枠の開始,受付日時,受付方法,後日の相談記録');
    expect(row).toMatch(/^名簿 太郎,メイボ タロウ,申込中,職員が登録,,,\d{4}\/\d{2}\/\d{2} \d{2}:\d{2},当日参加,なし$/);
    expect(text).not.toMatch(/walk_in|registered|staff|T\d{2}:\d{2}:\d{2}/);
  });

  it('writes the same rows as .xlsx, and audits the export', async () => {
    const res = await t.admin.request({ method: 'GET', url: `/api/events/${eventId}/attendance/export` });
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('出席者名簿')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('氏名');
    expect(sheet.getRow(2).getCell(1).value).toBe('名簿 太郎');
    expect(sheet.getRow(2).getCell(8).value).toBe('当日参加');
    const audit = (await t.admin.request({ method: 'GET', url: `/api/audit?action=event.attendance_export` })).json();
    // The CSV above and this workbook: one entry each.
    expect(audit.total).toBe(2);
  });
});
